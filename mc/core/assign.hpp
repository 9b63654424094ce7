// Copies one state value over another of the same type, reusing what the target already holds: the explorer
// builds each successor by copying its parent into the previous successor, which differs from it in a few places.
#pragma once

#include "mc/core/reflect.hpp"

#include <boost/container/container_fwd.hpp>
#include <boost/hana/at.hpp>
#include <boost/hana/length.hpp>

#include <concepts>
#include <cstring>
#include <ranges>
#include <type_traits>
#include <variant>

namespace mc {

namespace detail {
/// Sequences that can grow without initialising their new elements (boost's vectors): plain elements are then
/// copied as one block.
template <class T>
concept UninitialisedResize = requires(T& v) { v.resize(std::size_t{}, boost::container::default_init); };
}  // namespace detail

template <class T>
void assign(T& to, const T& from);

namespace detail {
/// Member by member through an index pack, inlined whole (hana::for_each leaves a call per member).
template <class T, std::size_t... I>
[[gnu::always_inline]] inline void assign_members(T& to, const T& from, std::index_sequence<I...>) {
  constexpr auto members = boost::hana::accessors<T>();
  ((assign(boost::hana::second(boost::hana::at_c<I>(members))(to),
           boost::hana::second(boost::hana::at_c<I>(members))(from))),
   ...);
}
}  // namespace detail

/// `to = from`, with the same result, member by member: a plain value is copied whole, a struct, variant or
/// optional member by member where both sides have the same shape, a boost vector of plain elements as one block
/// (an empty one over an empty one costs a test), a vector of structs element by element, a boost flat set as its
/// vector. Generic `operator=` does the rest, after the same test for two empty containers. A state is its
/// reflected members (the encoding carries nothing else), so only those are copied.
template <class T>
[[gnu::always_inline]] inline void assign(T& to, const T& from) {
  if constexpr (std::is_trivially_copyable_v<T>) {
    to = from;
  } else if constexpr (Reflected<T>) {
    constexpr std::size_t members = decltype(boost::hana::length(boost::hana::accessors<T>()))::value;
    detail::assign_members(to, from, std::make_index_sequence<members>{});
  } else if constexpr (Variant<T>) {
    if (to.index() != from.index()) {
      to = from;
      return;
    }
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (void)((from.index() == I && (assign(*std::get_if<I>(&to), *std::get_if<I>(&from)), true)) || ...);
    }(std::make_index_sequence<std::variant_size_v<T>>{});
  } else if constexpr (Optional<T>) {
    if (to && from) assign(*to, *from);
    else to = from;
  } else if constexpr (Sequence<T> && detail::UninitialisedResize<T>) {
    if (from.empty() && to.empty()) return;
    using E = typename T::value_type;
    if constexpr (std::is_trivially_copyable_v<E>) {
      if (to.size() != from.size()) to.resize(from.size(), boost::container::default_init);
      // An empty vector's data() may be null, which memcpy must not be given even for no bytes.
      if (!from.empty()) std::memcpy(to.data(), from.data(), from.size() * sizeof(E));
    } else {
      if (to.size() > from.size()) to.erase(to.begin() + static_cast<std::ptrdiff_t>(from.size()), to.end());
      for (std::size_t i = 0; i < to.size(); ++i) assign(to[i], from[i]);
      for (std::size_t i = to.size(); i < from.size(); ++i) to.push_back(from[i]);
    }
  } else if constexpr (SortedSequence<T>) {
    // Boost 1.74 offers no const accessor to the sequence; `from` is only read.
    assign(to.tree().get_sequence_ref(), const_cast<T&>(from).tree().get_sequence_ref());
  } else if constexpr (std::ranges::sized_range<T>) {
    if (from.empty() && to.empty()) return;
    to = from;
  } else {
    to = from;
  }
}

}  // namespace mc
