// Registers Gray and Lamport's Paxos Commit (TLA+ PaxosCommit) with the program.
#include "mc/cli/registry.hpp"
#include "protocols/paxos_commit.hpp"

namespace mc::cli {

ProtocolEntry paxos_commit_protocol() {
  ProtocolEntry e{"paxos-commit",
                  "Paxos Commit: one Paxos instance per RM decides prepared/aborted (2 RMs, 3 acceptors, ballots 0..1)",
                  "tlaplus/Examples specifications/transaction_commit/PaxosCommit.tla", {}, std::nullopt, {}, {}, {}};
  bind_model(e, [](const Params&, const FaultBudget&) { return protocols::PaxosCommit{}; });
  return e;
}

}  // namespace mc::cli
