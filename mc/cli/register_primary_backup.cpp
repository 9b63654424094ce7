// Adds primary-backup replication (synchronous, or replying before replication) to the program.
#include "mc/cli/register_workload.hpp"
#include "protocols/primary_backup.hpp"

namespace mc::cli {

void add_primary_backup(Program& program) {
  namespace p = protocols::pb;
  add_register_model<p::Variant>(
      program, "primary-backup", "a primary replicates each write to its backups before it replies",
      register_params("servers: the primary and its backups", 2, 2, 3, 1, 1), p::variant_names, p::make_model,
      {"Budhiraja, Marzullo, Schneider & Toueg, The Primary-Backup Approach (1993)", p::default_faults});
}

}  // namespace mc::cli
