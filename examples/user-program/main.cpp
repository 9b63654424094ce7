// lock-checks: a user's own model-checking program. Every command of `faultline` (list, check, simulate, show,
// replay, --json, --trace, --sweep, --minimise, checkpoints, MPI) works for the models it adds.
#include "lease_lock.hpp"

#include <mc/program.hpp>

int main(int argc, char** argv) {
  mc::Program program{"lock-checks", "checks of our lock service"};
  program.add("lease-lock", "a lock server grants expiring leases; storage fences writes by token",
              {mc::int_param("clients", "clients competing for the lock", 2, 1, 4),
               mc::variant_param({"fenced", "unfenced"})},
              [](const mc::Params& p, const mc::FaultBudget& f) {
                const auto variant = p.text("variant") == "fenced" ? lease_lock::Variant::fenced
                                                                   : lease_lock::Variant::unfenced;
                auto model = lease_lock::make_model(variant, static_cast<unsigned>(p.integer("clients")), f);
                lease_lock::add_liveness(model);
                return model;
              },
              {"Kleppmann, How to do distributed locking (2016)", mc::FaultBudget{1, 0, 0, 0, 0, 0}});
  return program.run(argc, argv);
}
