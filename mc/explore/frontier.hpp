// The BFS frontier as compact byte arenas: each state is its key and canonical bytes, nothing decoded.
// Each worker appends to its own block, so building the next level needs no locks and no serial merge.
#pragma once

#include "mc/core/fingerprint.hpp"

#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace mc {

class FrontierBlock {
 public:
  /// A state's record: fingerprint, length (its top bit set when an extension word follows), [extension], bytes.
  void push(const StateKey& key, const std::uint8_t* bytes, std::size_t size) {
    offsets_.push_back(data_.size());
    const auto len = static_cast<std::uint32_t>(size) | (key.ext ? extended : 0);
    std::uint8_t header[sizeof key.fp + sizeof len + sizeof key.ext];
    std::memcpy(header, &key.fp, sizeof key.fp);
    std::memcpy(header + sizeof key.fp, &len, sizeof len);
    // insert, not resize: no zero-filling
    if (key.ext == 0) {
      data_.insert(data_.end(), header, header + sizeof key.fp + sizeof len);
    } else {
      std::memcpy(header + sizeof key.fp + sizeof len, &key.ext, sizeof key.ext);
      data_.insert(data_.end(), header, header + sizeof header);
    }
    data_.insert(data_.end(), bytes, bytes + size);
  }

  std::size_t size() const { return offsets_.size(); }
  bool empty() const { return offsets_.empty(); }
  std::size_t bytes() const { return data_.capacity() + offsets_.capacity() * sizeof(std::uint64_t); }
  /// The states' keys, lengths and bytes (what expanding them reads).
  std::size_t payload_bytes() const { return data_.size(); }

  StateKey key(std::size_t i) const {
    StateKey k;
    const std::uint8_t* p = data_.data() + offsets_[i];
    std::memcpy(&k.fp, p, sizeof k.fp);
    if (length_word(p) & extended) std::memcpy(&k.ext, p + sizeof k.fp + sizeof(std::uint32_t), sizeof k.ext);
    return k;
  }

  std::string_view state(std::size_t i) const {
    const std::uint8_t* p = data_.data() + offsets_[i];
    const std::uint32_t len = length_word(p);
    const std::size_t header = sizeof(Fingerprint) + sizeof len + (len & extended ? sizeof(std::uint64_t) : 0);
    return {reinterpret_cast<const char*>(p + header), len & ~extended};
  }

  void clear() {
    data_.clear();
    offsets_.clear();
  }

 private:
  static constexpr std::uint32_t extended = std::uint32_t{1} << 31;

  static std::uint32_t length_word(const std::uint8_t* record) {
    std::uint32_t len;
    std::memcpy(&len, record + sizeof(Fingerprint), sizeof len);
    return len;
  }

  std::vector<std::uint8_t> data_;
  std::vector<std::uint64_t> offsets_;
};

}  // namespace mc
