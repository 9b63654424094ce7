// The processes (ranks) of one distributed exploration and the few collective operations the explorer needs.
// The explorer stays free of MPI: the program supplies these operations over MPI (mc/program/mpi_session.cpp).
#pragma once

#include "mc/core/fingerprint.hpp"

#include <cstdint>
#include <functional>
#include <vector>

namespace mc {

/// Every operation is collective: each rank calls it, in the same order, with its own arguments.
struct Cluster {
  int rank = 0;
  int size = 1;
  /// All-to-all: `outgoing` holds, rank after rank, `counts[r]` bytes for each rank r; returns what every rank
  /// sent to this one, in rank order.
  std::function<std::vector<std::uint8_t>(const std::vector<std::uint8_t>& outgoing,
                                          const std::vector<std::uint64_t>& counts)>
      exchange;
  /// Element-wise sum and maximum over the ranks, in place.
  std::function<void(std::vector<std::uint64_t>&)> sum, max;
  /// Every rank's bytes, concatenated in rank order, on every rank.
  std::function<std::vector<std::uint8_t>(const std::vector<std::uint8_t>&)> gather;
  /// Rank `root`'s value, on every rank.
  std::function<std::uint64_t(std::uint64_t value, int root)> broadcast;
};

/// The rank that stores (and expands) the state with fingerprint `fp`. A mix of all its bits: the visited set
/// indexes by the high bits and the level table by the low ones, so each rank's share still fills them evenly.
inline int owner_of(Fingerprint fp, int ranks) {
  std::uint64_t x = fp;
  x ^= x >> 31;
  x *= 0x7fb5d329728ea185ull;
  x ^= x >> 27;
  x *= 0x81dadef4bc2dd44dull;
  x ^= x >> 33;
  return static_cast<int>(((x >> 32) * static_cast<std::uint64_t>(ranks)) >> 32);
}

}  // namespace mc
