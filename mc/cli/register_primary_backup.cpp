// Registers primary-backup replication (synchronous, or replying before replication) with the program.
#include "mc/cli/register_workload.hpp"
#include "mc/cli/registry.hpp"
#include "protocols/primary_backup.hpp"

namespace mc::cli {

ProtocolEntry primary_backup_protocol() {
  namespace p = protocols::pb;
  ProtocolEntry e{"primary-backup", "a primary replicates each write to its backups before it replies",
                  "Budhiraja, Marzullo, Schneider & Toueg, The Primary-Backup Approach (1993)",
                  register_params("servers: the primary and its backups", 2, 2, 3, 1, 1), p::default_faults, {}, {}};
  e.params.push_back(variant_param(p::variant_names));
  bind_model(e, [](const Params& params, const FaultBudget& faults) {
    return p::make_model(static_cast<p::Variant>(choice_index(params, "variant", p::variant_names)),
                         static_cast<unsigned>(params.integer("servers")), register_workload(params), faults);
  });
  return e;
}

}  // namespace mc::cli
