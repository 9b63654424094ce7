// Registers the ABD majority-quorum register (consistent under partition) with the program.
#include "mc/cli/register_workload.hpp"
#include "protocols/abd_register.hpp"

namespace mc::cli {

ProtocolEntry abd_register_protocol() {
  namespace p = protocols::abd;
  ProtocolEntry e{"abd-register", "a register replicated on majority quorums: linearizable, unavailable in a minority",
                  "Attiya, Bar-Noy & Dolev, Sharing Memory Robustly in Message-Passing Systems (JACM 1995)",
                  register_params("servers holding a copy (majority quorums)", 3, 1, 5, 1, 0),
                  p::default_faults, {}, {}};
  bind_register_model<p::Variant>(e, p::variant_names, p::make_model);
  return e;
}

}  // namespace mc::cli
