// primary-backup: a primary serves every request and replicates each write to its backups before replying.
//
// The primary keeps the register in memory only; the backups keep it on stable storage. A restarted primary
// (a new incarnation, counted on its own stable storage) first asks the backups for the value and serves nothing
// until one answers that incarnation's request. A write is applied and acknowledged only once every backup holds
// it, so a crash of the primary never loses an acknowledged write. Writes carry the single writer's increasing
// values, which double as versions: a backup ignores an older one (a duplicate or a late retry).
// Broken variant `reply-first`: the primary applies and acknowledges a write at once and replicates it afterwards;
// if it crashes before a backup has the write, the restarted primary serves the old value — an acknowledged write
// is lost (not linearizable).
// Background: Budhiraja, Marzullo, Schneider, Toueg, "The Primary-Backup Approach" (Distributed Systems, 2nd ed.,
// 1993); Kleppmann, DDIA ch. 5 (synchronous vs asynchronous replication).
#pragma once

#include "protocols/register_client.hpp"

#include <optional>
#include <string_view>
#include <variant>

namespace protocols::pb {

using registers::ClientReply;
using registers::ClientRequest;
using registers::Kind;

/// Primary to backups: keep `value` (it is also its version).
struct Replicate {
  BOOST_HANA_DEFINE_STRUCT(Replicate, (std::int8_t, value));
  auto operator<=>(const Replicate&) const = default;
};
struct Replicated {
  BOOST_HANA_DEFINE_STRUCT(Replicated, (std::int8_t, value));
  auto operator<=>(const Replicated&) const = default;
};
/// A restarted primary asks for the value, naming its incarnation so that an answer to an earlier one is ignored.
struct Sync {
  BOOST_HANA_DEFINE_STRUCT(Sync, (std::uint8_t, incarnation));
  auto operator<=>(const Sync&) const = default;
};
struct Synced {
  BOOST_HANA_DEFINE_STRUCT(Synced, (std::uint8_t, incarnation), (std::int8_t, value));
  auto operator<=>(const Synced&) const = default;
};
using Msg = std::variant<ClientRequest, ClientReply, Replicate, Replicated, Sync, Synced>;

enum class Variant { sync, reply_first };
inline constexpr std::string_view variant_names[] = {"sync", "reply-first"};

/// A write waiting for the backups.
struct Pending {
  BOOST_HANA_DEFINE_STRUCT(Pending, (std::uint8_t, client), (std::uint8_t, op), (std::int8_t, value),
                           (mc::BitSet<32>, acks));
};

struct Primary {
  Variant variant = Variant::sync;
  std::uint8_t backups = 1;  ///< nodes 1 .. backups

  struct Durable {
    BOOST_HANA_DEFINE_STRUCT(Durable, (std::uint8_t, incarnation));
    bool operator==(const Durable&) const = default;
  };
  struct State {
    BOOST_HANA_DEFINE_STRUCT(State, (std::uint8_t, incarnation), (bool, ready), (std::int8_t, value),
                             (std::optional<Pending>, pending));
  };

  template <class Out>
  State on_start(mc::NodeId, const Durable& d, Out& out) const {
    const auto incarnation = static_cast<std::uint8_t>(d.incarnation + 1);
    out.persist(Durable{incarnation});
    for (mc::NodeId b = 1; b <= backups; ++b) out.send(b, Sync{incarnation});
    return {incarnation, false, 0, std::nullopt};
  }

  template <class Out>
  void on_message(mc::NodeId, State& s, mc::NodeId from, const Msg& m, Out& out) const {
    if (const auto* synced = std::get_if<Synced>(&m)) {
      if (!s.ready && synced->incarnation == s.incarnation) s.ready = true, s.value = synced->value;
    } else if (const auto* r = std::get_if<ClientRequest>(&m)) {
      if (!s.ready) return;  // still recovering: the client will give up
      if (r->kind == Kind::read) return out.send(from, ClientReply{r->op, s.value});
      if (r->value <= s.value) return out.send(from, ClientReply{r->op, r->value});  // already applied
      if (variant == Variant::reply_first) {
        s.value = r->value;  // the bug: acknowledged while only this volatile copy has it
        out.send(from, ClientReply{r->op, r->value});
      } else {
        if (s.pending && s.pending->value >= r->value) return;  // a duplicate of the write in progress
        s.pending = Pending{static_cast<std::uint8_t>(from), r->op, r->value, {}};  // replaces one given up on
      }
      for (mc::NodeId b = 1; b <= backups; ++b) out.send(b, Replicate{r->value});
    } else if (const auto* ack = std::get_if<Replicated>(&m)) {
      if (!s.pending || ack->value != s.pending->value) return;
      s.pending->acks.insert(from);
      if (s.pending->acks.size() < backups) return;
      s.value = s.pending->value;
      out.send(s.pending->client, ClientReply{s.pending->op, s.value});
      s.pending.reset();
    }
  }
};

struct Backup : registers::StoredValue {
  template <class Out>
  void on_message(mc::NodeId, State& s, mc::NodeId from, const Msg& m, Out& out) const {
    if (const auto* r = std::get_if<Replicate>(&m)) {
      keep(s, r->value, out);
      out.send(from, Replicated{r->value});
    } else if (const auto* sync = std::get_if<Sync>(&m)) {
      out.send(from, Synced{sync->incarnation, s.value});
    }
  }
};

using Client = registers::Client<registers::OneServer<Msg>>;
using Model = mc::ActorModel<registers::Vocabulary<Msg>, Primary, Backup, Client>;

inline constexpr mc::FaultBudget default_faults{1, 1, 1, 1, 0, 0};

/// The primary is node 0, backups 1 .. servers-1, then the clients (the first one writes).
inline Model make_model(Variant variant, unsigned servers, registers::Workload w, mc::FaultBudget faults) {
  if (servers < 2 || servers > 3) throw std::invalid_argument("primary-backup: servers must be in 2..3");
  w.validate("primary-backup");
  Model m(mc::NetworkKind::unordered, faults);
  m.add(Primary{variant, static_cast<std::uint8_t>(servers - 1)});
  for (unsigned n = 1; n < servers; ++n) m.add(Backup{});
  registers::add_clients(m, w, [](unsigned) { return Client{registers::OneServer<Msg>{0}}; });
  registers::add_register_properties(m, servers, faults);
  return m;
}

}  // namespace protocols::pb
