// Classifies the types a model state may contain, for the generic encoder, printer and diff.
// Everything else in mc/core dispatches on these traits; unsupported types fail here with a fix-it message.
#pragma once

#include <boost/hana/accessors.hpp>
#include <boost/hana/concept/struct.hpp>
#include <boost/hana/for_each.hpp>
#include <boost/hana/first.hpp>
#include <boost/hana/second.hpp>
#include <boost/hana/define_struct.hpp>
#include <boost/hana/core/to.hpp>
#include <boost/hana/string.hpp>

#include <array>
#include <concepts>
#include <cstddef>
#include <optional>
#include <ranges>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>

namespace mc {

/// A struct declared with BOOST_HANA_DEFINE_STRUCT (or adapted): its members are reflected.
template <class T>
concept Reflected = boost::hana::Struct<T>::value;

/// Calls f(name, member) for each member of a reflected struct, by reference, in declaration order.
template <Reflected T, class F>
void for_each_field(T& value, F&& f) {
  boost::hana::for_each(boost::hana::accessors<std::remove_const_t<T>>(), [&](auto pair) {
    f(boost::hana::to<const char*>(boost::hana::first(pair)), boost::hana::second(pair)(value));
  });
}

/// Calls f(name, member_of_a, member_of_b) for each member of two values of one reflected struct.
template <Reflected T, class F>
void for_each_field_pair(const T& a, const T& b, F&& f) {
  boost::hana::for_each(boost::hana::accessors<T>(), [&](auto pair) {
    const auto get = boost::hana::second(pair);
    f(boost::hana::to<const char*>(boost::hana::first(pair)), get(a), get(b));
  });
}

namespace detail {
template <class T> struct is_optional : std::false_type {};
template <class T> struct is_optional<std::optional<T>> : std::true_type {};
template <class T> struct is_variant : std::false_type {};
template <class... T> struct is_variant<std::variant<T...>> : std::true_type {};
template <class T> struct is_pair_or_tuple : std::false_type {};
template <class A, class B> struct is_pair_or_tuple<std::pair<A, B>> : std::true_type {};
template <class... T> struct is_pair_or_tuple<std::tuple<T...>> : std::true_type {};
template <class T> struct is_std_array : std::false_type {};
template <class T, std::size_t N> struct is_std_array<std::array<T, N>> : std::true_type {};
}  // namespace detail

template <class T> concept Optional = detail::is_optional<T>::value;
template <class T> concept Variant = detail::is_variant<T>::value;
template <class T> concept TupleLike = detail::is_pair_or_tuple<T>::value;
template <class T> concept FixedArray = detail::is_std_array<T>::value;
template <class T> concept Text = std::same_as<T, std::string>;

/// Hash-ordered containers have no canonical iteration order.
template <class T>
concept HashContainer = requires { typename T::hasher; typename T::key_equal; };

template <class T>
concept MapLike = !HashContainer<T> && std::ranges::range<T> && requires {
  typename T::key_type;
  typename T::mapped_type;
  typename T::key_compare;
};

template <class T>
concept SetLike = !HashContainer<T> && !MapLike<T> && std::ranges::range<T> && requires {
  typename T::key_type;
  typename T::key_compare;
};

/// Sequences (vector, deque, boost small_vector/static_vector, std::array): order is part of the value.
template <class T>
concept Sequence = !HashContainer<T> && !MapLike<T> && !SetLike<T> && !Text<T> && !Reflected<T> &&
                   std::ranges::range<T> && requires { typename T::value_type; };

/// Sorted containers kept in one sequence (boost's flat sets): copying or decoding one may work on that
/// sequence as on any other, the order being the container's.
template <class T>
concept SortedSequence = requires(T& v) {
  { v.tree().get_sequence_ref() } -> std::same_as<typename T::sequence_type&>;
};

template <class T>
concept Scalar = std::is_integral_v<T> || std::is_enum_v<T>;

/// Fails the build with a message that says what to use instead of an unsupported member type.
template <class T>
constexpr void require_state_type() {
  static_assert(!HashContainer<T>,
                "faultline: unordered containers have no canonical order; use std::map/std::set or "
                "boost::container::flat_map/flat_set in model state");
  static_assert(!std::is_pointer_v<T> && !std::is_member_pointer_v<T>,
                "faultline: pointers cannot be part of model state; store an index or the value itself");
  static_assert(!std::is_floating_point_v<T>,
                "faultline: floating point has no canonical equality (-0.0, NaN); use integers (fixed point)");
  static_assert(!std::is_reference_v<T>, "faultline: references cannot be part of model state");
}

}  // namespace mc
