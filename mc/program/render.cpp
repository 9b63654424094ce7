// The Mermaid rendering of trace files (the HTML page is trace_page.cpp).
#include "mc/program/render.hpp"

#include <fmt/format.h>

#include <optional>

#include <set>
#include <string_view>

namespace mc::program {

namespace {

/// Node ids that appear in the trace: from the first state's `nodes`, else from the events.
std::size_t node_count(const nlohmann::json& doc) {
  const auto& steps = doc["steps"];
  if (!steps.empty() && steps[0]["state"].contains("nodes") && steps[0]["state"]["nodes"].is_array())
    return steps[0]["state"]["nodes"].size();
  return 0;
}

/// Mermaid treats `;` and `#` specially inside messages.
std::string mermaid_text(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == ';') out += "#59;";
    else if (c == '#') out += "#35;";
    else if (c == '\n') out += ' ';
    else out += c;
  }
  return out;
}

}  // namespace

std::string render_mermaid(const nlohmann::json& doc) {
  const auto& steps = doc["steps"];
  const std::size_t nodes = node_count(doc);
  std::string out = "sequenceDiagram\n";
  for (std::size_t n = 0; n < nodes; ++n) out += fmt::format("    participant n{}\n", n);
  if (nodes == 0) out += "    participant system\n";
  const std::string everyone = nodes ? fmt::format("n0,n{}", nodes - 1) : "system";
  const std::string all = nodes > 1 ? everyone : (nodes ? "n0" : "system");
  out += fmt::format("    Note over {}: 0. initial state\n", all);
  // A lasso's cycle is a Mermaid loop block; a behaviour that stutters at its end says so after its last step.
  const bool lasso = doc.contains("cycle_start");
  const std::optional<std::size_t> cycle =
      lasso && doc["cycle_start"].is_number_unsigned() ? std::optional(doc["cycle_start"].get<std::size_t>()) : std::nullopt;
  for (std::size_t i = 1; i < steps.size(); ++i) {
    if (cycle && i == *cycle + 1)
      out += fmt::format("    loop forever: back to the state of step {}\n", *cycle);
    const auto& step = steps[i];
    const std::string action = step.value("action", std::string("?"));
    if (!step.contains("event")) {
      out += fmt::format("    Note over {}: {}. {}\n", all, i, mermaid_text(action));
      continue;
    }
    const auto& e = step["event"];
    const std::string kind = e.value("kind", std::string());
    if (kind == "deliver" || kind == "drop" || kind == "duplicate") {
      const char* arrow = kind == "deliver" ? "->>" : kind == "drop" ? "-x" : "-->>";
      const std::string label = kind == "deliver" ? e.value("message", std::string())
                                                  : kind + " " + e.value("message", std::string());
      out += fmt::format("    n{}{}n{}: {}. {}\n", e.value("src", 0), arrow, e.value("dst", 0), i, mermaid_text(label));
    } else if (kind == "partition" || kind == "heal" || kind == "tick") {
      out += fmt::format("    Note over {}: {}. {}\n", all, i, mermaid_text(action));
    } else {
      std::string what = kind == "timeout" ? "timeout " + e.value("timer", std::string())
                         : kind == "clock-jump" ? action : kind;
      out += fmt::format("    Note over n{}: {}. {}\n", e.value("node", 0), i, mermaid_text(what));
    }
  }
  if (cycle) out += "    end\n";
  else if (lasso) out += fmt::format("    Note over {}: stays in this state forever\n", all);
  return out;
}

}  // namespace mc::program
