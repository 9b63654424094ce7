// Per-node clocks of an actor system: a monotonic clock that drifts within a bound, a wall clock that may also jump,
// and timers that fire on the node's own monotonic clock. Opt-in per model (ActorModel::set_clocks).
//
// Normalisation: true time is never stored. Every clock and timestamp is kept relative to the present true time
// (a node's monotonic clock is stored as its skew, in −max_skew..max_skew), timers as the ticks left on their node's
// clock, and each tick moves every mc::Time in the state one tick into the past, raising those older than the
// horizon to it (see shift_times). So the state space does not grow with how long the system has run.
#pragma once

#include "mc/core/reflect.hpp"
#include "mc/core/time.hpp"

#include <boost/container/small_vector.hpp>

#include <cstdint>
#include <stdexcept>
#include <string>

namespace mc {

/// The clock model of a system: how fast clocks may run, how far they may stray, how far the wall clock may jump.
struct ClockSpec {
  int drift = 0;      ///< per true tick a node's clocks advance 1−drift … 1+drift ticks (never back); 0: lock-step
  int max_skew = 0;   ///< a node's monotonic clock stays within this many ticks of true time
  int max_jump = 0;   ///< a clock-jump fault (budget `jump`) steps a wall clock by 1 … max_jump ticks, either way
  int horizon = 8;    ///< times further than this in the past are all one (longer than any duration measured)

  void validate() const {
    if (drift < 0 || drift > 2) throw std::invalid_argument("clocks: drift must be 0, 1 or 2 ticks per tick");
    if (max_skew < 0 || max_skew > 20) throw std::invalid_argument("clocks: max skew must be in 0..20 ticks");
    if (max_jump < 0 || max_jump > 20) throw std::invalid_argument("clocks: max jump must be in 0..20 ticks");
    if (horizon < 1 || horizon > 1000) throw std::invalid_argument("clocks: horizon must be in 1..1000 ticks");
  }
};

/// A timer armed on a node's monotonic clock, with the ticks of that clock still to go.
struct TimerDeadline {
  BOOST_HANA_DEFINE_STRUCT(TimerDeadline, (std::uint8_t, timer), (std::uint8_t, remaining));
  friend auto operator<=>(const TimerDeadline&, const TimerDeadline&) = default;
  friend bool operator==(const TimerDeadline&, const TimerDeadline&) = default;
};

/// One node's clocks relative to true time, and its timed timers (sorted by timer).
struct NodeClock {
  using Deadlines = boost::container::small_vector<TimerDeadline, 2>;
  BOOST_HANA_DEFINE_STRUCT(NodeClock, (std::int8_t, skew), (std::int8_t, wall_offset), (Deadlines, deadlines));

  Time monotonic() const { return Time{skew}; }
  Time wall() const { return Time{static_cast<std::int16_t>(skew + wall_offset)}; }

  const TimerDeadline* deadline(unsigned timer) const {
    for (const auto& d : deadlines)
      if (d.timer == timer) return &d;
    return nullptr;
  }
  void set_deadline(unsigned timer, int after) {
    forget(timer);
    auto it = deadlines.begin();
    while (it != deadlines.end() && it->timer < timer) ++it;
    deadlines.insert(it, TimerDeadline{static_cast<std::uint8_t>(timer), static_cast<std::uint8_t>(after)});
  }
  void forget(unsigned timer) {
    for (auto it = deadlines.begin(); it != deadlines.end(); ++it)
      if (it->timer == timer) {
        deadlines.erase(it);
        return;
      }
  }
  /// The node's clocks went `by` ticks: its timers come that much closer.
  void advance(int by) {
    skew = static_cast<std::int8_t>(skew + by - 1);
    for (auto& d : deadlines) d.remaining = static_cast<std::uint8_t>(d.remaining > by ? d.remaining - by : 0);
  }
};

/// How far node clocks may advance in one true tick, given where they stand: the choices of the tick event.
inline bool advance_allowed(const ClockSpec& spec, const NodeClock& c, int by) {
  const int skew = c.skew + by - 1;
  return by >= 0 && skew >= -spec.max_skew && skew <= spec.max_skew;
}

}  // namespace mc
