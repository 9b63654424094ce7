// Adds Lamport's TwoPhase commit to the program.
#include "mc/cli/shipped.hpp"
#include "protocols/two_phase.hpp"

namespace mc::cli {

void add_two_phase(Program& program) {
  program.add(
      "two-phase", "Lamport's two-phase commit (TwoPhase): a TM and RMs exchanging a growing message set",
      {int_param("rms", "number of resource managers", 3, 1, 16)},
      [](const Params& p, const FaultBudget&) { return protocols::TwoPhase(static_cast<unsigned>(p.integer("rms"))); },
      {"tlaplus/Examples specifications/transaction_commit/TwoPhase.tla"});
}

}  // namespace mc::cli
