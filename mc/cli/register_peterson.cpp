// Adds Peterson's mutual exclusion to the program.
#include "mc/cli/shipped.hpp"
#include "protocols/peterson.hpp"

namespace mc::cli {

void add_peterson(Program& program) {
  using protocols::Peterson;
  program.add("peterson", "Peterson's mutual exclusion for 2 processes (PlusCal translation: pc, c, turn)",
              {choice_param("fairness", "liveness: weak fairness per process, of Next as a whole, or none",
                            {std::begin(Peterson::fairness_names), std::end(Peterson::fairness_names)})},
              [](const Params& params, const FaultBudget&) {
                Peterson p;
                p.fair = static_cast<Peterson::Fairness>(choice_index(params, "fairness", Peterson::fairness_names));
                return p;
              },
              {"tlaplus/Examples specifications/locks_auxiliary_vars/Peterson.tla"});
}

}  // namespace mc::cli
