// Adds the actor model of two-phase commit to the program.
#include "mc/cli/shipped.hpp"
#include "protocols/two_phase_commit.hpp"

namespace mc::cli {

void add_two_phase_commit(Program& program) {
  namespace p = protocols::twopc;
  program.add("two-phase-commit",
              "coordinator and participants with timeouts, durable logs and presumed abort, under faults",
              {int_param("rms", "number of participants", 2, 1, 4), variant_param(p::variant_names),
               choice_param("fair-restart", "liveness: is a crashed node eventually restarted (within the budget)?",
                            {"yes", "no"})},
              [](const Params& params, const FaultBudget& faults) {
                auto m = p::make_model(static_cast<p::Variant>(choice_index(params, "variant", p::variant_names)),
                                       static_cast<unsigned>(params.integer("rms")), faults);
                p::add_liveness(m, params.text("fair-restart") == "yes");
                return m;
              },
              {"Gray & Lamport, Consensus on Transaction Commit (2006), section 2", p::default_faults});
}

}  // namespace mc::cli
