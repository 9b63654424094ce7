// Registers the ABD majority-quorum register (consistent under partition) with the program.
#include "mc/cli/register_workload.hpp"
#include "mc/cli/registry.hpp"
#include "protocols/abd_register.hpp"

namespace mc::cli {

ProtocolEntry abd_register_protocol() {
  namespace p = protocols::abd;
  ProtocolEntry e{"abd-register", "a register replicated on majority quorums: linearizable, unavailable in a minority",
                  "Attiya, Bar-Noy & Dolev, Sharing Memory Robustly in Message-Passing Systems (JACM 1995)",
                  register_params("servers holding a copy (majority quorums)", 3, 1, 5, 1, 0),
                  p::default_faults, {}, {}};
  e.params.push_back(variant_param(p::variant_names));
  bind_model(e, [](const Params& params, const FaultBudget& faults) {
    return p::make_model(static_cast<p::Variant>(choice_index(params, "variant", p::variant_names)),
                         static_cast<unsigned>(params.integer("servers")), register_workload(params), faults);
  });
  return e;
}

}  // namespace mc::cli
