// Adds the Paxos module of TLA+ SimplifiedFastPaxos to the program.
#include "mc/cli/shipped.hpp"
#include "protocols/fast_paxos_spec.hpp"

namespace mc::cli {

void add_fast_paxos_spec(Program& program) {
  program.add("fast-paxos-spec",
              "Paxos without leaders or learners (4 replicas, 3 values, ballots 0..2, 3-of-4 quorums); "
              "symmetric in replicas and values",
              {}, [](const Params&, const FaultBudget&) { return protocols::FastPaxosSpec{}; },
              {"tlaplus/Examples specifications/SimplifiedFastPaxos/Paxos.tla"});
}

}  // namespace mc::cli
