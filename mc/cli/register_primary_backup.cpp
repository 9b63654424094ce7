// Registers primary-backup replication (synchronous, or replying before replication) with the program.
#include "mc/cli/register_workload.hpp"
#include "protocols/primary_backup.hpp"

namespace mc::cli {

ProtocolEntry primary_backup_protocol() {
  namespace p = protocols::pb;
  ProtocolEntry e{"primary-backup", "a primary replicates each write to its backups before it replies",
                  "Budhiraja, Marzullo, Schneider & Toueg, The Primary-Backup Approach (1993)",
                  register_params("servers: the primary and its backups", 2, 2, 3, 1, 1), p::default_faults, {}, {}};
  bind_register_model<p::Variant>(e, p::variant_names, p::make_model);
  return e;
}

}  // namespace mc::cli
