// Human-readable and JSON renderings of model states, derived by reflection.
// Enums print by name when the model provides an ADL `to_string_view(E)`, otherwise as numbers.
#pragma once

#include "mc/core/reflect.hpp"

#include <fmt/format.h>
#include <nlohmann/json_fwd.hpp>

#include <string>

namespace mc {

template <class T>
concept NamedEnum = std::is_enum_v<T> && requires(T e) {
  { to_string_view(e) } -> std::convertible_to<std::string_view>;
};

/// A type that renders itself: an ADL `describe(v)` returning text (handy for action labels like `Prepare(rm=2)`).
template <class T>
concept Describable = requires(const T& v) {
  { describe(v) } -> std::convertible_to<std::string>;
};

/// A type that brings its own fmt::formatter (and is not a reflected struct or container we render ourselves).
template <class T>
concept SelfFormatted = !Reflected<T> && !std::ranges::range<T> && fmt::is_formattable<T>::value;

/// Appends the rendering of `v` to `out`: `{big: 3, small: 0}`, `[a, b]`, `{k: v}`, `none`.
template <class T>
void format_into(std::string& out, const T& v) {
  if constexpr (Describable<T>) {
    out += describe(v);
  } else if constexpr (std::same_as<T, bool>) {
    out += v ? "true" : "false";
  } else if constexpr (NamedEnum<T>) {
    out += to_string_view(v);
  } else if constexpr (std::is_enum_v<T>) {
    fmt::format_to(std::back_inserter(out), "{}", static_cast<std::underlying_type_t<T>>(v));
  } else if constexpr (std::same_as<T, char> || std::same_as<T, signed char> || std::same_as<T, unsigned char>) {
    fmt::format_to(std::back_inserter(out), "{}", static_cast<int>(v));
  } else if constexpr (std::is_integral_v<T>) {
    fmt::format_to(std::back_inserter(out), "{}", v);
  } else if constexpr (Text<T>) {
    out += '"';
    out += v;
    out += '"';
  } else if constexpr (Reflected<T>) {
    out += '{';
    bool first = true;
    for_each_field(v, [&](const char* name, const auto& m) {
      if (!first) out += ", ";
      first = false;
      out += name;
      out += ": ";
      format_into(out, m);
    });
    out += '}';
  } else if constexpr (Optional<T>) {
    if (v) format_into(out, *v);
    else out += "none";
  } else if constexpr (Variant<T>) {
    std::visit([&](const auto& alt) { format_into(out, alt); }, v);
  } else if constexpr (TupleLike<T>) {
    out += '(';
    bool first = true;
    std::apply([&](const auto&... e) { ((out += first ? "" : ", ", first = false, format_into(out, e)), ...); }, v);
    out += ')';
  } else if constexpr (MapLike<T>) {
    out += '{';
    bool first = true;
    for (const auto& [k, m] : v) {
      if (!first) out += ", ";
      first = false;
      format_into(out, k);
      out += ": ";
      format_into(out, m);
    }
    out += '}';
  } else if constexpr (SetLike<T> || Sequence<T>) {
    out += SetLike<T> ? '{' : '[';
    bool first = true;
    for (const auto& e : v) {
      if (!first) out += ", ";
      first = false;
      format_into(out, e);
    }
    out += SetLike<T> ? '}' : ']';
  } else if constexpr (SelfFormatted<T>) {
    fmt::format_to(std::back_inserter(out), "{}", v);
  } else if constexpr (std::is_empty_v<T>) {
    out += "{}";
  } else {
    static_assert(sizeof(T) == 0, "faultline: no way to print this type; declare it with BOOST_HANA_DEFINE_STRUCT "
                                  "or give it an fmt::formatter");
  }
}

/// The one-line rendering of a value.
template <class T>
std::string to_text(const T& v) {
  std::string out;
  format_into(out, v);
  return out;
}

}  // namespace mc
