// Field-level differences between two states, for traces that show only what an action changed.
// Structs, fixed arrays, equal-length sequences and maps are compared member by member; anything else whole.
#pragma once

#include "mc/core/encode.hpp"
#include "mc/core/print.hpp"

#include <string>
#include <vector>

namespace mc {

/// One changed field: `rmState[2]: working -> prepared`.
struct FieldChange {
  std::string path;
  std::string before;
  std::string after;
  bool operator==(const FieldChange&) const = default;
};

namespace detail {

template <class T>
void diff_into(std::vector<FieldChange>& out, const std::string& path, const T& a, const T& b) {
  if constexpr (Reflected<T> && !Describable<T>) {  // a type that describes itself is one value
    for_each_field_pair(a, b, [&](const char* name, const auto& fa, const auto& fb) {
      diff_into(out, path.empty() ? std::string(name) : path + "." + name, fa, fb);
    });
  } else if constexpr (FixedArray<T> || (Sequence<T> && requires(const T& x) { x[0]; })) {
    if (std::ranges::size(a) != std::ranges::size(b)) {
      if (encode(a) != encode(b)) out.push_back({path, to_text(a), to_text(b)});
      return;
    }
    for (std::size_t i = 0; i < std::ranges::size(a); ++i) diff_into(out, fmt::format("{}[{}]", path, i), a[i], b[i]);
  } else if constexpr (Variant<T>) {
    if (a.index() != b.index()) {
      if (encode(a) != encode(b)) out.push_back({path, to_text(a), to_text(b)});
      return;
    }
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      ((a.index() == I ? (diff_into(out, path, std::get<I>(a), std::get<I>(b)), 0) : 0), ...);
    }(std::make_index_sequence<std::variant_size_v<T>>{});
  } else if constexpr (Optional<T>) {
    if (a && b) diff_into(out, path, *a, *b);
    else if (a.has_value() != b.has_value()) out.push_back({path, to_text(a), to_text(b)});
  } else if constexpr (MapLike<T>) {
    auto ia = a.begin();
    auto ib = b.begin();
    const auto cmp = a.key_comp();
    while (ia != a.end() || ib != b.end()) {
      if (ib == b.end() || (ia != a.end() && cmp(ia->first, ib->first))) {
        out.push_back({fmt::format("{}[{}]", path, to_text(ia->first)), to_text(ia->second), "(absent)"});
        ++ia;
      } else if (ia == a.end() || cmp(ib->first, ia->first)) {
        out.push_back({fmt::format("{}[{}]", path, to_text(ib->first)), "(absent)", to_text(ib->second)});
        ++ib;
      } else {
        diff_into(out, fmt::format("{}[{}]", path, to_text(ia->first)), ia->second, ib->second);
        ++ia;
        ++ib;
      }
    }
  } else {
    if (encode(a) != encode(b)) out.push_back({path, to_text(a), to_text(b)});
  }
}

}  // namespace detail

/// The fields that differ between `before` and `after`, in declaration order.
template <class T>
std::vector<FieldChange> diff(const T& before, const T& after) {
  std::vector<FieldChange> out;
  detail::diff_into(out, std::string{}, before, after);
  return out;
}

}  // namespace mc
