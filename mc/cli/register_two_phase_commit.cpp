// Registers the actor model of two-phase commit with the program.
#include "mc/cli/registry.hpp"
#include "protocols/two_phase_commit.hpp"

namespace mc::cli {

ProtocolEntry two_phase_commit_protocol() {
  namespace p = protocols::twopc;
  ProtocolEntry e{"two-phase-commit",
                  "coordinator and participants with timeouts, durable logs and presumed abort, under faults",
                  "Gray & Lamport, Consensus on Transaction Commit (2006), section 2",
                  {{"rms", "number of participants", "2", 1, 4, {}}, variant_param(p::variant_names)},
                  p::default_faults, {}, {}};
  bind_model(e, [](const Params& params, const FaultBudget& faults) {
    return p::make_model(static_cast<p::Variant>(choice_index(params, "variant", p::variant_names)),
                         static_cast<unsigned>(params.integer("rms")), faults);
  });
  return e;
}

}  // namespace mc::cli
