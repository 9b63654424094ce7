// Visited set that keeps every state's full canonical encoding: no fingerprint collisions, more memory.
// For tests and for users who distrust hashing; parents follow the same minimum rule as LevelTable.
#pragma once

#include "mc/core/fingerprint.hpp"

#include <oneapi/tbb/concurrent_hash_map.h>

#include <atomic>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>

namespace mc {

/// A state's identity on a path: in exact mode its fingerprint (for hashing and ordering) and its bytes; in
/// fingerprint mode the fingerprint alone, with the extension word of a 128-bit key (0 with 64 bits).
struct ExactKey {
  Fingerprint fp = 0;
  std::string bytes;
  std::uint64_t ext = 0;
  auto operator<=>(const ExactKey&) const = default;
};

class ExactStore {
 public:
  /// Inserts the state; true when new. `level` is the BFS level the state is found at.
  bool insert(Fingerprint fp, std::string_view bytes, Fingerprint parent_fp, std::string_view parent_bytes,
              std::uint32_t level) {
    Map::accessor acc;
    ExactKey parent{parent_fp, std::string(parent_bytes)};
    if (map_.insert(acc, ExactKey{fp, std::string(bytes)})) {
      acc->second = Node{std::move(parent), level};
      bytes_.fetch_add(2 * bytes.size() + parent_bytes.size() + 96, std::memory_order_relaxed);
      return true;
    }
    if (acc->second.level == level && parent < acc->second.parent) acc->second.parent = std::move(parent);
    return false;
  }

  /// The parent of a stored state; fp == root_fingerprint for an initial state.
  std::optional<ExactKey> parent_of(const ExactKey& key) const {
    Map::const_accessor acc;
    if (!map_.find(acc, key)) return std::nullopt;
    return acc->second.parent;
  }

  std::size_t bytes() const { return bytes_.load(std::memory_order_relaxed); }

 private:
  struct Node {
    ExactKey parent;
    std::uint32_t level = 0;
  };
  struct Hash {
    static std::size_t hash(const ExactKey& k) { return k.fp; }
    static bool equal(const ExactKey& a, const ExactKey& b) { return a.fp == b.fp && a.bytes == b.bytes; }
  };
  using Map = tbb::concurrent_hash_map<ExactKey, Node, Hash>;
  Map map_;
  std::atomic<std::size_t> bytes_{0};
};

}  // namespace mc
