// The BFS frontier as compact byte arenas: each state is its fingerprint and canonical bytes, nothing decoded.
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
  void push(Fingerprint fp, const std::uint8_t* bytes, std::size_t size) {
    offsets_.push_back(data_.size());
    const auto len = static_cast<std::uint32_t>(size);
    std::uint8_t header[sizeof fp + sizeof len];
    std::memcpy(header, &fp, sizeof fp);
    std::memcpy(header + sizeof fp, &len, sizeof len);
    data_.insert(data_.end(), header, header + sizeof header);  // insert, not resize: no zero-filling
    data_.insert(data_.end(), bytes, bytes + size);
  }

  std::size_t size() const { return offsets_.size(); }
  bool empty() const { return offsets_.empty(); }
  std::size_t bytes() const { return data_.capacity() + offsets_.capacity() * sizeof(std::uint64_t); }
  /// The states' fingerprints, lengths and bytes (what expanding them reads).
  std::size_t payload_bytes() const { return data_.size(); }

  Fingerprint fp(std::size_t i) const {
    Fingerprint f;
    std::memcpy(&f, data_.data() + offsets_[i], sizeof f);
    return f;
  }

  std::string_view state(std::size_t i) const {
    std::uint32_t len;
    const std::uint8_t* p = data_.data() + offsets_[i] + sizeof(Fingerprint);
    std::memcpy(&len, p, sizeof len);
    return {reinterpret_cast<const char*>(p + sizeof len), len};
  }

  void clear() {
    data_.clear();
    offsets_.clear();
  }

 private:
  std::vector<std::uint8_t> data_;
  std::vector<std::uint64_t> offsets_;
};

}  // namespace mc
