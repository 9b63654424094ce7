// Adds the ABD majority-quorum register (consistent under partition) to the program.
#include "mc/cli/register_workload.hpp"
#include "protocols/abd_register.hpp"

namespace mc::cli {

void add_abd_register(Program& program) {
  namespace p = protocols::abd;
  add_register_model<p::Variant>(
      program, "abd-register", "a register replicated on majority quorums: linearizable, unavailable in a minority",
      register_params("servers holding a copy (majority quorums)", 3, 1, 5, 1, 0), p::variant_names, p::make_model,
      {"Attiya, Bar-Noy & Dolev, Sharing Memory Robustly in Message-Passing Systems (JACM 1995)", p::default_faults});
}

}  // namespace mc::cli
