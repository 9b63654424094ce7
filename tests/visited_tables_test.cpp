// The explorer's stores under concurrent inserts and growth: the level table (minimum-parent rule), the visited
// set of fingerprints, and the on-disk parent log.
#include "mc/explore/level_table.hpp"
#include "mc/explore/parent_log.hpp"
#include "mc/explore/visited_set.hpp"

#include <catch2/catch.hpp>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <atomic>
#include <random>
#include <thread>
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
  mc::LevelTable table(std::size_t{1} << 19);
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

TEST_CASE("a key keeps the smallest parent offered, whatever the order", "[table]") {
  mc::LevelTable table;
  CHECK(table.insert(100, 50));
  CHECK_FALSE(table.insert(100, 70));
  CHECK_FALSE(table.insert(100, 20));
  CHECK_FALSE(table.insert(100, 30));
  CHECK(*table.parent_of(100) == 20);
  table.clear();
  CHECK_FALSE(table.contains(100));
  CHECK(table.insert(100, 90));
  CHECK(*table.parent_of(100) == 90);
}

TEST_CASE("concurrent offers of parents leave the minimum", "[table]") {
  tbb::global_control gc(tbb::global_control::max_allowed_parallelism, 8);
  const auto keys = fingerprints(5000, 5);
  mc::LevelTable table(std::size_t{1} << 14);
  tbb::task_arena arena(8);
  arena.execute([&] {
    tbb::parallel_for(std::size_t{0}, keys.size() * 16, [&](std::size_t i) {
      table.insert(keys[i % keys.size()], 10 + (i * 2654435761u) % 100000);
    });
  });
  for (std::size_t k = 0; k < keys.size(); ++k) {
    std::uint64_t lowest = ~0ull;
    for (std::size_t j = 0; j < 16; ++j) lowest = std::min<std::uint64_t>(lowest, 10 + ((k + j * keys.size()) * 2654435761u) % 100000);
    REQUIRE(*table.parent_of(keys[k]) == lowest);
  }
}

TEST_CASE("growing keeps every key and its parent", "[table]") {
  const auto keys = fingerprints(40000, 9);
  mc::LevelTable table(std::size_t{1} << 16);
  for (std::size_t i = 0; i < keys.size(); ++i) table.insert(keys[i], i + 1);
  table.grow(std::size_t{1} << 18);
  CHECK(table.capacity() == (std::size_t{1} << 18));
  for (std::size_t i = 0; i < keys.size(); ++i) {
    REQUIRE(table.contains(keys[i]));
    REQUIRE(*table.parent_of(keys[i]) == i + 1);
  }
}

TEST_CASE("a full table reports overflow instead of spinning", "[table]") {
  mc::LevelTable table(4);
  const auto keys = fingerprints(5, 3);
  for (int i = 0; i < 4; ++i) table.insert(keys[static_cast<std::size_t>(i)], 1);
  CHECK_THROWS_AS(table.insert(keys[4], 1), std::length_error);
}

TEST_CASE("visited set: concurrent inserts count each key once, growth keeps every key, bytes per key stay bounded",
          "[visited]") {
  tbb::global_control gc(tbb::global_control::max_allowed_parallelism, 8);
  const auto keys = fingerprints(300000, 77);
  mc::VisitedSet set;
  std::atomic<std::size_t> wins{0};
  tbb::task_arena arena(8);
  // Rounds as in the explorer: reserve, then insert concurrently (with repeats), then look up.
  for (std::size_t round = 0; round < 6; ++round) {
    const std::size_t begin = keys.size() * round / 6, end = keys.size() * (round + 1) / 6;
    set.reserve(end - begin);
    arena.execute([&] {
      tbb::parallel_for(begin * 3, end * 3, [&](std::size_t i) {
        if (set.insert(keys[begin + (i - begin * 3) % (end - begin)])) wins.fetch_add(1);
      });
    });
    CHECK(set.size() == end);
    const double bytes_per_key = static_cast<double>(set.bytes()) / static_cast<double>(set.size());
    CHECK(bytes_per_key <= 8 / mc::VisitedSet::grown_load + 1);
  }
  CHECK(wins.load() == keys.size());
  for (auto k : keys) REQUIRE(set.contains(k));
  for (auto k : fingerprints(1000, 78)) REQUIRE_FALSE(set.contains(k));
}

TEST_CASE("parent log: parents are found by level, and unknown states are not", "[log]") {
  mc::ParentLog log;
  const auto keys = fingerprints(200000, 3);
  std::vector<mc::ParentLog::Record> level1, level2;
  for (std::size_t i = 0; i < keys.size(); ++i) (i % 2 ? level2 : level1).push_back({keys[i], i + 1});
  log.append(1, level1.data(), level1.size());
  log.append(2, level2.data(), level2.size() / 2);
  log.append(2, level2.data() + level2.size() / 2, level2.size() - level2.size() / 2);
  CHECK(log.bytes() == keys.size() * sizeof(mc::ParentLog::Record));
  CHECK(*log.parent_of(keys[0], 1) == 1);
  CHECK(*log.parent_of(keys.back(), 2) == keys.size());
  CHECK(*log.parent_of(keys[199998], 1) == 199999);
  CHECK_FALSE(log.parent_of(keys[1], 1).has_value());  // recorded at level 2, not 1
  CHECK_FALSE(log.parent_of(keys[0], 3).has_value());
  // Reading does not disturb later appends.
  const mc::ParentLog::Record extra{12345, 6789};
  log.append(3, &extra, 1);
  CHECK(*log.parent_of(12345, 3) == 6789);
  CHECK(*log.parent_of(keys[2], 1) == 3);
}

// The same tables under plain std::threads, for the ThreadSanitizer job (scripts/sanitize.sh thread): oneTBB's
// uninstrumented scheduler would hide or fake the ordering TSan has to see, so these tests use no TBB on the hot path.
TEST_CASE("std::threads racing on the level table: one winner per key, the minimum parent kept", "[tsan][table]") {
  const auto keys = fingerprints(20000, 11);
  mc::LevelTable table(std::size_t{1} << 16);
  std::vector<std::atomic<int>> wins(keys.size());
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (std::size_t i = 0; i < keys.size(); ++i) {
        const std::size_t k = (i * 7 + t * 5003) % keys.size();
        if (table.insert(keys[k], 100 + t)) wins[k].fetch_add(1);
      }
    });
  for (auto& th : threads) th.join();
  for (std::size_t k = 0; k < keys.size(); ++k) {
    REQUIRE(wins[k].load() == 1);
    REQUIRE(*table.parent_of(keys[k]) == 100);
  }
}

TEST_CASE("std::threads racing on the visited set: inserts, then concurrent lookups", "[tsan][visited]") {
  const auto keys = fingerprints(40000, 12);
  mc::VisitedSet set;
  set.reserve(keys.size());
  std::atomic<std::size_t> wins{0};
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (std::size_t i = t; i < keys.size() + t; ++i)
        if (set.insert(keys[i % keys.size()])) wins.fetch_add(1);
    });
  for (auto& th : threads) th.join();
  threads.clear();
  CHECK(wins.load() == keys.size());
  std::atomic<std::size_t> found{0};
  for (unsigned t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (std::size_t i = t; i < keys.size(); i += 4) found.fetch_add(set.contains(keys[i]));
    });
  for (auto& th : threads) th.join();
  CHECK(found.load() == keys.size());
}
