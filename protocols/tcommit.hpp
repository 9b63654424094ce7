// tcommit: Lamport's abstract transaction-commit specification (the "what", not the "how").
//
// Each resource manager (RM) is working, prepared, committed or aborted. An RM may prepare; a prepared RM may
// commit once every RM is prepared or committed; a working or prepared RM may abort while none has committed.
// The invariant TCConsistent says no RM commits while another aborts. Two-phase commit (`two-phase`) implements it.
//
// Faithful transliteration of transaction_commit/TCommit.tla in tlaplus/Examples (Gray & Lamport,
// "Consensus on Transaction Commit"). TLC with RM = {r1, r2, r3}: 34 distinct, 94 generated, depth 7.
#pragma once

#include "mc/core/model.hpp"
#include "properties/atomic_commit.hpp"
#include "protocols/transaction_commit.hpp"

#include <boost/container/static_vector.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

namespace protocols {

struct TCommit {
  using RMStates = boost::container::static_vector<RMState, max_rms>;
  struct State {
    BOOST_HANA_DEFINE_STRUCT(State, (RMStates, rmState));
  };

  struct Action {
    enum Kind : std::uint8_t { Prepare, DecideCommit, DecideAbort } kind;
    std::uint8_t rm;
    friend std::string describe(const Action& a) {
      constexpr std::string_view names[] = {"Prepare", "Decide(commit)", "Decide(abort)"};
      return fmt::format("{}(r{})", names[a.kind], a.rm + 1);
    }
  };

  unsigned rms = 3;

  explicit TCommit(unsigned rm_count = 3) : rms(rm_count) {
    if (rms < 1 || rms > max_rms) throw std::invalid_argument("tcommit: rms must be in 1..16");
  }

  template <class Emit>
  void init(Emit&& emit) const {
    emit(State{RMStates(rms, RMState::working)});
  }

  template <class Emit>
  void next(const State& s, Emit&& emit) const {
    const auto& rm = s.rmState;
    const bool can_commit = std::all_of(rm.begin(), rm.end(), [](RMState x) {
      return x == RMState::prepared || x == RMState::committed;
    });
    const bool not_committed = std::none_of(rm.begin(), rm.end(), [](RMState x) { return x == RMState::committed; });
    for (std::uint8_t r = 0; r < rms; ++r) {
      auto with = [&](RMState v) {
        State t = s;
        t.rmState[r] = v;
        return t;
      };
      if (rm[r] == RMState::working) emit(Action{Action::Prepare, r}, with(RMState::prepared));
      // Decide(r) is a disjunction: TLC enumerates each enabled disjunct as its own successor.
      if (rm[r] == RMState::prepared && can_commit) emit(Action{Action::DecideCommit, r}, with(RMState::committed));
      if ((rm[r] == RMState::working || rm[r] == RMState::prepared) && not_committed)
        emit(Action{Action::DecideAbort, r}, with(RMState::aborted));
    }
  }

  std::vector<mc::Property<State>> properties() const {
    return {tc_consistent<State>()};
  }
};

}  // namespace protocols
