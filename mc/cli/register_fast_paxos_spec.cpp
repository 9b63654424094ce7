// Registers the Paxos module of TLA+ SimplifiedFastPaxos with the program.
#include "mc/cli/registry.hpp"
#include "protocols/fast_paxos_spec.hpp"

namespace mc::cli {

ProtocolEntry fast_paxos_spec_protocol() {
  ProtocolEntry e{"fast-paxos-spec",
                  "Paxos without leaders or learners (4 replicas, 3 values, ballots 0..2, 3-of-4 quorums); "
                  "symmetric in replicas and values",
                  "tlaplus/Examples specifications/SimplifiedFastPaxos/Paxos.tla", {}, std::nullopt, {}, {}, {}};
  bind_model(e, [](const Params&, const FaultBudget&) { return protocols::FastPaxosSpec{}; });
  return e;
}

}  // namespace mc::cli
