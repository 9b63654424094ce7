// Checks a liveness counterexample against the model itself, independently of the graph search that found it: the
// cycle closes, it is fair under the model's fairness conditions, and the property fails along the behaviour.
// The explorer checks every lasso it reports this way, `replay` checks saved ones, and it says how each condition
// is met on the cycle.
#pragma once

#include "mc/core/fairness.hpp"
#include "mc/core/model.hpp"
#include "mc/trace/trace.hpp"

#include <fmt/format.h>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace mc {

struct LassoCheck {
  /// What is wrong, if anything: the lasso's shape (the cycle does not close), its fairness, or the property
  /// (it holds along the behaviour: for a saved trace, the bug is fixed).
  enum class Failure { none, shape, unfair, property };
  Failure kind = Failure::none;
  std::string failure;                ///< empty: a fair behaviour that breaks the property
  std::vector<std::string> fairness;  ///< per fairness condition, how the cycle meets it
  bool ok() const { return failure.empty(); }
};

/// `trace` as a lasso for `property`: the steps after `cycle_start` repeat forever (none: the last state stutters).
template <Model M>
LassoCheck check_lasso(const M& model, const Property<typename M::State>& property, const TraceOf<M>& trace) {
  using State = typename M::State;
  using F = LassoCheck::Failure;
  LassoCheck out;
  if (trace.empty()) return {F::shape, "the lasso has no states", {}};
  const std::size_t n = trace.size();
  const auto same = [](const State& a, const State& b) { return encode(a) == encode(b); };
  std::size_t first = n - 1;  // the cycle's states: first .. n-2, or the last state alone when it stutters
  if (trace.cycle_start) {
    first = *trace.cycle_start;
    if (first + 1 >= n) return {F::shape, "the cycle starts at the last step: it has no steps", {}};
    if (!same(trace.steps[first].state, trace.last()))
      return {F::shape, fmt::format("the cycle does not close: the last state is not the state of step {}", first + 1), {}};
  }
  const std::size_t last = trace.cycle_start ? n - 1 : n;  // cycle states are [first, last)

  // Fairness: classes enabled in each cycle state (by steps that change the state), and those the cycle takes.
  const auto conditions = fairness_of(model);
  std::vector<std::uint64_t> classes;
  std::map<std::uint64_t, std::size_t> enabled_in;  // class -> cycle states enabling it
  std::set<std::uint64_t> taken;
  for (std::size_t i = first; i < last; ++i) {
    std::set<std::uint64_t> here;
    const State& s = trace.steps[i].state;
    for_each_successor<M>(model, s, [&](const typename M::Action& a, const State& t) {
      if (same(s, t)) return;
      classes.clear();
      fairness_classes(conditions, a, classes);
      here.insert(classes.begin(), classes.end());
    });
    for (std::uint64_t c : here) ++enabled_in[c];
  }
  for (std::size_t i = first + 1; trace.cycle_start && i < n; ++i) {
    if (same(trace.steps[i - 1].state, trace.steps[i].state)) continue;
    classes.clear();
    fairness_classes(conditions, *trace.steps[i].action, classes);
    taken.insert(classes.begin(), classes.end());
  }
  const std::size_t cycle_states = last - first;
  std::vector<std::size_t> taken_of(conditions.size(), 0), partial_of(conditions.size(), 0);
  for (std::uint64_t c : taken) ++taken_of[fairness_condition(c)];
  for (const auto& [c, count] : enabled_in) {
    if (taken.count(c)) continue;
    const auto& cond = conditions[fairness_condition(c)];
    if (cond.kind == FairnessKind::strong || count == cycle_states)
      return {F::unfair, fmt::format("the cycle is not fair: {} ({}ly fair) is enabled {} on it but never taken", cond.name,
                          to_string_view(cond.kind), count == cycle_states ? "throughout" : "again and again"),
              {}};
    ++partial_of[fairness_condition(c)];
  }
  for (std::size_t c = 0; c < conditions.size(); ++c) {
    std::string how;
    if (taken_of[c] == 1) how = "taken on the cycle";
    else if (taken_of[c]) how = fmt::format("{} instances taken on the cycle", taken_of[c]);
    if (partial_of[c])
      how += fmt::format("{}{} not enabled throughout", how.empty() ? "" : "; ",
                         partial_of[c] == 1 ? "one instance" : fmt::format("{} instances", partial_of[c]));
    if (how.empty()) how = "never enabled on the cycle";
    out.fairness.push_back(fmt::format("{} ({}): {}", conditions[c].name, to_string_view(conditions[c].kind), how));
  }

  // The property along the behaviour: the prefix once, the cycle forever.
  const auto p = [&](std::size_t i) { return property.holds(trace.steps[i].state); };
  switch (property.kind) {
    case PropertyKind::eventually:
      for (std::size_t i = 0; i < n; ++i)
        if (p(i)) return {F::property, fmt::format("the property holds at step {}", i + 1), {}};
      break;
    case PropertyKind::leads_to: {
      const auto q = [&](std::size_t i) { return property.then(trace.steps[i].state); };
      for (std::size_t i = first; i < last; ++i)
        if (q(i)) return {F::property, fmt::format("its second condition holds on the cycle (step {})", i + 1), {}};
      std::size_t j = n;  // the first step from which q never holds again
      while (j > 0 && !q(j - 1)) --j;
      bool triggered = false;
      for (std::size_t i = j; i < n; ++i) triggered |= p(i);
      if (!triggered) return {F::property, "its first condition never holds where the second never holds after", {}};
      break;
    }
    case PropertyKind::eventually_always: {
      bool broken = false;
      for (std::size_t i = first; i < last; ++i) broken |= !p(i);
      if (!broken) return {F::property, "the property holds on every state of the cycle", {}};
      break;
    }
    default: return {F::property, "not a liveness property", {}};
  }
  return out;
}

}  // namespace mc
