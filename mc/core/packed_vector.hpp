// A short sequence of small values (enums, small integers) packed a few bits each into one machine word.
// A state built from such parts has no padding and no heap: it is copied, encoded and hashed as one flat block.
#pragma once

#include <bit>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <stdexcept>

namespace mc {

/// At most `Capacity` values of `T`, each stored in `Bits` bits (T's values must lie in 0 .. 2^Bits - 1);
/// with its length, everything fits one 64-bit word. Reflects as a sequence: prints `[working, prepared]`.
template <class T, unsigned Capacity, unsigned Bits>
class PackedVector {
  static_assert(Bits >= 1 && Bits <= 16, "mc::PackedVector: 1 to 16 bits per element");
  static constexpr unsigned size_bits = std::bit_width(Capacity);
  static_assert(Capacity * Bits + size_bits <= 64,
                "mc::PackedVector: Capacity * Bits must fit in one 64-bit word with the length; use "
                "boost::container::static_vector for larger sequences");
  static constexpr std::uint64_t element_mask = (std::uint64_t{1} << Bits) - 1;
  static constexpr std::uint64_t size_mask = (std::uint64_t{1} << size_bits) - 1;

 public:
  using value_type = T;
  using size_type = std::size_t;

  class iterator {
   public:
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    iterator() = default;
    iterator(const PackedVector* v, std::size_t i) : v_(v), i_(i) {}
    T operator*() const { return (*v_)[i_]; }
    iterator& operator++() {
      ++i_;
      return *this;
    }
    iterator operator++(int) {
      iterator old = *this;
      ++i_;
      return old;
    }
    bool operator==(const iterator& o) const { return i_ == o.i_; }

   private:
    const PackedVector* v_ = nullptr;
    std::size_t i_ = 0;
  };
  using const_iterator = iterator;

  constexpr PackedVector() = default;
  /// `n` copies of `value`.
  PackedVector(std::size_t n, T value) {
    for (std::size_t i = 0; i < n; ++i) push_back(value);
  }

  std::size_t size() const { return static_cast<std::size_t>(word_ & size_mask); }
  bool empty() const { return size() == 0; }
  static constexpr std::size_t capacity() { return Capacity; }

  T operator[](std::size_t i) const {
    return static_cast<T>((word_ >> (size_bits + i * Bits)) & element_mask);
  }
  void set(std::size_t i, T value) {
    const unsigned at = size_bits + static_cast<unsigned>(i) * Bits;
    word_ = (word_ & ~(element_mask << at)) | ((static_cast<std::uint64_t>(value) & element_mask) << at);
  }
  void push_back(T value) {
    const std::size_t n = size();
    if (n == Capacity) throw std::length_error("mc::PackedVector: full");
    word_ = (word_ & ~size_mask) | (n + 1);
    set(n, value);
  }
  /// Sets the length; new elements are zero (the first enumerator), removed ones are cleared (canonical bytes).
  void resize(std::size_t n) {
    if (n > Capacity) throw std::length_error("mc::PackedVector: full");
    const unsigned keep = size_bits + static_cast<unsigned>(n) * Bits;
    if (keep < 64) word_ &= (std::uint64_t{1} << keep) - 1;
    word_ = (word_ & ~size_mask) | n;
  }
  void clear() { word_ = 0; }

  iterator begin() const { return {this, 0}; }
  iterator end() const { return {this, size()}; }

  auto operator<=>(const PackedVector&) const = default;

 private:
  std::uint64_t word_ = 0;
};

}  // namespace mc
