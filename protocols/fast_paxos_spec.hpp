// fast-paxos-spec: the Paxos module of tlaplus/Examples specifications/SimplifiedFastPaxos/Paxos.tla (the base that
// FastPaxos.tla instantiates): Paxos without explicit leaders or learners, all messages in one growing set.
//
// Configuration as in the examples' model: 4 replicas, values {v1, v2, v3}, ballots {0, 1, 2}, quorums = the 3-of-4
// subsets. Variables messages, decision, maxBallot, maxVBallot, maxValue; the five actions PaxosPrepare,
// PaxosPromise, PaxosAccept, PaxosAccepted, PaxosDecide, each enumerating its ∃-witnesses in TLC's order, so
// generated counts are comparable with TLC's. Symmetry: the replicas and the values are interchangeable
// (TLC: SYMMETRY Permutations(Values) ∪ Permutations(Replicas)); `canonical` maps a state to the member of its orbit
// under Sym(Replicas) × Sym(Values) with the smallest encoding.
#pragma once

#include "mc/core/bitset.hpp"
#include "mc/core/model.hpp"
#include "mc/core/symmetry.hpp"

#include <fmt/format.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace protocols {

struct FastPaxosSpec {
  static constexpr unsigned replicas = 4;
  static constexpr unsigned values = 3;   ///< v1..v3 are 1..3; 0 is `none`
  static constexpr unsigned ballots = 3;  ///< 0, 1, 2
  static constexpr std::uint8_t none = 0;
  static constexpr std::uint8_t any = 4;  ///< P2a's `any` (FastPaxos only: never sent by these actions)

  /// The message set, one bit per possible message, grouped by type. A flat 48-byte block with no padding.
  struct State {
    BOOST_HANA_DEFINE_STRUCT(
        State,
        (mc::BitSet<64>, p2b),                        ///< P2b(ballot, acceptor, value): bit (b*4 + a)*4 + value
        (std::array<mc::BitSet<16>, 12>, p1b),        ///< P1b, by [b*4 + a]: bit maxVBallot*4 + maxValue
        (mc::BitSet<16>, p2a),                        ///< P2a(ballot, value): bit b*4 + value (value 1..3, 4 = any)
        (mc::BitSet<8>, p1a),                         ///< P1a(ballot): bit b
        (std::uint8_t, decision),                     ///< 0 = none, else the value
        (std::array<std::uint8_t, replicas>, maxBallot),
        (std::array<std::uint8_t, replicas>, maxVBallot),
        (std::array<std::uint8_t, replicas>, maxValue));
  };
  static_assert(std::has_unique_object_representations_v<State> && std::is_trivially_copyable_v<State>);

  struct Action {
    enum Kind : std::uint8_t { Prepare, Promise, Accept, Accepted, Decide } kind;
    std::uint8_t ballot = 0, replica = 0, value = 0, quorum = 0;
    friend std::string describe(const Action& a) {
      switch (a.kind) {
        case Prepare: return fmt::format("PaxosPrepare(b={})", a.ballot);
        case Promise: return fmt::format("PaxosPromise(a=r{}, b={})", a.replica + 1, a.ballot);
        case Accept: return fmt::format("PaxosAccept(b={}, q={}, v=v{})", a.ballot, quorum_name(a.quorum), a.value);
        case Accepted: return fmt::format("PaxosAccepted(a=r{}, b={}, v=v{})", a.replica + 1, a.ballot, a.value);
        case Decide: return fmt::format("PaxosDecide(b={}, q={}, v=v{})", a.ballot, quorum_name(a.quorum), a.value);
      }
      return "?";
    }
  };

  /// Quorum q (0..3) is every replica but q: the 3-of-4 subsets.
  static bool in_quorum(unsigned q, unsigned a) { return a != q; }
  static std::string quorum_name(unsigned q) {
    std::string s = "{";
    for (unsigned a = 0; a < replicas; ++a)
      if (in_quorum(q, a)) s += fmt::format("{}r{}", s.size() > 1 ? "," : "", a + 1);
    return s + "}";
  }

  static unsigned p2b_bit(unsigned b, unsigned a, unsigned v) { return (b * replicas + a) * 4 + v; }

  template <class Emit>
  void init(Emit&& emit) const {
    emit(State{});
  }

  template <class Emit>
  void next(const State& s, Emit&& emit) const {
    // PaxosPrepare: ∃ b ∈ Ballots \ {0}: send P1a(b).
    for (std::uint8_t b = 1; b < ballots; ++b) {
      State t = s;
      t.p1a.insert(b);
      emit(Action{Action::Prepare, b}, t);
    }
    // PaxosPromise: ∃ a, m ∈ p1aMessages: maxBallot[a] < m.ballot.
    for (std::uint8_t a = 0; a < replicas; ++a)
      for (std::uint8_t b = 1; b < ballots; ++b) {
        if (!s.p1a.contains(b) || !(s.maxBallot[a] < b)) continue;
        State t = s;
        t.maxBallot[a] = b;
        t.p1b[b * replicas + a].insert(s.maxVBallot[a] * 4u + s.maxValue[a]);
        emit(Action{Action::Promise, b, a}, t);
      }
    // PaxosAccept: ∃ b, q, v: no P2a at b; a P1b at b from every member of q; v free or the forced value.
    for (std::uint8_t b = 0; b < ballots; ++b) {
      bool p2a_at_b = false;
      for (unsigned v = 1; v <= 4; ++v) p2a_at_b |= s.p2a.contains(b * 4u + v);
      if (p2a_at_b) continue;
      for (std::uint8_t q = 0; q < replicas; ++q) {
        bool every = true, all_none = true;
        int forced_vballot = -1;
        std::uint8_t forced = none;
        for (unsigned a = 0; a < replicas && every; ++a) {
          if (!in_quorum(q, a)) continue;
          const mc::BitSet<16>& m = s.p1b[b * replicas + a];
          every = !m.empty();
          for (unsigned bit = 0; bit < 16; ++bit) {
            if (!m.contains(bit)) continue;
            const unsigned mvb = bit / 4, mval = bit % 4;
            all_none &= mval == none;
            if (static_cast<int>(mvb) > forced_vballot) forced_vballot = static_cast<int>(mvb), forced = static_cast<std::uint8_t>(mval);
          }
        }
        if (!every) continue;
        for (std::uint8_t v = 1; v <= values; ++v) {
          if (!all_none && v != forced) continue;
          State t = s;
          t.p2a.insert(b * 4u + v);
          emit(Action{Action::Accept, b, 0, v, q}, t);
        }
      }
    }
    // PaxosAccepted: ∃ a, m ∈ p2aMessages: m.value ∈ Values ∧ maxBallot[a] ≤ m.ballot.
    for (std::uint8_t a = 0; a < replicas; ++a)
      for (std::uint8_t b = 0; b < ballots; ++b)
        for (std::uint8_t v = 1; v <= values; ++v) {
          if (!s.p2a.contains(b * 4u + v) || !(s.maxBallot[a] <= b)) continue;
          State t = s;
          t.maxBallot[a] = b;
          t.maxVBallot[a] = b;
          t.maxValue[a] = v;
          t.p2b.insert(p2b_bit(b, a, v));
          emit(Action{Action::Accepted, b, a, v}, t);
        }
    // PaxosDecide: ∃ b, q: a P2b at b from every member of q; ∃ m ∈ M: decision' = m.value (one successor per m).
    for (std::uint8_t b = 0; b < ballots; ++b)
      for (std::uint8_t q = 0; q < replicas; ++q) {
        bool every = true;
        for (unsigned a = 0; a < replicas && every; ++a) {
          if (!in_quorum(q, a)) continue;
          bool some = false;
          for (unsigned v = 1; v <= values; ++v) some |= s.p2b.contains(p2b_bit(b, a, v));
          every = some;
        }
        if (!every) continue;
        for (unsigned a = 0; a < replicas; ++a) {
          if (!in_quorum(q, a)) continue;
          for (std::uint8_t v = 1; v <= values; ++v) {
            if (!s.p2b.contains(p2b_bit(b, a, v))) continue;
            State t = s;
            t.decision = v;
            emit(Action{Action::Decide, b, static_cast<std::uint8_t>(a), v, q}, t);
          }
        }
      }
  }

  /// Replica a becomes `rho[a]`, value v (1..3) becomes `sigma[v-1] + 1`; ballots, `none` and `any` stay.
  State permuted(const State& s, const mc::Permutation& rho, const mc::Permutation& sigma) const {
    const auto val = [&](unsigned v) -> unsigned { return v >= 1 && v <= values ? sigma[v - 1] + 1u : v; };
    State t{};
    t.p1a = s.p1a;
    t.decision = static_cast<std::uint8_t>(val(s.decision));
    for (unsigned b = 0; b < ballots; ++b) {
      for (unsigned v = 1; v <= 4; ++v)
        if (s.p2a.contains(b * 4 + v)) t.p2a.insert(b * 4 + val(v));
      for (unsigned a = 0; a < replicas; ++a) {
        for (unsigned bit = 0; bit < 16; ++bit)
          if (s.p1b[b * replicas + a].contains(bit)) t.p1b[b * replicas + rho[a]].insert(bit / 4 * 4 + val(bit % 4));
        for (unsigned v = 1; v <= values; ++v)
          if (s.p2b.contains(p2b_bit(b, a, v))) t.p2b.insert(p2b_bit(b, rho[a], val(v)));
      }
    }
    for (unsigned a = 0; a < replicas; ++a) {
      t.maxBallot[rho[a]] = s.maxBallot[a];
      t.maxVBallot[rho[a]] = s.maxVBallot[a];
      t.maxValue[rho[a]] = static_cast<std::uint8_t>(val(s.maxValue[a]));
    }
    return t;
  }

  State canonical(const State& s) const {
    return mc::smallest_in_orbit(s, group_, [&](const State& x, const auto& g) { return permuted(x, g.first, g.second); });
  }

  /// Values v for which some quorum accepted v in some ballot (Lamport's `chosen`).
  static unsigned chosen_values(const State& s) {
    unsigned chosen = 0;
    for (unsigned b = 0; b < ballots; ++b)
      for (unsigned q = 0; q < replicas; ++q)
        for (unsigned v = 1; v <= values; ++v) {
          bool all = true;
          for (unsigned a = 0; a < replicas; ++a)
            if (in_quorum(q, a)) all &= s.p2b.contains(p2b_bit(b, a, v));
          if (all) chosen |= 1u << v;
        }
    return chosen;
  }

  std::vector<mc::Property<State>> properties() const {
    return {
        // PaxosNontriviality, as in the spec.
        mc::always<State>("PaxosNontriviality",
                          [](const State& s) {
                            if (s.decision != none) {
                              bool proposed = false;
                              for (unsigned b = 0; b < ballots; ++b) proposed |= s.p2a.contains(b * 4u + s.decision);
                              if (!proposed) return false;
                            }
                            for (const auto& m : s.p1b)
                              for (unsigned bit = 0; bit < 16; ++bit) {
                                if (!m.contains(bit)) continue;
                                const unsigned mvb = bit / 4, mval = bit % 4;
                                if (!((mval != none) || mvb == 0) || !((mval == none) || mvb > 0)) return false;
                              }
                            return true;
                          }),
        // PaxosConsistency ([][decision = none]_decision: decide at most one value), as a state invariant: at most
        // one value is ever chosen by a quorum, so every PaxosDecide step sets the same decision.
        mc::always<State>("PaxosConsistency", [](const State& s) { return std::popcount(chosen_values(s)) <= 1; }),
    };
  }

 private:
  std::vector<std::pair<mc::Permutation, mc::Permutation>> group_ =
      mc::product(mc::all_permutations(replicas), mc::all_permutations(values));
};

}  // namespace protocols
