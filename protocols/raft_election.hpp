// raft-election: Raft's leader election — terms, votes, and at most one leader per term.
//
// A follower whose election timer fires becomes a candidate: it increments its term, votes for itself and asks
// every node for a vote. A node grants at most one vote per term (to the first candidate that asks, or again to
// the same one) and adopts any higher term it sees, stepping down. A candidate with votes from a majority
// becomes leader of its term. `currentTerm` and `votedFor` must be on stable storage before a node answers,
// or a restarted node could vote twice in one term. Terms are bounded by `max_term` to keep the space finite.
// Property: election safety — at most one leader per term.
// Broken variant `volatile-vote`: votedFor is kept only in memory, so after a crash and restart a node votes
// again in the same term and two candidates both win it. Broken variant `vote-not-fsynced` (storage faults): the
// vote is appended to the node's log but not forced before the reply (a candidate forces its own before it
// campaigns); a crash loses the unsynced vote, and the restarted node votes again in that term.
// Liveness (add_liveness): a leader is eventually elected once faults stop (crashed servers restart: fair). With
// nondeterministic timers it fails, honestly: nothing stops every server's timer from firing before any vote
// arrives, so every term can split its vote, and with terms bounded by `max_term` the last split is final (with
// unbounded terms it would repeat forever: the livelock Raft's randomized timeouts make improbable, not
// impossible). `candidates=1` lets only server 0's timer fire, standing in for timeouts spread far enough apart
// that one server campaigns alone: then a leader is elected once faults stop, unless server 0 crashes in its last
// term (it restarts as a follower with no term left to campaign in: an effect of the bound).
// Source: Ongaro & Ousterhout, "In Search of an Understandable Consensus Algorithm" (USENIX ATC 2014), §5.2, Fig. 2.
#pragma once

#include "mc/actor/actor_model.hpp"
#include "properties/election_safety.hpp"

#include <optional>
#include <stdexcept>
#include <string_view>
#include <variant>

namespace protocols::raft {

struct RequestVote {
  BOOST_HANA_DEFINE_STRUCT(RequestVote, (std::uint8_t, term));
  auto operator<=>(const RequestVote&) const = default;
};
struct VoteReply {
  BOOST_HANA_DEFINE_STRUCT(VoteReply, (std::uint8_t, term), (bool, granted));
  auto operator<=>(const VoteReply&) const = default;
};
using Msg = std::variant<RequestVote, VoteReply>;

/// History: `leader` won the election of `term`.
struct Elected {
  BOOST_HANA_DEFINE_STRUCT(Elected, (std::uint8_t, term), (std::uint8_t, leader));
};

struct Vocabulary {
  using Msg = raft::Msg;
  using Record = Elected;
};

enum class Variant { correct, volatile_vote, vote_not_fsynced };
inline constexpr std::string_view variant_names[] = {"correct", "volatile-vote", "vote-not-fsynced"};

enum class Role : std::uint8_t { follower, candidate, leader };
inline std::string_view to_string_view(Role r) {
  return r == Role::follower ? "follower" : r == Role::candidate ? "candidate" : "leader";
}

struct Server {
  enum class Timer : std::uint8_t { election };
  friend std::string_view to_string_view(Timer) { return "election"; }

  Variant variant = Variant::correct;
  std::uint8_t max_term = 2;
  bool campaigns = true;  ///< whether this server's election timer is armed at all

  struct Durable {
    BOOST_HANA_DEFINE_STRUCT(Durable, (std::uint8_t, term), (std::optional<std::uint8_t>, voted_for));
    bool operator==(const Durable&) const = default;
  };
  /// Variant vote-not-fsynced keeps term and vote in a log instead; the last intact record is the current one.
  using LogRecord = Durable;
  struct State {
    BOOST_HANA_DEFINE_STRUCT(State, (std::uint8_t, term), (Role, role), (std::optional<std::uint8_t>, voted_for),
                             (mc::BitSet<32>, votes));
  };

  template <class Out>
  void save(const State& s, Out& out) const {
    // The bugs of the broken variants: only the term reaches stable storage; the vote is not forced.
    if (variant == Variant::vote_not_fsynced) out.append(Durable{s.term, s.voted_for});
    else out.persist(Durable{s.term, variant == Variant::volatile_vote ? std::nullopt : s.voted_for});
  }

  template <class Out>
  State on_start(mc::NodeId, const Durable& saved, const mc::Log<Durable>& log, Out& out) const {
    Durable d = saved;
    for (const auto& stored : log.records)
      if (stored.intact) d = stored.record;
    if (campaigns && d.term < max_term) out.set_timer(Timer::election);
    return {d.term, Role::follower, d.voted_for, {}};
  }

  template <class Out>
  void on_timeout(mc::NodeId self, State& s, Timer, Out& out) const {
    if (s.role == Role::leader || s.term >= max_term) return;
    ++s.term;
    s.role = Role::candidate;
    s.voted_for = self;
    s.votes = {};
    s.votes.insert(self);
    save(s, out);
    if (variant == Variant::vote_not_fsynced) out.fsync();  // its own vote is forced; those it grants are not
    out.broadcast(RequestVote{s.term});
    if (s.term < max_term) out.set_timer(Timer::election);  // a split vote is retried in a later term
  }

  template <class Out>
  void adopt_term(State& s, std::uint8_t term, Out& out) const {
    if (term <= s.term) return;
    s.term = term;
    s.role = Role::follower;
    s.voted_for.reset();
    s.votes = {};
    save(s, out);
  }

  template <class Out>
  void on_message(mc::NodeId self, State& s, mc::NodeId from, const Msg& m, Out& out) const {
    if (const auto* rv = std::get_if<RequestVote>(&m)) {
      adopt_term(s, rv->term, out);
      const bool grant = rv->term == s.term && (!s.voted_for || *s.voted_for == from);
      if (grant && !s.voted_for) {
        s.voted_for = from;
        save(s, out);
      }
      out.send(from, VoteReply{s.term, grant});
    } else if (const auto* vr = std::get_if<VoteReply>(&m)) {
      adopt_term(s, vr->term, out);
      if (s.role != Role::candidate || vr->term != s.term || !vr->granted) return;
      s.votes.insert(from);
      if (s.votes.size() * 2 > out.nodes()) {
        s.role = Role::leader;
        out.record(Elected{s.term, self});
      }
    }
  }
};

using Model = mc::ActorModel<Vocabulary, Server>;

inline constexpr mc::FaultBudget default_faults{0, 0, 1, 1, 0, 0};

inline Model make_model(Variant variant, unsigned nodes, unsigned max_term, mc::FaultBudget faults,
                        unsigned candidates = 0) {
  if (nodes < 2 || nodes > 5) throw std::invalid_argument("raft-election: nodes must be in 2..5");
  if (max_term < 1 || max_term > 4) throw std::invalid_argument("raft-election: max_term must be in 1..4");
  if (candidates > nodes) throw std::invalid_argument("raft-election: candidates must be at most nodes");
  if (candidates == 0) candidates = nodes;
  Model m(mc::NetworkKind::unordered, faults);
  for (unsigned n = 0; n < nodes; ++n) m.add(Server{variant, static_cast<std::uint8_t>(max_term), n < candidates});
  auto safety = mc::always<Model::State>("election-safety", [](const Model::State& s) {
    return properties::election_safety(s.history, &Elected::term, &Elected::leader);
  });
  safety.explain = [](const Model::State& s) {
    return properties::explain_election_safety(s.history, &Elected::term, &Elected::leader);
  };
  m.add_property(std::move(safety));
  return m;
}

/// A leader is eventually elected, once faults stop; a crashed server is eventually restarted.
inline void add_liveness(Model& m) {
  m.set_liveness({true, true});
  m.add_property(mc::eventually<Model::State>("leader-elected", [](const Model::State& s) {
    return !s.history.empty();
  }));
}

}  // namespace protocols::raft
