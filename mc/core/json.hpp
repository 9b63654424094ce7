// JSON rendering of model states for reports and trace files, derived by reflection.
// Structs become objects (an empty struct `{}`), sequences, sets and bit sets arrays, maps objects keyed by the key's
// text, enums their names where the model names them; only a type that renders itself becomes a string.
#pragma once

#include "mc/core/bitset.hpp"
#include "mc/core/print.hpp"

#include <nlohmann/json.hpp>

namespace mc {

template <class T>
nlohmann::json to_json(const T& v) {
  using nlohmann::json;
  if constexpr (BitSetType<T>) {
    json j = json::array();
    for (unsigned i = 0; i < T::capacity; ++i)
      if (v.contains(i)) j.push_back(i);
    return j;
  } else if constexpr (Describable<T>) {
    return describe(v);  // e.g. an envelope: "Request(key=0, amount=10) n0→n1"
  } else if constexpr (std::same_as<T, bool>) {
    return v;
  } else if constexpr (NamedEnum<T>) {
    return std::string(to_string_view(v));
  } else if constexpr (std::is_enum_v<T>) {
    return static_cast<std::underlying_type_t<T>>(v);
  } else if constexpr (std::is_integral_v<T>) {
    return v;
  } else if constexpr (Text<T>) {
    return v;
  } else if constexpr (Reflected<T>) {
    json j = json::object();
    for_each_field(v, [&](const char* name, const auto& m) { j[name] = to_json(m); });
    return j;
  } else if constexpr (Optional<T>) {
    return v ? to_json(*v) : json(nullptr);
  } else if constexpr (Variant<T>) {
    return std::visit([](const auto& alt) { return to_json(alt); }, v);
  } else if constexpr (TupleLike<T>) {
    json j = json::array();
    std::apply([&](const auto&... e) { (j.push_back(to_json(e)), ...); }, v);
    return j;
  } else if constexpr (MapLike<T>) {
    json j = json::object();
    for (const auto& [k, m] : v) {
      if constexpr (Text<typename T::key_type>) j[k] = to_json(m);
      else j[to_text(k)] = to_json(m);
    }
    return j;
  } else if constexpr (SetLike<T> || Sequence<T>) {
    json j = json::array();
    for (const auto& e : v) j.push_back(to_json(e));
    return j;
  } else if constexpr (std::is_empty_v<T>) {
    return json::object();
  } else {
    return to_text(v);
  }
}

}  // namespace mc
