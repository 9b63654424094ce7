// ap-register: every replica answers its clients at once and replicates writes asynchronously (available under
// partition, not linearizable).
//
// Each client talks to one replica (client i to replica i mod replicas); the program's default has the writer
// write twice, so that a write can be invoked — and complete — after the network splits. A write is applied locally, acknowledged,
// then sent to the other replicas, which keep the larger version (the single writer's values double as versions,
// so replicas converge once the updates arrive). A read returns the local copy. Reads and writes complete even
// when the replica is cut off from every other — the "write completes while partitioned" goal is reachable — but a
// read at another replica can return a value older than a write that has already completed: the checker reports
// the linearizability violation (with or without a partition: asynchronous replication is stale in a healthy
// network too). Each client sees one replica, whose copy only moves forward, so the history stays sequentially
// consistent.
// Background: Gilbert, Lynch, "Brewer's Conjecture and the Feasibility of Consistent, Available,
// Partition-Tolerant Web Services" (SIGACT News 2002); DeCandia et al., "Dynamo" (SOSP 2007).
#pragma once

#include "protocols/register_client.hpp"

#include <variant>

namespace protocols::ap {

using registers::ClientReply;
using registers::ClientRequest;
using registers::Kind;

/// Replica to replica: a write made elsewhere.
struct Update {
  BOOST_HANA_DEFINE_STRUCT(Update, (std::int8_t, value));
  auto operator<=>(const Update&) const = default;
};
using Msg = std::variant<ClientRequest, ClientReply, Update>;

struct Replica : registers::StoredValue {
  std::uint8_t replicas = 2;  ///< nodes 0 .. replicas-1

  template <class Out>
  void on_message(mc::NodeId self, State& s, mc::NodeId from, const Msg& m, Out& out) const {
    if (const auto* r = std::get_if<ClientRequest>(&m)) {
      if (r->kind == Kind::read) return out.send(from, ClientReply{r->op, s.value});
      keep(s, r->value, out);
      out.send(from, ClientReply{r->op, r->value});  // acknowledged before any other replica has it
      for (mc::NodeId n = 0; n < replicas; ++n)
        if (n != self) out.send(n, Update{r->value});
    } else if (const auto* u = std::get_if<Update>(&m)) {
      keep(s, u->value, out);
    }
  }
};

using Client = registers::Client<registers::OneServer<Msg>>;
using Model = mc::ActorModel<registers::Vocabulary<Msg>, Replica, Client>;

inline constexpr mc::FaultBudget default_faults{1, 1, 0, 0, 1, 0};

/// Replicas are nodes 0 .. replicas-1, then the clients (the first one writes).
inline Model make_model(unsigned replicas, registers::Workload w, mc::FaultBudget faults) {
  if (replicas < 2 || replicas > 3) throw std::invalid_argument("ap-register: replicas must be in 2..3");
  w.validate("ap-register");
  Model m(mc::NetworkKind::unordered, faults);
  for (unsigned n = 0; n < replicas; ++n) m.add(Replica{{}, static_cast<std::uint8_t>(replicas)});
  registers::add_clients(m, w, [&](unsigned c) {
    return Client{registers::OneServer<Msg>{static_cast<mc::NodeId>(c % replicas)}};
  });
  registers::add_register_properties(m, replicas, faults);
  return m;
}

}  // namespace protocols::ap
