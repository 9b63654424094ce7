// Renders a trace as numbered text steps: the first state in full, then each action and only the fields it changed.
#pragma once

#include "mc/core/diff.hpp"
#include "mc/core/print.hpp"
#include "mc/trace/cycle_marks.hpp"
#include "mc/trace/trace.hpp"

#include <string>

namespace mc {

/// The action label of a step, e.g. `TMRcvPrepared(r2)`.
template <class Action>
std::string action_text(const std::optional<Action>& a) {
  return a ? to_text(*a) : std::string("Initial predicate");
}

/// ```
/// 1: Initial predicate
///      {big: 0, small: 0}
/// 2: FillBigJug
///      big: 0 -> 5
/// ```
template <class State, class Action>
std::string format_trace(const Trace<State, Action>& trace, bool full = false) {
  std::string out;
  for (std::size_t i = 0; i < trace.steps.size(); ++i) {
    const auto& step = trace.steps[i];
    out += fmt::format("{:>3}: {}\n", i + 1, action_text(step.action));
    if (i == 0 || full) {
      out += fmt::format("       {}\n", to_text(step.state));
    } else {
      const auto changes = diff(trace.steps[i - 1].state, step.state);
      if (changes.empty()) out += "       (no change)\n";
      for (const auto& c : changes) out += fmt::format("       {}: {} -> {}\n", c.path, c.before, c.after);
    }
    out += cycle_mark(i, trace.steps.size(), {trace.lasso, trace.cycle_start});
  }
  return out;
}

}  // namespace mc
