// The protocols shipped with Faultline, each added to the `faultline` program from its own translation unit (so
// their heavy instantiations compile in parallel) through the same public mc::Program API a user's program uses.
#pragma once

#include "mc/program.hpp"

namespace mc::cli {

void add_abd_register(Program& program);
void add_alternating_bit(Program& program);
void add_ap_register(Program& program);
void add_die_hard(Program& program);
void add_fast_paxos_spec(Program& program);
void add_hour_clock(Program& program);
void add_lease(Program& program);
void add_lww_register(Program& program);
void add_paxos(Program& program);
void add_paxos_commit(Program& program);
void add_peterson(Program& program);
void add_primary_backup(Program& program);
void add_raft_election(Program& program);
void add_rpc_retry(Program& program);
void add_tcommit(Program& program);
void add_two_phase(Program& program);
void add_two_phase_commit(Program& program);
void add_wal_store(Program& program);

}  // namespace mc::cli
