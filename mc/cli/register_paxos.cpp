// Adds single-decree Paxos to the program.
#include "mc/cli/shipped.hpp"
#include "protocols/paxos.hpp"

namespace mc::cli {

void add_paxos(Program& program) {
  namespace p = protocols::paxos;
  program.add("paxos", "single-decree Paxos: proposers, acceptors with durable promises, majority quorums",
              {int_param("proposers", "proposers (proposer p uses ballot p+1 and value p+1)", 2, 1, 3),
               int_param("acceptors", "acceptors", 3, 1, 5),
               int_param("rounds", "ballots each proposer may try; above 1 a timeout abandons a ballot for the next",
                         1, 1, 4),
               variant_param(p::variant_names)},
              [](const Params& params, const FaultBudget& faults) {
                const auto variant = static_cast<p::Variant>(choice_index(params, "variant", p::variant_names));
                if (variant == p::Variant::distinguished_proposer && params.integer("rounds") != 1)
                  throw UsageError("paxos: the distinguished proposer keeps one ballot (leave rounds at 1)");
                auto m = p::make_model(variant, static_cast<unsigned>(params.integer("proposers")),
                                       static_cast<unsigned>(params.integer("acceptors")), faults,
                                       static_cast<unsigned>(params.integer("rounds")));
                p::add_liveness(m);
                return m;
              },
              {"Lamport, Paxos Made Simple (2001)", p::default_faults});
}

}  // namespace mc::cli
