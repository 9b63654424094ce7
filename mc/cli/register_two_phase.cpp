// Registers Lamport's TwoPhase commit with the program.
#include "mc/cli/registry.hpp"
#include "protocols/two_phase.hpp"

namespace mc::cli {

ProtocolEntry two_phase_protocol() {
  ProtocolEntry e{"two-phase", "Lamport's two-phase commit (TwoPhase): a TM and RMs exchanging a growing message set",
                  "tlaplus/Examples specifications/transaction_commit/TwoPhase.tla",
                  {{"rms", "number of resource managers", "3", 1, 16, {}}}, std::nullopt, {}, {}};
  bind_model(e, [](const Params& p, const FaultBudget&) { return protocols::TwoPhase(static_cast<unsigned>(p.integer("rms"))); });
  return e;
}

}  // namespace mc::cli
