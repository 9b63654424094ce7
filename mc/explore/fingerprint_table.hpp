// Lock-free open-addressing set of 63-bit fingerprints, each with its parent's fingerprint (16 bytes a slot).
// Parents are the minimum over same-level predecessors, so traces do not depend on thread scheduling.
#pragma once

#include "mc/core/fingerprint.hpp"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include <atomic>
#include <bit>
#include <cstdlib>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>

namespace mc {

class FingerprintTable {
 public:
  /// Marks a parent link written during the level now being expanded; cleared by `settle`.
  static constexpr std::uint64_t fresh_bit = std::uint64_t{1} << 63;

  explicit FingerprintTable(std::size_t capacity = std::size_t{1} << 16) { allocate(std::bit_ceil(capacity)); }

  /// Inserts `fp` with `parent`; true when it was new. For an entry added during this level, keeps the smaller parent.
  bool insert(Fingerprint fp, Fingerprint parent) {
    std::size_t i = fp & mask_;
    for (std::size_t probes = 0; probes <= mask_; ++probes, i = (i + 1) & mask_) {
      std::atomic_ref<std::uint64_t> key(slots_[i].key);
      std::uint64_t k = key.load(std::memory_order_acquire);
      if (k == 0) {
        if (key.compare_exchange_strong(k, fp, std::memory_order_acq_rel)) {
          std::atomic_ref<std::uint64_t>(slots_[i].parent).store(parent | fresh_bit, std::memory_order_release);
          return true;
        }
      }
      if (k == fp) {
        lower_parent(i, parent);
        return false;
      }
    }
    throw std::length_error("faultline: visited table overflow");
  }

  /// Ends an entry's first level: its parent is final from now on.
  void settle(Fingerprint fp) {
    if (auto i = find(fp)) std::atomic_ref<std::uint64_t>(slots_[*i].parent).fetch_and(~fresh_bit);
  }

  std::optional<Fingerprint> parent_of(Fingerprint fp) const {
    if (auto i = find(fp)) return slots_[*i].parent & ~fresh_bit;
    return std::nullopt;
  }

  bool contains(Fingerprint fp) const { return find(fp).has_value(); }
  std::size_t capacity() const { return mask_ + 1; }
  std::size_t bytes() const { return capacity() * sizeof(Slot); }

  /// Rehashes into `capacity` slots. Not concurrent with inserts: call between rounds of a level.
  void grow(std::size_t capacity) {
    FingerprintTable bigger(capacity);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, this->capacity(), 4096), [&](const auto& r) {
      for (std::size_t i = r.begin(); i != r.end(); ++i) {
        const Slot& s = slots_[i];
        if (s.key != 0) bigger.place(s.key, s.parent);
      }
    });
    std::swap(slots_, bigger.slots_);
    std::swap(mask_, bigger.mask_);
  }

 private:
  struct Slot {
    std::uint64_t key;
    std::uint64_t parent;
  };
  struct Free {
    void operator()(Slot* p) const { std::free(p); }
  };

  void allocate(std::size_t capacity) {
    // calloc: the zero pages are mapped lazily, so a large empty table costs nothing until used.
    slots_.reset(static_cast<Slot*>(std::calloc(capacity, sizeof(Slot))));
    if (!slots_) throw std::bad_alloc();
    mask_ = capacity - 1;
  }

  void place(std::uint64_t key, std::uint64_t parent) {
    for (std::size_t i = key & mask_;; i = (i + 1) & mask_) {
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
    const std::uint64_t candidate = parent | fresh_bit;
    while ((cur & fresh_bit) && candidate < cur &&
           !link.compare_exchange_weak(cur, candidate, std::memory_order_acq_rel)) {
    }
  }

  std::optional<std::size_t> find(Fingerprint fp) const {
    std::size_t i = fp & mask_;
    for (std::size_t probes = 0; probes <= mask_; ++probes, i = (i + 1) & mask_) {
      const std::uint64_t k = slots_[i].key;
      if (k == fp) return i;
      if (k == 0) return std::nullopt;
    }
    return std::nullopt;
  }

  std::unique_ptr<Slot[], Free> slots_;
  std::size_t mask_ = 0;
};

}  // namespace mc
