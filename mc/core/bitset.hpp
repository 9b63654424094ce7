// A fixed-capacity set of small non-negative integers in one machine word: copies with the state, no heap.
// Reflects as a flat image (fast to encode and hash) and prints as a set, e.g. `{0, 2}`.
#pragma once

#include <bit>
#include <cstdint>
#include <string>
#include <type_traits>

#include <fmt/format.h>

namespace mc {

template <unsigned Capacity>
class BitSet {
  static_assert(Capacity >= 1 && Capacity <= 64, "mc::BitSet holds at most 64 elements");
  using Word = std::conditional_t<(Capacity <= 8), std::uint8_t,
               std::conditional_t<(Capacity <= 16), std::uint16_t,
               std::conditional_t<(Capacity <= 32), std::uint32_t, std::uint64_t>>>;

 public:
  static constexpr unsigned capacity = Capacity;
  constexpr bool contains(unsigned i) const { return (bits_ >> i) & 1u; }
  constexpr void insert(unsigned i) { bits_ = static_cast<Word>(bits_ | (Word{1} << i)); }
  constexpr void erase(unsigned i) { bits_ = static_cast<Word>(bits_ & ~(Word{1} << i)); }
  constexpr void insert_all(const BitSet& o) { bits_ = static_cast<Word>(bits_ | o.bits_); }
  constexpr void erase_all(const BitSet& o) { bits_ = static_cast<Word>(bits_ & ~o.bits_); }
  constexpr unsigned size() const { return static_cast<unsigned>(std::popcount(bits_)); }
  constexpr bool empty() const { return bits_ == 0; }
  /// True when every element of 0..n-1 is present.
  constexpr bool contains_first(unsigned n) const {
    const std::uint64_t all = n >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n) - 1;
    return (static_cast<std::uint64_t>(bits_) & all) == all;
  }
  constexpr auto operator<=>(const BitSet&) const = default;

  friend std::string describe(const BitSet& s) {
    std::string out = "{";
    for (unsigned i = 0; i < Capacity; ++i) {
      if (!s.contains(i)) continue;
      if (out.size() > 1) out += ", ";
      out += fmt::format("{}", i);
    }
    return out + "}";
  }

 private:
  Word bits_ = 0;
};

namespace detail {
template <class T> inline constexpr bool is_bit_set = false;
template <unsigned N> inline constexpr bool is_bit_set<BitSet<N>> = true;
}  // namespace detail

/// An mc::BitSet: a set in traces and JSON (diffed by element, saved as an array), though it prints itself.
template <class T>
concept BitSetType = detail::is_bit_set<T>;

}  // namespace mc
