// paxos-commit: Gray and Lamport's Paxos Commit, transliterated from tlaplus/Examples
// specifications/transaction_commit/PaxosCommit.tla with its model PaxosCommit.cfg: RM = {r1, r2},
// Acceptor = {a1, a2, a3}, Majority = the three pairs, Ballot = {0, 1}.
//
// One Paxos instance per RM decides "prepared" or "aborted"; msgs is the growing set of every message sent, one bit
// per possible message. Each action enumerates its ∃-witnesses like TLC, so generated counts compare with TLC's.
// TLC (manifest.json): 1,321,761 distinct, 16,959,159 generated, depth 28. The cfg checks PCTypeOK, which holds by
// construction here; we also check TCConsistent (Paxos Commit implements TCommit).
#pragma once

#include "mc/core/bitset.hpp"
#include "mc/core/model.hpp"
#include "properties/atomic_commit.hpp"
#include "protocols/transaction_commit.hpp"

#include <fmt/format.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace protocols {

struct PaxosCommit {
  static constexpr unsigned rms = 2, acceptors = 3, ballots = 2;

  enum class Value : std::uint8_t { prepared, aborted, none };
  friend std::string_view to_string_view(Value v) {
    constexpr std::string_view names[] = {"prepared", "aborted", "none"};
    return names[static_cast<int>(v)];
  }

  /// aState[ins][acc].
  struct AcceptorState {
    BOOST_HANA_DEFINE_STRUCT(AcceptorState, (std::uint8_t, mbal), (std::int8_t, bal), (Value, val));
  };

  struct State {
    BOOST_HANA_DEFINE_STRUCT(
        State,
        (std::array<mc::BitSet<64>, rms>, phase1b),  ///< per ins: bit ((mbal*3 + bal+1)*3 + val)*3 + acc
        (mc::BitSet<64>, phase2b),                   ///< bit ((acc*2 + ins)*2 + bal)*2 + val
        (std::array<std::array<AcceptorState, acceptors>, rms>, aState),
        (std::array<RMState, rms>, rmState),
        (mc::BitSet<8>, phase2a),  ///< bit (ins*2 + bal)*2 + val
        (mc::BitSet<8>, phase1a),  ///< bit ins*2 + bal
        (bool, commit), (bool, abort));
  };
  static_assert(std::has_unique_object_representations_v<State> && std::is_trivially_copyable_v<State>);

  struct Action {
    enum Kind : std::uint8_t {
      RMPrepare, RMChooseToAbort, RMRcvCommitMsg, RMRcvAbortMsg, Phase1a, Phase2a, DecideCommit, DecideAbort,
      Phase1b, Phase2b
    } kind;
    std::uint8_t rm = 0, acc = 0, bal = 0, majority = 0;
    friend std::string describe(const Action& a) {
      switch (a.kind) {
        case RMPrepare: return fmt::format("RMPrepare(r{})", a.rm + 1);
        case RMChooseToAbort: return fmt::format("RMChooseToAbort(r{})", a.rm + 1);
        case RMRcvCommitMsg: return fmt::format("RMRcvCommitMsg(r{})", a.rm + 1);
        case RMRcvAbortMsg: return fmt::format("RMRcvAbortMsg(r{})", a.rm + 1);
        case Phase1a: return fmt::format("Phase1a(bal={}, r{})", a.bal, a.rm + 1);
        case Phase2a: return fmt::format("Phase2a(bal={}, r{}, majority {})", a.bal, a.rm + 1, majority_name(a.majority));
        case DecideCommit: return "Decide(Commit)";
        case DecideAbort:
          return fmt::format("Decide(Abort: r{} aborted at bal={} by {})", a.rm + 1, a.bal, majority_name(a.majority));
        case Phase1b: return fmt::format("Phase1b(a{}, phase1a r{} bal={})", a.acc + 1, a.rm + 1, a.bal);
        case Phase2b: return fmt::format("Phase2b(a{}, phase2a r{} bal={})", a.acc + 1, a.rm + 1, a.bal);
      }
      return "?";
    }
  };

  /// Majority m (0..2) is every acceptor but m: {a2,a3}, {a1,a3}, {a1,a2}; TLC's order is {a1,a2}, {a1,a3}, {a2,a3},
  /// which is m = 2, 1, 0: `majority_order` enumerates in that order.
  static constexpr std::array<std::uint8_t, 3> majority_order{2, 1, 0};
  static bool in_majority(unsigned m, unsigned acc) { return acc != m; }
  static std::string majority_name(unsigned m) {
    std::string s = "{";
    for (unsigned a = 0; a < acceptors; ++a)
      if (in_majority(m, a)) s += fmt::format("{}a{}", s.size() > 1 ? "," : "", a + 1);
    return s + "}";
  }

  static unsigned p1b_bit(unsigned mbal, int bal, Value val, unsigned acc) {
    return ((mbal * 3 + static_cast<unsigned>(bal + 1)) * 3 + static_cast<unsigned>(val)) * 3 + acc;
  }
  static unsigned p2b_bit(unsigned acc, unsigned ins, unsigned bal, Value val) {
    return ((acc * 2 + ins) * 2 + bal) * 2 + static_cast<unsigned>(val);
  }
  static unsigned p2a_bit(unsigned ins, unsigned bal, Value val) { return (ins * 2 + bal) * 2 + static_cast<unsigned>(val); }

  template <class Emit>
  void init(Emit&& emit) const {
    State s{};
    for (auto& ins : s.aState)
      for (auto& a : ins) a = {0, -1, Value::none};
    s.rmState.fill(RMState::working);
    emit(s);
  }

  /// The witnesses (ballot, majority) of Decided(rm, v): majorities that sent phase 2b for v in a ballot.
  static std::size_t witnesses(const State& s, unsigned rm, Value v) {
    std::size_t n = 0;
    for (unsigned b = 0; b < ballots; ++b)
      for (unsigned m = 0; m < 3; ++m) {
        bool all = true;
        for (unsigned a = 0; a < acceptors; ++a)
          if (in_majority(m, a)) all &= s.phase2b.contains(p2b_bit(a, rm, b, v));
        n += all;
      }
    return n;
  }

  template <class Emit>
  void next(const State& s, Emit&& emit) const {
    using A = Action;
    // \E rm \in RM : RMPrepare \/ RMChooseToAbort \/ RMRcvCommitMsg \/ RMRcvAbortMsg
    for (std::uint8_t rm = 0; rm < rms; ++rm) {
      if (s.rmState[rm] == RMState::working) {
        State t = s;
        t.rmState[rm] = RMState::prepared;
        t.phase2a.insert(p2a_bit(rm, 0, Value::prepared));
        emit(A{A::RMPrepare, rm}, t);
        State u = s;
        u.rmState[rm] = RMState::aborted;
        u.phase2a.insert(p2a_bit(rm, 0, Value::aborted));
        emit(A{A::RMChooseToAbort, rm}, u);
      }
      if (s.commit) {
        State t = s;
        t.rmState[rm] = RMState::committed;
        emit(A{A::RMRcvCommitMsg, rm}, t);
      }
      if (s.abort) {
        State t = s;
        t.rmState[rm] = RMState::aborted;
        emit(A{A::RMRcvAbortMsg, rm}, t);
      }
    }
    // \E bal \in Ballot \ {0}, rm \in RM : Phase1a(bal, rm) \/ Phase2a(bal, rm)
    for (std::uint8_t bal = 1; bal < ballots; ++bal)
      for (std::uint8_t rm = 0; rm < rms; ++rm) {
        State t = s;
        t.phase1a.insert(rm * 2u + bal);
        emit(A{A::Phase1a, rm, 0, bal}, t);
        if (s.phase2a.contains(p2a_bit(rm, bal, Value::prepared)) || s.phase2a.contains(p2a_bit(rm, bal, Value::aborted)))
          continue;
        for (std::uint8_t m : majority_order) {
          bool every = true;
          int maxbal = -1;
          Value val = Value::aborted;
          for (unsigned a = 0; a < acceptors; ++a) {
            if (!in_majority(m, a)) continue;
            bool some = false;
            for (int b = -1; b < static_cast<int>(ballots); ++b)
              for (unsigned v = 0; v < 3; ++v)
                if (s.phase1b[rm].contains(p1b_bit(bal, b, static_cast<Value>(v), a))) {
                  some = true;
                  if (b > maxbal) maxbal = b, val = static_cast<Value>(v);
                }
            every &= some;
          }
          if (!every) continue;
          if (maxbal == -1) val = Value::aborted;
          State u = s;
          u.phase2a.insert(p2a_bit(rm, bal, val));
          emit(A{A::Phase2a, rm, 0, bal, m}, u);
        }
      }
    // Decide: \/ all RMs decided prepared /\ Send(Commit)  \/ \E rm : decided aborted /\ Send(Abort)
    {
      // \A rm : Decided(rm, "prepared") in action position is the conjunction of each RM's ∃ b, MS: TLC takes a
      // step for every combination of witnesses, so the same successor is generated (product of counts) times.
      std::size_t combinations = 1;
      for (unsigned rm = 0; rm < rms; ++rm) combinations *= witnesses(s, rm, Value::prepared);
      for (std::size_t i = 0; i < combinations; ++i) {
        State t = s;
        t.commit = true;
        emit(A{A::DecideCommit}, t);
      }
      // Decided(rm, "aborted") is an ∃ b, MS in action position: TLC takes a step per witness (b, MS).
      for (std::uint8_t rm = 0; rm < rms; ++rm)
        for (std::uint8_t b = 0; b < ballots; ++b)
          for (std::uint8_t m : majority_order) {
            bool all = true;
            for (unsigned a = 0; a < acceptors; ++a)
              if (in_majority(m, a)) all &= s.phase2b.contains(p2b_bit(a, rm, b, Value::aborted));
            if (!all) continue;
            State t = s;
            t.abort = true;
            emit(A{A::DecideAbort, rm, 0, b, m}, t);
          }
    }
    // \E acc \in Acceptor : Phase1b(acc) \/ Phase2b(acc), each over the messages that enable it.
    for (std::uint8_t acc = 0; acc < acceptors; ++acc) {
      for (std::uint8_t ins = 0; ins < rms; ++ins)
        for (std::uint8_t bal = 1; bal < ballots; ++bal) {
          const AcceptorState& st = s.aState[ins][acc];
          if (!s.phase1a.contains(ins * 2u + bal) || !(st.mbal < bal)) continue;
          State t = s;
          t.aState[ins][acc].mbal = bal;
          t.phase1b[ins].insert(p1b_bit(bal, st.bal, st.val, acc));
          emit(A{A::Phase1b, ins, acc, bal}, t);
        }
      for (std::uint8_t ins = 0; ins < rms; ++ins)
        for (std::uint8_t bal = 0; bal < ballots; ++bal)
          for (Value v : {Value::prepared, Value::aborted}) {
            if (!s.phase2a.contains(p2a_bit(ins, bal, v)) || !(s.aState[ins][acc].mbal <= bal)) continue;
            State t = s;
            t.aState[ins][acc] = {bal, static_cast<std::int8_t>(bal), v};
            t.phase2b.insert(p2b_bit(acc, ins, bal, v));
            emit(A{A::Phase2b, ins, acc, bal}, t);
          }
    }
  }

  std::vector<mc::Property<State>> properties() const {
    return {tc_consistent<State>()};
  }
};

}  // namespace protocols
