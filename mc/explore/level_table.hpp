// The states first found in the BFS level being built, each with its parent (16 bytes a slot, 32 with 128-bit keys).
// A state reached from several parents keeps the smallest parent key, so traces do not depend on scheduling.
#pragma once

#include "mc/core/fingerprint.hpp"
#include "mc/explore/table_memory.hpp"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
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
  /// A state and its parent, as swept between rounds.
  struct Entry {
    StateKey key, parent;
  };

  /// `wide`: 128-bit keys, 32-byte slots (key, key extension, parent, parent extension) instead of 16.
  explicit LevelTable(std::size_t capacity = std::size_t{1} << 12, bool wide = false) : words_(wide ? 4 : 2) {
    allocate(std::bit_ceil(capacity));
  }

  bool wide() const { return words_ == 4; }

  void prefetch(Fingerprint fp) const { __builtin_prefetch(&words_at(home(fp))[0], 1, 3); }

  /// Inserts `key` with `parent`; true when it was new, otherwise the entry keeps the smaller of the two parents.
  /// Linear probing over cache-line-aligned slots: most inserts touch one line.
  bool insert(const StateKey& key, const StateKey& parent) {
    return wide() ? insert<true>(key, parent) : insert<false>(key, parent);
  }

  /// The same, for a caller that knows the width (the explorer's hot loop).
  template <bool Wide>
  bool insert(const StateKey& key, const StateKey& parent) {
    return probe<Wide, true>(key, parent) == Found::inserted;
  }

  /// When `key` is in the table, lowers its parent as `insert` does and returns true; never inserts. Safe alongside
  /// inserts: a key being inserted right now may be missed, and the `insert` that follows then finds it.
  template <bool Wide>
  bool lower_if_present(const StateKey& key, const StateKey& parent) {
    return probe<Wide, false>(key, parent) == Found::present;
  }

  std::optional<StateKey> parent_of(const StateKey& key) const {
    std::size_t i = home(key.fp);
    for (std::size_t probes = 0; probes <= mask_; ++probes, i = (i + 1) & mask_) {
      if (occupied(i) && entry(i).key == key) return entry(i).parent;
      if (!occupied(i)) return std::nullopt;
    }
    return std::nullopt;
  }

  bool contains(const StateKey& key) const { return parent_of(key).has_value(); }
  std::size_t capacity() const { return mask_ + 1; }
  std::size_t bytes() const { return capacity() * words_ * sizeof(std::uint64_t); }
  /// The bytes a table of `capacity` slots (rounded up to a power of two) takes.
  std::size_t bytes_for(std::size_t capacity) const { return std::bit_ceil(capacity) * words_ * sizeof(std::uint64_t); }
  /// How many more bytes the table takes after `clear(capacity)` (the old memory goes before the new comes).
  std::size_t growth_of_clear(std::size_t capacity) const {
    return std::bit_ceil(capacity) > this->capacity() ? bytes_for(capacity) - bytes() : 0;
  }
  /// For sweeping the table between rounds: whether slot `i` holds a state, its fingerprint, and the whole entry.
  bool occupied(std::size_t i) const { return words_at(i)[0] != 0; }
  Fingerprint fingerprint_at(std::size_t i) const { return words_at(i)[0]; }
  Entry entry(std::size_t i) const { return wide() ? entry<true>(i) : entry<false>(i); }
  template <bool Wide>
  Entry entry(std::size_t i) const {
    const std::uint64_t* w = slots_ + i * (Wide ? 4 : 2);
    if (!Wide) return {{w[0], 0}, {w[1], 0}};
    return {{w[0], w[1]}, {w[2], w[3]}};
  }

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
    LevelTable bigger(capacity, wide());
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, this->capacity(), 4096), [&](const auto& r) {
      for (std::size_t i = r.begin(); i != r.end(); ++i)
        if (occupied(i)) bigger.place(words_at(i));
    });
    std::swap(memory_, bigger.memory_);
    std::swap(slots_, bigger.slots_);
    std::swap(mask_, bigger.mask_);
    std::swap(shift_, bigger.shift_);
  }

 private:
  /// Set in a wide slot's parent word while one inserter compares and replaces the two-word parent.
  static constexpr std::uint64_t lock_bit = std::uint64_t{1} << 63;

  enum class Found { absent, present, inserted };

  /// Linear probing from the key's home slot: a present key's parent is lowered; an absent one is inserted when
  /// `Insert`.
  template <bool Wide, bool Insert>
  Found probe(const StateKey& key, const StateKey& parent) {
    constexpr std::size_t words = Wide ? 4 : 2, parent_word = words / 2;
    std::size_t i = home(key.fp);
    for (std::size_t probes = 0; probes <= mask_; ++probes, i = (i + 1) & mask_) {
      std::uint64_t* w = slots_ + i * words;
      std::atomic_ref<std::uint64_t> k_ref(w[0]);
      std::uint64_t k = k_ref.load(std::memory_order_acquire);
      if (k == 0 && !Insert) return Found::absent;
      if (k == 0 && k_ref.compare_exchange_strong(k, key.fp, std::memory_order_acq_rel)) {
        // The parent's first word (never 0) is written last: once it is there, the slot is complete.
        if (Wide) {
          std::atomic_ref<std::uint64_t>(w[1]).store(key.ext, std::memory_order_relaxed);
          std::atomic_ref<std::uint64_t>(w[3]).store(parent.ext, std::memory_order_relaxed);
        }
        std::atomic_ref<std::uint64_t>(w[parent_word]).store(parent.fp, std::memory_order_release);
        return Found::inserted;
      }
      if (k != key.fp) continue;
      if (!Wide) {
        lower_parent(i, parent.fp);
        return Found::present;
      }
      wait_for_parent(i);
      if (std::atomic_ref<std::uint64_t>(w[1]).load(std::memory_order_relaxed) != key.ext) continue;
      lower_wide_parent(i, parent);
      return Found::present;
    }
    if (!Insert) return Found::absent;
    throw std::length_error("faultline: level table overflow");
  }

  std::size_t parent_word() const { return words_ / 2; }
  std::uint64_t* words_at(std::size_t i) const { return slots_ + i * words_; }

  void allocate(std::size_t capacity) {
    capacity = std::max<std::size_t>(capacity, 4);
    memory_ = TableMemory();  // an emptied table's memory goes first: its pages are written as the new one comes
    memory_ = TableMemory(capacity * words_ * sizeof(std::uint64_t));
    slots_ = static_cast<std::uint64_t*>(memory_.data());
    mask_ = capacity - 1;
    shift_ = 64 - std::countr_zero(capacity);
  }

  void zero() {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, capacity(), 1 << 14), [&](const auto& r) {
      std::memset(words_at(r.begin()), 0, (r.end() - r.begin()) * words_ * sizeof(std::uint64_t));
    });
  }

  /// Where probing for a key starts: its high bits, in the order the visited set places keys, so that moving a
  /// level into it sweeps both tables forwards instead of writing the visited set at random.
  std::size_t home(Fingerprint fp) const { return static_cast<std::size_t>((fp << 1) >> shift_); }

  void place(const std::uint64_t* from) {
    for (std::size_t i = home(from[0]);; i = (i + 1) & mask_) {
      std::uint64_t expected = 0;
      std::uint64_t* w = words_at(i);
      if (std::atomic_ref<std::uint64_t>(w[0]).compare_exchange_strong(expected, from[0])) {
        std::copy(from + 1, from + words_, w + 1);
        return;
      }
    }
  }

  void lower_parent(std::size_t i, Fingerprint parent) {
    std::atomic_ref<std::uint64_t> link(words_at(i)[1]);
    std::uint64_t cur = link.load(std::memory_order_acquire);
    while (cur == 0) cur = link.load(std::memory_order_acquire);  // the inserter is writing it right now
    while (parent < cur && !link.compare_exchange_weak(cur, parent, std::memory_order_acq_rel)) {
    }
  }

  void wait_for_parent(std::size_t i) const {
    std::atomic_ref<std::uint64_t> link(words_at(i)[parent_word()]);
    while (link.load(std::memory_order_acquire) == 0) {
    }
  }

  /// The two-word parent is replaced under a lock bit in its first word (fingerprints leave the top bit free).
  void lower_wide_parent(std::size_t i, const StateKey& parent) {
    std::uint64_t* w = words_at(i);
    std::atomic_ref<std::uint64_t> link(w[2]);
    for (;;) {
      std::uint64_t cur = link.load(std::memory_order_acquire);
      if (cur & lock_bit) continue;
      if (parent.fp > cur) return;  // larger whatever the extensions
      if (!link.compare_exchange_weak(cur, cur | lock_bit, std::memory_order_acquire)) continue;
      std::atomic_ref<std::uint64_t> ext(w[3]);
      if (parent < StateKey{cur, ext.load(std::memory_order_relaxed)}) {
        ext.store(parent.ext, std::memory_order_relaxed);
        cur = parent.fp;
      }
      link.store(cur, std::memory_order_release);
      return;
    }
  }

  std::size_t words_ = 2;  ///< per slot
  TableMemory memory_;
  std::uint64_t* slots_ = nullptr;
  std::size_t mask_ = 0;
  int shift_ = 64;  ///< 64 - log2(capacity)
};

}  // namespace mc
