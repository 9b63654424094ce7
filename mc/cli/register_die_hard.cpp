// Registers the die-hard puzzle with the program.
#include "mc/cli/registry.hpp"
#include "protocols/die_hard.hpp"

namespace mc::cli {

ProtocolEntry die_hard_protocol() {
  ProtocolEntry e{"die-hard", "the Die Hard water-jug puzzle (jugs of 3 and 5); NotSolved (big /= 4) must fail",
                  "tlaplus/Examples specifications/DieHard/DieHard.tla", {}, std::nullopt, {}, {}};
  bind_model(e, [](const Params&, const FaultBudget&) { return protocols::DieHard{}; });
  return e;
}

}  // namespace mc::cli
