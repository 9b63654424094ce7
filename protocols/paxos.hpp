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

enum class Variant { correct, ignore_accepted };
inline constexpr std::string_view variant_names[] = {"correct", "ignore-accepted"};

struct Proposer {
  Variant variant = Variant::correct;
  std::uint8_t ballot = 1;
  std::uint8_t value = 1;
  std::uint8_t first_acceptor = 0;
  std::uint8_t acceptors = 3;

  enum class Phase : std::uint8_t { preparing, accepting, decided };
  friend std::string_view to_string_view(Phase p) {
    return p == Phase::preparing ? "preparing" : p == Phase::accepting ? "accepting" : "decided";
  }

  struct State {
    BOOST_HANA_DEFINE_STRUCT(State, (Phase, phase), (mc::BitSet<32>, promised), (LastVote, highest),
                             (mc::BitSet<32>, accepted), (std::uint8_t, proposal));
  };

  std::size_t majority() const { return acceptors / 2 + 1; }

  template <class Out>
  State on_start(mc::NodeId, Out& out) const {
    for (std::uint8_t a = 0; a < acceptors; ++a) out.send(static_cast<mc::NodeId>(first_acceptor + a), Prepare{ballot});
    return {Phase::preparing, {}, std::nullopt, {}, 0};
  }

  template <class Out>
  void on_message(mc::NodeId self, State& s, mc::NodeId from, const Msg& m, Out& out) const {
    if (const auto* p = std::get_if<Promise>(&m); p && p->ballot == ballot && s.phase == Phase::preparing) {
      s.promised.insert(from);
      if (p->last && (!s.highest || s.highest->ballot < p->last->ballot)) s.highest = p->last;
      if (s.promised.size() < majority()) return;
      s.phase = Phase::accepting;
      s.proposal = (variant == Variant::correct && s.highest) ? s.highest->value : value;
      for (std::uint8_t a = 0; a < acceptors; ++a)
        out.send(static_cast<mc::NodeId>(first_acceptor + a), Accept{ballot, s.proposal});
    } else if (const auto* a = std::get_if<Accepted>(&m); a && a->ballot == ballot && s.phase == Phase::accepting) {
      s.accepted.insert(from);
      if (s.accepted.size() < majority()) return;
      s.phase = Phase::decided;
      out.record(Decided{self, a->value});
    }
  }
};

struct Acceptor {
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
      if (p->ballot <= s.promised) return;
      s.promised = p->ballot;
      out.persist(Durable{s.promised, s.accepted});
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

inline Model make_model(Variant variant, unsigned proposers, unsigned acceptors, mc::FaultBudget faults) {
  if (proposers < 1 || proposers > 3) throw std::invalid_argument("paxos: proposers must be in 1..3");
  if (acceptors < 1 || acceptors > 5) throw std::invalid_argument("paxos: acceptors must be in 1..5");
  Model m(mc::NetworkKind::unordered, faults);
  for (unsigned p = 0; p < proposers; ++p)
    m.add(Proposer{variant, static_cast<std::uint8_t>(p + 1), static_cast<std::uint8_t>(p + 1),
                   static_cast<std::uint8_t>(proposers), static_cast<std::uint8_t>(acceptors)});
  for (unsigned a = 0; a < acceptors; ++a) m.add(Acceptor{});
  m.add_property(mc::always<Model::State>("agreement", [](const Model::State& s) {
    return properties::agreement(s.history, &Decided::value);
  }));
  m.add_property(mc::always<Model::State>("validity", [proposers](const Model::State& s) {
    return properties::validity(s.history, [&](std::uint8_t v) { return v >= 1 && v <= proposers; }, &Decided::value);
  }));
  return m;
}

}  // namespace protocols::paxos
