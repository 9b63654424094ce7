// MpiSession for builds without MPI: one process. Started by mpirun anyway, it refuses to run P copies of the
// same search (each would report the whole space as its own).
#include "mc/program/mpi_session.hpp"

#include <cstdlib>
#include <stdexcept>

namespace mc::program {

bool built_with_mpi() { return false; }

struct MpiSession::Impl {};

MpiSession::MpiSession(int&, char**&) {}
MpiSession::~MpiSession() = default;
const Cluster* MpiSession::cluster() const { return nullptr; }
int MpiSession::rank() const { return 0; }
int MpiSession::size() const { return 1; }
void MpiSession::abort(int code) const { std::exit(code); }

}  // namespace mc::program
