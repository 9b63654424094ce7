// The BFS frontier as compact byte arenas: each state is its key and canonical bytes, nothing decoded.
// Each worker appends to its own block, so building the next level needs no locks and no serial merge.
#pragma once

#include "mc/core/fingerprint.hpp"

#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

namespace mc {

class FrontierBlock {
 public:
  FrontierBlock() = default;
  FrontierBlock(FrontierBlock&&) = default;
  FrontierBlock& operator=(FrontierBlock&&) = default;
  FrontierBlock(const FrontierBlock&) = delete;  // the records point into the segments
  FrontierBlock& operator=(const FrontierBlock&) = delete;

  /// A state's record: fingerprint, length (its top bit set when an extension word follows), [extension], bytes.
  void push(const StateKey& key, const std::uint8_t* bytes, std::size_t size) {
    const std::size_t header = sizeof key.fp + sizeof(std::uint32_t) + (key.ext ? sizeof key.ext : 0);
    std::uint8_t* p = room(header + size);
    const auto len = static_cast<std::uint32_t>(size) | (key.ext ? extended : 0);
    std::memcpy(p, &key.fp, sizeof key.fp);
    std::memcpy(p + sizeof key.fp, &len, sizeof len);
    if (key.ext) std::memcpy(p + sizeof key.fp + sizeof len, &key.ext, sizeof key.ext);
    std::memcpy(p + header, bytes, size);
    records_.push_back(p);
  }

  std::size_t size() const { return records_.size(); }
  bool empty() const { return records_.empty(); }
  std::size_t bytes() const {
    std::size_t total = records_.capacity() * sizeof(const std::uint8_t*);
    for (const Segment& s : segments_) total += s.capacity;
    return total;
  }
  /// The states' keys, lengths and bytes (what expanding them reads).
  std::size_t payload_bytes() const { return payload_; }

  StateKey key(std::size_t i) const {
    StateKey k;
    const std::uint8_t* p = records_[i];
    std::memcpy(&k.fp, p, sizeof k.fp);
    if (length_word(p) & extended) std::memcpy(&k.ext, p + sizeof k.fp + sizeof(std::uint32_t), sizeof k.ext);
    return k;
  }

  std::string_view state(std::size_t i) const {
    const std::uint8_t* p = records_[i];
    const std::uint32_t len = length_word(p);
    const std::size_t header = sizeof(Fingerprint) + sizeof len + (len & extended ? sizeof(std::uint64_t) : 0);
    return {reinterpret_cast<const char*>(p + header), len & ~extended};
  }

  /// Empties the block, keeping its segments for the states pushed next.
  void clear() {
    for (Segment& s : segments_) s.used = 0;
    current_ = 0;
    payload_ = 0;
    records_.clear();
  }

 private:
  static constexpr std::uint32_t extended = std::uint32_t{1} << 31;
  // Records go into segments that never move: a block grows by one more segment, not by copying itself into one
  // twice its size (which, for a level's states, was a jump in memory that no limit could see coming).
  static constexpr std::size_t first_segment = std::size_t{1} << 12, largest_segment = std::size_t{1} << 20;

  struct Segment {
    std::unique_ptr<std::uint8_t[]> bytes;
    std::size_t capacity = 0, used = 0;
  };

  static std::uint32_t length_word(const std::uint8_t* record) {
    std::uint32_t len;
    std::memcpy(&len, record + sizeof(Fingerprint), sizeof len);
    return len;
  }

  /// Where the next `n` bytes go: the current segment, or the next one with room.
  std::uint8_t* room(std::size_t n) {
    payload_ += n;
    if (current_ < segments_.size()) {
      Segment& s = segments_[current_];
      if (s.capacity - s.used >= n) {
        std::uint8_t* p = s.bytes.get() + s.used;
        s.used += n;
        return p;
      }
    }
    return next_segment(n);
  }

  std::uint8_t* next_segment(std::size_t n) {
    if (current_ < segments_.size()) ++current_;
    while (current_ < segments_.size() && segments_[current_].capacity < n) ++current_;  // kept ones too small
    if (current_ == segments_.size()) {
      // Doubling up to a bound: small levels take little, large ones grow a megabyte at a time.
      const std::size_t grown =
          segments_.empty() ? first_segment : std::min(2 * segments_.back().capacity, largest_segment);
      const std::size_t capacity = std::max(grown, n);
      segments_.push_back({std::make_unique_for_overwrite<std::uint8_t[]>(capacity), capacity, 0});
    }
    Segment& s = segments_[current_];
    s.used = n;
    return s.bytes.get();
  }

  std::vector<Segment> segments_;
  std::size_t current_ = 0;  ///< the segment being filled
  std::size_t payload_ = 0;
  std::vector<const std::uint8_t*> records_;
};

}  // namespace mc
