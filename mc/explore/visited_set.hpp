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
#include <new>
#include <stdexcept>

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

  /// Makes room for `more` insertions within the load bound, rehashing (in parallel) into a larger set if needed.
  /// Returns the bytes the larger set needs, or 0 when nothing had to grow; `grow_now` false only asks.
  std::size_t reserve(std::size_t more, bool grow_now = true) {
    const std::size_t want = size() + more;
    if (static_cast<double>(want) <= max_load * static_cast<double>(capacity())) return 0;
    const auto slots = static_cast<std::size_t>(static_cast<double>(want) / grown_load) + 16;
    if (!grow_now) return slots * words_ * sizeof(std::uint64_t);
    VisitedSet bigger(slots, wide());
    const auto rehash = [&]<bool Wide>(std::size_t begin, std::size_t end) {
      for (std::size_t b = begin; b != end; ++b)
        for (std::size_t j = 0; j < bucket_words; j += Wide ? 2 : 1)
          if (const std::uint64_t* k = &buckets_[b].words[j]; *k != 0) bigger.insert<Wide>({k[0], Wide ? k[1] : 0});
    };
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, buckets_count_, 1 << 12), [&](const auto& r) {
      if (wide()) rehash.template operator()<true>(r.begin(), r.end());
      else rehash.template operator()<false>(r.begin(), r.end());
    });
    bigger.added(size());
    std::swap(memory_, bigger.memory_);
    std::swap(buckets_, bigger.buckets_);
    std::swap(buckets_count_, bigger.buckets_count_);
    return slots * words_ * sizeof(std::uint64_t);
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
