// die-hard: the water-jug puzzle from the film Die Hard 3, as a transition system.
//
// Two uncalibrated jugs hold 3 and 5 gallons; the heroes may fill a jug from the faucet, empty it, or pour
// one jug into the other until the source is empty or the target is full. They must measure exactly 4 gallons.
// We state "big ≠ 4" as an invariant: the checker's shortest counterexample is the shortest solution (6 steps).
//
// Faithful transliteration of DieHard/DieHard.tla in tlaplus/Examples (Leslie Lamport): same variables
// (big, small), the same six actions, the same invariant NotSolved.
#pragma once

#include "mc/core/model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

namespace protocols {

struct DieHard {
  struct State {
    BOOST_HANA_DEFINE_STRUCT(State, (int, big), (int, small));
  };

  enum class Action { FillSmallJug, FillBigJug, EmptySmallJug, EmptyBigJug, SmallToBig, BigToSmall };
  friend std::string_view to_string_view(Action a) {
    constexpr std::string_view names[] = {"FillSmallJug", "FillBigJug", "EmptySmallJug",
                                          "EmptyBigJug",  "SmallToBig", "BigToSmall"};
    return names[static_cast<int>(a)];
  }

  template <class Emit>
  void init(Emit&& emit) const {
    emit(State{0, 0});
  }

  template <class Emit>
  void next(const State& s, Emit&& emit) const {
    emit(Action::FillSmallJug, State{s.big, 3});
    emit(Action::FillBigJug, State{5, s.small});
    emit(Action::EmptySmallJug, State{s.big, 0});
    emit(Action::EmptyBigJug, State{0, s.small});
    const int to_big = std::min(s.big + s.small, 5);
    emit(Action::SmallToBig, State{to_big, s.small - (to_big - s.big)});
    const int to_small = std::min(s.big + s.small, 3);
    emit(Action::BigToSmall, State{s.big - (to_small - s.small), to_small});
  }

  std::vector<mc::Property<State>> properties() const {
    auto type_ok =
        mc::always<State>("TypeOK", [](const State& s) { return 0 <= s.small && s.small <= 3 && 0 <= s.big && s.big <= 5; });
    type_ok.explain = [](const State& s) {
      return mc::Explanation(fmt::format("the jugs hold small = {}, big = {}: outside 0..3 and 0..5", s.small, s.big),
                             {"small", "big"});
    };
    auto not_solved = mc::always<State>("NotSolved", [](const State& s) { return s.big != 4; });
    not_solved.explain = [](const State&) {
      return mc::Explanation("the big jug holds exactly 4 gallons: solved", {"big"});
    };
    return {std::move(type_ok), std::move(not_solved)};
  }
};

}  // namespace protocols
