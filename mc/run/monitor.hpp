// Follows a logged run through a model, one event at a time: each event must be a step the model can take from the
// state reached so far (with the node's logged state matching), and each message the model sends must be logged.
#pragma once

#include "mc/core/encode.hpp"
#include "mc/core/json.hpp"
#include "mc/core/model.hpp"
#include "mc/run/event_log.hpp"
#include "mc/trace/replay.hpp"
#include "mc/trace/trace.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace mc::run {

/// Whether model action `a` is the step a logged event names: every field of the action's structured form (what
/// trace files carry as "event") equals the log's; a plain model's action is named by its label ("action").
template <class Action>
bool names_step(const Action& a, const nlohmann::json& ev) {
  if constexpr (requires { event_json(a); }) {
    const nlohmann::json j = event_json(a);
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (it.key() == "fault") continue;
      const auto f = ev.find(it.key());
      if (f == ev.end() || *f != it.value()) return false;
    }
    return true;
  } else {
    const auto f = ev.find("action");
    return f != ev.end() && f->is_string() && f->template get_ref<const std::string&>() == to_text(a);
  }
}

/// What taking one event came to.
struct Verdict {
  bool ok = true;
  std::string reason;                 ///< why not, e.g. "not a step the model can take"
  std::string state;                  ///< the model's state there (one line)
  std::vector<std::string> possible;  ///< the steps the model could have taken instead
};

template <Model M>
class Monitor {
 public:
  using State = typename M::State;
  using Action = typename M::Action;

  explicit Monitor(const M& model, std::size_t max_candidates = 256) : model_(&model), max_(max_candidates) {
    properties_ = model.properties();
    model.init([&](const State& s) {
      Candidate c{s, std::make_shared<const Link>(Link{nullptr, std::nullopt, s}), {}};
      if constexpr (actor_system) add_pending(c, State{}, s, std::nullopt);
      add(std::move(c), next_);
    });
    candidates_ = std::move(next_);
    next_.clear();
  }

  /// Takes logged event `ev`. Annotations (`start`, `send`) are checked against
  /// the state and the messages in flight; every other kind must be a model step.
  Verdict take(const nlohmann::json& ev) {
    const std::string& kind = ev.at("kind").get_ref<const std::string&>();
    if (kind == "send") return take_send(ev);
    if (kind == "start") return filter_state(ev);
    const std::optional<std::size_t> node = acting_node(ev, kind);
    std::string missing;
    bool named = false, state_matched = false;
    std::string differs;
    for (Candidate& c : candidates_) {
      if (node && !pending_of(c, *node).empty()) {
        if (missing.empty()) missing = pending_of(c, *node).front();
        continue;
      }
      for_each_successor<M>(*model_, c.state, [&](const Action& a, const State& t) {
        if (!names_step(a, ev)) return;
        named = true;
        if (const std::string d = state_difference(ev, t); !d.empty()) {
          if (differs.empty()) differs = d;
          return;
        }
        state_matched = true;
        Candidate n{t, std::make_shared<const Link>(Link{c.path, a, t}), c.pending};
        if constexpr (actor_system)
          if (node) add_pending(n, c.state, t, node);  // faults send nothing; a duplicate is no send
        add(std::move(n), next_);
      });
    }
    if (next_.empty()) {
      Verdict v = failure(!missing.empty() && !named ? "the model sends " + missing + " first, but the log has no such send"
                          : !named                   ? "not a step the model can take"
                                                     : "the model takes it, but " + differs);
      if (!state_matched && named) v.possible.clear();
      return v;
    }
    candidates_ = std::move(next_);
    next_.clear();
    ++steps_;
    check_properties();
    return {};
  }

  /// At the end of the log: every message the model sent must have been logged.
  Verdict finish() const {
    for (const Candidate& c : candidates_)
      if (c.pending.empty()) return {};
    Verdict v;
    v.ok = false;
    v.reason = "the model sends " + candidates_.front().pending.front().text + ", but the log has no such send";
    return v;
  }

  const State& state() const { return candidates_.front().state; }
  std::size_t steps() const { return steps_; }
  /// Whether a later failure may be a choice cut off: more candidate states than the bound were possible.
  bool truncated() const { return truncated_; }
  /// The first `always` property that failed in every state the log can be in, if any.
  const std::optional<std::string>& violated() const { return violated_; }
  const std::string& explanation() const { return explanation_; }

  /// The model's steps from its initial state to the state reached, as a trace `replay` and `show` read.
  TraceOf<M> trace() const {
    std::vector<const Link*> path;
    for (const Link* l = candidates_.front().path.get(); l; l = l->parent.get()) path.push_back(l);
    TraceOf<M> t;
    for (auto it = path.rbegin(); it != path.rend(); ++it) t.steps.push_back({(*it)->action, (*it)->state});
    return t;
  }

  /// The candidate states' encodings, for a search over interleavings to recognise a configuration seen before.
  std::string key() const {
    std::string k;
    for (const Candidate& c : candidates_) {
      const Bytes b = encode(c.state);
      k.append(reinterpret_cast<const char*>(b.data()), b.size());
      for (const auto& p : c.pending) k += p.text, k += '\n';
      k += '\x1f';
    }
    return k;
  }

  /// Whether the model can take some step `pick(action)` selects from the first candidate state.
  template <class Pick>
  bool can_step(Pick&& pick) const {
    bool any = false;
    for_each_successor<M>(*model_, state(), [&](const Action& a, const State&) { any = any || pick(a); });
    return any;
  }

 private:
  static constexpr bool actor_system = requires(const State& s) {
    s.nodes[0].state;
    s.network.bag;
  };

  struct Link {
    std::shared_ptr<const Link> parent;
    std::optional<Action> action;
    State state;
  };
  struct PendingSend {
    std::size_t src, dst;
    std::string message, text;
  };
  struct Candidate {
    State state;
    std::shared_ptr<const Link> path;
    std::vector<PendingSend> pending;  ///< messages the model put in flight that the log has not shown sent
  };

  static std::optional<std::size_t> acting_node(const nlohmann::json& ev, const std::string& kind) {
    if (kind == "deliver") return ev.value("dst", std::size_t{0});
    if (kind == "timeout" || kind == "crash" || kind == "restart") return ev.value("node", std::size_t{0});
    return std::nullopt;
  }

  std::vector<std::string> pending_of(const Candidate& c, std::size_t node) const {
    std::vector<std::string> out;
    for (const auto& p : c.pending)
      if (p.src == node) out.push_back(p.text);
    return out;
  }

  /// The messages `after` has in flight that `before` had not, sent by `node` (any node for the initial state).
  void add_pending(Candidate& c, const State& before, const State& after, std::optional<std::size_t> node) const {
    if constexpr (actor_system) {
      const auto flat = [](const State& s) {
        std::vector<std::decay_t<decltype(*s.network.bag.begin())>> all(s.network.bag.begin(), s.network.bag.end());
        for (const auto& [link, q] : s.network.links)
          for (const auto& m : q) all.push_back({link.first, link.second, m});
        std::sort(all.begin(), all.end());
        return all;
      };
      const auto was = flat(before), is = flat(after);
      std::decay_t<decltype(was)> added;
      std::set_difference(is.begin(), is.end(), was.begin(), was.end(), std::back_inserter(added));
      for (const auto& e : added)
        if (!node || e.src == *node)
          c.pending.push_back({e.src, e.dst, describe_message(e.msg), describe(e)});
    }
  }

  Verdict take_send(const nlohmann::json& ev) {
    // A send the model does not have in flight is allowed: a partition, a full link or a destination that ignores
    // it took it at once. Its delivery, if logged, is what gets checked.
    for (Candidate& c : candidates_) {
      for (auto it = c.pending.begin(); it != c.pending.end(); ++it) {
        if (ev.value("src", std::size_t{999}) == it->src && ev.value("dst", std::size_t{999}) == it->dst &&
            ev.value("message", std::string()) == it->message) {
          c.pending.erase(it);
          break;
        }
      }
    }
    return {};
  }

  /// A node's logged state against the model's; empty when they agree or the event carries none.
  std::string state_difference(const nlohmann::json& ev, const State& t) const {
    if constexpr (actor_system) {
      const auto s = ev.find("state");
      const auto n = ev.find("node");
      if (s == ev.end() || n == ev.end() || !n->is_number_unsigned()) return {};
      const std::size_t node = n->template get<std::size_t>();
      if (node >= t.nodes.size()) return fmt::format("the log names node n{}, which the model does not have", node);
      const nlohmann::json model_state = to_json(t.nodes[node].state);
      if (*s == model_state) return {};
      return fmt::format("n{}'s state differs: {}", node, mc::detail::first_difference(*s, model_state, ""));
    } else {
      (void)ev, (void)t;
      return {};
    }
  }

  Verdict filter_state(const nlohmann::json& ev) {
    std::string differs;
    for (Candidate& c : candidates_) {
      if (const std::string d = state_difference(ev, c.state); !d.empty()) {
        if (differs.empty()) differs = d;
        continue;
      }
      add(std::move(c), next_);
    }
    if (next_.empty()) return failure(differs);
    candidates_ = std::move(next_);
    next_.clear();
    return {};
  }

  Verdict failure(std::string reason) const {
    Verdict v;
    v.ok = false;
    v.reason = std::move(reason);
    v.state = to_text(state());
    for_each_successor<M>(*model_, state(), [&](const Action& a, const State&) {
      if (v.possible.size() < 24) v.possible.push_back(to_text(a));
    });
    return v;
  }

  void add(Candidate c, std::vector<Candidate>& into) {
    const Bytes b = encode(c.state);
    for (const Candidate& o : into)
      if (encode(o.state) == b) return;
    if (into.size() >= max_) {
      truncated_ = true;
      return;
    }
    into.push_back(std::move(c));
  }

  void check_properties() {
    if (violated_) return;
    for (const auto& p : properties_) {
      if (p.kind != PropertyKind::always) continue;
      const bool fails_everywhere = std::none_of(candidates_.begin(), candidates_.end(),
                                                 [&](const Candidate& c) { return p.holds(c.state); });
      if (!fails_everywhere) continue;
      violated_ = p.name;
      if (p.explain) explanation_ = p.explain(state()).text;
      return;
    }
  }

  const M* model_;
  std::size_t max_;
  std::vector<Property<State>> properties_;
  std::vector<Candidate> candidates_, next_;
  std::size_t steps_ = 0;
  bool truncated_ = false;
  std::optional<std::string> violated_;
  std::string explanation_;
};

}  // namespace mc::run
