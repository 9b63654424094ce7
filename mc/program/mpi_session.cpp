// MpiSession over MPI (Open MPI or any MPI-3 library): the explorer's collective operations as MPI calls.
// Alltoallv takes int counts, so large exchanges go in passes of at most 1 GiB received per rank.
#include "mc/program/mpi_session.hpp"

#include <mpi.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace mc::program {

namespace {

void require(int code, const char* what) {
  if (code != MPI_SUCCESS) throw std::runtime_error(std::string("faultline: MPI call failed: ") + what);
}

std::vector<std::uint8_t> exchange(const std::vector<std::uint8_t>& outgoing, const std::vector<std::uint64_t>& counts,
                                   int ranks, std::uint64_t piece) {
  const auto p = static_cast<std::size_t>(ranks);
  std::vector<std::uint64_t> recv_sizes(p), send_at(p + 1, 0), recv_at(p + 1, 0);
  require(MPI_Alltoall(counts.data(), 1, MPI_UINT64_T, recv_sizes.data(), 1, MPI_UINT64_T, MPI_COMM_WORLD),
          "MPI_Alltoall");
  for (std::size_t r = 0; r < p; ++r) {
    send_at[r + 1] = send_at[r] + counts[r];
    recv_at[r + 1] = recv_at[r] + recv_sizes[r];
  }
  std::vector<std::uint8_t> result(recv_at[p]);

  std::uint64_t passes = 0;
  for (std::size_t r = 0; r < p; ++r) passes = std::max(passes, (counts[r] + piece - 1) / piece);
  require(MPI_Allreduce(MPI_IN_PLACE, &passes, 1, MPI_UINT64_T, MPI_MAX, MPI_COMM_WORLD), "MPI_Allreduce");
  std::vector<int> scount(p), sdispl(p), rcount(p), rdispl(p);
  const auto to_int = [](std::uint64_t v) { return static_cast<int>(v); };
  if (passes <= 1) {  // the usual case: straight from the caller's buffer into the result
    for (std::size_t r = 0; r < p; ++r) {
      scount[r] = to_int(counts[r]);
      sdispl[r] = to_int(send_at[r]);
      rcount[r] = to_int(recv_sizes[r]);
      rdispl[r] = to_int(recv_at[r]);
    }
    require(MPI_Alltoallv(outgoing.data(), scount.data(), sdispl.data(), MPI_BYTE, result.data(), rcount.data(),
                          rdispl.data(), MPI_BYTE, MPI_COMM_WORLD),
            "MPI_Alltoallv");
    return result;
  }
  std::vector<std::uint8_t> send, recv;
  for (std::uint64_t pass = 0; pass < passes; ++pass) {
    const std::uint64_t from = pass * piece;
    send.clear();
    int at = 0;
    for (std::size_t r = 0; r < p; ++r) {
      const std::uint64_t n = counts[r] > from ? std::min(piece, counts[r] - from) : 0;
      scount[r] = to_int(n);
      sdispl[r] = at;
      const auto begin = outgoing.begin() + static_cast<std::ptrdiff_t>(send_at[r] + from);
      send.insert(send.end(), begin, begin + static_cast<std::ptrdiff_t>(n));
      at += to_int(n);
    }
    at = 0;
    for (std::size_t r = 0; r < p; ++r) {
      rcount[r] = to_int(recv_sizes[r] > from ? std::min(piece, recv_sizes[r] - from) : 0);
      rdispl[r] = at;
      at += rcount[r];
    }
    recv.resize(static_cast<std::size_t>(at));
    require(MPI_Alltoallv(send.data(), scount.data(), sdispl.data(), MPI_BYTE, recv.data(), rcount.data(),
                          rdispl.data(), MPI_BYTE, MPI_COMM_WORLD),
            "MPI_Alltoallv");
    for (std::size_t r = 0; r < p; ++r)
      std::memcpy(result.data() + recv_at[r] + from, recv.data() + rdispl[r], static_cast<std::size_t>(rcount[r]));
  }
  return result;
}

std::vector<std::uint8_t> gather(const std::vector<std::uint8_t>& mine, int ranks) {
  const auto p = static_cast<std::size_t>(ranks);
  int size = static_cast<int>(mine.size());
  std::vector<int> sizes(p), displs(p);
  require(MPI_Allgather(&size, 1, MPI_INT, sizes.data(), 1, MPI_INT, MPI_COMM_WORLD), "MPI_Allgather");
  int total = 0;
  for (std::size_t r = 0; r < p; ++r) {
    displs[r] = total;
    total += sizes[r];
  }
  std::vector<std::uint8_t> all(static_cast<std::size_t>(total));
  require(MPI_Allgatherv(mine.data(), size, MPI_BYTE, all.data(), sizes.data(), displs.data(), MPI_BYTE,
                         MPI_COMM_WORLD),
          "MPI_Allgatherv");
  return all;
}

}  // namespace

bool built_with_mpi() { return true; }

struct MpiSession::Impl {
  bool joined = false;
  int rank = 0, size = 1;
  Cluster cluster;
};

MpiSession::MpiSession(int& argc, char**& argv) : impl_(std::make_unique<Impl>()) {
  if (!started_by_mpi_launcher()) return;
  int provided = 0;
  // Serialized: collectives are called by whichever thread runs the search, one at a time.
  require(MPI_Init_thread(&argc, &argv, MPI_THREAD_SERIALIZED, &provided), "MPI_Init_thread");
  impl_->joined = true;
  if (provided < MPI_THREAD_SERIALIZED) throw std::runtime_error("faultline: this MPI library is not thread-safe");
  MPI_Comm_rank(MPI_COMM_WORLD, &impl_->rank);
  MPI_Comm_size(MPI_COMM_WORLD, &impl_->size);
  Cluster& c = impl_->cluster;
  c.rank = impl_->rank;
  c.size = impl_->size;
  const int ranks = impl_->size;
  // Bytes per pair of ranks per pass: under 1 GiB received per rank. The tests set it small to force many passes.
  std::uint64_t piece = (std::uint64_t{1} << 30) / static_cast<std::uint64_t>(ranks);
  if (const char* forced = std::getenv("FAULTLINE_MPI_PASS_BYTES")) piece = std::max(1ull, std::strtoull(forced, nullptr, 10));
  c.exchange = [ranks, piece](const std::vector<std::uint8_t>& out, const std::vector<std::uint64_t>& counts) {
    return exchange(out, counts, ranks, piece);
  };
  c.sum = [](std::vector<std::uint64_t>& v) {
    require(MPI_Allreduce(MPI_IN_PLACE, v.data(), static_cast<int>(v.size()), MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD),
            "MPI_Allreduce");
  };
  c.max = [](std::vector<std::uint64_t>& v) {
    require(MPI_Allreduce(MPI_IN_PLACE, v.data(), static_cast<int>(v.size()), MPI_UINT64_T, MPI_MAX, MPI_COMM_WORLD),
            "MPI_Allreduce");
  };
  c.gather = [ranks](const std::vector<std::uint8_t>& mine) { return gather(mine, ranks); };
  c.broadcast = [](std::uint64_t value, int root) {
    require(MPI_Bcast(&value, 1, MPI_UINT64_T, root, MPI_COMM_WORLD), "MPI_Bcast");
    return value;
  };
}

MpiSession::~MpiSession() {
  if (impl_->joined) MPI_Finalize();
}

const Cluster* MpiSession::cluster() const { return impl_->size > 1 ? &impl_->cluster : nullptr; }
int MpiSession::rank() const { return impl_->rank; }
int MpiSession::size() const { return impl_->size; }

void MpiSession::abort(int code) const {
  if (impl_->joined) MPI_Abort(MPI_COMM_WORLD, code);
  std::exit(code);
}

}  // namespace mc::program
