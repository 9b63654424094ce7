// Counterexample minimisation: the violation reachable with the fewest fault events, and among those the fewest
// steps. Fault events (losses, duplicates, crashes, restarts, partitions) are what people struggle to follow.
#pragma once

#include "mc/check.hpp"

#include <chrono>
#include <optional>
#include <string>

namespace mc {

/// A model that can say how many fault events any path to a state used (actor systems count them in the state).
template <class M>
concept FaultCountingModel = Model<M> && requires(const M& m, const typename M::State& s) {
  { m.fault_count(s) } -> std::convertible_to<std::size_t>;
};

namespace detail {
/// The model restricted to states reached with at most `limit` fault events, checking one property only.
template <FaultCountingModel M>
struct FaultCapped {
  using State = typename M::State;
  using Action = typename M::Action;
  const M& inner;
  std::size_t limit;
  std::string property;

  template <class Emit> void init(Emit&& emit) const { inner.init(emit); }
  template <class Emit> void next(const State& s, Emit&& emit) const { inner.next(s, emit); }
  bool within(const State& s) const { return within_constraint(inner, s) && inner.fault_count(s) <= limit; }
  std::vector<Property<State>> properties() const {
    std::vector<Property<State>> out;
    for (auto& p : inner.properties())
      if (p.name == property) out.push_back(std::move(p));
    return out;
  }
};
}  // namespace detail

struct MinimiseResult {
  std::size_t fault_events = 0;
  std::size_t searches = 0;  ///< explorations run, one per fault count tried
  /// False when a search with fewer faults was cut short (a limit, a stop request) before it could rule them out:
  /// then nothing is proven minimal, and `stop_reason` says why.
  bool proven = true;
  std::string stop_reason;
};

/// Searches fault counts 0, 1, ... up to `max_faults`; the first with a violation of `property` gives the minimal
/// trace (BFS: fewest steps among those). Returns the trace, or nothing when none was found within the limit.
/// `options.time_limit` bounds all the searches together; a search cut short (by it or by `options.stop`) ends the
/// minimisation, with `info->proven` false: what it returns then is the best found, not proven minimal.
template <FaultCountingModel M>
std::optional<TraceOf<M>> minimise(const M& model, const std::string& property, std::size_t max_faults,
                                   ExploreOptions options, MinimiseResult* info = nullptr) {
  MinimiseResult ignored;
  MinimiseResult& out = info ? *info : ignored;
  options.check_deadlock = options.check_deadlock && property == "deadlock";
  options.only_properties.clear();  // FaultCapped keeps the one property
  options.keep_going = false;
  const double budget = options.time_limit;
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t k = 0; k <= max_faults; ++k) {
    if (budget > 0) {
      const double left = budget - std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (left <= 0) {
        out.proven = false;
        out.stop_reason = "time limit";
        return std::nullopt;
      }
      options.time_limit = left;
    }
    const detail::FaultCapped<M> capped{model, k, property};
    const auto r = check(capped, options);
    out.searches = k + 1;
    for (const auto& p : r.properties) {
      if (p.name == property && p.outcome == Outcome::violated && p.trace) {
        out.fault_events = k;
        TraceOf<M> t;
        t.steps = p.trace->steps;
        return t;
      }
    }
    if (!r.stats.complete) {  // fewer faults not ruled out: stop here, claiming nothing
      out.proven = false;
      out.stop_reason = r.stats.stop_reason;
      return std::nullopt;
    }
  }
  return std::nullopt;
}

}  // namespace mc
