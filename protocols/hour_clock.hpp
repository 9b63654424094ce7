// live-hour-clock: Lamport's hour clock with its liveness condition, from "Specifying Systems" chapter 8.
//
// hr ranges over 1..12 and ticks to the next hour, 12 wrapping to 1. LSpec == HC /\ WF_hr(HCnxt): the clock does not
// stop. AllTimes == \A n \in 1..12 : []<>(hr = n) is stated per n as TRUE ~> hr = n (the same formula), and
// TypeInvariance == []HCini as an invariant. (AlwaysTick, []<><<HCnxt>>_hr, speaks of steps, not states: it is
// implied here, as every step of this clock changes hr.)
// Faithful transliteration of SpecifyingSystems/Liveness/LiveHourClock.tla (with HourClock.tla) in tlaplus/Examples;
// TLC on LiveHourClock.cfg: success, 12 distinct, 24 generated, depth 1 (its manifest.json). Fairness `none`
// (HC alone) lets the clock stop, and AllTimes fails.
#pragma once

#include "mc/core/fairness.hpp"
#include "mc/core/model.hpp"

#include <fmt/format.h>

#include <string>
#include <vector>

namespace protocols {

struct HourClock {
  bool weak_fairness = true;  ///< LSpec (WF_hr(HCnxt)); false: HC alone

  struct State {
    BOOST_HANA_DEFINE_STRUCT(State, (int, hr));
  };
  struct Action {
    friend std::string describe(const Action&) { return "HCnxt"; }
  };

  template <class Emit>
  void init(Emit&& emit) const {
    for (int hr = 1; hr <= 12; ++hr) emit(State{hr});
  }
  template <class Emit>
  void next(const State& s, Emit&& emit) const {
    emit(Action{}, State{s.hr != 12 ? s.hr + 1 : 1});
  }

  std::vector<mc::Fairness<Action>> fairness() const {
    if (!weak_fairness) return {};
    return {mc::weak_fair<Action>("HCnxt", [](const Action&) { return true; })};
  }

  std::vector<mc::Property<State>> properties() const {
    std::vector<mc::Property<State>> out{
        mc::always<State>("TypeInvariance", [](const State& s) { return 1 <= s.hr && s.hr <= 12; })};
    for (int n = 1; n <= 12; ++n)
      out.push_back(mc::leads_to<State>(fmt::format("AllTimes({})", n), [](const State&) { return true; },
                                        [n](const State& s) { return s.hr == n; }));
    return out;
  }
};

}  // namespace protocols
