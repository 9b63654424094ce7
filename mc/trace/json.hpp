// Traces as JSON: each step's action label, its structured event (actor systems) and the full state.
// This is the `trace` of reports and the `steps` of trace files (format in README, "Trace files").
#pragma once

#include "mc/core/json.hpp"
#include "mc/trace/text.hpp"
#include "mc/trace/trace.hpp"

#include <nlohmann/json.hpp>

namespace mc {

/// Actions that can describe themselves structurally (actor events: kind, nodes, message).
template <class A>
concept StructuredAction = requires(const A& a) {
  { event_json(a) } -> std::convertible_to<nlohmann::json>;
};

template <class State, class Action>
nlohmann::json trace_to_json(const Trace<State, Action>& trace) {
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& step : trace.steps) {
    nlohmann::json j{{"action", action_text(step.action)}, {"state", to_json(step.state)}};
    if constexpr (StructuredAction<Action>) {
      if (step.action) j["event"] = event_json(*step.action);
    }
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
