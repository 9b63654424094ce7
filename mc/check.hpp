// One call to check a model: explores it, rebuilds the shortest traces, and returns counts and outcomes.
// `REQUIRE(mc::check(model).ok())` is all a Catch2 test needs.
#pragma once

#include "mc/explore/bfs.hpp"
#include "mc/trace/lasso.hpp"
#include "mc/trace/trace.hpp"

#include <optional>
#include <string>
#include <vector>

namespace mc {

enum class Outcome {
  holds,      ///< always: no reachable state breaks it (search complete)
  violated,   ///< always: a reachable state breaks it
  found,      ///< sometimes: a reachable state satisfies it
  not_found,  ///< sometimes: the complete search reached no state satisfying it
  unknown,    ///< the search ended early before deciding
};

inline std::string_view to_string_view(Outcome o) {
  switch (o) {
    case Outcome::holds: return "holds";
    case Outcome::violated: return "violated";
    case Outcome::found: return "found";
    case Outcome::not_found: return "not found";
    case Outcome::unknown: return "unknown";
  }
  return "?";
}

template <Model M>
struct PropertyResult {
  std::string name;
  PropertyKind kind;
  Outcome outcome = Outcome::unknown;
  std::optional<TraceOf<M>> trace;  ///< counterexample (violated) or witness (found)
  std::string explanation;          ///< violated: the property's own account of the last state, if it gives one
  std::vector<std::string> explanation_fields;  ///< the fields of the last state that account is about
  /// A liveness property violated: how the lasso's cycle meets each fairness condition.
  std::vector<std::string> fairness;
};

template <Model M>
struct CheckResult {
  RunStatus status = RunStatus::incomplete;
  Stats stats;
  /// The model's properties in order, then a `deadlock` entry when deadlock detection was asked for.
  std::vector<PropertyResult<M>> properties;

  bool ok() const { return status == RunStatus::ok; }

  /// The failure a report leads with: a deadlock or violated invariant (shortest first), else an unmet goal.
  const PropertyResult<M>* violation() const {
    const PropertyResult<M>* best = nullptr;
    for (const auto& p : properties) {
      if (p.outcome == Outcome::violated && (!best || p.trace->size() < best->trace->size())) best = &p;
    }
    if (best) return best;
    for (const auto& p : properties)
      if (p.outcome == Outcome::not_found) return &p;
    return nullptr;
  }

  const PropertyResult<M>* property(std::string_view name) const {
    for (const auto& p : properties)
      if (p.name == name) return &p;
    return nullptr;
  }
};

/// Explores `model` breadth-first and decides each of its properties.
template <Model M>
CheckResult<M> check(const M& model, ExploreOptions options = {}) {
  const bool deadlock_checked = options.check_deadlock;
  Bfs<M> bfs(model, std::move(options));
  bfs.run();
  CheckResult<M> result;
  result.stats = bfs.stats();
  bool violated = false;
  for (std::size_t i = 0; i < bfs.properties().size(); ++i) {
    const auto& p = bfs.properties()[i];
    PropertyResult<M> r{p.name, p.kind, Outcome::unknown, std::nullopt, {}, {}, {}};
    if (is_liveness(p.kind)) {
      if (const auto lasso = bfs.lasso(i)) {
        r.outcome = Outcome::violated;
        r.trace = rebuild_lasso(model, lasso->init_index, lasso->successors, lasso->cycle_start);
        LassoCheck checked = check_lasso(model, p, *r.trace);
        if (!checked.ok()) throw std::logic_error("faultline: the lasso found for '" + p.name + "' is wrong: " + checked.failure);
        r.fairness = std::move(checked.fairness);
      } else if (result.stats.liveness_checked) {
        r.outcome = Outcome::holds;
      }
    } else if (const auto& d = bfs.discoveries()[i]) {
      r.outcome = p.kind == PropertyKind::always ? Outcome::violated : Outcome::found;
      r.trace = rebuild_trace(model, d->path, result.stats.symmetry);
      if (p.kind == PropertyKind::always && p.explain) {
        Explanation e = p.explain(r.trace->steps.back().state);
        r.explanation = std::move(e.text);
        r.explanation_fields = std::move(e.fields);
      }
    } else if (result.stats.complete) {
      r.outcome = p.kind == PropertyKind::always ? Outcome::holds : Outcome::not_found;
    }
    violated |= r.outcome == Outcome::violated || r.outcome == Outcome::not_found;
    result.properties.push_back(std::move(r));
  }
  if (deadlock_checked) {
    PropertyResult<M> r{"deadlock", PropertyKind::always, Outcome::unknown, std::nullopt, {}, {}, {}};
    if (const auto& d = bfs.deadlock()) {
      r.outcome = Outcome::violated;
      r.trace = rebuild_trace(model, d->path, result.stats.symmetry);
      violated = true;
    } else if (result.stats.complete) {
      r.outcome = Outcome::holds;
    }
    result.properties.push_back(std::move(r));
  }
  result.status = violated ? RunStatus::violation : result.stats.complete ? RunStatus::ok : RunStatus::incomplete;
  return result;
}

}  // namespace mc
