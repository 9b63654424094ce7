// paxos: single-decree Paxos — proposers get a majority of acceptors to agree on one value, despite
// message loss, duplication, reordering and acceptor crashes.
//
// Phase 1: a proposer with ballot b sends Prepare(b); an acceptor that has promised nothing higher promises b
// and reports the vote it last accepted, if any. Phase 2: with promises from a majority, the proposer must
// propose the value of the highest-ballot vote among them (its own value only if none was reported), sending
// Accept(b, v); an acceptor that has promised nothing higher accepts. A value accepted by a majority in one
// ballot is chosen; the proposer learns it from a majority of Accepted replies and records the decision.
// Acceptors keep their promise and vote on stable storage. Proposer p uses ballot p+1 and proposes value p+1.
// Properties: agreement (no two decisions differ) and validity (only a proposed value is decided).
// Broken variant `ignore-accepted`: the proposer always proposes its own value, ignoring votes reported in
// phase 1, so a later ballot can choose a different value.
// Liveness (add_liveness): some value is eventually chosen, once faults stop. It fails as Paxos does: with
// `rounds=1` (one ballot each, no timers) a crashed proposer or one lost message can leave every ballot short of a
// majority; with `rounds=R` a proposer whose `retry` timer fires abandons its ballot for a higher one, and as a
// timeout cannot tell a slow acceptor from a lost message, dueling proposers can preempt and abandon ballot after
// ballot with nothing chosen: FLP's behaviour. The finite model's image of that livelock ends when the ballots run
// out (a proposer abandons its last one); with unbounded ballots it would go on. Variant `distinguished-proposer`
// (Paxos Made Simple §2.4): only proposer 0 proposes, and on a timeout it sends the messages of its ballot again
// instead of starting another (acceptors answer a repeated Prepare or Accept of the ballot they promised); then a
// value is chosen once faults stop, as long as that proposer is up.
// Source: Lamport, "Paxos Made Simple" (2001); Lamport, "The Part-Time Parliament" (TOCS 1998).
#pragma once

#include "mc/actor/actor_model.hpp"
#include "properties/agreement.hpp"

#include <optional>
#include <stdexcept>
#include <string_view>
#include <variant>

namespace protocols::paxos {

struct Vote {
  BOOST_HANA_DEFINE_STRUCT(Vote, (std::uint8_t, ballot), (std::uint8_t, value));
  auto operator<=>(const Vote&) const = default;
};
using LastVote = std::optional<Vote>;

struct Prepare {
  BOOST_HANA_DEFINE_STRUCT(Prepare, (std::uint8_t, ballot));
  auto operator<=>(const Prepare&) const = default;
};
struct Promise {
  BOOST_HANA_DEFINE_STRUCT(Promise, (std::uint8_t, ballot), (LastVote, last));
  auto operator<=>(const Promise&) const = default;
};
struct Accept {
  BOOST_HANA_DEFINE_STRUCT(Accept, (std::uint8_t, ballot), (std::uint8_t, value));
  auto operator<=>(const Accept&) const = default;
};
struct Accepted {
  BOOST_HANA_DEFINE_STRUCT(Accepted, (std::uint8_t, ballot), (std::uint8_t, value));
  auto operator<=>(const Accepted&) const = default;
};
using Msg = std::variant<Prepare, Promise, Accept, Accepted>;

/// History: proposer `node` learned that `value` is chosen.
struct Decided {
  BOOST_HANA_DEFINE_STRUCT(Decided, (std::uint8_t, node), (std::uint8_t, value));
};

struct Vocabulary {
  using Msg = paxos::Msg;
  using Record = Decided;
};

enum class Variant { correct, ignore_accepted, distinguished_proposer };
inline constexpr std::string_view variant_names[] = {"correct", "ignore-accepted", "distinguished-proposer"};

struct Proposer {
  enum class Timer : std::uint8_t { retry };
  friend std::string_view to_string_view(Timer) { return "retry"; }

  Variant variant = Variant::correct;
  std::uint8_t ballot = 1;  ///< its first ballot; its r-th is ballot + r·proposers
  std::uint8_t value = 1;
  std::uint8_t first_acceptor = 0;
  std::uint8_t acceptors = 3;
  std::uint8_t rounds = 1;  ///< ballots it may try (a timeout abandons one for the next)
  bool active = true;       ///< false: a proposer the distinguished one stands in for, which proposes nothing

  enum class Phase : std::uint8_t { preparing, accepting, decided, idle, gave_up };
  friend std::string_view to_string_view(Phase p) {
    constexpr std::string_view names[] = {"preparing", "accepting", "decided", "idle", "gave-up"};
    return names[static_cast<int>(p)];
  }

  struct State {
    BOOST_HANA_DEFINE_STRUCT(State, (Phase, phase), (mc::BitSet<32>, promised), (LastVote, highest),
                             (mc::BitSet<32>, accepted), (std::uint8_t, proposal), (std::uint8_t, round));
  };

  std::size_t majority() const { return acceptors / 2 + 1; }
  std::uint8_t proposers() const { return first_acceptor; }  // proposers are nodes 0 .. first_acceptor-1
  std::uint8_t ballot_of(const State& s) const { return static_cast<std::uint8_t>(ballot + s.round * proposers()); }
  bool retries() const { return variant == Variant::distinguished_proposer || rounds > 1; }

  template <class Out>
  void prepare(State& s, Out& out) const {
    for (std::uint8_t a = 0; a < acceptors; ++a)
      if (!s.promised.contains(first_acceptor + a))
        out.send(static_cast<mc::NodeId>(first_acceptor + a), Prepare{ballot_of(s)});
  }
  template <class Out>
  void propose(State& s, Out& out) const {
    for (std::uint8_t a = 0; a < acceptors; ++a)
      if (!s.accepted.contains(first_acceptor + a))
        out.send(static_cast<mc::NodeId>(first_acceptor + a), Accept{ballot_of(s), s.proposal});
  }

  template <class Out>
  State on_start(mc::NodeId, Out& out) const {
    State s{active ? Phase::preparing : Phase::idle, {}, std::nullopt, {}, 0, 0};
    if (!active) return s;
    prepare(s, out);
    if (retries()) out.set_timer(Timer::retry);
    return s;
  }

  template <class Out>
  void on_timeout(mc::NodeId, State& s, Timer, Out& out) const {
    if (s.phase != Phase::preparing && s.phase != Phase::accepting) return;
    if (variant == Variant::distinguished_proposer) {  // the same ballot again: nobody competes with it
      s.phase == Phase::preparing ? prepare(s, out) : propose(s, out);
    } else if (s.round + 1 < rounds) {  // abandon this ballot for the next
      s = State{Phase::preparing, {}, std::nullopt, {}, 0, static_cast<std::uint8_t>(s.round + 1)};
      prepare(s, out);
    } else {
      s.phase = Phase::gave_up;  // its last ballot abandoned too
      return;
    }
    out.set_timer(Timer::retry);
  }

  template <class Out>
  void on_message(mc::NodeId self, State& s, mc::NodeId from, const Msg& m, Out& out) const {
    const std::uint8_t current = ballot_of(s);
    if (const auto* p = std::get_if<Promise>(&m); p && p->ballot == current && s.phase == Phase::preparing) {
      s.promised.insert(from);
      if (p->last && (!s.highest || s.highest->ballot < p->last->ballot)) s.highest = p->last;
      if (s.promised.size() < majority()) return;
      s.phase = Phase::accepting;
      s.proposal = (variant != Variant::ignore_accepted && s.highest) ? s.highest->value : value;
      propose(s, out);
    } else if (const auto* a = std::get_if<Accepted>(&m); a && a->ballot == current && s.phase == Phase::accepting) {
      s.accepted.insert(from);
      if (s.accepted.size() < majority()) return;
      s.phase = Phase::decided;
      if (retries()) out.cancel_timer(Timer::retry);
      out.record(Decided{self, a->value});
    }
  }
};

struct Acceptor {
  bool answer_repeats = false;  ///< answer a repeated Prepare or Accept of the promised ballot (for retransmissions)

  struct Durable {
    BOOST_HANA_DEFINE_STRUCT(Durable, (std::uint8_t, promised), (LastVote, accepted));
    bool operator==(const Durable&) const = default;
  };
  struct State {
    BOOST_HANA_DEFINE_STRUCT(State, (std::uint8_t, promised), (LastVote, accepted));
  };

  template <class Out>
  State on_start(mc::NodeId, const Durable& d, Out&) const {
    return {d.promised, d.accepted};
  }

  template <class Out>
  void on_message(mc::NodeId, State& s, mc::NodeId from, const Msg& m, Out& out) const {
    if (const auto* p = std::get_if<Prepare>(&m)) {
      if (p->ballot < s.promised || (p->ballot == s.promised && !answer_repeats)) return;
      if (p->ballot > s.promised) {
        s.promised = p->ballot;
        out.persist(Durable{s.promised, s.accepted});
      }
      out.send(from, Promise{p->ballot, s.accepted});
    } else if (const auto* a = std::get_if<Accept>(&m)) {
      if (a->ballot < s.promised) return;
      s.promised = a->ballot;
      s.accepted = Vote{a->ballot, a->value};
      out.persist(Durable{s.promised, s.accepted});
      out.send(from, Accepted{a->ballot, a->value});
    }
  }
};

using Model = mc::ActorModel<Vocabulary, Proposer, Acceptor>;

inline constexpr mc::FaultBudget default_faults{0, 0, 1, 0, 0, 0};

inline Model make_model(Variant variant, unsigned proposers, unsigned acceptors, mc::FaultBudget faults,
                        unsigned rounds = 1) {
  if (proposers < 1 || proposers > 3) throw std::invalid_argument("paxos: proposers must be in 1..3");
  if (acceptors < 1 || acceptors > 5) throw std::invalid_argument("paxos: acceptors must be in 1..5");
  if (rounds < 1 || rounds > 4) throw std::invalid_argument("paxos: rounds must be in 1..4");
  const bool distinguished = variant == Variant::distinguished_proposer;
  if (distinguished && rounds != 1)
    throw std::invalid_argument("paxos: the distinguished proposer keeps one ballot (leave rounds at 1)");
  Model m(mc::NetworkKind::unordered, faults);
  if (distinguished) m.set_link_capacity(1);  // its retransmissions stay finite
  for (unsigned p = 0; p < proposers; ++p)
    m.add(Proposer{variant, static_cast<std::uint8_t>(p + 1), static_cast<std::uint8_t>(p + 1),
                   static_cast<std::uint8_t>(proposers), static_cast<std::uint8_t>(acceptors),
                   static_cast<std::uint8_t>(rounds), !distinguished || p == 0});
  for (unsigned a = 0; a < acceptors; ++a) m.add(Acceptor{distinguished});
  auto agreement = mc::always<Model::State>("agreement", [](const Model::State& s) {
    return properties::agreement(s.history, &Decided::value);
  });
  agreement.explain = [](const Model::State& s) {
    return properties::explain_agreement(s.history, &Decided::node, &Decided::value);
  };
  m.add_property(std::move(agreement));
  const auto proposed = [proposers](std::uint8_t v) { return v >= 1 && v <= proposers; };
  auto validity = mc::always<Model::State>("validity", [proposed](const Model::State& s) {
    return properties::validity(s.history, proposed, &Decided::value);
  });
  validity.explain = [proposed](const Model::State& s) {
    return properties::explain_validity(s.history, proposed, &Decided::node, &Decided::value);
  };
  m.add_property(std::move(validity));
  return m;
}

/// Some value is eventually chosen (learned by a proposer), once faults stop. Crashed nodes are not restarted by
/// fairness (a proposer keeps no durable state, so a restarted one would reuse a ballot).
inline void add_liveness(Model& m) {
  m.add_property(mc::eventually<Model::State>("eventually-chosen", [](const Model::State& s) {
    return !s.history.empty();
  }));
}

}  // namespace protocols::paxos
