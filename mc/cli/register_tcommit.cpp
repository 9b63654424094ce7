// Registers Lamport's TCommit with the program.
#include "mc/cli/registry.hpp"
#include "protocols/tcommit.hpp"

namespace mc::cli {

ProtocolEntry tcommit_protocol() {
  ProtocolEntry e{"tcommit", "Lamport's abstract transaction commit (TCommit): RMs prepare, commit or abort",
                  "tlaplus/Examples specifications/transaction_commit/TCommit.tla",
                  {{"rms", "number of resource managers", "3", 1, 16, {}}}, std::nullopt, {}, {}};
  bind_model(e, [](const Params& p, const FaultBudget&) { return protocols::TCommit(static_cast<unsigned>(p.integer("rms"))); });
  return e;
}

}  // namespace mc::cli
