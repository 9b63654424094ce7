// Renders a trace as numbered text steps: the first state in full, one field per line, then each action and only
// what it changed. One printer for every trace: `check` prints the steps it would save, `show` and `replay` the
// saved ones, so the same trace reads byte for byte the same everywhere.
#pragma once

#include "mc/trace/cycle_marks.hpp"
#include "mc/trace/json.hpp"
#include "mc/trace/trace.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace mc {

namespace detail {

/// A saved value on one line: `{big: 0, small: 0}`, `[1, 2]`, `none`; text without quotes.
inline void inline_text(std::string& out, const nlohmann::json& j) {
  if (j.is_null()) {
    out += "none";
  } else if (j.is_string()) {
    out += j.get_ref<const std::string&>();
  } else if (j.is_object()) {
    out += '{';
    bool first = true;
    for (auto it = j.begin(); it != j.end(); ++it) {
      out += first ? "" : ", ";
      first = false;
      out += it.key();
      out += ": ";
      inline_text(out, it.value());
    }
    out += '}';
  } else if (j.is_array()) {
    out += '[';
    for (std::size_t i = 0; i < j.size(); ++i) {
      out += i ? ", " : "";
      inline_text(out, j[i]);
    }
    out += ']';
  } else {
    out += j.dump();
  }
}

inline constexpr std::size_t state_line_width = 100;

/// `label: value` on one line when it fits, else `label:` and the members (`[i]` for elements) indented below.
inline void state_lines(std::string& out, const std::string& label, const nlohmann::json& j, std::size_t indent) {
  std::string one;
  inline_text(one, j);
  const bool nested = (j.is_object() || j.is_array()) && !j.empty();
  if (!nested || indent + label.size() + 2 + one.size() <= state_line_width) {
    out += std::string(indent, ' ') + label + ": " + one + "\n";
    return;
  }
  out += std::string(indent, ' ') + label + ":\n";
  if (j.is_object())
    for (auto it = j.begin(); it != j.end(); ++it) state_lines(out, it.key(), it.value(), indent + 2);
  else
    for (std::size_t i = 0; i < j.size(); ++i) state_lines(out, "[" + std::to_string(i) + "]", j[i], indent + 2);
}

}  // namespace detail

/// A saved state, one field per line and nested (`network:` / `  bag: [...]`), each line indented by `indent`.
inline std::string state_text(const nlohmann::json& state, std::size_t indent) {
  std::string out;
  if (state.is_object() && !state.empty()) {
    for (auto it = state.begin(); it != state.end(); ++it) detail::state_lines(out, it.key(), it.value(), indent);
  } else {
    out += std::string(indent, ' ');
    detail::inline_text(out, state);
    out += '\n';
  }
  return out;
}

/// ```
///   0: Initial predicate
///        big: 0
///        small: 0
///   1: FillBigJug
///        big: 0 -> 5
/// ```
/// Steps are numbered as every report counts them: the initial state is step 0, a trace of n steps ends at step n.
/// `steps` as trace_to_json makes them (or a trace file holds them); a step saved without "changes" (trace files
/// before version 3) and every step under `full` print their whole state.
inline std::string format_steps(const nlohmann::json& steps, bool full = false, const LassoShape& shape = {}) {
  std::string out;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const auto& step = steps[i];
    out += fmt::format("{:>3}: {}\n", i, step.value("action", std::string("?")));
    if (i == 0 || full || !step.contains("changes")) {
      out += state_text(step.contains("state") ? step["state"] : nlohmann::json(), 7);
    } else if (step["changes"].empty()) {
      out += "       (no change)\n";
    } else {
      for (const auto& c : step["changes"]) out += "       " + change_text(change_from_json(c)) + "\n";
    }
    out += cycle_mark(i, steps.size(), shape);
  }
  return out;
}

/// The trace as text (see format_steps).
template <class State, class Action>
std::string format_trace(const Trace<State, Action>& trace, bool full = false) {
  return format_steps(trace_to_json(trace), full, {trace.lasso, trace.cycle_start});
}

}  // namespace mc
