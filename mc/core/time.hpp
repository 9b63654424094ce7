// Clock readings and timestamps in model state (`mc::Time`), and the shift that keeps them relative to true time.
// Only differences between times mean anything to a protocol, so the explorer stores every Time as an offset from the
// present: a state reached after 3 ticks and the same one after 300 are one state.
#pragma once

#include "mc/core/reflect.hpp"

#include <boost/hana.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <variant>

namespace mc {

/// A point on some clock, in ticks. Actors get Times from their clocks, add durations and compare them; the explorer
/// moves every Time in a state when true time advances.
struct Time {
  BOOST_HANA_DEFINE_STRUCT(Time, (std::int16_t, ticks));

  friend auto operator<=>(const Time&, const Time&) = default;
  friend bool operator==(const Time&, const Time&) = default;
  friend Time operator+(Time t, int d) { return Time{static_cast<std::int16_t>(t.ticks + d)}; }
  friend Time operator-(Time t, int d) { return Time{static_cast<std::int16_t>(t.ticks - d)}; }
  friend int operator-(Time a, Time b) { return a.ticks - b.ticks; }
  /// Relative to the present true time: `t+2`, `t-1`, `t` (so a trace reads without absolute times).
  friend std::string describe(const Time& t) {
    return t.ticks == 0 ? "t" : fmt::format("t{:+}", t.ticks);
  }
};

namespace detail {
template <class T> struct is_pair : std::false_type {};
template <class A, class B> struct is_pair<std::pair<A, B>> : std::true_type {};

template <class T>
constexpr bool holds_time();

template <class... T>
constexpr bool any_holds_time(std::type_identity<std::tuple<T...>>) {
  return (holds_time<std::remove_cvref_t<T>>() || ...);
}
template <class... T>
constexpr bool any_holds_time(std::type_identity<std::variant<T...>>) {
  return (holds_time<std::remove_cvref_t<T>>() || ...);
}
template <class A, class B>
constexpr bool any_holds_time(std::type_identity<std::pair<A, B>>) {
  return holds_time<std::remove_cvref_t<A>>() || holds_time<std::remove_cvref_t<B>>();
}

template <class T>
constexpr bool holds_time() {
  if constexpr (std::same_as<T, Time>) {
    return true;
  } else if constexpr (Reflected<T>) {
    return boost::hana::fold(boost::hana::accessors<T>(), false, [](bool acc, auto pair) {
      using Member = std::remove_cvref_t<decltype(boost::hana::second(pair)(std::declval<T&>()))>;
      return acc || holds_time<Member>();
    });
  } else if constexpr (Optional<T>) {
    return holds_time<typename T::value_type>();
  } else if constexpr (Variant<T> || TupleLike<T>) {
    return any_holds_time(std::type_identity<T>{});
  } else if constexpr (MapLike<T>) {
    return holds_time<typename T::key_type>() || holds_time<typename T::mapped_type>();
  } else if constexpr (std::ranges::range<T> && !Text<T>) {
    return holds_time<std::remove_cvref_t<std::ranges::range_value_t<T>>>();
  } else {
    return false;
  }
}
}  // namespace detail

/// Whether values of T contain an mc::Time anywhere (decided at compile time: the shift skips the rest).
template <class T>
inline constexpr bool holds_time = detail::holds_time<T>();

/// Adds `delta` to every Time in `value`, then raises any below `floor` to it. Raising is the horizon of the
/// abstraction (as in timed automata): a time further in the past than any duration the protocol measures compares
/// the same with every reading as the floor does, so all such times are one.
template <class T>
void shift_times(T& value, int delta, int floor) {
  if constexpr (!holds_time<T>) {
    return;
  } else if constexpr (std::same_as<T, Time>) {
    value.ticks = static_cast<std::int16_t>(std::max(value.ticks + delta, floor));
  } else if constexpr (Reflected<T>) {
    boost::hana::for_each(boost::hana::accessors<T>(), [&](auto pair) {
      shift_times(boost::hana::second(pair)(value), delta, floor);
    });
  } else if constexpr (Optional<T>) {
    if (value) shift_times(*value, delta, floor);
  } else if constexpr (Variant<T>) {
    std::visit([&](auto& v) { shift_times(v, delta, floor); }, value);
  } else if constexpr (TupleLike<T>) {
    std::apply([&](auto&... v) { (shift_times(v, delta, floor), ...); }, value);
  } else if constexpr (MapLike<T>) {
    // Values in place, then the map rebuilt with the shifted keys (their order may change). Moving each value
    // out of the map, not out of a local copy, also keeps GCC 12 from misjudging small_vector's inline buffer.
    for (auto& entry : value) shift_times(entry.second, delta, floor);
    if constexpr (holds_time<std::remove_cvref_t<decltype(value.begin()->first)>>) {  // else the keys stay put
      T shifted;
      for (auto& entry : value) {
        auto key = entry.first;
        shift_times(key, delta, floor);
        shifted.emplace(std::move(key), std::move(entry.second));
      }
      value = std::move(shifted);
    }
  } else if constexpr (SetLike<T>) {
    T shifted;
    for (auto e : value) {
      shift_times(e, delta, floor);
      shifted.insert(std::move(e));
    }
    value = std::move(shifted);
  } else {
    for (auto& e : value) shift_times(e, delta, floor);
  }
}

}  // namespace mc
