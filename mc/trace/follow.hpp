// Follows a saved trace on the model, step by step by action label: the one implementation that `replay` and the
// explorer's "open a trace" share, so both take the same successor where a label names more than one.
#pragma once

#include "mc/core/json.hpp"
#include "mc/core/model.hpp"
#include "mc/core/print.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

namespace mc {

/// The successor a saved step names.
template <Model M>
struct FollowedStep {
  typename M::Action action;
  typename M::State state;
  std::uint32_t index;  ///< its position among the state's successors, in the model's order
  bool same;            ///< it equals the saved state (else it is the first successor with the step's label)
};

/// The first step of a trace's "steps" that is not an object with an "action" string and a "state", if any.
inline std::optional<std::size_t> first_malformed_step(const nlohmann::json& steps) {
  for (std::size_t i = 0; i < steps.size(); ++i)
    if (!steps[i].is_object() || !steps[i].contains("state") || !steps[i].contains("action") ||
        !steps[i]["action"].is_string())
      return i;
  return std::nullopt;
}

/// Of the successors of `from` labelled like `step`'s action, the one equal to its saved state, else the first
/// (the model changed since the trace was saved); none when no successor has that label.
template <Model M>
std::optional<FollowedStep<M>> follow_step(const M& model, const typename M::State& from, const nlohmann::json& step) {
  const std::string& label = step["action"].template get_ref<const std::string&>();
  const nlohmann::json& saved = step["state"];
  std::optional<FollowedStep<M>> same, other;
  std::uint32_t k = 0;
  for_each_successor<M>(model, from, [&](const typename M::Action& a, const typename M::State& t) {
    const std::uint32_t index = k++;
    if (same || to_text(a) != label) return;
    if (to_json(t) == saved) same.emplace(FollowedStep<M>{a, t, index, true});
    else if (!other) other.emplace(FollowedStep<M>{a, t, index, false});
  });
  return same ? std::move(same) : std::move(other);
}

}  // namespace mc
