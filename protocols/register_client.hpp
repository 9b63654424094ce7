// The clients of the replicated-register protocols (abd-register, primary-backup, ap-register) and what they share:
// a script of operations, the history they record, the checked properties, the request/reply messages.
//
// A client runs its operations one at a time. It records each invocation and reply in the system history and
// gives up on an operation when its timer fires (recorded as timed out: the operation is indeterminate — it may or
// may not have taken effect). Timers fire at any moment, as a timeout in an asynchronous network may. The first
// client writes 1, 2, 3, …; the others read. With one writer its values double as version numbers.
#pragma once

#include "mc/actor/actor_model.hpp"
#include "properties/register_history.hpp"

#include <optional>
#include <stdexcept>
#include <string>

namespace protocols::registers {

using properties::RegisterEvent;
using Kind = RegisterEvent::Kind;

/// A client's request to a server that answers it alone (primary-backup, ap-register).
struct ClientRequest {
  BOOST_HANA_DEFINE_STRUCT(ClientRequest, (std::uint8_t, op), (Kind, kind), (std::int8_t, value));
  auto operator<=>(const ClientRequest&) const = default;
  friend std::string describe(const ClientRequest& r) {
    return r.kind == Kind::write ? fmt::format("Write(op {}, {})", r.op, r.value) : fmt::format("Read(op {})", r.op);
  }
};
/// The answer: the value read, or the value written.
struct ClientReply {
  BOOST_HANA_DEFINE_STRUCT(ClientReply, (std::uint8_t, op), (std::int8_t, value));
  auto operator<=>(const ClientReply&) const = default;
  friend std::string describe(const ClientReply& r) { return fmt::format("Reply(op {}, {})", r.op, r.value); }
};

/// Messages and history of a register protocol; the history also marks partitions (for the availability goal).
template <class M>
struct Vocabulary {
  using Msg = M;
  using Record = RegisterEvent;
  static Record partition_record(const mc::BitSet<32>& side) { return RegisterEvent::partition(side); }
  static Record heal_record() { return RegisterEvent::heal(); }
};

/// A client runs a protocol's `Access` to carry out each operation: `access.begin(op, kind, value, progress, out)`
/// sends the first requests; `access.on_reply(op, progress, from, msg, out)` returns the result once the protocol
/// has one; `access.stale(op, progress, from, msg)` says a reply will be ignored from now on (a reply to an earlier
/// operation, a second answer from one server), so the system can drop it. `Access::Progress` is the reflected
/// per-operation state it keeps.
template <class Access>
struct Client {
  enum class Timer : std::uint8_t { give_up };
  friend std::string_view to_string_view(Timer) { return "give-up"; }

  Access access;
  std::uint8_t ops = 2;
  bool writer = false;
  std::uint8_t give_ups = 1;  ///< operations this client may give up on

  /// Operations invoked so far, written before each invocation: a restarted client goes on with the next one.
  struct Durable {
    BOOST_HANA_DEFINE_STRUCT(Durable, (std::uint8_t, invoked));
    bool operator==(const Durable&) const = default;
  };
  struct State {
    BOOST_HANA_DEFINE_STRUCT(State, (std::uint8_t, invoked), (bool, busy), (std::uint8_t, gave_up),
                             (typename Access::Progress, progress));
  };

  Kind kind() const { return writer ? Kind::write : Kind::read; }
  int value(std::uint8_t op) const { return writer ? op + 1 : 0; }

  template <class Out>
  State on_start(mc::NodeId self, const Durable& d, Out& out) const {
    State s{d.invoked, false, 0, {}};
    begin_next(self, s, out);
    return s;
  }
  template <class Out>
  void on_message(mc::NodeId self, State& s, mc::NodeId from, const typename Access::Msg& m, Out& out) const {
    if (!s.busy) return;
    const auto op = static_cast<std::uint8_t>(s.invoked - 1);
    const std::optional<int> result = access.on_reply(op, s.progress, from, m, out);
    if (!result) return;
    out.record(RegisterEvent::ok(static_cast<std::uint8_t>(self), op, kind(), *result));
    out.cancel_timer(Timer::give_up);
    s.busy = false;
    begin_next(self, s, out);
  }
  /// A finished client ignores everything; a busy one what its access protocol no longer needs.
  bool ignores(const State& s, mc::NodeId from, const typename Access::Msg& m) const {
    return !s.busy || access.stale(static_cast<std::uint8_t>(s.invoked - 1), s.progress, from, m);
  }
  template <class Out>
  void on_timeout(mc::NodeId self, State& s, Timer, Out& out) const {
    if (!s.busy) return;
    const auto op = static_cast<std::uint8_t>(s.invoked - 1);
    out.record(RegisterEvent::timeout(static_cast<std::uint8_t>(self), op, kind(), value(op)));
    s.busy = false;
    ++s.gave_up;
    begin_next(self, s, out);
  }

 private:
  template <class Out>
  void begin_next(mc::NodeId self, State& s, Out& out) const {
    s.progress = {};
    if (s.invoked >= ops) return;
    const std::uint8_t op = s.invoked++;
    out.persist(Durable{s.invoked});
    out.record(RegisterEvent::invoke(static_cast<std::uint8_t>(self), op, kind(), value(op)));
    s.busy = true;
    access.begin(op, kind(), value(op), s.progress, out);
    if (s.gave_up < give_ups) out.set_timer(Timer::give_up);
  }
};

/// Access through one server that answers alone (primary-backup's primary, ap-register's nearest replica).
template <class M>
struct OneServer {
  using Msg = M;
  mc::NodeId server = 0;
  struct Progress {
    BOOST_HANA_DEFINE_STRUCT(Progress);
  };
  template <class Out>
  void begin(std::uint8_t op, Kind kind, int value, Progress&, Out& out) const {
    out.send(server, ClientRequest{op, kind, static_cast<std::int8_t>(value)});
  }
  template <class Out>
  std::optional<int> on_reply(std::uint8_t op, Progress&, mc::NodeId from, const Msg& m, Out&) const {
    const auto* r = std::get_if<ClientReply>(&m);
    if (!r || from != server || r->op != op) return std::nullopt;  // a late reply to an operation given up on
    return r->value;
  }
  bool stale(std::uint8_t op, const Progress&, mc::NodeId, const Msg& m) const {
    const auto* r = std::get_if<ClientReply>(&m);
    return r && r->op < op;
  }
};

/// A server whose whole state is the register's value on stable storage (with one writer, values are versions).
struct StoredValue {
  struct Durable {
    BOOST_HANA_DEFINE_STRUCT(Durable, (std::int8_t, value));
    bool operator==(const Durable&) const = default;
  };
  struct State {
    BOOST_HANA_DEFINE_STRUCT(State, (std::int8_t, value));
  };

  template <class Out>
  State on_start(mc::NodeId, const Durable& d, Out&) const {
    return {d.value};
  }
  /// Keeps `value` (written to disk first) unless the copy is as new already.
  template <class Out>
  static void keep(State& s, std::int8_t value, Out& out) {
    if (value <= s.value) return;
    s.value = value;
    out.persist(Durable{value});
  }
};

/// Workload parameters shared by the register protocols.
struct Workload {
  unsigned clients = 2;  ///< the first writes, the others read
  unsigned writes = 1;   ///< operations of the writer
  unsigned reads = 2;    ///< operations of each reader
  unsigned give_ups = 1;  ///< operations each client may give up on (its timer fires at any moment)
  void validate(const char* protocol) const {
    if (clients < 2 || clients > 3) throw std::invalid_argument(std::string(protocol) + ": clients must be in 2..3");
    if (writes < 1 || writes > 3) throw std::invalid_argument(std::string(protocol) + ": writes must be in 1..3");
    if (reads < 1 || reads > 3) throw std::invalid_argument(std::string(protocol) + ": reads must be in 1..3");
    if (give_ups > 2) throw std::invalid_argument(std::string(protocol) + ": give_ups must be in 0..2");
  }
};

/// Adds `clients` clients after the servers, built by `make_client(client_index, writer)`.
template <class Model, class MakeClient>
void add_clients(Model& m, const Workload& w, MakeClient make_client) {
  for (unsigned c = 0; c < w.clients; ++c) {
    auto client = make_client(c);
    client.writer = c == 0;
    client.ops = static_cast<std::uint8_t>(client.writer ? w.writes : w.reads);
    client.give_ups = static_cast<std::uint8_t>(w.give_ups);
    m.add(std::move(client));
  }
}

/// The properties every register protocol is checked against: linearizable and sequentially consistent histories,
/// and — where the budget allows partitions — whether a write can complete in a minority (AP) or never can (CP).
template <class Model>
void add_register_properties(Model& m, unsigned servers, const mc::FaultBudget& faults) {
  using State = typename Model::State;
  const auto history = [](const State& s) -> const typename Model::History& { return s.history; };
  m.add_property(properties::register_consistency<State>("linearizable", properties::Consistency::linearizable, history));
  m.add_property(
      properties::register_consistency<State>("sequentially-consistent", properties::Consistency::sequential, history));
  if (faults.partition > 0)
    m.add_property(mc::sometimes<State>("write-completes-while-partitioned", [servers](const State& s) {
      return properties::write_completed_in_minority(s.history, servers);
    }));
}

}  // namespace protocols::registers
