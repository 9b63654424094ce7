// two-phase: Lamport's TwoPhase, the two-phase commit protocol with a transaction manager (TM).
//
// RMs spontaneously prepare (sending "Prepared" to the TM) or choose to abort. The TM collects Prepared
// messages, commits once all RMs have prepared, or aborts at any time while undecided, broadcasting its decision.
// Messages live in a set that only grows: receiving is enabled by a message's presence, so receipt may repeat
// and no loss needs modelling (safety only). The invariant TCConsistent (from TCommit) must hold.
//
// Faithful transliteration of transaction_commit/TwoPhase.tla in tlaplus/Examples (Gray & Lamport,
// "Consensus on Transaction Commit"): variables rmState, tmState, tmPrepared, msgs; the same seven actions.
// TLC with RM = {r1, r2, r3}: 288 distinct, 1146 generated, depth 11.
#pragma once

#include "mc/core/bitset.hpp"
#include "mc/core/model.hpp"
#include "mc/core/packed_vector.hpp"
#include "mc/core/symmetry.hpp"
#include "properties/atomic_commit.hpp"
#include "protocols/transaction_commit.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string>
#include <vector>

namespace protocols {

/// The model over any container of RM states: `TwoPhase` below uses mc::PackedVector (2 bits per RM, so the state
/// is one flat 16-byte block); benches/two_phase_natural.hpp the boost::container::static_vector a user writes first.
template <class RMStatesT>
struct BasicTwoPhase {
  using RMStates = RMStatesT;
  using RMSet = mc::BitSet<max_rms>;

  /// The set `msgs`: [type |-> "Prepared", rm |-> r] for r in `prepared`, plus [type |-> "Commit"] / "Abort".
  struct Messages {
    BOOST_HANA_DEFINE_STRUCT(Messages, (RMSet, prepared), (bool, commit), (bool, abort));
  };

  struct State {
    BOOST_HANA_DEFINE_STRUCT(State, (RMStates, rmState), (TMState, tmState), (RMSet, tmPrepared), (Messages, msgs));
  };

  struct Action {
    enum Kind : std::uint8_t {
      TMCommit, TMAbort, TMRcvPrepared, RMPrepare, RMChooseToAbort, RMRcvCommitMsg, RMRcvAbortMsg
    } kind;
    std::uint8_t rm = 0;
    friend std::string describe(const Action& a) {
      constexpr std::string_view names[] = {"TMCommit",        "TMAbort",        "TMRcvPrepared", "RMPrepare",
                                            "RMChooseToAbort", "RMRcvCommitMsg", "RMRcvAbortMsg"};
      if (a.kind == TMCommit || a.kind == TMAbort) return std::string(names[a.kind]);
      return fmt::format("{}(r{})", names[a.kind], a.rm + 1);
    }
  };

  unsigned rms = 3;

  /// The actions `--coverage` expects to see taken: one never taken is warned of.
  static std::vector<std::string> coverage_kinds() {
    return {"TMCommit", "TMAbort", "TMRcvPrepared", "RMPrepare", "RMChooseToAbort", "RMRcvCommitMsg", "RMRcvAbortMsg"};
  }

  static void set(RMStates& v, unsigned r, RMState x) {
    if constexpr (requires { v.set(r, x); }) v.set(r, x);
    else v[r] = x;
  }

  explicit BasicTwoPhase(unsigned rm_count = 3) : rms(rm_count) {
    if (rms < 1 || rms > max_rms) throw std::invalid_argument("two-phase: rms must be in 1..16");
  }

  template <class Emit>
  void init(Emit&& emit) const {
    emit(State{RMStates(rms, RMState::working), TMState::init, {}, {}});
  }

  template <class Emit>
  void next(const State& s, Emit&& emit) const {
    // Order as in TPNext: TMCommit, TMAbort, then per rm the five RM-indexed actions.
    if (s.tmState == TMState::init && s.tmPrepared.contains_first(rms)) {
      State t = s;
      t.tmState = TMState::committed;
      t.msgs.commit = true;
      emit(Action{Action::TMCommit}, t);
    }
    if (s.tmState == TMState::init) {
      State t = s;
      t.tmState = TMState::aborted;
      t.msgs.abort = true;
      emit(Action{Action::TMAbort}, t);
    }
    for (std::uint8_t r = 0; r < rms; ++r) {
      if (s.tmState == TMState::init && s.msgs.prepared.contains(r)) {
        State t = s;
        t.tmPrepared.insert(r);  // enabled even if r is already in tmPrepared: a self-loop, as in TLC
        emit(Action{Action::TMRcvPrepared, r}, t);
      }
      if (s.rmState[r] == RMState::working) {
        State t = s;
        set(t.rmState, r, RMState::prepared);
        t.msgs.prepared.insert(r);
        emit(Action{Action::RMPrepare, r}, t);
        State u = s;
        set(u.rmState, r, RMState::aborted);
        emit(Action{Action::RMChooseToAbort, r}, u);
      }
      if (s.msgs.commit) {
        State t = s;
        set(t.rmState, r, RMState::committed);
        emit(Action{Action::RMRcvCommitMsg, r}, t);
      }
      if (s.msgs.abort) {
        State t = s;
        set(t.rmState, r, RMState::aborted);
        emit(Action{Action::RMRcvAbortMsg, r}, t);
      }
    }
  }

  /// RM `r` becomes RM `p[r]` (the RMs are interchangeable: TLC's SYMMETRY Permutations(RM)).
  State permuted(const State& s, const mc::Permutation& p) const {
    State t = s;
    t.tmPrepared = {};
    t.msgs.prepared = {};
    for (unsigned r = 0; r < rms; ++r) {
      set(t.rmState, p[r], s.rmState[r]);
      if (s.tmPrepared.contains(r)) t.tmPrepared.insert(p[r]);
      if (s.msgs.prepared.contains(r)) t.msgs.prepared.insert(p[r]);
    }
    return t;
  }

  /// The orbit's representative: RMs sorted by what the state says about them. Nothing refers to an RM by id, so
  /// RMs with equal entries are indistinguishable and the sorted state is the same for every member of the orbit.
  State canonical(const State& s) const {
    std::array<std::uint8_t, max_rms> key;
    key.fill(0xFF);  // unused entries sort last; sorting the whole array keeps GCC 12's bounds analysis quiet
    for (unsigned r = 0; r < rms; ++r)
      key[r] = static_cast<std::uint8_t>(static_cast<unsigned>(s.rmState[r]) << 2 | s.tmPrepared.contains(r) << 1 |
                                         s.msgs.prepared.contains(r));
    std::sort(key.begin(), key.end());
    State t = s;
    t.tmPrepared = {};
    t.msgs.prepared = {};
    for (unsigned r = 0; r < rms; ++r) {
      set(t.rmState, r, static_cast<RMState>(key[r] >> 2));
      if (key[r] & 2) t.tmPrepared.insert(r);
      if (key[r] & 1) t.msgs.prepared.insert(r);
    }
    return t;
  }

  std::vector<mc::Property<State>> properties() const {
    return {tc_consistent<State>()};
  }
};

using TwoPhase = BasicTwoPhase<mc::PackedVector<RMState, max_rms, 2>>;
// No padding, no heap: copying, encoding and hashing a state is one 16-byte block (see benches/README.md).
static_assert(std::has_unique_object_representations_v<TwoPhase::State> &&
              std::is_trivially_copyable_v<TwoPhase::State>);

}  // namespace protocols
