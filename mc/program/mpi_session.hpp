// The MPI job this process belongs to, when `mpirun` started it: joined on construction, left on destruction,
// and offered to the explorer as an mc::Cluster. Built without MPI, a process started by mpirun is refused.
#pragma once

#include "mc/explore/cluster.hpp"

#include <cstdlib>
#include <memory>

namespace mc::program {

class MpiSession {
 public:
  /// Joins the job only when the environment says mpirun started this process; otherwise does nothing.
  MpiSession(int& argc, char**& argv);
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;

  /// The job's ranks when there are several; null when this process explores alone.
  const Cluster* cluster() const;
  int rank() const;
  int size() const;
  /// Ends every rank of the job (after an internal error on this one: the others would wait for it for ever).
  [[noreturn]] void abort(int code) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Whether mpirun (or another MPI launcher) started this process: it leaves the job's size in the environment.
inline bool started_by_mpi_launcher() {
  return std::getenv("OMPI_COMM_WORLD_SIZE") || std::getenv("PMI_SIZE") || std::getenv("PMIX_RANK");
}

/// Whether this program was built with MPI (else it runs alone, and refuses to be started by mpirun).
bool built_with_mpi();

}  // namespace mc::program
