// Message labels for traces: `Prepare(rm=2)`, the message type's own name and its fields.
#pragma once

#include "mc/core/print.hpp"
#include "mc/core/type_name.hpp"

#include <string>

namespace mc {

/// `Prepare(rm=2)`: the message type's name and its fields, or the message's own `describe`.
template <class T>
void describe_message_into(std::string& out, const T& m) {
  if constexpr (Describable<T>) {
    out += describe(m);
  } else if constexpr (Variant<T>) {
    std::visit([&](const auto& alt) { describe_message_into(out, alt); }, m);
  } else if constexpr (Reflected<T>) {
    out += type_name<T>();
    out += '(';
    bool first = true;
    for_each_field(m, [&](const char* name, const auto& v) {
      if (!first) out += ", ";
      first = false;
      out += name;
      out += '=';
      format_into(out, v);
    });
    out += ')';
  } else if constexpr (std::is_empty_v<T> && std::is_class_v<T>) {
    out += type_name<T>();
  } else {
    format_into(out, m);
  }
}

template <class T>
std::string describe_message(const T& m) {
  std::string out;
  describe_message_into(out, m);
  return out;
}

}  // namespace mc
