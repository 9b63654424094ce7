// The unqualified name of a type, from the compiler's own function signature: `Prepare` for `twopc::Prepare`.
// Lets traces name message types without users writing names by hand (no macros, no RTTI).
#pragma once

#include <string_view>

namespace mc {

template <class T>
constexpr std::string_view type_name() {
  std::string_view f = __PRETTY_FUNCTION__;  // "... [with T = ns::Name; std::string_view = ...]"
  const auto start = f.find("T = ") + 4;
  auto end = f.find_first_of(";]", start);
  std::string_view full = f.substr(start, end - start);
  // Drop namespace and enclosing-class qualifiers that are outside any template argument list.
  int depth = 0;
  std::size_t cut = 0;
  for (std::size_t i = 0; i < full.size(); ++i) {
    if (full[i] == '<') ++depth;
    else if (full[i] == '>') --depth;
    else if (depth == 0 && full[i] == ':' && i + 1 < full.size() && full[i + 1] == ':') cut = i + 2;
  }
  return full.substr(cut);
}

}  // namespace mc
