// Agreement and validity of decisions (consensus): no two nodes decide differently; only proposed values are decided.
// Written over a range of decision records with a projection to the decided value.
#pragma once

#include <algorithm>
#include <functional>

namespace properties {

/// No two decisions in `decisions` carry different values.
template <class Range, class Value = std::identity>
bool agreement(const Range& decisions, Value value = {}) {
  auto it = std::begin(decisions);
  if (it == std::end(decisions)) return true;
  const auto first = std::invoke(value, *it);
  return std::all_of(it, std::end(decisions), [&](const auto& d) { return std::invoke(value, d) == first; });
}

/// Every decided value satisfies `proposed`.
template <class Range, class Proposed, class Value = std::identity>
bool validity(const Range& decisions, Proposed proposed, Value value = {}) {
  return std::all_of(std::begin(decisions), std::end(decisions),
                     [&](const auto& d) { return proposed(std::invoke(value, d)); });
}

}  // namespace properties
