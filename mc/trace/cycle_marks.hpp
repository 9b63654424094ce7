// The lines that mark a liveness counterexample's loop in a printed trace: where the cycle starts, and at the end
// that it returns there (or that the last state stutters forever). Shared by the typed and the JSON trace printers.
#pragma once

#include <fmt/format.h>

#include <cstddef>
#include <optional>
#include <string>

namespace mc {

/// What a trace is besides its steps: a lasso (liveness) with or without a cycle, or a plain path (safety).
struct LassoShape {
  bool lasso = false;
  std::optional<std::size_t> cycle_start;  ///< 0-based step the last step returns to
};

/// The mark printed after step `i` of a trace of `n` states (steps 0 .. n-1, step 0 the initial state); empty for
/// most steps.
inline std::string cycle_mark(std::size_t i, std::size_t n, const LassoShape& shape) {
  if (!shape.lasso) return {};
  std::string out;
  if (shape.cycle_start && i == *shape.cycle_start)
    out += fmt::format("     ↻ the cycle starts here: steps {}..{} repeat forever\n", i + 1, n - 1);
  if (i + 1 == n) {
    if (shape.cycle_start)
      out += fmt::format("     ↻ back to the state of step {}: the cycle repeats forever\n", *shape.cycle_start);
    else out += "     ■ the behaviour stays in this state forever (nothing fair is left to do)\n";
  }
  return out;
}

}  // namespace mc
