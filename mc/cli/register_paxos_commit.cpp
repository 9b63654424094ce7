// Adds Gray and Lamport's Paxos Commit (TLA+ PaxosCommit) to the program.
#include "mc/cli/shipped.hpp"
#include "protocols/paxos_commit.hpp"

namespace mc::cli {

void add_paxos_commit(Program& program) {
  program.add("paxos-commit",
              "Paxos Commit: one Paxos instance per RM decides prepared/aborted (2 RMs, 3 acceptors, ballots 0..1)", {},
              [](const Params&, const FaultBudget&) { return protocols::PaxosCommit{}; },
              {"tlaplus/Examples specifications/transaction_commit/PaxosCommit.tla"});
}

}  // namespace mc::cli
