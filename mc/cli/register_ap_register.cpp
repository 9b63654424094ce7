// Registers the available, asynchronously replicated register (AP: stale reads) with the program.
#include "mc/cli/register_workload.hpp"
#include "protocols/ap_register.hpp"

namespace mc::cli {

ProtocolEntry ap_register_protocol() {
  namespace p = protocols::ap;
  ProtocolEntry e{"ap-register", "every replica answers at once and replicates asynchronously: available, not linearizable",
                  "Gilbert & Lynch, Brewer's Conjecture and the Feasibility of CAP Web Services (2002)",
                  register_params("replicas (client i talks to replica i mod servers)", 2, 2, 3, 2, 1),
                  p::default_faults, {}, {}};
  bind_model(e, [](const Params& params, const FaultBudget& faults) {
    return p::make_model(static_cast<unsigned>(params.integer("servers")), register_workload(params), faults);
  });
  return e;
}

}  // namespace mc::cli
