// Counterexample minimisation: the violation reachable with the fewest fault events, and among those the fewest
// steps. Fault events (losses, duplicates, crashes, restarts, partitions) are what people struggle to follow.
#pragma once

#include "mc/check.hpp"

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
};

/// Searches fault counts 0, 1, ... up to `max_faults`; the first with a violation of `property` gives the minimal
/// trace (BFS: fewest steps among those). Returns the trace, or nothing when none was found within the limit.
template <FaultCountingModel M>
std::optional<TraceOf<M>> minimise(const M& model, const std::string& property, std::size_t max_faults,
                                   ExploreOptions options, MinimiseResult* info = nullptr) {
  options.check_deadlock = options.check_deadlock && property == "deadlock";
  for (std::size_t k = 0; k <= max_faults; ++k) {
    const detail::FaultCapped<M> capped{model, k, property};
    const auto r = check(capped, options);
    if (info) info->searches = k + 1;
    for (const auto& p : r.properties) {
      if (p.name == property && p.outcome == Outcome::violated && p.trace) {
        if (info) info->fault_events = k;
        return TraceOf<M>{p.trace->steps};
      }
    }
  }
  return std::nullopt;
}

}  // namespace mc
