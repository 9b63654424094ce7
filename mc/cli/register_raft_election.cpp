// Adds Raft leader election to the program.
#include "mc/cli/shipped.hpp"
#include "protocols/raft_election.hpp"

namespace mc::cli {

void add_raft_election(Program& program) {
  namespace p = protocols::raft;
  program.add("raft-election", "Raft leader election: terms, one durable vote per term, majority wins",
              {int_param("nodes", "servers", 3, 2, 5),
               int_param("max_term", "highest term a server may start an election for", 1, 1, 4),
               int_param("candidates", "servers whose election timer may fire (servers 0..k-1; 0: all)", 0, 0, 5),
               variant_param(p::variant_names)},
              [](const Params& params, const FaultBudget& faults) {
                const auto nodes = static_cast<unsigned>(params.integer("nodes"));
                const auto candidates = static_cast<unsigned>(params.integer("candidates"));
                if (candidates > nodes) throw UsageError("raft-election: candidates must be at most nodes");
                auto m = p::make_model(static_cast<p::Variant>(choice_index(params, "variant", p::variant_names)),
                                       nodes, static_cast<unsigned>(params.integer("max_term")), faults, candidates);
                p::add_liveness(m);
                return m;
              },
              {"Ongaro & Ousterhout, In Search of an Understandable Consensus Algorithm (2014), section 5.2",
               p::default_faults});
}

}  // namespace mc::cli
