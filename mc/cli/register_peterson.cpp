// Registers Peterson's mutual exclusion with the program.
#include "mc/cli/registry.hpp"
#include "protocols/peterson.hpp"

namespace mc::cli {

ProtocolEntry peterson_protocol() {
  ProtocolEntry e{"peterson", "Peterson's mutual exclusion for 2 processes (PlusCal translation: pc, c, turn)",
                  "tlaplus/Examples specifications/locks_auxiliary_vars/Peterson.tla", {}, std::nullopt, {}, {}};
  bind_model(e, [](const Params&, const FaultBudget&) { return protocols::Peterson{}; });
  return e;
}

}  // namespace mc::cli
