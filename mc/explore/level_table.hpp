// The states first found in the BFS level being built, each with its parent (16 bytes a slot), lock-free.
// A state reached from several parents keeps the smallest parent fingerprint, so traces do not depend on scheduling.
#pragma once

#include "mc/core/fingerprint.hpp"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include <atomic>
#include <bit>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>

namespace mc {

class LevelTable {
 public:
  struct Slot {
    std::uint64_t key;
    std::uint64_t parent;
  };

  explicit LevelTable(std::size_t capacity = std::size_t{1} << 12) { allocate(std::bit_ceil(capacity)); }

  void prefetch(Fingerprint fp) const { __builtin_prefetch(&slots_[home(fp)], 1, 3); }

  /// Inserts `fp` with `parent`; true when it was new, otherwise the entry keeps the smaller of the two parents.
  /// Linear probing over cache-line-aligned 16-byte slots: most inserts touch one line.
  bool insert(Fingerprint fp, Fingerprint parent) {
    std::size_t i = home(fp);
    for (std::size_t probes = 0; probes <= mask_; ++probes, i = (i + 1) & mask_) {
      std::atomic_ref<std::uint64_t> key(slots_[i].key);
      std::uint64_t k = key.load(std::memory_order_acquire);
      if (k == 0) {
        if (key.compare_exchange_strong(k, fp, std::memory_order_acq_rel)) {
          std::atomic_ref<std::uint64_t>(slots_[i].parent).store(parent, std::memory_order_release);
          return true;
        }
      }
      if (k == fp) {
        lower_parent(i, parent);
        return false;
      }
    }
    throw std::length_error("faultline: level table overflow");
  }

  std::optional<Fingerprint> parent_of(Fingerprint fp) const {
    std::size_t i = home(fp);
    for (std::size_t probes = 0; probes <= mask_; ++probes, i = (i + 1) & mask_) {
      if (slots_[i].key == fp) return slots_[i].parent;
      if (slots_[i].key == 0) return std::nullopt;
    }
    return std::nullopt;
  }

  bool contains(Fingerprint fp) const { return parent_of(fp).has_value(); }
  std::size_t capacity() const { return mask_ + 1; }
  std::size_t bytes() const { return capacity() * sizeof(Slot); }
  /// Slot `i` (key 0: empty), for sweeping the table between rounds.
  const Slot& slot(std::size_t i) const { return slots_[i]; }

  /// Empties the table for the next level, keeping (or, when `capacity` is larger, enlarging) its size.
  void clear(std::size_t capacity = 0) {
    if (std::bit_ceil(capacity) > this->capacity()) {
      allocate(std::bit_ceil(capacity));
      return;
    }
    zero();
  }

  /// Rehashes into `capacity` slots. Not concurrent with inserts: call between rounds of a level.
  void grow(std::size_t capacity) {
    LevelTable bigger(capacity);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, this->capacity(), 4096), [&](const auto& r) {
      for (std::size_t i = r.begin(); i != r.end(); ++i) {
        const Slot& s = slots_[i];
        if (s.key != 0) bigger.place(s.key, s.parent);
      }
    });
    std::swap(memory_, bigger.memory_);
    std::swap(slots_, bigger.slots_);
    std::swap(mask_, bigger.mask_);
  }

 private:
  struct Free {
    void operator()(void* p) const { std::free(p); }
  };

  void allocate(std::size_t capacity) {
    capacity = std::max<std::size_t>(capacity, 4);
    // calloc: the kernel zeroes pages lazily. One spare line to align slots to cache lines, four to a line.
    memory_.reset(std::calloc(capacity + 4, sizeof(Slot)));
    if (!memory_) throw std::bad_alloc();
    slots_ = reinterpret_cast<Slot*>((reinterpret_cast<std::uintptr_t>(memory_.get()) + 63) & ~std::uintptr_t{63});
    mask_ = capacity - 1;
  }

  void zero() {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, capacity(), 1 << 14), [&](const auto& r) {
      std::memset(&slots_[r.begin()], 0, (r.end() - r.begin()) * sizeof(Slot));
    });
  }

  /// Where probing for a key starts (its low bits: the visited set uses the high ones).
  std::size_t home(Fingerprint fp) const { return fp & mask_; }

  void place(std::uint64_t key, std::uint64_t parent) {
    for (std::size_t i = home(key);; i = (i + 1) & mask_) {
      std::uint64_t expected = 0;
      if (std::atomic_ref<std::uint64_t>(slots_[i].key).compare_exchange_strong(expected, key)) {
        slots_[i].parent = parent;
        return;
      }
    }
  }

  void lower_parent(std::size_t i, Fingerprint parent) {
    std::atomic_ref<std::uint64_t> link(slots_[i].parent);
    std::uint64_t cur = link.load(std::memory_order_acquire);
    while (cur == 0) cur = link.load(std::memory_order_acquire);  // the inserter is writing it right now
    while (parent < cur && !link.compare_exchange_weak(cur, parent, std::memory_order_acq_rel)) {
    }
  }

  std::unique_ptr<void, Free> memory_;
  Slot* slots_ = nullptr;
  std::size_t mask_ = 0;
};

}  // namespace mc
