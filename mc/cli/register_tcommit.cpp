// Adds Lamport's TCommit to the program.
#include "mc/cli/shipped.hpp"
#include "protocols/tcommit.hpp"

namespace mc::cli {

void add_tcommit(Program& program) {
  program.add(
      "tcommit", "Lamport's abstract transaction commit (TCommit): RMs prepare, commit or abort",
      {int_param("rms", "number of resource managers", 3, 1, 16)},
      [](const Params& p, const FaultBudget&) { return protocols::TCommit(static_cast<unsigned>(p.integer("rms"))); },
      {"tlaplus/Examples specifications/transaction_commit/TCommit.tla"});
}

}  // namespace mc::cli
