// Visited set that keeps every state's full canonical encoding: no fingerprint collisions, more memory.
// For tests and for users who distrust hashing; parents follow the same minimum rule as LevelTable.
#pragma once

#include "mc/core/fingerprint.hpp"
#include "mc/explore/table_memory.hpp"

#include <oneapi/tbb/enumerable_thread_specific.h>

#include <algorithm>
#include <bit>
#include <atomic>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace mc {

/// A state's identity on a path: in exact mode its fingerprint (for hashing and ordering) and its bytes; in
/// fingerprint mode the fingerprint alone, with the extension word of a 128-bit key (0 with 64 bits).
struct ExactKey {
  Fingerprint fp = 0;
  std::string bytes;
  std::uint64_t ext = 0;
  auto operator<=>(const ExactKey&) const = default;
};

/// Each state once, as a record in an append-only arena (its parent's record, its level, its bytes), found
/// through an open-addressing table of tagged record addresses. Inserts run in parallel, lock-free; the table
/// grows only between parallel phases (`fits`, `grow`), as the level table does. Nothing is freed one by one:
/// a search of millions of states ends without millions of frees.
class ExactStore {
 public:
  ExactStore() : memory_(initial_slots * sizeof(std::uint64_t)) {
    slots_ = static_cast<std::atomic<std::uint64_t>*>(memory_.data());
    mask_ = initial_slots - 1;
    shift_ = 64 - std::countr_zero(initial_slots);
  }

  /// Prefetches the table line where a lookup of `fp` starts (the explorer does, as it encodes a successor).
  void prefetch(Fingerprint fp) const { __builtin_prefetch(&slots_[home(fp)], 0, 3); }

  /// The parent of the states being inserted (stored before, at the level above; `root_fingerprint` with no bytes
  /// for an initial state), its record looked up once for all of them: a state's successors come together.
  class Parent {
   public:
    Parent(Fingerprint fp, std::string_view bytes) : fp_(fp), bytes_(bytes) {}

   private:
    friend class ExactStore;
    Fingerprint fp_;
    std::string_view bytes_;
    const void* record_ = nullptr;
    bool found_ = false;
  };

  /// Inserts the state; true when new. `level` is the BFS level the state is found at. A fingerprint is
  /// `fingerprint_bytes` of its bytes: growing recomputes it, so that a record need not keep it.
  bool insert(Fingerprint fp, std::string_view bytes, Fingerprint parent_fp, std::string_view parent_bytes,
              std::uint32_t level) {
    Parent parent(parent_fp, parent_bytes);
    return insert(fp, bytes, parent, level);
  }

  bool insert(Fingerprint fp, std::string_view bytes, Parent& parent, std::uint32_t level) {
    Record* mine = nullptr;
    for (std::size_t i = home(fp);; i = (i + 1) & mask_) {
      std::uint64_t slot = slots_[i].load(std::memory_order_acquire);
      if (slot == 0) {
        if (!mine) mine = make_record(bytes, parent_record(parent), level);
        if (slots_[i].compare_exchange_strong(slot, pack(mine, fp), std::memory_order_acq_rel)) return true;
        // Another thread filled the slot first: look at what it put there.
      }
      if (tag_of(slot) != tag(fp)) continue;
      Record* r = record_of(slot);
      if (!same(*r, bytes)) continue;
      if (mine) arenas_.local().undo(*mine);
      if (r->level == level) keep_least_parent(*r, parent);
      return false;
    }
  }

  /// The parent of a stored state; fp == root_fingerprint for an initial state.
  std::optional<ExactKey> parent_of(const ExactKey& key) const {
    const Record* r = find(key.fp, key.bytes);
    if (!r) return std::nullopt;
    const Record* p = r->parent.load(std::memory_order_acquire);
    if (!p) return ExactKey{root_fingerprint, {}};
    return ExactKey{fingerprint_of(*p), std::string(p->view())};
  }

  /// Whether the table can hold `states` (those stored and those about to be, by all threads together).
  bool fits(std::uint64_t states) const { return states <= (mask_ + 1) / 4 * 3; }

  /// Makes room for `states` in all, at least doubling the table. Only while no insert runs.
  void grow(std::uint64_t states) {
    std::size_t slots = (mask_ + 1) * 2;
    while (states > slots / 2) slots *= 2;
    spread(slots);
  }

  /// The memory doubling the table would add (it grows in place).
  std::size_t growth_bytes() const { return (mask_ + 1) * sizeof(std::uint64_t); }

  std::size_t bytes() const {
    std::size_t arena = 0;
    for (const Arena& a : arenas_) arena += a.bytes();
    return (mask_ + 1) * sizeof(std::uint64_t) + arena;
  }

 private:
  static constexpr std::size_t initial_slots = std::size_t{1} << 12;

  /// A stored state: its parent's record (null for an initial state), its level, then its bytes.
  struct Record {
    std::atomic<const Record*> parent;
    std::uint32_t level;
    std::uint32_t size;
    const char* data() const { return reinterpret_cast<const char*>(this + 1); }
    std::string_view view() const { return {data(), size}; }
  };
  static_assert(alignof(Record) == 8 && sizeof(Record) % 8 == 0);

  /// One thread's records, in chunks that never move.
  class Arena {
   public:
    Record* allocate(std::size_t size) {
      const std::size_t need = footprint(size);
      if (!chunk_ || used_ + need > chunk_size_) {
        chunk_size_ = std::max(chunk_bytes, need);
        chunks_.push_back(std::make_unique<std::uint64_t[]>(chunk_size_ / 8));
        chunk_ = reinterpret_cast<char*>(chunks_.back().get());
        used_ = 0;
        total_ += chunk_size_;
      }
      auto* r = reinterpret_cast<Record*>(chunk_ + used_);
      used_ += need;
      return r;
    }
    /// Takes back the record just allocated (an insert that found its state already there).
    void undo(const Record& r) { used_ -= footprint(r.size); }
    std::size_t bytes() const { return total_; }

   private:
    static constexpr std::size_t chunk_bytes = std::size_t{1} << 20;
    static std::size_t footprint(std::size_t size) { return sizeof(Record) + (size + 7) / 8 * 8; }
    std::vector<std::unique_ptr<std::uint64_t[]>> chunks_;
    char* chunk_ = nullptr;
    std::size_t used_ = 0, chunk_size_ = 0, total_ = 0;
  };

  // A slot holds a record's address (below 2^48 in user space) and 16 bits of its fingerprint; 0 is empty. The tag
  // is the fingerprint's low bits: its high bits choose the home, and would tell keys there apart less.
  static constexpr std::uint64_t address_mask = (std::uint64_t{1} << 48) - 1;
  static std::uint64_t tag(Fingerprint fp) { return fp & 0xffff; }
  static std::uint64_t tag_of(std::uint64_t slot) { return slot >> 48; }
  static std::uint64_t pack(const Record* r, Fingerprint fp) {
    return reinterpret_cast<std::uintptr_t>(r) | (tag(fp) << 48);
  }
  static Record* record_of(std::uint64_t slot) { return reinterpret_cast<Record*>(slot & address_mask); }
  static bool same(const Record& r, std::string_view bytes) { return r.view() == bytes; }
  static Fingerprint fingerprint_of(const Record& r) {
    return fingerprint_bytes(reinterpret_cast<const std::uint8_t*>(r.data()), r.size);
  }

  Record* make_record(std::string_view bytes, const Record* parent, std::uint32_t level) {
    Record* r = arenas_.local().allocate(bytes.size());
    r->parent.store(parent, std::memory_order_relaxed);
    r->level = level;
    r->size = static_cast<std::uint32_t>(bytes.size());
    std::memcpy(const_cast<char*>(r->data()), bytes.data(), bytes.size());
    return r;
  }

  const Record* find(Fingerprint fp, std::string_view bytes) const {
    if (fp == root_fingerprint && bytes.empty()) return nullptr;
    for (std::size_t i = home(fp);; i = (i + 1) & mask_) {
      const std::uint64_t slot = slots_[i].load(std::memory_order_acquire);
      if (slot == 0) return nullptr;
      if (tag_of(slot) == tag(fp) && same(*record_of(slot), bytes)) return record_of(slot);
    }
  }

  /// Among parents at the same level the least key (fingerprint, then bytes) wins, whatever the threads' order.
  void keep_least_parent(Record& r, Parent& candidate_parent) {
    const auto key = [](const Record* p) {
      return p ? std::tuple(fingerprint_of(*p), p->view()) : std::tuple(root_fingerprint, std::string_view());
    };
    const Record* current = r.parent.load(std::memory_order_acquire);
    // Offered again by the parent it has (two steps of one state to one successor): nothing to compare.
    if (candidate_parent.found_ && current == candidate_parent.record_) return;
    const auto candidate = std::tuple(candidate_parent.fp_, candidate_parent.bytes_);
    if (!(candidate < key(current))) return;
    const Record* parent = parent_record(candidate_parent);
    while (candidate < key(current) &&
           !r.parent.compare_exchange_weak(current, parent, std::memory_order_acq_rel, std::memory_order_acquire)) {
    }
  }

  const Record* parent_record(Parent& p) const {
    if (!p.found_) {
      p.record_ = find(p.fp_, p.bytes_);
      p.found_ = true;
    }
    return static_cast<const Record*>(p.record_);
  }

  /// Where probing for `fp` starts: its high bits (of 63), so that a key's home only moves up when the table grows.
  std::size_t home(Fingerprint fp) const { return static_cast<std::size_t>((fp << 1) >> shift_); }

  /// Grows the table to `slots` in place and moves every key from where the smaller table put it to where this one
  /// does. A home doubles (or one more), so keys move up: the old slots are emptied from the top down, in bands
  /// [lo, hi) whose keys at home there belong at or above hi, where every slot is already in the new layout. A key
  /// stored in a band but at home below it, or one that would have to wrap past the end, is set aside and inserted
  /// last. A record's fingerprint is recomputed from its bytes, so the records are fetched a few slots early.
  void spread(std::size_t slots) {
    const std::size_t old = mask_ + 1;
    memory_.grow(old * sizeof(std::uint64_t), slots * sizeof(std::uint64_t));
    slots_ = static_cast<std::atomic<std::uint64_t>*>(memory_.data());
    mask_ = slots - 1;
    shift_ = 64 - std::countr_zero(slots);
    const auto word = [&](std::size_t i) -> std::uint64_t& { return reinterpret_cast<std::uint64_t&>(slots_[i]); };
    constexpr std::size_t ahead = 16;
    std::vector<std::uint64_t> aside;
    for (std::size_t hi = old; hi > 0;) {
      const std::size_t lo = hi / 2;  // a key at home in [lo, hi) before is at home at or above 2 lo now
      for (std::size_t k = hi; k-- > lo;) {
        if (k >= ahead)
          if (const std::uint64_t later = word(k - ahead)) __builtin_prefetch(record_of(later), 0, 3);
        const std::uint64_t slot = std::exchange(word(k), 0);
        if (slot == 0) continue;
        std::size_t i = home(fingerprint_of(*record_of(slot)));
        if (i < hi) {
          aside.push_back(slot);
          continue;
        }
        while (i < slots && word(i) != 0) ++i;
        if (i == slots) aside.push_back(slot);
        else word(i) = slot;
      }
      hi = lo;
    }
    for (const std::uint64_t slot : aside) {
      std::size_t i = home(fingerprint_of(*record_of(slot)));
      while (word(i) != 0) i = (i + 1) & mask_;
      word(i) = slot;
    }
  }

  TableMemory memory_;
  std::atomic<std::uint64_t>* slots_ = nullptr;
  std::size_t mask_ = 0;
  int shift_ = 64;
  tbb::enumerable_thread_specific<Arena> arenas_;
};

}  // namespace mc
