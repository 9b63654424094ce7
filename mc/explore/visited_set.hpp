// The visited set of fingerprint mode: every state of the finished BFS levels as one 64-bit word, in buckets of one
// cache line. Read-only while a level is expanded (no contention on the hot path); new states are added between levels.
#pragma once

#include "mc/core/fingerprint.hpp"

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
  /// is not a power of two (buckets are chosen by multiply-shift), so bytes per state stay in 8/max_load..8/grown_load.
  static constexpr double max_load = 0.8;
  static constexpr double grown_load = 0.55;
  static constexpr std::size_t bucket_slots = 8;  ///< 8 fingerprints = one 64-byte cache line

  explicit VisitedSet(std::size_t capacity = 1024) { allocate((std::max<std::size_t>(capacity, 16) + 7) / 8); }

  /// Prefetches the bucket where a lookup of `fp` starts.
  void prefetch(Fingerprint fp) const { __builtin_prefetch(&buckets_[home(fp)], 0, 3); }

  /// Slots of a bucket fill from the left and are never emptied, so a lookup ends at the first bucket with a hole:
  /// with 8 slots per line, almost always the first.
  bool contains(Fingerprint fp) const {
    for (std::size_t b = home(fp);; b = next(b)) {
      const Bucket& bucket = buckets_[b];  // no writer while lookups run: inserts happen between levels
      bool hole = false;
      for (std::size_t j = 0; j < bucket_slots; ++j) {
        if (bucket.keys[j] == fp) return true;
        hole |= bucket.keys[j] == 0;
      }
      if (hole) return false;
    }
  }

  /// Inserts concurrently with other inserts (never with lookups); true when new. Call `reserve` first.
  bool insert(Fingerprint fp) {
    for (std::size_t b = home(fp), probes = 0; probes < buckets_count_; ++probes, b = next(b)) {
      for (std::size_t j = 0; j < bucket_slots; ++j) {
        std::atomic_ref<std::uint64_t> slot(buckets_[b].keys[j]);
        std::uint64_t k = slot.load(std::memory_order_relaxed);
        if (k == 0 && slot.compare_exchange_strong(k, fp, std::memory_order_relaxed)) {
          size_.fetch_add(1, std::memory_order_relaxed);
          return true;
        }
        if (k == fp) return false;
      }
    }
    throw std::length_error("faultline: visited set overflow");
  }

  /// Makes room for `more` insertions within the load bound, rehashing (in parallel) into a larger set if needed.
  /// Returns the bytes the larger set needs, or 0 when nothing had to grow; `grow_now` false only asks.
  std::size_t reserve(std::size_t more, bool grow_now = true) {
    const std::size_t want = size() + more;
    if (static_cast<double>(want) <= max_load * static_cast<double>(capacity())) return 0;
    const auto slots = static_cast<std::size_t>(static_cast<double>(want) / grown_load) + 16;
    if (!grow_now) return slots * sizeof(std::uint64_t);
    VisitedSet bigger(slots);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, buckets_count_, 1 << 12), [&](const auto& r) {
      for (std::size_t b = r.begin(); b != r.end(); ++b)
        for (std::uint64_t k : buckets_[b].keys)
          if (k != 0) bigger.insert(k);
    });
    std::swap(memory_, bigger.memory_);
    std::swap(buckets_, bigger.buckets_);
    std::swap(buckets_count_, bigger.buckets_count_);
    return slots * sizeof(std::uint64_t);
  }

  std::size_t size() const { return size_.load(std::memory_order_relaxed); }
  std::size_t capacity() const { return buckets_count_ * bucket_slots; }
  std::size_t bytes() const { return buckets_count_ * sizeof(Bucket); }

 private:
  struct alignas(64) Bucket {
    std::uint64_t keys[bucket_slots];
  };
  struct Free {
    void operator()(void* p) const { std::free(p); }
  };

  void allocate(std::size_t buckets) {
    // calloc: zero pages are mapped lazily, so an empty set costs nothing until used. One spare line to align.
    memory_.reset(std::calloc(buckets + 1, sizeof(Bucket)));
    if (!memory_) throw std::bad_alloc();
    const auto at = (reinterpret_cast<std::uintptr_t>(memory_.get()) + 63) & ~std::uintptr_t{63};
    buckets_ = reinterpret_cast<Bucket*>(at);
    buckets_count_ = buckets;
  }

  /// Multiply-shift range reduction of the (63-bit) fingerprint onto [0, buckets).
  std::size_t home(Fingerprint fp) const {
    return static_cast<std::size_t>((static_cast<unsigned __int128>(fp << 1) * buckets_count_) >> 64);
  }
  std::size_t next(std::size_t b) const { return b + 1 == buckets_count_ ? 0 : b + 1; }

  std::unique_ptr<void, Free> memory_;
  Bucket* buckets_ = nullptr;
  std::size_t buckets_count_ = 0;
  std::atomic<std::size_t> size_{0};
};

}  // namespace mc
