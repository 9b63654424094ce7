// Registers Raft leader election with the program.
#include "mc/cli/registry.hpp"
#include "protocols/raft_election.hpp"

namespace mc::cli {

ProtocolEntry raft_election_protocol() {
  namespace p = protocols::raft;
  ProtocolEntry e{"raft-election", "Raft leader election: terms, one durable vote per term, majority wins",
                  "Ongaro & Ousterhout, In Search of an Understandable Consensus Algorithm (2014), section 5.2",
                  {{"nodes", "servers", "3", 2, 5, {}},
                   {"max_term", "highest term a server may start an election for", "1", 1, 4, {}},
                   variant_param(p::variant_names)},
                  p::default_faults, {}, {}};
  bind_model(e, [](const Params& params, const FaultBudget& faults) {
    return p::make_model(static_cast<p::Variant>(choice_index(params, "variant", p::variant_names)),
                         static_cast<unsigned>(params.integer("nodes")),
                         static_cast<unsigned>(params.integer("max_term")), faults);
  });
  return e;
}

}  // namespace mc::cli
