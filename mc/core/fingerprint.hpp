// 63-bit fingerprints of canonical state encodings (XXH3), as stored in the visited table, and the 128-bit keys of
// `--fingerprint 128`. The top bit is kept free so tables can tag entries; 0 and the root marker are never produced.
#pragma once

#include "mc/core/encode.hpp"
#include "mc/core/splitmix.hpp"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <cstdint>

namespace mc {

using Fingerprint = std::uint64_t;

inline constexpr Fingerprint fingerprint_mask = (std::uint64_t{1} << 63) - 1;
/// Parent link of an initial state.
inline constexpr Fingerprint root_fingerprint = fingerprint_mask;

inline Fingerprint fingerprint_bytes(const std::uint8_t* data, std::size_t size) {
  Fingerprint f = XXH3_64bits(data, size) & fingerprint_mask;
  return (f == 0 || f == root_fingerprint) ? 1 : f;
}

/// The same for `N` bytes known when compiling (a flat state's encoding): XXH3 inlined for that length alone, where
/// the call above also dispatches on the length at run time.
template <std::size_t N>
[[gnu::flatten]] inline Fingerprint fingerprint_fixed(const std::uint8_t* data) {
  return fingerprint_bytes(data, N);
}

inline Fingerprint fingerprint_bytes(const Bytes& b) { return fingerprint_bytes(b.data(), b.size()); }

/// The second word of a 128-bit fingerprint: an independently seeded XXH3 of the same bytes, never 0. The first
/// word stays the 64-bit mode's fingerprint, so placement, ownership and the order of parents and counterexamples
/// are those of 64-bit mode: the wider key only tells apart states whose first words collide.
inline std::uint64_t fingerprint_extension(const std::uint8_t* data, std::size_t size) {
  const std::uint64_t e = XXH3_64bits_withSeed(data, size, golden_gamma);
  return e == 0 ? 1 : e;
}

/// A state's key in the explorer's stores: its fingerprint and, with 128-bit fingerprints, the extension word
/// (0 in 64-bit mode). Ordered by fingerprint first.
struct StateKey {
  Fingerprint fp = 0;
  std::uint64_t ext = 0;
  friend auto operator<=>(const StateKey&, const StateKey&) = default;
};

/// Parent key of an initial state.
inline constexpr StateKey root_key{root_fingerprint, 0};

/// The key of `size` canonical bytes: 64 bits, or 128 when `wide`.
inline StateKey state_key(const std::uint8_t* data, std::size_t size, bool wide) {
  return {fingerprint_bytes(data, size), wide ? fingerprint_extension(data, size) : 0};
}

template <class T>
Fingerprint fingerprint(const T& v) {
  return fingerprint_bytes(encode(v));
}

}  // namespace mc
