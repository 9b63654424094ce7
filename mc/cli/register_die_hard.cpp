// Adds the die-hard puzzle to the program.
#include "mc/cli/shipped.hpp"
#include "protocols/die_hard.hpp"

namespace mc::cli {

void add_die_hard(Program& program) {
  program.add("die-hard", "the Die Hard water-jug puzzle (jugs of 3 and 5); NotSolved (big /= 4) must fail", {},
              [](const Params&, const FaultBudget&) { return protocols::DieHard{}; },
              {"tlaplus/Examples specifications/DieHard/DieHard.tla"});
}

}  // namespace mc::cli
