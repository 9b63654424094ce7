// 63-bit fingerprints of canonical state encodings (XXH3), as stored in the visited table.
// The top bit is kept free so the table can tag entries; 0 and the all-ones root marker are never produced.
#pragma once

#include "mc/core/encode.hpp"

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

inline Fingerprint fingerprint_bytes(const Bytes& b) { return fingerprint_bytes(b.data(), b.size()); }

template <class T>
Fingerprint fingerprint(const T& v) {
  return fingerprint_bytes(encode(v));
}

}  // namespace mc
