// Traces as JSON: each step's action label, its structured event (actor systems), the full state and what the step
// changed (the reflected diff). This is the `trace` of reports and the `steps` of trace files (README, "Trace files").
#pragma once

#include "mc/core/diff.hpp"
#include "mc/core/json.hpp"
#include "mc/trace/trace.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace mc {

/// The action label of a step, e.g. `TMRcvPrepared(r2)`.
template <class Action>
std::string action_text(const std::optional<Action>& a) {
  return a ? to_text(*a) : std::string("Initial predicate");
}

/// Actions that can describe themselves structurally (actor events: kind, nodes, message).
template <class A>
concept StructuredAction = requires(const A& a) {
  { event_json(a) } -> std::convertible_to<nlohmann::json>;
};

/// A step's changes as saved: {"path", "before", "after"}, {"path", "added"} or {"path", "removed"}.
inline nlohmann::json changes_json(const std::vector<FieldChange>& changes) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& c : changes) {
    if (c.edit == FieldChange::Edit::added) out.push_back({{"path", c.path}, {"added", c.after}});
    else if (c.edit == FieldChange::Edit::removed) out.push_back({{"path", c.path}, {"removed", c.before}});
    else out.push_back({{"path", c.path}, {"before", c.before}, {"after", c.after}});
  }
  return out;
}

/// The change a saved entry of "changes" stands for (entries are checked when a trace file is read).
inline FieldChange change_from_json(const nlohmann::json& j) {
  const auto text = [&](const char* key) { return j.contains(key) ? j[key].get<std::string>() : std::string(); };
  if (j.contains("added")) return {text("path"), {}, text("added"), FieldChange::Edit::added};
  if (j.contains("removed")) return {text("path"), text("removed"), {}, FieldChange::Edit::removed};
  return {text("path"), text("before"), text("after")};
}

template <class State, class Action>
nlohmann::json trace_to_json(const Trace<State, Action>& trace) {
  nlohmann::json steps = nlohmann::json::array();
  for (std::size_t i = 0; i < trace.steps.size(); ++i) {
    const auto& step = trace.steps[i];
    nlohmann::json j{{"action", action_text(step.action)}, {"state", to_json(step.state)}};
    if constexpr (StructuredAction<Action>) {
      if (step.action) j["event"] = event_json(*step.action);
    }
    if (i > 0) j["changes"] = changes_json(diff(trace.steps[i - 1].state, step.state));
    steps.push_back(std::move(j));
  }
  return steps;
}

/// Fault events in a trace (losses, duplicates, crashes, restarts, partitions): what readers find hardest.
template <class State, class Action>
std::size_t fault_events(const Trace<State, Action>& trace) {
  std::size_t n = 0;
  if constexpr (StructuredAction<Action>) {
    for (const auto& step : trace.steps)
      if (step.action && event_json(*step.action).value("fault", false)) ++n;
  }
  return n;
}

}  // namespace mc
