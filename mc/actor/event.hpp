// The label of one step of an actor system: a delivery, a timeout, or an injected fault.
// Kept as a small value on the hot path and turned into text (`deliver Prepare(rm=2) n3→n0`) only for traces.
#pragma once

#include "mc/actor/network.hpp"
#include "mc/core/print.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <bit>
#include <string>
#include <string_view>

namespace mc {

enum class EventKind : std::uint8_t {
  deliver, timeout, drop, duplicate, crash, restart, partition, heal,
  tick,        ///< true time advances one tick; each node's clocks by its own amount
  clock_jump,  ///< a node's wall clock steps (a fault)
};

inline std::string_view to_string_view(EventKind k) {
  constexpr std::string_view names[] = {"deliver", "timeout",   "drop", "duplicate", "crash",
                                        "restart", "partition", "heal", "tick",      "clock-jump"};
  return names[static_cast<int>(k)];
}

/// Fault events are what readers struggle to follow: minimisation and reports count them.
inline bool is_fault(EventKind k) {
  return k != EventKind::deliver && k != EventKind::timeout && k != EventKind::tick;
}

inline std::string node_set_text(const BitSet<32>& side, std::size_t nodes, bool inside) {
  std::string out = "{";
  for (std::size_t n = 0; n < nodes; ++n) {
    if (side.contains(static_cast<unsigned>(n)) != inside) continue;
    out += fmt::format("{}n{}", out.size() > 1 ? "," : "", n);
  }
  return out + "}";
}

template <class Msg>
struct Event {
  EventKind kind;
  NodeId node = 0;                 ///< timeout, crash, restart
  Envelope<Msg> envelope{};        ///< deliver, drop, duplicate
  std::string_view timer;          ///< timeout: the timer's name
  BitSet<32> side;                 ///< partition: the nodes on the first side
  std::uint8_t nodes = 0;          ///< partition, tick: how many nodes there are
  std::uint32_t advances = 0;      ///< tick: node n's clocks advanced by bits 2n..2n+1 ticks
  std::int8_t jump = 0;            ///< clock_jump: the wall clock's step, in ticks
  std::uint8_t unsynced = 0;       ///< crash: the node's appends not yet fsynced
  std::uint8_t kept = 0;           ///< crash: which of them reached the disk (bit i: the i-th, oldest first)
  bool torn = false;               ///< crash: the last one kept is torn (a budgeted fault)

  /// crash: "kept 1 of 3 unsynced appends" (a prefix), "kept unsynced appends 1, 3 of 3" (a subset), ", the
  /// last torn".
  std::string survival_text() const {
    const unsigned count = static_cast<unsigned>(std::popcount(kept));
    std::string out;
    if (kept == (1u << count) - 1) {
      out = fmt::format("kept {} of {} unsynced appends", count, unsynced);
    } else {
      out = "kept unsynced appends ";
      for (unsigned i = 0, listed = 0; i < unsynced; ++i)
        if ((kept >> i) & 1u) out += fmt::format("{}{}", listed++ ? ", " : "", i + 1);
      out += fmt::format(" of {}", unsynced);
    }
    return torn ? out + ", the last torn" : out;
  }

  /// tick: how far node n's clocks advanced.
  unsigned advance(unsigned n) const { return (advances >> (2 * n)) & 3u; }

  friend std::string describe(const Event& e) {
    switch (e.kind) {
      case EventKind::deliver:
      case EventKind::drop:
      case EventKind::duplicate:
        return fmt::format("{} {} n{}→n{}", to_string_view(e.kind), describe_message(e.envelope.msg), e.envelope.src,
                           e.envelope.dst);
      case EventKind::timeout: return fmt::format("timeout n{} {}", e.node, e.timer);
      case EventKind::crash:
        return e.unsynced ? fmt::format("crash n{} ({})", e.node, e.survival_text()) : fmt::format("crash n{}", e.node);
      case EventKind::restart: return fmt::format("restart n{}", e.node);
      case EventKind::partition:
        return fmt::format("partition {}|{}", node_set_text(e.side, e.nodes, true), node_set_text(e.side, e.nodes, false));
      case EventKind::heal: return "heal";
      case EventKind::tick: {
        std::string out = "tick";
        bool lockstep = true;
        for (unsigned n = 0; n < e.nodes; ++n) lockstep &= e.advance(n) == 1;
        if (!lockstep)  // drift: say how far each clock went while true time went 1
          for (unsigned n = 0; n < e.nodes; ++n) out += fmt::format("{}n{}+{}", n ? "," : " ", n, e.advance(n));
        return out;
      }
      case EventKind::clock_jump: return fmt::format("clock-jump n{} wall {:+}", e.node, e.jump);
    }
    return "?";
  }

  /// The structured form trace files carry, so viewers can draw lanes and arrows without knowing the model.
  friend nlohmann::json event_json(const Event& e) {
    nlohmann::json j{{"kind", std::string(to_string_view(e.kind))}, {"fault", is_fault(e.kind)}};
    switch (e.kind) {
      case EventKind::deliver:
      case EventKind::drop:
      case EventKind::duplicate:
        j["src"] = e.envelope.src;
        j["dst"] = e.envelope.dst;
        j["message"] = describe_message(e.envelope.msg);
        break;
      case EventKind::timeout: j["node"] = e.node, j["timer"] = std::string(e.timer); break;
      case EventKind::crash:
        j["node"] = e.node;
        if (e.unsynced) {
          nlohmann::json kept = nlohmann::json::array();
          for (unsigned i = 0; i < e.unsynced; ++i)
            if ((e.kept >> i) & 1u) kept.push_back(i);
          j["unsynced"] = e.unsynced, j["kept"] = kept, j["torn"] = e.torn;
        }
        break;
      case EventKind::restart: j["node"] = e.node; break;
      case EventKind::partition: {
        nlohmann::json side = nlohmann::json::array(), other = nlohmann::json::array();
        for (unsigned n = 0; n < e.nodes; ++n) (e.side.contains(n) ? side : other).push_back(n);
        j["sides"] = {side, other};
        break;
      }
      case EventKind::heal: break;
      case EventKind::tick: {
        nlohmann::json adv = nlohmann::json::array();
        for (unsigned n = 0; n < e.nodes; ++n) adv.push_back(e.advance(n));
        j["advances"] = adv;
        break;
      }
      case EventKind::clock_jump: j["node"] = e.node, j["jump"] = e.jump; break;
    }
    return j;
  }
};

}  // namespace mc
