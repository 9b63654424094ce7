// splitmix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014): the one mixer
// and seeded stream behind random walks, `run`'s timers and fault schedules, so a seed means the same draws anywhere.
#pragma once

#include <cstdint>

namespace mc {

/// 2^64 divided by the golden ratio: the odd step that walks every 64-bit value once before it repeats, and the
/// multiplier that spreads small or neighbouring numbers over 64 bits (Fibonacci hashing) where a table or a checksum
/// needs that.
inline constexpr std::uint64_t golden_gamma = 0x9e3779b97f4a7c15ull;

/// Mixes `x`: inputs that differ in one bit give unrelated outputs (seeds of neighbouring walks, for instance).
constexpr std::uint64_t splitmix64(std::uint64_t x) {
  x += golden_gamma;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

/// The splitmix64 stream from a seed: each draw mixes the state, then steps it by the golden gamma.
struct SplitMix64 {
  std::uint64_t state;
  constexpr std::uint64_t next() {
    const std::uint64_t x = state;
    state += golden_gamma;
    return splitmix64(x);
  }
  /// A draw in [0, n) (0 when n is 0); the slight modulo bias does not matter for choosing faults.
  constexpr std::uint64_t below(std::uint64_t n) { return n ? next() % n : 0; }
};

}  // namespace mc
