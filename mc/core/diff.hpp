// Field-level differences between two states, for traces that show only what an action changed: the one diff that
// `check`, `show`, `replay` and the HTML view print (trace files save it per step). Structs, arrays, variants and
// maps are compared member by member; sets and multisets element by element (`+ added`, `- removed`); sequences
// index by index, with an appended or removed tail; anything else whole.
#pragma once

#include "mc/core/bitset.hpp"
#include "mc/core/encode.hpp"
#include "mc/core/print.hpp"

#include <string>
#include <vector>

namespace mc {

/// One difference: `rmState[2]: working -> prepared` (changed), `network.bag + Prepare n0→n1` (an element added to
/// a set or a sequence's tail: `after` holds it) or `votes - 2` (removed: `before` holds it).
struct FieldChange {
  enum class Edit : std::uint8_t { changed, added, removed };
  std::string path;
  std::string before;
  std::string after;
  Edit edit = Edit::changed;
  bool operator==(const FieldChange&) const = default;
};

/// The line a trace prints for a change (without indentation).
inline std::string change_text(const FieldChange& c) {
  switch (c.edit) {
    case FieldChange::Edit::added: return c.path + " + " + c.after;
    case FieldChange::Edit::removed: return c.path + " - " + c.before;
    case FieldChange::Edit::changed: break;
  }
  return c.path + ": " + c.before + " -> " + c.after;
}

namespace detail {

inline FieldChange added(const std::string& path, std::string what) {
  return {path, {}, std::move(what), FieldChange::Edit::added};
}
inline FieldChange removed(const std::string& path, std::string what) {
  return {path, std::move(what), {}, FieldChange::Edit::removed};
}

template <class T>
void diff_into(std::vector<FieldChange>& out, const std::string& path, const T& a, const T& b) {
  if constexpr (BitSetType<T>) {
    for (unsigned i = 0; i < T::capacity; ++i)
      if (a.contains(i) != b.contains(i))
        out.push_back(a.contains(i) ? removed(path, std::to_string(i)) : added(path, std::to_string(i)));
  } else if constexpr (Reflected<T> && !Describable<T>) {  // a type that describes itself is one value
    for_each_field_pair(a, b, [&](const char* name, const auto& fa, const auto& fb) {
      diff_into(out, path.empty() ? std::string(name) : path + "." + name, fa, fb);
    });
  } else if constexpr (FixedArray<T> || (Sequence<T> && requires(const T& x) { x[0]; })) {
    const std::size_t na = std::ranges::size(a), nb = std::ranges::size(b);
    for (std::size_t i = 0; i < std::min(na, nb); ++i) diff_into(out, fmt::format("{}[{}]", path, i), a[i], b[i]);
    for (std::size_t i = nb; i < na; ++i) out.push_back(removed(fmt::format("{}[{}]", path, i), to_text(a[i])));
    for (std::size_t i = na; i < nb; ++i) out.push_back(added(fmt::format("{}[{}]", path, i), to_text(b[i])));
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
  } else if constexpr (SetLike<T>) {  // sorted: one merge finds what left and what came (copies count, as in a bag)
    auto ia = a.begin();
    auto ib = b.begin();
    const auto cmp = a.key_comp();
    while (ia != a.end() || ib != b.end()) {
      if (ib == b.end() || (ia != a.end() && cmp(*ia, *ib))) out.push_back(removed(path, to_text(*ia++)));
      else if (ia == a.end() || cmp(*ib, *ia)) out.push_back(added(path, to_text(*ib++)));
      else ++ia, ++ib;
    }
  } else {
    if (encode(a) != encode(b)) out.push_back({path, to_text(a), to_text(b)});
  }
}

}  // namespace detail

/// The differences between `before` and `after`, in declaration order.
template <class T>
std::vector<FieldChange> diff(const T& before, const T& after) {
  std::vector<FieldChange> out;
  detail::diff_into(out, std::string{}, before, after);
  return out;
}

}  // namespace mc
