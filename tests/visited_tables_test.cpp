// The explorer's stores under concurrent inserts and growth: the level table (minimum-parent rule), the visited
// set of fingerprints, the on-disk parent log (each with 64-bit keys and with 128-bit keys whose first words
// collide: what `--fingerprint 128` is for), the exact store, whose states may share a whole fingerprint, and the
// frontier's blocks, whose records must stay where they were written while the block grows.
#include "mc/core/splitmix.hpp"
#include "mc/explore/exact_store.hpp"
#include "mc/explore/frontier.hpp"
#include "mc/explore/level_table.hpp"
#include "mc/explore/parent_log.hpp"
#include "mc/explore/visited_set.hpp"

#include <catch2/catch.hpp>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace {

/// Distinct pseudo-random 63-bit fingerprints (splitmix64), never 0 or the root marker.
std::vector<mc::Fingerprint> fingerprints(std::size_t n, std::uint64_t seed) {
  std::vector<mc::Fingerprint> v(n);
  mc::SplitMix64 draws{seed};
  for (auto& f : v) f = (draws.next() & mc::fingerprint_mask) | 2;
  return v;
}

/// Distinct keys. With `wide`, keys come in pairs that share the fingerprint and differ in the extension word only,
/// as two states would whose 64-bit fingerprints collide.
std::vector<mc::StateKey> make_keys(std::size_t n, std::uint64_t seed, bool wide) {
  const auto fps = fingerprints(n, seed), exts = fingerprints(n, seed + 1000);
  std::vector<mc::StateKey> keys(n);
  for (std::size_t i = 0; i < n; ++i) keys[i] = wide ? mc::StateKey{fps[i / 2], exts[i]} : mc::StateKey{fps[i], 0};
  return keys;
}

/// Parent number `x` as a key; with `wide`, groups of 7 share the fingerprint, so the extension decides the minimum.
mc::StateKey parent_key(std::uint64_t x, bool wide) {
  return wide ? mc::StateKey{10 + x / 7, 1 + (x * 5) % 7} : mc::StateKey{10 + x, 0};
}

}  // namespace

TEST_CASE("splitmix64 draws what the reference implementation draws", "[table]") {
  // The first values from seed 1477776061723855037, as listed (from Vigna's splitmix64.c) by the rand_xoshiro crate's
  // test `reference`: the fingerprints here, random walks, `run`'s timers and fault schedules all draw from this.
  mc::SplitMix64 draws{1477776061723855037ull};
  for (const std::uint64_t expected : {1985237415132408290ull, 2979275885539914483ull, 13511426838097143398ull,
                                       8488337342461049707ull, 15141737807933549159ull})
    REQUIRE(draws.next() == expected);
  REQUIRE(mc::splitmix64(1477776061723855037ull) == 1985237415132408290ull);
}

TEST_CASE("concurrent inserts of overlapping keys: each key is new exactly once, none lost", "[table]") {
  const bool wide = GENERATE(false, true);
  tbb::global_control gc(tbb::global_control::max_allowed_parallelism, 8);
  const auto keys = make_keys(200000, 42, wide);
  mc::LevelTable table(std::size_t{1} << 19, wide);
  std::vector<std::atomic<int>> wins(keys.size());
  tbb::task_arena arena(8);
  arena.execute([&] {
    // Every key is inserted by 4 different tasks, in different orders.
    tbb::parallel_for(std::size_t{0}, keys.size() * 4, [&](std::size_t i) {
      const std::size_t k = (i * 7919) % keys.size();
      if (table.insert(keys[k], parent_key(1000 + i, wide))) wins[k].fetch_add(1);
    });
  });
  std::size_t once = 0;
  for (auto& w : wins) once += w.load() == 1;
  CHECK(once == keys.size());
  for (auto k : keys) REQUIRE(table.contains(k));
  CHECK_FALSE(table.contains(make_keys(1, 7, wide)[0]));
  if (wide) CHECK_FALSE(table.contains({keys[0].fp, keys[0].ext + 1}));  // same first word, another key
}

TEST_CASE("a key keeps the smallest parent offered, whatever the order", "[table]") {
  const bool wide = GENERATE(false, true);
  const mc::StateKey key{100, wide ? 5u : 0u};
  mc::LevelTable table(16, wide);
  CHECK(table.insert(key, parent_key(50, wide)));
  mc::StateKey lowest = parent_key(50, wide);
  // With wide keys 15, 17 and 20 share a fingerprint: their extensions decide (17's is the smallest).
  for (std::uint64_t x : {70, 20, 30, 15, 17}) {
    CHECK_FALSE(table.insert(key, parent_key(x, wide)));
    lowest = std::min(lowest, parent_key(x, wide));
  }
  CHECK(*table.parent_of(key) == lowest);
  CHECK(lowest == parent_key(wide ? 17 : 15, wide));
  if (wide) {
    // A second key with the same first word is a state of its own, with its own parent.
    CHECK(table.insert({100, 6}, parent_key(90, wide)));
    CHECK(*table.parent_of({100, 6}) == parent_key(90, wide));
    CHECK(*table.parent_of(key) == lowest);
  }
  table.clear();
  CHECK_FALSE(table.contains(key));
  CHECK(table.insert(key, parent_key(90, wide)));
  CHECK(*table.parent_of(key) == parent_key(90, wide));
}

TEST_CASE("concurrent offers of parents leave the minimum", "[table]") {
  const bool wide = GENERATE(false, true);
  tbb::global_control gc(tbb::global_control::max_allowed_parallelism, 8);
  const auto keys = make_keys(5000, 5, wide);
  mc::LevelTable table(std::size_t{1} << 14, wide);
  tbb::task_arena arena(8);
  const auto offer = [&](std::size_t i) { return parent_key((i * 2654435761u) % 100000, wide); };
  arena.execute([&] {
    tbb::parallel_for(std::size_t{0}, keys.size() * 16,
                      [&](std::size_t i) { table.insert(keys[i % keys.size()], offer(i)); });
  });
  for (std::size_t k = 0; k < keys.size(); ++k) {
    mc::StateKey lowest{~0ull, ~0ull};
    for (std::size_t j = 0; j < 16; ++j) lowest = std::min(lowest, offer(k + j * keys.size()));
    REQUIRE(*table.parent_of(keys[k]) == lowest);
  }
}

TEST_CASE("growing keeps every key and its parent", "[table]") {
  const bool wide = GENERATE(false, true);
  const auto keys = make_keys(40000, 9, wide);
  mc::LevelTable table(std::size_t{1} << 16, wide);
  for (std::size_t i = 0; i < keys.size(); ++i) table.insert(keys[i], parent_key(i + 1, wide));
  table.grow(std::size_t{1} << 18);
  CHECK(table.capacity() == (std::size_t{1} << 18));
  CHECK(table.bytes() == (std::size_t{1} << 18) * (wide ? 32 : 16));
  for (std::size_t i = 0; i < keys.size(); ++i) {
    REQUIRE(table.contains(keys[i]));
    REQUIRE(*table.parent_of(keys[i]) == parent_key(i + 1, wide));
  }
}

TEST_CASE("a full table reports overflow instead of spinning", "[table]") {
  const bool wide = GENERATE(false, true);
  mc::LevelTable table(4, wide);
  const auto keys = make_keys(5, 3, wide);
  for (int i = 0; i < 4; ++i) table.insert(keys[static_cast<std::size_t>(i)], parent_key(1, wide));
  CHECK_THROWS_AS(table.insert(keys[4], parent_key(1, wide)), std::length_error);
}

TEST_CASE("lower_if_present lowers a present key's parent and never adds a key, also racing with inserts", "[table]") {
  const bool wide = GENERATE(false, true);
  const auto keys = make_keys(4000, 11, wide);
  const std::size_t half = keys.size() / 2;
  const auto lower_if_present = [wide](mc::LevelTable& t, const mc::StateKey& key, const mc::StateKey& parent) {
    return wide ? t.lower_if_present<true>(key, parent) : t.lower_if_present<false>(key, parent);
  };
  {
    mc::LevelTable table(std::size_t{1} << 13, wide);
    for (std::size_t i = 0; i < half; ++i) table.insert(keys[i], parent_key(500, wide));
    for (std::size_t i = 0; i < keys.size(); ++i)
      REQUIRE(lower_if_present(table, keys[i], parent_key(i % 1000, wide)) == (i < half));
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (i >= half) {
        REQUIRE_FALSE(table.contains(keys[i]));
        continue;
      }
      REQUIRE(*table.parent_of(keys[i]) == std::min(parent_key(500, wide), parent_key(i % 1000, wide)));
    }
  }
  // Inserts and lookups of the same keys at once: the parent kept is the least of those inserted and those a
  // successful lookup offered.
  tbb::global_control gc(tbb::global_control::max_allowed_parallelism, 8);
  mc::LevelTable table(std::size_t{1} << 13, wide);
  const auto offer = [&](std::size_t i) { return parent_key((i * 2654435761u) % 100000, wide); };
  constexpr std::size_t rounds = 8;
  std::vector<std::atomic<bool>> taken(keys.size() * rounds);
  tbb::task_arena arena(8);
  arena.execute([&] {
    tbb::parallel_for(std::size_t{0}, keys.size() * rounds, [&](std::size_t i) {
      const std::size_t k = i % keys.size();
      if (i / keys.size() % 2 == 0) table.insert(keys[k], offer(i));
      else taken[i] = lower_if_present(table, keys[k], offer(i));
    });
  });
  for (std::size_t k = 0; k < keys.size(); ++k) {
    mc::StateKey lowest{~0ull, ~0ull};
    for (std::size_t j = 0; j < rounds; ++j) {
      const std::size_t i = k + j * keys.size();
      if (j % 2 == 0 || taken[i]) lowest = std::min(lowest, offer(i));
    }
    REQUIRE(*table.parent_of(keys[k]) == lowest);
  }
  mc::LevelTable full(4, wide);
  for (std::size_t i = 0; i < 4; ++i) full.insert(keys[i], parent_key(1, wide));
  CHECK_FALSE(lower_if_present(full, keys[4], parent_key(1, wide)));  // probes the whole table, then says absent
}

TEST_CASE("a fixed-length fingerprint is the fingerprint of those bytes, in each of XXH3's length classes",
          "[table]") {
  std::vector<std::uint8_t> bytes(300);
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(i * 37 + 11);
  const auto same = [&]<std::size_t N>() {
    return mc::fingerprint_fixed<N>(bytes.data()) == mc::fingerprint_bytes(bytes.data(), N);
  };
  CHECK(same.operator()<1>());
  CHECK(same.operator()<8>());
  CHECK(same.operator()<16>());
  CHECK(same.operator()<17>());
  CHECK(same.operator()<128>());
  CHECK(same.operator()<200>());
  CHECK(same.operator()<300>());
  CHECK(mc::fingerprint_fixed<16>(bytes.data()) != mc::fingerprint_fixed<16>(bytes.data() + 1));
}

TEST_CASE("table memory is zeroed, line-aligned and writable to its last byte, small or on huge pages", "[table]") {
  for (const std::size_t bytes : {std::size_t{0}, std::size_t{100}, (std::size_t{2} << 20) - 1, std::size_t{2} << 20,
                                  (std::size_t{5} << 20) + 3}) {
    mc::TableMemory memory(bytes);
    const auto* p = static_cast<unsigned char*>(memory.data());
    REQUIRE(p != nullptr);
    CHECK(reinterpret_cast<std::uintptr_t>(p) % 64 == 0);
    std::size_t nonzero = 0;
    for (std::size_t i = 0; i < bytes; ++i) nonzero += p[i] != 0;
    CHECK(nonzero == 0);
    if (bytes) static_cast<unsigned char*>(memory.data())[bytes - 1] = 1;
    mc::TableMemory moved = std::move(memory);
    if (bytes) CHECK(static_cast<unsigned char*>(moved.data())[bytes - 1] == 1);
  }
}

TEST_CASE("table memory grows keeping its bytes, the rest zeroed, whether copied or moved by the kernel", "[table]") {
  constexpr std::size_t mib = std::size_t{1} << 20;
  // Small to small and small to mapped are copied; mapped to mapped is moved (by more, and by a few pages).
  const std::pair<std::size_t, std::size_t> growths[] = {
      {0, 100}, {100, 5000}, {1000, 3 * mib}, {3 * mib, 9 * mib + 5}, {9 * mib + 5, 9 * mib + 3 * 4096}};
  mc::TableMemory memory;
  for (const auto& [before, after] : growths) {
    auto* p = static_cast<unsigned char*>(memory.data());
    for (std::size_t i = 0; i < before; ++i) p[i] = static_cast<unsigned char>(i * 7 + 1);
    memory.grow(before, after);
    p = static_cast<unsigned char*>(memory.data());
    REQUIRE(p != nullptr);
    CHECK(reinterpret_cast<std::uintptr_t>(p) % (after >= 2 * mib ? 2 * mib : 64) == 0);
    std::size_t changed = 0, nonzero = 0;
    for (std::size_t i = 0; i < before; ++i) changed += p[i] != static_cast<unsigned char>(i * 7 + 1);
    for (std::size_t i = before; i < after; ++i) nonzero += p[i] != 0;
    CHECK(changed == 0);
    CHECK(nonzero == 0);
    p[after - 1] = 1;  // writable to its last byte
  }
}

TEST_CASE("visited set: growth in place keeps keys that had overflowed their bucket or wrapped past the end",
          "[visited]") {
  const bool wide = GENERATE(false, true);
  tbb::global_control gc(tbb::global_control::max_allowed_parallelism, 4);
  // Clusters of 3000 near-equal fingerprints each fill a run of buckets from one home: at the bottom, in the middle
  // and at the top, whose run wraps round to bucket 0. Random keys fill the rest.
  std::vector<mc::Fingerprint> fps = fingerprints(60000, 91);
  for (std::uint64_t i = 0; i < 3000; ++i) {
    fps.push_back(2 + 4 * i);
    fps.push_back((std::uint64_t{1} << 62) + 4 * i);
    fps.push_back(mc::fingerprint_mask - 1 - 4 * i);
  }
  std::vector<mc::StateKey> keys;  // wide: each fingerprint twice, with two extensions
  for (std::size_t i = 0; i < fps.size(); ++i) {
    keys.push_back({fps[i], wide ? 2 * i + 1 : 0});
    if (wide) keys.push_back({fps[i], 2 * i + 2});
  }
  std::mt19937_64 shuffle(5);
  std::shuffle(keys.begin(), keys.end(), shuffle);
  mc::VisitedSet set(1024, wide);
  std::size_t grew = 0;
  for (std::size_t round = 0; round < 8; ++round) {
    const std::size_t begin = keys.size() * round / 8, end = keys.size() * (round + 1) / 8;
    grew += set.reserve(end - begin) > 0;
    std::size_t fresh = 0;
    for (std::size_t i = begin; i != end; ++i) fresh += set.insert(keys[i]);
    CHECK(fresh == end - begin);
    set.added(fresh);
    std::size_t missing = 0, false_hits = 0;
    for (std::size_t i = 0; i != keys.size(); ++i) {
      const bool in = set.contains(keys[i]);
      missing += i < end && !in;
      false_hits += i >= end && in;
    }
    CHECK(missing == 0);
    CHECK(false_hits == 0);
  }
  CHECK(grew >= 4);
  std::size_t near_misses = 0;  // fingerprints between a cluster's own
  for (std::uint64_t i = 0; i < 3000; ++i)
    near_misses += set.contains({3 + 4 * i, 1}) + set.contains({mc::fingerprint_mask - 2 - 4 * i, 1});
  CHECK(near_misses == 0);
}

TEST_CASE("visited set: concurrent inserts count each key once, growth keeps every key, bytes per key stay bounded",
          "[visited]") {
  const bool wide = GENERATE(false, true);
  tbb::global_control gc(tbb::global_control::max_allowed_parallelism, 8);
  const auto keys = make_keys(300000, 77, wide);
  mc::VisitedSet set(1024, wide);
  std::atomic<std::size_t> wins{0};
  tbb::task_arena arena(8);
  // Rounds as in the explorer: reserve, then insert concurrently (with repeats), then look up.
  for (std::size_t round = 0; round < 6; ++round) {
    const std::size_t begin = keys.size() * round / 6, end = keys.size() * (round + 1) / 6;
    set.reserve(end - begin);
    const std::size_t before = wins.load();
    arena.execute([&] {
      tbb::parallel_for(begin * 3, end * 3, [&](std::size_t i) {
        if (set.insert(keys[begin + (i - begin * 3) % (end - begin)])) wins.fetch_add(1);
      });
    });
    CHECK(wins.load() - before == end - begin);  // each new key won once, though inserted three times
    set.added(wins.load() - before);
    CHECK(set.size() == end);  // and growth (the next reserve) carries the count over
    const double bytes_per_key = static_cast<double>(set.bytes()) / static_cast<double>(set.size());
    CHECK(bytes_per_key <= (wide ? 16 : 8) / mc::VisitedSet::grown_load + 1);
  }
  CHECK(wins.load() == keys.size());
  for (auto k : keys) REQUIRE(set.contains(k));
  for (auto k : make_keys(1000, 78, wide)) REQUIRE_FALSE(set.contains(k));
  if (wide) {
    std::size_t others = 0;  // same first words, other extensions
    for (std::size_t i = 0; i < 1000; ++i) others += set.contains({keys[i].fp, keys[i].ext ^ 4});
    CHECK(others == 0);
  }
}

TEST_CASE("parent log: parents are found by level, and unknown states are not", "[log]") {
  const bool wide = GENERATE(false, true);
  mc::ParentLog log(wide);
  const auto keys = make_keys(200000, 3, wide);
  std::vector<std::uint64_t> level1, level2;
  for (std::size_t i = 0; i < keys.size(); ++i) log.pack(i % 2 ? level2 : level1, keys[i], parent_key(i + 1, wide));
  const std::size_t words = log.record_words(), half = level2.size() / words / 2;
  log.append(1, level1.data(), level1.size() / words);
  log.append(2, level2.data(), half);
  log.append(2, level2.data() + half * words, level2.size() / words - half);
  CHECK(log.bytes() == keys.size() * (wide ? 32 : 16));
  CHECK(*log.parent_of(keys[0], 1) == parent_key(1, wide));
  CHECK(*log.parent_of(keys.back(), 2) == parent_key(keys.size(), wide));
  CHECK(*log.parent_of(keys[199998], 1) == parent_key(199999, wide));
  // With wide keys, keys[1] shares keys[0]'s fingerprint: it is still recorded at level 2 only.
  CHECK_FALSE(log.parent_of(keys[1], 1).has_value());  // recorded at level 2, not 1
  CHECK(*log.parent_of(keys[1], 2) == parent_key(2, wide));
  CHECK_FALSE(log.parent_of(keys[0], 3).has_value());
  // Reading does not disturb later appends.
  std::vector<std::uint64_t> extra;
  log.pack(extra, {12345, wide ? 1u : 0u}, parent_key(6789, wide));
  log.append(3, extra.data(), 1);
  CHECK(*log.parent_of({12345, wide ? 1u : 0u}, 3) == parent_key(6789, wide));
  CHECK(*log.parent_of(keys[2], 1) == parent_key(3, wide));
  std::vector<mc::StateKey> written;  // in the order appended: level 1 (even i), level 2 (odd i), the extra one
  for (std::size_t i = 0; i < keys.size(); i += 2) written.push_back(keys[i]);
  for (std::size_t i = 1; i < keys.size(); i += 2) written.push_back(keys[i]);
  written.push_back({12345, wide ? 1u : 0u});
  std::vector<mc::StateKey> read;
  log.for_each_state([&](const mc::StateKey& k) { read.push_back(k); });
  CHECK(read == written);
}

// The same tables under plain std::threads, for the ThreadSanitizer job (scripts/sanitize.sh thread): oneTBB's
// uninstrumented scheduler would hide or fake the ordering TSan has to see, so these tests use no TBB on the hot path.
TEST_CASE("std::threads racing on the level table: one winner per key, the minimum parent kept", "[tsan][table]") {
  const bool wide = GENERATE(false, true);
  const auto keys = make_keys(20000, 11, wide);
  mc::LevelTable table(std::size_t{1} << 16, wide);
  std::vector<std::atomic<int>> wins(keys.size());
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (std::size_t i = 0; i < keys.size(); ++i) {
        const std::size_t k = (i * 7 + t * 5003) % keys.size();
        if (table.insert(keys[k], parent_key(100 + 3 - t, wide))) wins[k].fetch_add(1);
      }
    });
  for (auto& th : threads) th.join();
  const mc::StateKey lowest = std::min({parent_key(100, wide), parent_key(101, wide), parent_key(102, wide),
                                        parent_key(103, wide)});
  for (std::size_t k = 0; k < keys.size(); ++k) {
    REQUIRE(wins[k].load() == 1);
    REQUIRE(*table.parent_of(keys[k]) == lowest);
  }
}

TEST_CASE("std::threads racing on the visited set: inserts, then concurrent lookups", "[tsan][visited]") {
  const bool wide = GENERATE(false, true);
  const auto keys = make_keys(40000, 12, wide);
  mc::VisitedSet set(1024, wide);
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

namespace {

/// State number `x` as bytes: x itself, then 0 to 16 more bytes (so records of several sizes share the arena).
std::string state_bytes(std::uint64_t x) {
  std::string b(8 + x % 17, static_cast<char>(x % 251));
  std::memcpy(b.data(), &x, sizeof x);
  return b;
}

}  // namespace

TEST_CASE("exact store: concurrent inserts between growths, the least parent kept, whatever the order", "[table]") {
  tbb::global_control gc(tbb::global_control::max_allowed_parallelism, 8);
  tbb::task_arena arena(8);
  mc::ExactStore store;
  // Level 1: initial states. Level 2: 60,000 states, each offered by 4 parents among the level-1 states, in
  // phases of 5,000 with the store grown between them (as the explorer grows it between parallel phases).
  const std::size_t roots = 1000, states = 60000, phase = 5000;
  const auto key = [](std::uint64_t x) {
    const std::string b = state_bytes(x);
    return mc::ExactKey{mc::fingerprint_bytes(reinterpret_cast<const std::uint8_t*>(b.data()), b.size()), b};
  };
  store.grow(roots);
  for (std::uint64_t r = 0; r < roots; ++r) REQUIRE(store.insert(key(r).fp, key(r).bytes, mc::root_fingerprint, {}, 1));
  CHECK_FALSE(store.insert(key(7).fp, key(7).bytes, mc::root_fingerprint, {}, 1));
  const auto offered = [&](std::size_t i) { return ((i + 1) * mc::golden_gamma >> 40) % roots; };
  std::vector<std::atomic<int>> wins(states);
  std::size_t inserted = roots;
  for (std::size_t begin = 0; begin < states; begin += phase) {
    if (!store.fits(inserted + phase)) store.grow(inserted + phase);
    arena.execute([&] {
      tbb::parallel_for(std::size_t{0}, phase * 4, [&](std::size_t i) {
        const mc::ExactKey s = key(roots + begin + i % phase), p = key(offered(begin * 4 + i));
        if (store.insert(s.fp, s.bytes, p.fp, p.bytes, 2)) wins[begin + i % phase].fetch_add(1);
      });
    });
    inserted += phase;
  }
  std::size_t once = 0;
  for (auto& w : wins) once += w.load() == 1;
  CHECK(once == states);
  for (std::size_t begin = 0; begin < states; begin += phase) {
    for (std::size_t k = 0; k < phase; ++k) {
      mc::ExactKey least = key(offered(begin * 4 + k));
      for (std::size_t j = 1; j < 4; ++j) least = std::min(least, key(offered(begin * 4 + k + j * phase)));
      const auto parent = store.parent_of(key(roots + begin + k));
      REQUIRE(parent);
      REQUIRE(*parent == least);
    }
  }
  // An initial state's parent is the root; a state never inserted has none; a later level does not move a parent.
  CHECK(*store.parent_of(key(3)) == mc::ExactKey{mc::root_fingerprint, {}});
  CHECK_FALSE(store.parent_of(key(roots + states)));
  CHECK_FALSE(store.parent_of({key(roots).fp, key(roots).bytes + "x"}));  // its fingerprint, other bytes
  mc::ExactKey least_root = key(0);
  for (std::uint64_t r = 1; r < roots; ++r) least_root = std::min(least_root, key(r));
  std::uint64_t x = roots;
  while (*store.parent_of(key(x)) == least_root) ++x;
  const mc::ExactKey before = *store.parent_of(key(x));
  CHECK_FALSE(store.insert(key(x).fp, key(x).bytes, least_root.fp, least_root.bytes, 3));
  CHECK(*store.parent_of(key(x)) == before);
}

TEST_CASE("exact store: growth in place keeps states whose probes ran far from home or wrapped past the end",
          "[table]") {
  // Homes are a fingerprint's high bits, and fingerprints come from the bytes: states are picked whose fingerprints
  // fall in 1/1024 of the range at the bottom, the middle and the top (whose run of slots wraps round to slot 0),
  // 1,500 each, each cluster filling a run from a few homes. Other states fill the rest. Inserted in rounds, the
  // store grown between them: every state inserted is found after each growth, and no state not yet inserted.
  const auto key = [](std::uint64_t x) {
    const std::string b = state_bytes(x);
    return mc::ExactKey{mc::fingerprint_bytes(reinterpret_cast<const std::uint8_t*>(b.data()), b.size()), b};
  };
  constexpr mc::Fingerprint width = (mc::fingerprint_mask >> 10) + 1, middle = std::uint64_t{1} << 62;
  std::vector<mc::ExactKey> keys, clusters[3];
  for (std::uint64_t x = 0; std::min({clusters[0].size(), clusters[1].size(), clusters[2].size()}) < 1500; ++x) {
    mc::ExactKey k = key(x);
    const int c = k.fp < width ? 0 : k.fp - (middle - width / 2) < width ? 1 : k.fp > mc::fingerprint_mask - width ? 2 : 3;
    if (c < 3 && clusters[c].size() < 1500) clusters[c].push_back(std::move(k));
    else if (c == 3 && keys.size() < 50000) keys.push_back(std::move(k));
  }
  for (auto& c : clusters) keys.insert(keys.end(), c.begin(), c.end());
  std::mt19937_64 shuffle(11);
  std::shuffle(keys.begin(), keys.end(), shuffle);
  mc::ExactStore store;
  std::size_t grew = 0;
  for (std::size_t round = 0; round < 16; ++round) {
    const std::size_t begin = keys.size() * round / 16, end = keys.size() * (round + 1) / 16;
    if (!store.fits(end)) {
      store.grow(end);
      ++grew;
    }
    std::size_t fresh = 0;
    for (std::size_t i = begin; i != end; ++i) fresh += store.insert(keys[i].fp, keys[i].bytes, mc::root_fingerprint, {}, 1);
    CHECK(fresh == end - begin);
    std::size_t missing = 0, false_hits = 0;
    for (std::size_t i = 0; i != keys.size(); ++i) {
      const auto parent = store.parent_of(keys[i]);
      missing += i < end && !(parent && parent->fp == mc::root_fingerprint);
      false_hits += i >= end && parent.has_value();
    }
    CHECK(missing == 0);
    CHECK(false_hits == 0);
  }
  CHECK(grew >= 3);
}

TEST_CASE("frontier block: records keep their key and bytes across segments, and a cleared block reuses its memory",
          "[frontier]") {
  // Sizes from empty to larger than a segment (a megabyte), 64- and 128-bit keys: every record must read back as
  // written, including those written before the block grew, and the payload counts each record's header and bytes.
  const auto fps = fingerprints(3000, 7);
  const auto bytes_of = [](std::size_t i) {
    const std::size_t size = i == 1500 ? (std::size_t{3} << 20) / 2 : i % 97 * 13;
    std::string s(size, '\0');
    for (std::size_t j = 0; j < size; ++j) s[j] = static_cast<char>(i * 31 + j);
    return s;
  };
  const auto key_of = [&](std::size_t i) { return mc::StateKey{fps[i], i % 3 == 0 ? fps[2999 - i] : 0}; };
  mc::FrontierBlock block;
  const auto fill = [&] {
    std::size_t payload = 0;
    for (std::size_t i = 0; i < fps.size(); ++i) {
      const std::string s = bytes_of(i);
      block.push(key_of(i), reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
      payload += 12 + (key_of(i).ext ? 8 : 0) + s.size();
    }
    return payload;
  };
  const std::size_t payload = fill();
  const auto check_records = [&] {
    REQUIRE(block.size() == fps.size());
    for (std::size_t i = 0; i < fps.size(); ++i) {
      REQUIRE(block.key(i) == key_of(i));
      REQUIRE(block.state(i) == bytes_of(i));
    }
  };
  check_records();
  CHECK(block.payload_bytes() == payload);
  CHECK(block.bytes() >= payload);
  const std::size_t held = block.bytes();

  // Moved, the records still point at the same segments; cleared and refilled, no segment is added.
  mc::FrontierBlock moved = std::move(block);
  block = std::move(moved);
  check_records();
  block.clear();
  CHECK(block.empty());
  CHECK(block.payload_bytes() == 0);
  fill();
  check_records();
  CHECK(block.bytes() == held);
}
