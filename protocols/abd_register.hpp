// abd-register: the Attiya–Bar-Noy–Dolev register, replicated on a majority quorum (consistent under partition).
//
// Servers keep a (timestamp, value) pair on stable storage. A write stores (ts, v) on a majority; a read asks a
// majority for their pairs, takes the one with the largest timestamp, writes it back to a majority, and only then
// returns it. Any two majorities intersect, so every operation sees every completed write: the register is
// linearizable under message loss, duplication, reordering and the crash of a minority — and a client cut off
// from a majority can complete nothing (the CP side of the trade-off).
// Broken variant `no-write-back`: reads return straight after the query phase. Then one read can see a write that
// reached only one server and a later read can miss it (a new-old inversion: not linearizable).
// Background: Attiya, Bar-Noy, Dolev, "Sharing Memory Robustly in Message-Passing Systems" (JACM 1995); Lynch,
// Distributed Algorithms, §17.1.
#pragma once

#include "protocols/register_client.hpp"

#include <string_view>
#include <variant>

namespace protocols::abd {

using registers::Kind;

/// Client to servers: what is your (timestamp, value)?
struct Query {
  BOOST_HANA_DEFINE_STRUCT(Query, (std::uint8_t, op));
  auto operator<=>(const Query&) const = default;
};
/// Server to client: my pair.
struct Current {
  BOOST_HANA_DEFINE_STRUCT(Current, (std::uint8_t, op), (std::uint8_t, ts), (std::int8_t, value));
  auto operator<=>(const Current&) const = default;
};
/// Client to servers: keep (ts, value) unless you hold a later timestamp.
struct Store {
  BOOST_HANA_DEFINE_STRUCT(Store, (std::uint8_t, op), (std::uint8_t, ts), (std::int8_t, value));
  auto operator<=>(const Store&) const = default;
};
struct Stored {
  BOOST_HANA_DEFINE_STRUCT(Stored, (std::uint8_t, op));
  auto operator<=>(const Stored&) const = default;
};
using Msg = std::variant<Query, Current, Store, Stored>;

enum class Variant { abd, no_write_back };
inline constexpr std::string_view variant_names[] = {"abd", "no-write-back"};

struct Server {
  struct Durable {
    BOOST_HANA_DEFINE_STRUCT(Durable, (std::uint8_t, ts), (std::int8_t, value));
    bool operator==(const Durable&) const = default;
  };
  struct State {
    BOOST_HANA_DEFINE_STRUCT(State, (std::uint8_t, ts), (std::int8_t, value));
  };

  template <class Out>
  State on_start(mc::NodeId, const Durable& d, Out&) const {
    return {d.ts, d.value};
  }
  template <class Out>
  void on_message(mc::NodeId, State& s, mc::NodeId from, const Msg& m, Out& out) const {
    if (const auto* q = std::get_if<Query>(&m)) {
      out.send(from, Current{q->op, s.ts, s.value});
    } else if (const auto* st = std::get_if<Store>(&m)) {
      if (st->ts > s.ts) {
        s = {st->ts, st->value};
        out.persist(Durable{s.ts, s.value});  // written before the acknowledgement leaves
      }
      out.send(from, Stored{st->op});
    }
  }
};

/// A client's side of ABD: the single writer stores its value with the value as timestamp (1, 2, …); a reader
/// queries, then (unless broken) writes back what it will return.
struct QuorumAccess {
  using Msg = abd::Msg;
  enum class Phase : std::uint8_t { query, store };
  friend std::string_view to_string_view(Phase p) { return p == Phase::query ? "query" : "store"; }

  std::uint8_t servers = 3;
  Variant variant = Variant::abd;

  struct Progress {
    BOOST_HANA_DEFINE_STRUCT(Progress, (Phase, phase), (mc::BitSet<32>, heard), (std::uint8_t, ts),
                             (std::int8_t, value));
  };

  template <class Out>
  void begin(std::uint8_t op, Kind kind, int value, Progress& p, Out& out) const {
    if (kind == Kind::write) {
      p = {Phase::store, {}, static_cast<std::uint8_t>(value), static_cast<std::int8_t>(value)};
      to_all(out, Store{op, p.ts, p.value});
    } else {
      p = {Phase::query, {}, 0, 0};
      to_all(out, Query{op});
    }
  }

  template <class Out>
  std::optional<int> on_reply(std::uint8_t op, Progress& p, mc::NodeId from, const Msg& m, Out& out) const {
    const unsigned majority = servers / 2u + 1u;
    if (const auto* c = std::get_if<Current>(&m); c && c->op == op && p.phase == Phase::query) {
      p.heard.insert(from);
      if (c->ts > p.ts) p.ts = c->ts, p.value = c->value;
      if (p.heard.size() < majority) return std::nullopt;
      if (variant == Variant::no_write_back) return p.value;  // the bug: another reader may not see it yet
      p.phase = Phase::store;
      p.heard = {};
      to_all(out, Store{op, p.ts, p.value});
    } else if (const auto* s = std::get_if<Stored>(&m); s && s->op == op && p.phase == Phase::store) {
      p.heard.insert(from);
      if (p.heard.size() >= majority) return p.value;
    }
    return std::nullopt;
  }

  bool stale(std::uint8_t op, const Progress& p, mc::NodeId from, const Msg& m) const {
    if (const auto* c = std::get_if<Current>(&m))
      return c->op < op || (c->op == op && (p.phase == Phase::store || p.heard.contains(from)));
    if (const auto* s = std::get_if<Stored>(&m)) return s->op < op || (s->op == op && p.phase == Phase::store && p.heard.contains(from));
    return false;
  }

 private:
  template <class Out, class M>
  void to_all(Out& out, const M& m) const {
    for (mc::NodeId n = 0; n < servers; ++n) out.send(n, m);
  }
};

using Client = registers::Client<QuorumAccess>;
using Model = mc::ActorModel<registers::Vocabulary<Msg>, Server, Client>;

inline constexpr mc::FaultBudget default_faults{1, 0, 1, 0, 0, 0};

/// Servers are nodes 0 .. servers-1, clients follow (the first one writes).
inline Model make_model(Variant variant, unsigned servers, registers::Workload w, mc::FaultBudget faults) {
  if (servers < 1 || servers > 5) throw std::invalid_argument("abd-register: servers must be in 1..5");
  w.validate("abd-register");
  Model m(mc::NetworkKind::unordered, faults);
  for (unsigned n = 0; n < servers; ++n) m.add(Server{});
  registers::add_clients(m, w, [&](unsigned) {
    return Client{QuorumAccess{static_cast<std::uint8_t>(servers), variant}};
  });
  registers::add_register_properties(m, servers, faults);
  return m;
}

}  // namespace protocols::abd
