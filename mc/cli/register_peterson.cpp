// Adds Peterson's mutual exclusion to the program.
#include "mc/cli/shipped.hpp"
#include "protocols/peterson.hpp"

namespace mc::cli {

void add_peterson(Program& program) {
  program.add("peterson", "Peterson's mutual exclusion for 2 processes (PlusCal translation: pc, c, turn)", {},
              [](const Params&, const FaultBudget&) { return protocols::Peterson{}; },
              {"tlaplus/Examples specifications/locks_auxiliary_vars/Peterson.tla"});
}

}  // namespace mc::cli
