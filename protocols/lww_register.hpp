// lww-register: replicas of one register resolve concurrent writes by last-writer-wins on timestamps.
//
// Each replica accepts writes from its clients (acknowledged at once) and replicates them to the others
// asynchronously; every replica keeps the write with the largest timestamp (ties broken by replica id). A write made
// by a replica that had already seen another write is *causally later* and must win over it everywhere — otherwise
// the acknowledged later write is silently lost.
// Variants: `hlc` (correct: hybrid logical clocks, Kulkarni et al. 2014 — the physical part follows the wall clock,
// a logical counter orders events the clock cannot), `lamport` (correct: Lamport clocks with replica-id tie-break),
// `wall` (broken: wall-clock timestamps; a wall clock stepped back — a `jump` fault — or a tie within one tick makes
// the later write lose).
// Property `no-lost-write`: no replica holds a write when it has also received a causally later one.
// Background: Kleppmann, DDIA ch. 8 ("Timestamps for ordering events"); Kulkarni et al., "Logical Physical Clocks"
// (OPODIS 2014); Lamport, "Time, Clocks, and the Ordering of Events" (CACM 1978).
#pragma once

#include "mc/actor/actor_model.hpp"

#include <fmt/format.h>

#include <compare>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace protocols::lww {

/// A write's timestamp: physical part (wall clock or HLC; none for Lamport), logical counter, then replica id.
struct Stamp {
  BOOST_HANA_DEFINE_STRUCT(Stamp, (std::optional<mc::Time>, physical), (std::uint8_t, logical), (std::uint8_t, replica));
  friend auto operator<=>(const Stamp&, const Stamp&) = default;
  friend bool operator==(const Stamp&, const Stamp&) = default;
};

struct Replicate {
  BOOST_HANA_DEFINE_STRUCT(Replicate, (std::uint8_t, write), (Stamp, stamp));
  auto operator<=>(const Replicate&) const = default;
};

/// History: write `write` was acknowledged by its replica, which had then seen the writes in `after`.
struct Acked {
  BOOST_HANA_DEFINE_STRUCT(Acked, (std::uint8_t, write), (mc::BitSet<32>, after));
};

struct Vocabulary {
  using Msg = Replicate;
  using Record = Acked;
};

enum class Variant { hlc, lamport, wall };
inline constexpr std::string_view variant_names[] = {"hlc", "lamport", "wall"};

struct Replica {
  enum class Timer : std::uint8_t { write };
  friend std::string_view to_string_view(Timer) { return "write"; }

  Variant variant = Variant::hlc;
  std::uint8_t writes = 1;  ///< client writes this replica accepts

  struct State {
    BOOST_HANA_DEFINE_STRUCT(State, (std::uint8_t, written), (std::optional<std::uint8_t>, value), (Stamp, stamp),
                             (mc::BitSet<32>, seen), (std::optional<mc::Time>, clock), (std::uint8_t, counter));
  };

  template <class Out>
  State on_start(mc::NodeId, Out& out) const {
    if (writes > 0) out.set_timer(Timer::write);
    return {};
  }

  /// A client's write: stamped, applied, acknowledged, then replicated.
  template <class Out>
  void on_timeout(mc::NodeId self, State& s, Timer, Out& out) const {
    const auto id = static_cast<std::uint8_t>(self * writes + s.written);
    out.record(Acked{id, s.seen});
    ++s.written;
    const Stamp stamp = next_stamp(self, s, out.wall());
    s.seen.insert(id);
    apply(s, id, stamp);
    out.broadcast(Replicate{id, stamp});
    if (s.written < writes) out.set_timer(Timer::write);
  }

  template <class Out>
  void on_message(mc::NodeId, State& s, mc::NodeId, const Replicate& m, Out& out) const {
    s.seen.insert(m.write);
    observe(s, m.stamp, out.wall());
    apply(s, m.write, m.stamp);
  }

 private:
  static void apply(State& s, std::uint8_t id, const Stamp& stamp) {
    if (!s.value || stamp > s.stamp) {
      s.value = id;
      s.stamp = stamp;
    }
  }

  Stamp next_stamp(mc::NodeId self, State& s, mc::Time wall) const {
    const auto me = static_cast<std::uint8_t>(self);
    switch (variant) {
      case Variant::wall: return Stamp{wall, 0, me};
      case Variant::lamport: return Stamp{std::nullopt, ++s.counter, me};
      case Variant::hlc: {
        const mc::Time l = s.clock ? std::max(*s.clock, wall) : wall;
        s.counter = s.clock && l == *s.clock ? static_cast<std::uint8_t>(s.counter + 1) : 0;
        s.clock = l;
        return Stamp{l, s.counter, me};
      }
    }
    return {};
  }

  /// Receiving a timestamp moves the logical clocks past it (the wall variant has none).
  void observe(State& s, const Stamp& m, mc::Time wall) const {
    if (variant == Variant::lamport) {
      s.counter = std::max(s.counter, m.logical);
    } else if (variant == Variant::hlc) {
      const mc::Time old = s.clock.value_or(wall), theirs = m.physical.value_or(wall);
      const mc::Time l = std::max({old, theirs, wall});
      const bool mine = s.clock && l == old, other = l == theirs;
      s.counter = mine && other ? static_cast<std::uint8_t>(std::max(s.counter, m.logical) + 1)
                  : mine        ? static_cast<std::uint8_t>(s.counter + 1)
                  : other       ? static_cast<std::uint8_t>(m.logical + 1)
                                : 0;
      s.clock = l;
    }
  }
};

using Model = mc::ActorModel<Vocabulary, Replica>;

inline constexpr mc::FaultBudget default_faults{0, 1, 0, 0, 0, 1};

/// Two replicas, one write each: enough for a causally later write to be lost. More writes would let two stamps
/// age past the horizon while time still runs (then they compare equal), so the model keeps to two.
struct Params {
  Variant variant = Variant::hlc;
  int replicas = 2, writes = 1, drift = 0, skew = 0, max_jump = 2;
};

/// The replicas, clocks and network, without properties.
inline Model make_system(const Params& p, mc::FaultBudget faults) {
  if (p.replicas != 2 || p.writes != 1)
    throw std::invalid_argument("lww-register: two replicas with one write each (see Params)");
  Model m(mc::NetworkKind::unordered, faults);
  m.set_clocks(mc::ClockSpec{p.drift, p.skew, p.max_jump, 2 * (p.skew + p.max_jump) + 2});
  m.set_link_capacity(2);
  for (int r = 0; r < p.replicas; ++r) m.add(Replica{p.variant, static_cast<std::uint8_t>(p.writes)});
  // Once every write is stamped no one reads a clock again: time may stop (timestamps then keep their order).
  m.stop_time_when([](const Model::State& s) {
    for (mc::NodeId n = 0; n < s.nodes.size(); ++n)
      if (s.nodes[n].timers.contains(0)) return false;
    return true;
  });
  return m;
}

inline Model make_model(const Params& p, mc::FaultBudget faults) {
  Model m = make_system(p, faults);
  // A later write this replica has seen must not have lost to its value: the first such pair, if any.
  const auto lost = [](const Model::State& s) -> mc::Explanation {
    for (mc::NodeId n = 0; n < s.nodes.size(); ++n) {
      const auto& r = Model::state_of<Replica>(s, n);
      if (!r.value) continue;
      for (std::size_t i = 0; i < s.history.size(); ++i) {
        const Acked& w = s.history[i];
        if (w.after.contains(*r.value) && r.seen.contains(w.write))
          return {fmt::format("n{} keeps write {} though it has seen write {}, a causally later write", n, *r.value,
                              w.write),
                  {fmt::format("nodes[{}].state.value", n), fmt::format("history[{}]", i)}};
      }
    }
    return {};
  };
  auto no_lost_write =
      mc::always<Model::State>("no-lost-write", [lost](const Model::State& s) { return lost(s).text.empty(); });
  no_lost_write.explain = lost;
  m.add_property(std::move(no_lost_write));
  return m;
}

}  // namespace protocols::lww
