// two-phase-commit: a coordinator and participants agreeing to commit or abort one transaction, over a lossy,
// duplicating, reordering network with crashes and restarts.
//
// Phase 1: the coordinator sends Prepare; each participant votes Yes (and is then prepared: it may no longer
// abort on its own) or No (it has already aborted unilaterally). Phase 2: with every vote Yes the coordinator
// commits, otherwise it aborts; it writes the decision to stable storage before telling anyone. If votes do not
// arrive in time the coordinator must abort (it cannot know a silent participant voted Yes). Participants log
// their vote and outcome durably; a restarted coordinator re-sends its logged decision, or aborts (presumed abort).
// Property: atomic commit over the decision history — no participant commits while another aborts.
// Broken variant `commit-on-timeout`: the coordinator commits when its vote timer fires, although a participant
// may have voted No or aborted on its own. Broken variant `prepare-not-fsynced` (storage faults): a participant
// appends its prepare record to its log and votes Yes before forcing it; a crash loses the record, the restarted
// participant thinks it never voted and aborts on its own, while the coordinator commits on its Yes.
// Liveness (add_liveness): every participant that is up ends up knowing the outcome for good. It fails where 2PC is
// known to block: a coordinator that crashes after its participants voted Yes and never restarts leaves them
// prepared forever (they may not decide alone). With restarts fair, the recovered coordinator decides. A lost
// Commit or Abort blocks its participant too: this coordinator tells each participant once.
// Source: Gray & Lamport, "Consensus on Transaction Commit" (2006), section 2; Bernstein, Hadzilacos & Goodman,
// "Concurrency Control and Recovery in Database Systems" (1987), chapter 7.
#pragma once

#include "mc/actor/actor_model.hpp"
#include "properties/atomic_commit.hpp"

#include <stdexcept>
#include <string_view>
#include <variant>

namespace protocols::twopc {

struct Prepare {
  auto operator<=>(const Prepare&) const = default;
};
struct Vote {
  BOOST_HANA_DEFINE_STRUCT(Vote, (bool, yes));
  auto operator<=>(const Vote&) const = default;
};
struct Commit {
  auto operator<=>(const Commit&) const = default;
};
struct Abort {
  auto operator<=>(const Abort&) const = default;
};
using Msg = std::variant<Prepare, Vote, Commit, Abort>;

enum class Outcome : std::uint8_t { none, committed, aborted };
inline std::string_view to_string_view(Outcome o) {
  return o == Outcome::none ? "none" : o == Outcome::committed ? "committed" : "aborted";
}

/// History: participant `node` reached `outcome`.
struct Decision {
  BOOST_HANA_DEFINE_STRUCT(Decision, (std::uint8_t, node), (Outcome, outcome));
};

struct Vocabulary {
  using Msg = twopc::Msg;
  using Record = Decision;
};

enum class Variant { correct, commit_on_timeout, prepare_not_fsynced };
inline constexpr std::string_view variant_names[] = {"correct", "commit-on-timeout", "prepare-not-fsynced"};

struct Coordinator {
  enum class Timer : std::uint8_t { vote_timeout };
  friend std::string_view to_string_view(Timer) { return "vote-timeout"; }

  Variant variant = Variant::correct;
  std::uint8_t participants = 2;  ///< nodes 1..participants

  struct Durable {
    BOOST_HANA_DEFINE_STRUCT(Durable, (Outcome, decision));
    bool operator==(const Durable&) const = default;
  };
  struct State {
    BOOST_HANA_DEFINE_STRUCT(State, (Outcome, decision), (mc::BitSet<32>, yes_votes));
  };

  template <class Out>
  void announce(Outcome o, Out& out) const {
    if (o == Outcome::committed) out.broadcast(Commit{});
    else out.broadcast(Abort{});
  }

  template <class Out>
  void decide(State& s, Outcome o, Out& out) const {
    s.decision = o;
    out.persist(Durable{o});  // log first, then tell: a restarted coordinator must say the same
    out.cancel_timer(Timer::vote_timeout);
    announce(o, out);
  }

  template <class Out>
  State on_start(mc::NodeId, const Durable& d, Out& out) const {
    State s{d.decision, {}};
    if (d.decision != Outcome::none) {
      announce(d.decision, out);  // recovery: repeat the logged decision
    } else {
      out.broadcast(Prepare{});
      out.set_timer(Timer::vote_timeout);
    }
    return s;
  }

  template <class Out>
  void on_message(mc::NodeId, State& s, mc::NodeId from, const Msg& m, Out& out) const {
    const auto* vote = std::get_if<Vote>(&m);
    if (!vote || s.decision != Outcome::none) return;
    if (!vote->yes) return decide(s, Outcome::aborted, out);
    s.yes_votes.insert(from);
    if (s.yes_votes.size() == participants) decide(s, Outcome::committed, out);
  }

  template <class Out>
  void on_timeout(mc::NodeId, State& s, Timer, Out& out) const {
    if (s.decision != Outcome::none) return;
    decide(s, variant == Variant::commit_on_timeout ? Outcome::committed : Outcome::aborted, out);
  }
};

struct Participant {
  enum class Timer : std::uint8_t { unilateral_abort };
  friend std::string_view to_string_view(Timer) { return "unilateral-abort"; }

  enum class Phase : std::uint8_t { working, prepared, committed, aborted };
  friend std::string_view to_string_view(Phase p) {
    constexpr std::string_view names[] = {"working", "prepared", "committed", "aborted"};
    return names[static_cast<int>(p)];
  }

  Variant variant = Variant::correct;

  struct Durable {
    BOOST_HANA_DEFINE_STRUCT(Durable, (Phase, phase));
    bool operator==(const Durable&) const = default;
  };
  /// Variant prepare-not-fsynced logs its prepare record instead of persisting it.
  using LogRecord = Durable;
  struct State {
    BOOST_HANA_DEFINE_STRUCT(State, (Phase, phase));
  };

  template <class Out>
  State on_start(mc::NodeId, const Durable& saved, const mc::Log<Durable>& log, Out& out) const {
    Phase phase = saved.phase;
    for (const auto& stored : log.records)
      if (stored.intact && phase == Phase::working) phase = stored.record.phase;
    if (phase == Phase::working) out.set_timer(Timer::unilateral_abort);  // may give up before voting
    return {phase};
  }

  template <class Out>
  void finish(mc::NodeId self, State& s, Phase p, Out& out) const {
    if (s.phase == Phase::committed || s.phase == Phase::aborted) return;  // an outcome is final
    s.phase = p;
    out.persist(Durable{p});
    out.record(Decision{self, p == Phase::committed ? Outcome::committed : Outcome::aborted});
  }

  template <class Out>
  void on_message(mc::NodeId self, State& s, mc::NodeId from, const Msg& m, Out& out) const {
    if (std::holds_alternative<Prepare>(m)) {
      if (s.phase == Phase::working) {
        s.phase = Phase::prepared;
        if (variant == Variant::prepare_not_fsynced)
          out.append(Durable{Phase::prepared});  // the bug: the Yes vote leaves before its record is forced
        else
          out.persist(Durable{Phase::prepared});  // a Yes vote is a promise that must survive a crash
        out.cancel_timer(Timer::unilateral_abort);
      }
      out.send(from, Vote{s.phase != Phase::aborted});
    } else if (std::holds_alternative<Commit>(m)) {
      finish(self, s, Phase::committed, out);
    } else if (std::holds_alternative<Abort>(m)) {
      finish(self, s, Phase::aborted, out);
    }
  }

  template <class Out>
  void on_timeout(mc::NodeId self, State& s, Timer, Out& out) const {
    if (s.phase == Phase::working) finish(self, s, Phase::aborted, out);
  }
};

using Model = mc::ActorModel<Vocabulary, Coordinator, Participant>;

inline constexpr mc::FaultBudget default_faults{1, 1, 1, 1, 0, 0};

inline Model make_model(Variant variant, unsigned participants, mc::FaultBudget faults) {
  if (participants < 1 || participants > 4) throw std::invalid_argument("two-phase-commit: rms must be in 1..4");
  Model m(mc::NetworkKind::unordered, faults);
  m.add(Coordinator{variant, static_cast<std::uint8_t>(participants)});
  for (unsigned p = 0; p < participants; ++p) m.add(Participant{variant});
  auto atomic = mc::always<Model::State>("atomic-commit", [](const Model::State& s) {
    return properties::atomic_commit(s.history, Outcome::committed, Outcome::aborted, &Decision::outcome);
  });
  atomic.explain = [](const Model::State& s) {
    return properties::explain_atomic_commit(
        s.history, Outcome::committed, Outcome::aborted,
        [](const Decision& d, std::size_t) { return fmt::format("n{}", d.node); }, "history", &Decision::outcome);
  };
  m.add_property(std::move(atomic));
  return m;
}

/// Every participant that is up knows the outcome, from some point on for good (`<>[]`): a crashed one is excused
/// while it is down; with `fair_restart` a crashed node is eventually restarted (where the budget allows).
inline void add_liveness(Model& m, bool fair_restart) {
  m.set_liveness({fair_restart, true});
  m.add_property(mc::eventually_always<Model::State>("all-learn-outcome", [](const Model::State& s) {
    for (std::size_t n = 1; n < s.nodes.size(); ++n) {
      if (s.nodes[n].crashed) continue;
      const auto phase = Model::state_of<Participant>(s, static_cast<mc::NodeId>(n)).phase;
      if (phase != Participant::Phase::committed && phase != Participant::Phase::aborted) return false;
    }
    return true;
  }));
}

}  // namespace protocols::twopc
