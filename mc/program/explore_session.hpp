// A model's state space as a person walks it (`explore`): a path of choices from an initial state, the state it
// leads to with each property's value there, every step enabled in it with what that step would change, and a
// bounded search for a counterexample from it. Type-erased, so the web server (explore_server.cpp) compiles once.
#pragma once

#include "mc/core/diff.hpp"
#include "mc/core/fingerprint.hpp"
#include "mc/core/json.hpp"
#include "mc/core/model.hpp"
#include "mc/trace/follow.hpp"
#include "mc/trace/json.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_set>
#include <vector>

namespace mc::program {

/// A path: the index of an initial state (in the order the model emits them), then of each successor taken.
using ExplorePath = std::vector<std::uint32_t>;

/// The most states one path (or an uploaded trace) may pass through: each request replays its path.
inline constexpr std::size_t max_explore_path = 5000;

/// A path or trace that does not lead to a state of the model, naming the step and why (the server's 400).
class PathError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

struct SearchLimits {
  std::uint64_t max_depth = 30;        ///< steps beyond the starting state
  std::uint64_t max_states = 3000000;  ///< distinct states stored
  double seconds = 60;
};

/// Updated as the search goes, read by another thread for progress.
struct SearchProgress {
  std::atomic<std::uint64_t> states{0}, depth{0};
};

struct SearchOutcome {
  bool found = false;        ///< an `always` property breaks within the limits
  std::string property;      ///< the one broken first (breadth-first: on a shortest path)
  ExplorePath path;          ///< found: from the initial state through the starting state to the violation
  bool complete = false;     ///< not found, and every state reachable from the start was seen: none exists
  std::string stop_reason;   ///< not found and not complete: "depth", "states", "time" or "cancelled"
  std::uint64_t states = 0, depth = 0;
  double seconds = 0;
};

/// What `explore` asks of a model, whatever its type. Calls may come from several threads at once.
class ExploreSession {
 public:
  virtual ~ExploreSession() = default;
  /// Properties ({name, kind}), whether it is an actor system (and its node count), its initial states' count.
  virtual nlohmann::json model_info() const = 0;
  /// {path, depth, state, bytes (its canonical encoding's), properties: [{name, kind, value}], violated,
  /// explanation, explanation_fields, fault_events, steps}:
  /// `steps` from the initial state to here as trace files carry them ({action, state, event, changes}).
  virtual nlohmann::json state(const ExplorePath& path) const = 0;
  /// {path, successors: [{index, action, event, group, fault, within, breaks, changes}]}, in the model's order;
  /// `breaks`: the invariants that hold here and not after the step.
  virtual nlohmann::json successors(const ExplorePath& path) const = 0;
  /// The path a trace file's steps take (each step by its action and state, as `replay` follows them).
  virtual ExplorePath path_of_trace(const nlohmann::json& steps) const = 0;
  /// Breadth-first from the state at `from`, until an `always` property breaks, a limit, or `cancel`.
  virtual SearchOutcome search(const ExplorePath& from, const SearchLimits& limits, const std::atomic<bool>& cancel,
                               SearchProgress& progress) const = 0;
};

/// Each step's value of a property in one state: an invariant holds or is violated, a goal is reached here or
/// not; a liveness property is decided over whole behaviours (by `check`), so only its predicate's value is shown.
template <class State>
nlohmann::json property_values(const std::vector<Property<State>>& props, const State& s) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& p : props) {
    const bool now = p.holds(s);
    std::string value;
    if (p.kind == PropertyKind::always) value = now ? "holds" : "violated";
    else if (p.kind == PropertyKind::sometimes) value = now ? "reached" : "not reached";
    else value = now ? "true here" : "false here";
    out.push_back({{"name", p.name}, {"kind", std::string(to_string_view(p.kind))}, {"value", value}});
  }
  return out;
}

template <Model M>
class ModelExplorer final : public ExploreSession {
  using State = typename M::State;
  using Action = typename M::Action;

 public:
  ModelExplorer(M model, std::size_t max_path) : model_(std::move(model)), max_path_(max_path) {
    props_ = model_.properties();
    model_.init([&](const State& s) { initial_.push_back(s); });
  }

  nlohmann::json model_info() const override {
    nlohmann::json props = nlohmann::json::array();
    for (const auto& p : props_) props.push_back({{"name", p.name}, {"kind", std::string(to_string_view(p.kind))}});
    nlohmann::json j{{"properties", props}, {"initial_states", initial_.size()}, {"max_path", max_path_}};
    const nlohmann::json first = initial_.empty() ? nlohmann::json() : to_json(initial_[0]);
    j["actors"] = first.is_object() && first.contains("nodes") && first["nodes"].is_array();
    if (j["actors"]) j["nodes"] = first["nodes"].size();
    return j;
  }

  nlohmann::json state(const ExplorePath& path) const override {
    const Walk w = walk(path);
    const State& s = w.states.back();
    nlohmann::json j{{"path", path}, {"depth", path.size() - 1}, {"state", to_json(s)}, {"bytes", encode(s).size()},
                     {"properties", property_values(props_, s)}, {"violated", nullptr}};
    for (const auto& p : props_) {
      if (p.kind != PropertyKind::always || p.holds(s)) continue;
      j["violated"] = p.name;
      if (p.explain) {
        Explanation e = p.explain(s);
        j["explanation"] = e.text, j["explanation_fields"] = e.fields;
      }
      break;
    }
    TraceOf<M> trace;
    for (std::size_t i = 0; i < w.states.size(); ++i) trace.steps.push_back({w.actions[i], w.states[i]});
    j["steps"] = trace_to_json(trace);
    j["fault_events"] = fault_events(trace);
    return j;
  }

  nlohmann::json successors(const ExplorePath& path) const override {
    const Walk w = walk(path);
    const State& s = w.states.back();
    nlohmann::json out = nlohmann::json::array();
    std::uint32_t k = 0;
    for_each_successor<M>(model_, s, [&](const Action& a, const State& t) {
      nlohmann::json j{{"index", k++}, {"action", to_text(a)}, {"within", within_constraint(model_, t)}};
      std::string group = "steps";
      if constexpr (StructuredAction<Action>) {
        nlohmann::json e = event_json(a);
        j["fault"] = e.value("fault", false);
        if (e.contains("node")) group = "n" + e["node"].dump();
        else if (e.contains("dst")) group = "n" + e["dst"].dump();
        else group = "cluster";
        j["event"] = std::move(e);
      } else {
        j["fault"] = false;
      }
      j["group"] = group;
      nlohmann::json breaks = nlohmann::json::array();  // invariants that hold here and not there
      for (const auto& p : props_)
        if (p.kind == PropertyKind::always && !p.holds(t) && p.holds(s)) breaks.push_back(p.name);
      j["breaks"] = std::move(breaks);
      j["changes"] = changes_json(diff(s, t));
      out.push_back(std::move(j));
    });
    return {{"path", path}, {"successors", std::move(out)}};
  }

  ExplorePath path_of_trace(const nlohmann::json& steps) const override {
    if (!steps.is_array() || steps.empty()) throw PathError("the trace has no steps");
    if (steps.size() > max_path_)
      throw PathError(fmt::format("the trace has {} steps, more than {}", steps.size(), max_path_));
    if (const auto bad = first_malformed_step(steps))
      throw PathError(fmt::format("step {}: expected an object with \"action\" and \"state\"", *bad));
    ExplorePath path;
    std::optional<State> current;
    for (std::uint32_t i = 0; i < initial_.size() && !current; ++i)
      if (to_json(initial_[i]) == steps[0]["state"]) current = initial_[i], path.push_back(i);
    if (!current) throw PathError("step 0: no initial state of the model equals the trace's first state");
    for (std::size_t i = 1; i < steps.size(); ++i) {
      auto step = follow_step(model_, *current, steps[i]);
      if (!step)
        throw PathError(fmt::format("step {}: the model has no step '{}' from the state before", i,
                                    steps[i]["action"].get_ref<const std::string&>()));
      path.push_back(step->index);
      current = std::move(step->state);
    }
    return path;
  }

  SearchOutcome search(const ExplorePath& from, const SearchLimits& limits, const std::atomic<bool>& cancel,
                       SearchProgress& progress) const override {
    const auto started = std::chrono::steady_clock::now();
    const auto elapsed = [&] {
      return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    };
    struct Node {
      std::uint32_t parent, index;
    };
    SearchOutcome out;
    std::vector<Node> nodes{{0, 0}};  // node 0: the starting state
    std::unordered_set<Fingerprint> seen;
    std::vector<std::pair<State, std::uint32_t>> level, next;
    const State start = walk(from).states.back();
    seen.insert(fingerprint(start));
    const auto broken = [&](const State& s) -> const Property<State>* {
      for (const auto& p : props_)
        if (p.kind == PropertyKind::always && !p.holds(s)) return &p;
      return nullptr;
    };
    const auto finish = [&](std::uint32_t node, const Property<State>& p) {
      out.found = true;
      out.property = p.name;
      ExplorePath suffix;
      for (; node != 0; node = nodes[node].parent) suffix.push_back(nodes[node].index);
      out.path = from;
      out.path.insert(out.path.end(), suffix.rbegin(), suffix.rend());
    };
    if (const auto* p = broken(start)) finish(0, *p);
    level.emplace_back(start, 0);
    std::uint64_t depth = 0;
    while (!out.found && !level.empty() && out.stop_reason.empty()) {
      if (depth >= limits.max_depth) {
        out.stop_reason = "depth";
        break;
      }
      ++depth;
      progress.depth = depth;
      for (const auto& [s, id] : level) {
        if (cancel.load()) out.stop_reason = "cancelled";
        else if (limits.seconds > 0 && elapsed() > limits.seconds) out.stop_reason = "time";
        else if (seen.size() >= limits.max_states) out.stop_reason = "states";
        if (!out.stop_reason.empty()) break;
        std::uint32_t k = 0;
        const std::uint32_t parent = id;
        for_each_successor<M>(model_, s, [&](const Action&, const State& t) {
          const std::uint32_t index = k++;
          if (out.found || !within_constraint(model_, t) || !seen.insert(fingerprint(t)).second) return;
          nodes.push_back({parent, index});
          const auto node = static_cast<std::uint32_t>(nodes.size() - 1);
          if (const auto* p = broken(t)) finish(node, *p);
          else next.emplace_back(t, node);
        });
        progress.states = seen.size();
        if (out.found) break;
      }
      level.swap(next);
      next.clear();
    }
    out.complete = !out.found && out.stop_reason.empty();  // every state within reach was seen
    out.states = seen.size();
    out.depth = depth;
    out.seconds = elapsed();
    return out;
  }

 private:
  struct Walk {
    std::vector<State> states;
    std::vector<std::optional<Action>> actions;
  };

  /// The states along `path`, replayed from its initial state (successor k: the k-th the model emits).
  Walk walk(const ExplorePath& path) const {
    if (path.empty()) throw PathError("a path starts with the index of an initial state");
    if (path.size() > max_path_)
      throw PathError(fmt::format("the path has {} steps, more than the {} one request may take", path.size() - 1,
                                  max_path_ - 1));
    if (path[0] >= initial_.size())
      throw PathError(fmt::format("step 0: there is no initial state {} (the model has {})", path[0], initial_.size()));
    Walk w;
    w.states.push_back(initial_[path[0]]);
    w.actions.emplace_back();
    for (std::size_t i = 1; i < path.size(); ++i) {
      std::uint32_t k = 0;
      bool taken = false;
      const State current = w.states.back();
      for_each_successor<M>(model_, current, [&](const Action& a, const State& t) {
        if (k++ != path[i]) return;
        w.states.push_back(t), w.actions.emplace_back(a), taken = true;
      });
      if (!taken)
        throw PathError(fmt::format("step {}: there is no step {} (the state has {} steps)", i, path[i], k));
    }
    return w;
  }

  M model_;
  std::size_t max_path_;
  std::vector<Property<State>> props_;
  std::vector<State> initial_;
};

}  // namespace mc::program
