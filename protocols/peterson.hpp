// peterson: Peterson's mutual-exclusion algorithm for two processes.
//
// Each process raises its flag c[self], gives the turn to the other, and waits until the other's flag is down
// or the turn is its own; then it enters its critical section and lowers its flag on the way out. The invariant
// says at most one process is in its critical section (labels cs and a4), plus the inductive invariant Inv.
//
// Faithful transliteration of the PlusCal translation in locks_auxiliary_vars/Peterson.tla in tlaplus/Examples
// (Jarod Differdange, ULiège course "Parallel Programming"): variables pc, c, turn; one action per label and
// process (a0, a1, a2, a3, cs, a4). TLC: 42 distinct, 77 generated, depth 11 (its manifest.json).
// Liveness: starvation freedom, pc[p] = "a1" ~> pc[p] = "cs" for each process. The spec states no fairness; with
// weak fairness per process (\A self : WF_vars(proc(self)), the PlusCal `fair process`) it holds. With weak
// fairness of Next alone (WF_vars(Next)) it fails: process 1 waits at a1 forever while process 2 loops, a lasso
// TLC reports as well; with no fairness at all either process may simply stop.
#pragma once

#include "mc/core/fairness.hpp"
#include "mc/core/model.hpp"

#include <fmt/format.h>

#include <array>
#include <cstdint>
#include <optional>

namespace protocols {

struct Peterson {
  /// Which fairness the spec is given: WF per process (the default), WF of Next as a whole, or none.
  enum class Fairness { per_process, next, none };
  static constexpr std::string_view fairness_names[] = {"per-process", "next", "none"};
  Fairness fair = Fairness::per_process;

  enum class Label : std::uint8_t { a0, a1, a2, a3, cs, a4 };
  friend std::string_view to_string_view(Label l) {
    constexpr std::string_view names[] = {"a0", "a1", "a2", "a3", "cs", "a4"};
    return names[static_cast<int>(l)];
  }

  /// Processes are 1 and 2 as in the spec; index 0 of each array is process 1.
  struct State {
    BOOST_HANA_DEFINE_STRUCT(State, (std::array<Label, 2>, pc), (std::array<bool, 2>, c), (std::uint8_t, turn));
  };

  struct Action {
    Label label;
    std::uint8_t self;  ///< 1 or 2
    friend std::string describe(const Action& a) { return fmt::format("{}({})", to_string_view(a.label), a.self); }
  };

  static constexpr std::uint8_t other(std::uint8_t p) { return p == 1 ? 2 : 1; }

  template <class Emit>
  void init(Emit&& emit) const {
    emit(State{{Label::a0, Label::a0}, {false, false}, 1});
  }

  template <class Emit>
  void next(const State& s, Emit&& emit) const {
    for (std::uint8_t self = 1; self <= 2; ++self) {
      const std::size_t i = self - 1;
      State t = s;
      switch (s.pc[i]) {
        case Label::a0: t.pc[i] = Label::a1; break;
        case Label::a1: t.c[i] = true; t.pc[i] = Label::a2; break;
        case Label::a2: t.turn = other(self); t.pc[i] = Label::a3; break;
        case Label::a3:
          if (!(!s.c[other(self) - 1] || s.turn == self)) continue;  // await
          t.pc[i] = Label::cs;
          break;
        case Label::cs: t.pc[i] = Label::a4; break;
        case Label::a4: t.c[i] = false; t.pc[i] = Label::a0; break;
      }
      emit(Action{s.pc[i], self}, t);
    }
  }

  static bool in_cs(const State& s, std::size_t i) { return s.pc[i] == Label::cs || s.pc[i] == Label::a4; }

  std::vector<mc::Fairness<Action>> fairness() const {
    switch (fair) {
      case Fairness::per_process:
        return {mc::weak_fair_each<Action>("proc", [](const Action& a) -> std::optional<std::uint64_t> { return a.self; })};
      case Fairness::next: return {mc::weak_fair<Action>("Next", [](const Action&) { return true; })};
      case Fairness::none: return {};
    }
    return {};
  }

  static mc::Property<State> mutual_exclusion() {
    auto p = mc::always<State>("MutualExclusion", [](const State& s) { return !(in_cs(s, 0) && in_cs(s, 1)); });
    p.explain = [](const State&) { return mc::Explanation("both processes are in the critical section", {"pc"}); };
    return p;
  }

  std::vector<mc::Property<State>> properties() const {
    const auto starvation_free = [](std::uint8_t p) {
      return mc::leads_to<State>(fmt::format("StarvationFree({})", p),
                                 [p](const State& s) { return s.pc[p - 1] == Label::a1; },
                                 [p](const State& s) { return s.pc[p - 1] == Label::cs; });
    };
    return {
        mutual_exclusion(),
        mc::always<State>("Inv", [](const State& s) {
          for (std::uint8_t p = 1; p <= 2; ++p) {
            const std::size_t i = p - 1, o = other(p) - 1;
            const bool flag_phase = s.pc[i] == Label::a2 || s.pc[i] == Label::a3 || in_cs(s, i);
            if (s.c[i] != flag_phase) return false;
            const bool other_waiting = s.pc[o] == Label::a0 || s.pc[o] == Label::a1 || s.pc[o] == Label::a2;
            if (in_cs(s, i) && !(s.turn == p || other_waiting)) return false;
          }
          return true;
        }),
        starvation_free(1),
        starvation_free(2),
    };
  }
};

}  // namespace protocols
