// The shipped `faultline` program: Faultline's own protocols handed to mc::Program, exactly as a user's program
// hands it theirs (examples/user-program).
#include "mc/cli/shipped.hpp"

int main(int argc, char** argv) {
  mc::Program program{"faultline", "exhaustive model checking of distributed-protocol designs"};
  for (auto add : {mc::cli::add_abd_register, mc::cli::add_alternating_bit, mc::cli::add_ap_register,
                   mc::cli::add_die_hard, mc::cli::add_fast_paxos_spec, mc::cli::add_hour_clock, mc::cli::add_lease,
                   mc::cli::add_lww_register, mc::cli::add_paxos, mc::cli::add_paxos_commit, mc::cli::add_peterson, mc::cli::add_primary_backup,
                   mc::cli::add_raft_election, mc::cli::add_rpc_retry, mc::cli::add_tcommit, mc::cli::add_two_phase,
                   mc::cli::add_two_phase_commit, mc::cli::add_wal_store})
    add(program);
  return program.run(argc, argv);
}
