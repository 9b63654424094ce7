// Re-executes a saved trace against the current model: every step must be produced by its named action, and the
// saved property must still fail (or the goal still be reached) at the end. Turns a found bug into a regression test.
// Steps are followed by action label, so a trace still replays after the model was fixed: its states then differ
// from the saved ones (reported as a divergence) and the property decides between "reproduced" and "fixed".
#pragma once

#include "mc/core/json.hpp"
#include "mc/core/model.hpp"
#include "mc/trace/follow.hpp"
#include "mc/trace/lasso.hpp"
#include "mc/trace/text.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <string>
#include <vector>

namespace mc {

struct ReplayResult {
  enum class Status {
    reproduced,  ///< every step replays and the trace still shows what it was saved for
    fixed,       ///< every step replays but the property no longer fails (the bug is fixed)
    mismatch,    ///< the file is malformed or a step is not what the model does now
  };
  Status status = Status::mismatch;
  /// mismatch: the step that failed, numbered as traces print them (0: the initial state); none: the file as a whole
  std::optional<std::size_t> step;
  std::string reason;
  std::optional<std::size_t> diverged_at;  ///< first step whose state differs from the saved one, if any
  std::string divergence;       ///< the first differing field there

  bool reproduced() const { return status == Status::reproduced; }
  bool fixed() const { return status == Status::fixed; }
};

namespace detail {
/// Where a saved state first differs from the model's, e.g. `nodes[1].state.balance: saved 10, now 20`; empty if
/// they are equal. Only locates the divergence (the saved state has no types to diff by).
inline std::string first_difference(const nlohmann::json& saved, const nlohmann::json& now, const std::string& path) {
  if (saved == now) return {};
  const auto sub = [&](const std::string& key) { return path.empty() ? key : path + "." + key; };
  if (saved.is_object() && now.is_object()) {
    for (auto it = saved.begin(); it != saved.end(); ++it) {
      const std::string d = now.contains(it.key()) ? first_difference(it.value(), now[it.key()], sub(it.key()))
                                                   : sub(it.key()) + ": saved, now absent";
      if (!d.empty()) return d;
    }
    for (auto it = now.begin(); it != now.end(); ++it)
      if (!saved.contains(it.key())) return sub(it.key()) + ": absent, now present";
  }
  if (saved.is_array() && now.is_array() && saved.size() == now.size())
    for (std::size_t i = 0; i < saved.size(); ++i)
      if (auto d = first_difference(saved[i], now[i], fmt::format("{}[{}]", path, i)); !d.empty()) return d;
  std::string was, is;
  inline_text(was, saved);
  inline_text(is, now);
  return fmt::format("{}: saved {}, now {}", path.empty() ? "state" : path, was, is);
}

inline ReplayResult mismatch(std::optional<std::size_t> step, std::string reason) {
  ReplayResult r;
  r.status = ReplayResult::Status::mismatch;
  r.step = step;
  r.reason = std::move(reason);
  return r;
}
}  // namespace detail

/// Replays `steps` (a trace file's "steps": [{action, state}, ...]) that were saved for `property`. A liveness
/// property's trace is a lasso (`cycle_start`: the step its last step returns to; none: it stutters at the end):
/// its cycle must still close and be fair, and the property still fail along it.
template <Model M>
ReplayResult replay(const M& model, const nlohmann::json& steps, const std::string& property,
                    std::optional<std::size_t> cycle_start = std::nullopt) {
  using State = typename M::State;
  if (!steps.is_array() || steps.empty()) return detail::mismatch(std::nullopt, "the trace has no steps");
  if (const auto bad = first_malformed_step(steps))
    return detail::mismatch(*bad, "malformed step: expected an object with \"action\" and \"state\"");
  const auto props = model.properties();
  const Property<State>* target = nullptr;
  for (const auto& p : props)
    if (p.name == property) target = &p;
  if (!target && property != "deadlock") return detail::mismatch(std::nullopt, "the model has no property '" + property + "'");

  ReplayResult result;
  auto note_divergence = [&](std::size_t step, const nlohmann::json& saved, const nlohmann::json& now) {
    if (result.diverged_at) return;
    result.diverged_at = step;
    result.divergence = detail::first_difference(saved, now, "");
  };

  std::vector<State> initial;
  model.init([&](const State& s) { initial.push_back(s); });
  std::optional<State> current;
  for (const auto& s : initial)
    if (!current && to_json(s) == steps[0]["state"]) current = s;
  if (!current && initial.size() == 1) {
    current = initial[0];
    note_divergence(0, steps[0]["state"], to_json(initial[0]));
  }
  if (!current) return detail::mismatch(0, "no initial state of the model equals the trace's first state");
  TraceOf<M> walked;  // the states replayed, for a lasso's checks
  walked.steps.push_back({std::nullopt, *current});

  for (std::size_t i = 1; i < steps.size(); ++i) {
    auto step = follow_step(model, *current, steps[i]);
    if (!step)
      return detail::mismatch(i, "the model has no step '" + steps[i]["action"].get<std::string>() +
                                     "' from the previous state");
    if (!step->same) note_divergence(i, steps[i]["state"], to_json(step->state));
    current = std::move(step->state);
    walked.steps.push_back({std::move(step->action), *current});
  }

  bool still = false;
  if (target && is_liveness(target->kind)) {
    if (cycle_start && *cycle_start + 1 >= steps.size())
      return detail::mismatch(std::nullopt, "the cycle starts at or after the last step");
    walked.lasso = true;
    walked.cycle_start = cycle_start;
    const LassoCheck checked = check_lasso(model, *target, walked);
    if (checked.kind == LassoCheck::Failure::shape || checked.kind == LassoCheck::Failure::unfair)
      return detail::mismatch(std::nullopt, checked.failure);
    still = checked.ok();
  } else if (property == "deadlock") {
    bool any = false;
    for_each_successor<M>(model, *current, [&](const typename M::Action&, const State&) { any = true; });
    still = !any;
  } else {
    const bool holds = target->holds(*current);
    still = target->kind == PropertyKind::always ? !holds : holds;
  }
  result.status = still ? ReplayResult::Status::reproduced : ReplayResult::Status::fixed;
  result.step = steps.size() - 1;
  return result;
}

/// Replays a trace file written by `faultline check --trace FILE`; a malformed file is a mismatch, not an exception.
template <Model M>
ReplayResult replay_file(const M& model, const std::string& path) {
  std::ifstream in(path);
  if (!in) return detail::mismatch(std::nullopt, "cannot read '" + path + "'");
  const auto doc = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return detail::mismatch(std::nullopt, "'" + path + "' is not valid JSON");
  if (doc.value("format", std::string()) != "faultline-trace")
    return detail::mismatch(std::nullopt, "'" + path + "' is not a faultline trace file");
  if (!doc.contains("property") || !doc["property"].is_string())
    return detail::mismatch(std::nullopt, "the trace file names no property");
  return replay(model, doc.contains("steps") ? doc["steps"] : nlohmann::json(), doc["property"].get<std::string>());
}

}  // namespace mc
