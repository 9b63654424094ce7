// The visited set of fingerprint mode: every state of the finished BFS levels as one 64-bit word (two with 128-bit
// fingerprints), in buckets of one cache line. Read-only while a level is expanded (no contention on the hot path);
// new states are added between levels.
#pragma once

#include "mc/core/fingerprint.hpp"
#include "mc/explore/table_memory.hpp"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <new>
#include <stdexcept>
#include <vector>

namespace mc {

class VisitedSet {
 public:
  /// Load bounds: the set grows when an insertion round would pass `max_load`, to `grown_load`. The number of buckets
  /// is not a power of two (buckets are chosen by multiply-shift), so bytes per state stay in 8/max_load..8/grown_load
  /// (twice that for 128-bit keys).
  static constexpr double max_load = 0.8;
  static constexpr double grown_load = 0.55;
  static constexpr std::size_t bucket_words = 8;  ///< one 64-byte cache line: 8 fingerprints, or 4 128-bit keys

  /// `wide`: 128-bit keys (fingerprint word, then extension word), 4 to a bucket.
  explicit VisitedSet(std::size_t capacity = 1024, bool wide = false) : words_(wide ? 2 : 1) {
    allocate((std::max<std::size_t>(capacity, 16) * words_ + bucket_words - 1) / bucket_words);
  }

  bool wide() const { return words_ == 2; }

  /// Prefetches the bucket where a lookup of `fp` starts.
  void prefetch(Fingerprint fp) const { __builtin_prefetch(&buckets_[home(fp)], 0, 3); }

  /// Slots of a bucket fill from the left and are never emptied, so a lookup ends at the first bucket with a hole:
  /// with 8 slots per line, almost always the first.
  bool contains(const StateKey& key) const { return wide() ? contains<true>(key) : contains<false>(key); }

  /// The same, for a caller that knows the width (the explorer's hot loop): no test of it per lookup.
  template <bool Wide>
  bool contains(const StateKey& key) const {
    constexpr std::size_t step = Wide ? 2 : 1;
    for (std::size_t b = home(key.fp);; b = next(b)) {
      const Bucket& bucket = buckets_[b];  // no writer while lookups run: inserts happen between levels
      bool hole = false;
      for (std::size_t j = 0; j < bucket_words; j += step) {
        if (bucket.words[j] == key.fp && (!Wide || bucket.words[j + 1] == key.ext)) return true;
        hole |= bucket.words[j] == 0;
      }
      if (hole) return false;
    }
  }

  /// Inserts concurrently with other inserts (never with lookups); true when new. Call `reserve` first, and `added`
  /// with the number of new keys once a round of inserts is over: a counter shared by every insert would bounce its
  /// cache line between the cores on each one (it made two threads' inserts slower than one's).
  bool insert(const StateKey& key) { return wide() ? insert<true>(key) : insert<false>(key); }

  template <bool Wide>
  bool insert(const StateKey& key) {
    constexpr std::size_t step = Wide ? 2 : 1;
    for (std::size_t b = home(key.fp), probes = 0; probes < buckets_count_; ++probes, b = next(b)) {
      for (std::size_t j = 0; j < bucket_words; j += step) {
        std::atomic_ref<std::uint64_t> slot(buckets_[b].words[j]);
        std::uint64_t k = slot.load(std::memory_order_acquire);
        if (k == 0 && slot.compare_exchange_strong(k, key.fp, std::memory_order_acq_rel)) {
          // A 128-bit key is claimed by its first word; its extension (never 0) follows, and another inserter of
          // the same first word waits for it before comparing.
          if (Wide) std::atomic_ref<std::uint64_t>(buckets_[b].words[j + 1]).store(key.ext, std::memory_order_release);
          return true;
        }
        if (k != key.fp) continue;
        if (!Wide) return false;
        std::atomic_ref<std::uint64_t> ext(buckets_[b].words[j + 1]);
        std::uint64_t e = ext.load(std::memory_order_acquire);
        while (e == 0) e = ext.load(std::memory_order_acquire);
        if (e == key.ext) return false;
      }
    }
    throw std::length_error("faultline: visited set overflow");
  }

  /// Records `n` more keys inserted (those `insert` said were new); may be called concurrently.
  void added(std::size_t n) { size_.fetch_add(n, std::memory_order_relaxed); }

  /// Makes room for `more` insertions within the load bound, growing the set in place (in parallel) if needed.
  /// Returns the bytes that growth adds, or 0 when nothing had to grow; `grow_now` false only asks.
  std::size_t reserve(std::size_t more, bool grow_now = true) {
    const std::size_t want = size() + more;
    if (static_cast<double>(want) <= max_load * static_cast<double>(capacity())) return 0;
    const auto slots = static_cast<std::size_t>(static_cast<double>(want) / grown_load) + 16;
    const std::size_t old = buckets_count_, buckets = (slots * words_ + bucket_words - 1) / bucket_words;
    if (!grow_now) return (buckets - old) * sizeof(Bucket);
    memory_.grow(old * sizeof(Bucket), buckets * sizeof(Bucket));
    buckets_ = static_cast<Bucket*>(memory_.data());
    buckets_count_ = buckets;
    if (wide()) spread<true>(old);
    else spread<false>(old);
    return (buckets - old) * sizeof(Bucket);
  }

  std::size_t size() const { return size_.load(std::memory_order_relaxed); }
  std::size_t capacity() const { return buckets_count_ * (bucket_words / words_); }
  std::size_t bytes() const { return buckets_count_ * sizeof(Bucket); }

 private:
  struct alignas(64) Bucket {
    std::uint64_t words[bucket_words];
  };

  void allocate(std::size_t buckets) {
    memory_ = TableMemory(buckets * sizeof(Bucket));
    buckets_ = static_cast<Bucket*>(memory_.data());
    buckets_count_ = buckets;
  }

  /// Moves every key from where a table of `old` buckets put it to where this larger one does, in place. Homes
  /// scale with the table, so keys move up: the old buckets are emptied from the top down, in bands [lo, hi) whose
  /// keys belong at or above hi, where every bucket is already in the new layout (moved there, or new and zero).
  /// A band is spread in parallel, each slice of it into a range of buckets of its own (plain stores, no atomics).
  /// The few keys that belong outside their slice's range (they had overflowed from a home below it, or would run
  /// past its end) are set aside and inserted last.
  template <bool Wide>
  void spread(std::size_t old) {
    const std::size_t count = buckets_count_;
    // The lowest home now of a key whose home was old bucket b.
    const auto lowest_home = [&](std::size_t b) {
      return static_cast<std::size_t>(static_cast<unsigned __int128>(b) * count / old);
    };
    std::mutex aside_lock;
    std::vector<StateKey> aside;
    const auto spread_slice = [&](std::size_t begin, std::size_t end, std::size_t from, std::size_t to) {
      std::vector<StateKey> mine;
      for (std::size_t b = begin; b != end; ++b) {
        const Bucket keys = buckets_[b];
        buckets_[b] = Bucket{};
        for (std::size_t j = 0; j < bucket_words; j += Wide ? 2 : 1)
          if (const StateKey key{keys.words[j], Wide ? keys.words[j + 1] : 0}; key.fp != 0 && !place<Wide>(key, from, to))
            mine.push_back(key);
      }
      if (mine.empty()) return;
      std::lock_guard hold(aside_lock);
      aside.insert(aside.end(), mine.begin(), mine.end());
    };
    for (std::size_t hi = old; hi > 0;) {
      // Keys at home in [lo, hi) have homes at or above hi now.
      const std::size_t lo = std::min(hi - 1, static_cast<std::size_t>(
          (static_cast<unsigned __int128>(hi) * old + count - 1) / count));
      if (hi - lo < (std::size_t{1} << 13)) {
        spread_slice(lo, hi, hi, count);
      } else {
        tbb::parallel_for(tbb::blocked_range<std::size_t>(lo, hi, 1 << 12), [&](const auto& r) {
          // A slice's keys that had not overflowed belong from lowest_home(begin) to lowest_home(end).
          spread_slice(r.begin(), r.end(), std::max(hi, lowest_home(r.begin())), r.end() == hi ? count : lowest_home(r.end()));
        });
      }
      hi = lo;
    }
    for (const StateKey& key : aside) insert<Wide>(key);
  }

  /// Stores a key the set does not hold in the first bucket with room from its home, when that home is at or above
  /// `from` and the bucket is below `to`; false otherwise. For `spread` only: nothing else writes [from, to) then.
  template <bool Wide>
  bool place(const StateKey& key, std::size_t from, std::size_t to) {
    std::size_t b = home(key.fp);
    if (b < from) return false;
    for (; b < to; ++b) {
      std::uint64_t* words = buckets_[b].words;
      for (std::size_t j = 0; j < bucket_words; j += Wide ? 2 : 1)
        if (words[j] == 0) {
          words[j] = key.fp;
          if (Wide) words[j + 1] = key.ext;
          return true;
        }
    }
    return false;
  }

  /// Multiply-shift range reduction of the (63-bit) fingerprint onto [0, buckets).
  std::size_t home(Fingerprint fp) const {
    return static_cast<std::size_t>((static_cast<unsigned __int128>(fp << 1) * buckets_count_) >> 64);
  }
  std::size_t next(std::size_t b) const { return b + 1 == buckets_count_ ? 0 : b + 1; }

  std::size_t words_ = 1;  ///< per key
  TableMemory memory_;
  Bucket* buckets_ = nullptr;
  std::size_t buckets_count_ = 0;
  std::atomic<std::size_t> size_{0};
};

}  // namespace mc
