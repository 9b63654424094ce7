// The lock-free visited table under concurrent inserts, growth, and the minimum-parent rule.
#include "mc/explore/fingerprint_table.hpp"

#include <catch2/catch.hpp>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <atomic>
#include <random>
#include <vector>

namespace {

/// Distinct pseudo-random 63-bit fingerprints (splitmix64), never 0 or the root marker.
std::vector<mc::Fingerprint> fingerprints(std::size_t n, std::uint64_t seed) {
  std::vector<mc::Fingerprint> v(n);
  std::uint64_t x = seed;
  for (auto& f : v) {
    x += 0x9e3779b97f4a7c15ull;
    std::uint64_t z = x;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    f = ((z ^ (z >> 31)) & mc::fingerprint_mask) | 2;
  }
  return v;
}

}  // namespace

TEST_CASE("concurrent inserts of overlapping keys: each key is new exactly once, none lost", "[table]") {
  tbb::global_control gc(tbb::global_control::max_allowed_parallelism, 8);
  const auto keys = fingerprints(200000, 42);
  mc::FingerprintTable table(std::size_t{1} << 19);
  std::vector<std::atomic<int>> wins(keys.size());
  tbb::task_arena arena(8);
  arena.execute([&] {
    // Every key is inserted by 4 different tasks, in different orders.
    tbb::parallel_for(std::size_t{0}, keys.size() * 4, [&](std::size_t i) {
      const std::size_t k = (i * 7919) % keys.size();
      if (table.insert(keys[k], 1000 + i)) wins[k].fetch_add(1);
    });
  });
  std::size_t once = 0;
  for (auto& w : wins) once += w.load() == 1;
  CHECK(once == keys.size());
  for (auto k : keys) REQUIRE(table.contains(k));
  CHECK_FALSE(table.contains(fingerprints(1, 7)[0]));
}

TEST_CASE("a key inserted in the current level keeps the smallest parent offered; a settled one keeps its own", "[table]") {
  mc::FingerprintTable table;
  CHECK(table.insert(100, 50));
  CHECK_FALSE(table.insert(100, 70));
  CHECK_FALSE(table.insert(100, 20));
  CHECK(*table.parent_of(100) == 20);
  table.settle(100);
  CHECK_FALSE(table.insert(100, 5));
  CHECK(*table.parent_of(100) == 20);
}

TEST_CASE("growing keeps every key and its parent", "[table]") {
  const auto keys = fingerprints(40000, 9);
  mc::FingerprintTable table(std::size_t{1} << 16);
  for (std::size_t i = 0; i < keys.size(); ++i) table.insert(keys[i], i + 1);
  table.grow(std::size_t{1} << 18);
  CHECK(table.capacity() == (std::size_t{1} << 18));
  for (std::size_t i = 0; i < keys.size(); ++i) {
    REQUIRE(table.contains(keys[i]));
    REQUIRE(*table.parent_of(keys[i]) == i + 1);
  }
}

TEST_CASE("a full table reports overflow instead of spinning", "[table]") {
  mc::FingerprintTable table(4);
  const auto keys = fingerprints(5, 3);
  for (int i = 0; i < 4; ++i) table.insert(keys[static_cast<std::size_t>(i)], 1);
  CHECK_THROWS_AS(table.insert(keys[4], 1), std::length_error);
}
