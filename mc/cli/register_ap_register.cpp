// Adds the available, asynchronously replicated register (AP: stale reads) to the program.
#include "mc/cli/register_workload.hpp"
#include "protocols/ap_register.hpp"

namespace mc::cli {

void add_ap_register(Program& program) {
  namespace p = protocols::ap;
  program.add(
      "ap-register", "every replica answers at once and replicates asynchronously: available, not linearizable",
      register_params("replicas (client i talks to replica i mod servers)", 2, 2, 3, 2, 1),
      [](const Params& params, const FaultBudget& faults) {
        return p::make_model(static_cast<unsigned>(params.integer("servers")), register_workload(params), faults);
      },
      {"Gilbert & Lynch, Brewer's Conjecture and the Feasibility of CAP Web Services (2002)", p::default_faults});
}

}  // namespace mc::cli
