// Reading traces back from JSON without the model's types: field-level changes between two JSON states.
// Used by `faultline show` and `faultline replay` to print one line per step and only what changed.
#pragma once

#include "mc/core/diff.hpp"

#include "mc/trace/cycle_marks.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace mc {

namespace detail {
inline std::string json_text(const nlohmann::json& j) { return j.is_string() ? j.get<std::string>() : j.dump(); }

inline void json_diff_into(std::vector<FieldChange>& out, const std::string& path, const nlohmann::json& a,
                           const nlohmann::json& b) {
  if (a == b) return;
  if (a.is_object() && b.is_object()) {
    for (auto it = a.begin(); it != a.end(); ++it) {
      const std::string sub = path.empty() ? it.key() : path + "." + it.key();
      if (b.contains(it.key())) json_diff_into(out, sub, it.value(), b.at(it.key()));
      else out.push_back({sub, json_text(it.value()), "(absent)"});
    }
    for (auto it = b.begin(); it != b.end(); ++it)
      if (!a.contains(it.key())) out.push_back({path.empty() ? it.key() : path + "." + it.key(), "(absent)", json_text(it.value())});
  } else if (a.is_array() && b.is_array() && a.size() == b.size() && !a.empty() && (a[0].is_object() || a[0].is_array())) {
    for (std::size_t i = 0; i < a.size(); ++i) json_diff_into(out, path + "[" + std::to_string(i) + "]", a[i], b[i]);
  } else {
    out.push_back({path, json_text(a), json_text(b)});
  }
}
}  // namespace detail

/// The changed fields between two states as saved in a trace file, by path (`nodes[1].state.balance`).
inline std::vector<FieldChange> json_diff(const nlohmann::json& before, const nlohmann::json& after) {
  std::vector<FieldChange> out;
  detail::json_diff_into(out, "", before, after);
  return out;
}

/// One line per step (its action), then the changed fields indented; `full` prints every state whole.
inline std::string format_json_trace(const nlohmann::json& steps, bool full = false, const LassoShape& shape = {}) {
  std::string out;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    out += fmt::format("{:>3}: {}\n", i + 1, steps[i].value("action", std::string("?")));
    if (i == 0 || full) {
      out += fmt::format("       {}\n", steps[i]["state"].dump());
    } else {
      const auto changes = json_diff(steps[i - 1]["state"], steps[i]["state"]);
      if (changes.empty()) out += "       (no change)\n";
      for (const auto& c : changes) out += fmt::format("       {}: {} -> {}\n", c.path, c.before, c.after);
    }
    out += cycle_mark(i, steps.size(), shape);
  }
  return out;
}

}  // namespace mc
