// Registers single-decree Paxos with the program.
#include "mc/cli/registry.hpp"
#include "protocols/paxos.hpp"

namespace mc::cli {

ProtocolEntry paxos_protocol() {
  namespace p = protocols::paxos;
  ProtocolEntry e{"paxos", "single-decree Paxos: proposers, acceptors with durable promises, majority quorums",
                  "Lamport, Paxos Made Simple (2001)",
                  {{"proposers", "proposers (proposer p uses ballot p+1 and value p+1)", "2", 1, 3, {}},
                   {"acceptors", "acceptors", "3", 1, 5, {}},
                   variant_param(p::variant_names)},
                  p::default_faults, {}, {}};
  bind_model(e, [](const Params& params, const FaultBudget& faults) {
    return p::make_model(static_cast<p::Variant>(choice_index(params, "variant", p::variant_names)),
                         static_cast<unsigned>(params.integer("proposers")),
                         static_cast<unsigned>(params.integer("acceptors")), faults);
  });
  return e;
}

}  // namespace mc::cli
