// Agreement and validity of decisions (consensus): no two nodes decide differently; only proposed values are decided.
// Written over a range of decision records with a projection to the decided value.
#pragma once

#include "mc/core/print.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <string>

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

/// Why agreement fails, in the model's words: "n0 decided 1, n1 decided 2" (the first two decisions that differ).
template <class Range, class Node, class Value>
std::string explain_agreement(const Range& decisions, Node node, Value value) {
  auto first = std::begin(decisions);
  for (auto it = first; it != std::end(decisions); ++it)
    if (std::invoke(value, *it) != std::invoke(value, *first))
      return fmt::format("n{} decided {}, n{} decided {}", mc::to_text(std::invoke(node, *first)),
                         mc::to_text(std::invoke(value, *first)), mc::to_text(std::invoke(node, *it)),
                         mc::to_text(std::invoke(value, *it)));
  return {};
}

/// Why validity fails: "n0 decided 7, which nobody proposed".
template <class Range, class Proposed, class Node, class Value>
std::string explain_validity(const Range& decisions, Proposed proposed, Node node, Value value) {
  for (const auto& d : decisions)
    if (!proposed(std::invoke(value, d)))
      return fmt::format("n{} decided {}, which nobody proposed", mc::to_text(std::invoke(node, d)),
                         mc::to_text(std::invoke(value, d)));
  return {};
}

}  // namespace properties
