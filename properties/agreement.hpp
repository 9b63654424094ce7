// Agreement and validity of decisions (consensus): no two nodes decide differently; only proposed values are decided.
// Written over a range of decision records with a projection to the decided value.
#pragma once

#include "mc/core/model.hpp"
#include "mc/core/print.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <string>
#include <string_view>

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

/// Why agreement fails, in the model's words: "n0 decided 1, n1 decided 2" (the first two decisions that differ),
/// about the two records (`path[i]`, path naming the range in the state).
template <class Range, class Node, class Value>
mc::Explanation explain_agreement(const Range& decisions, Node node, Value value, std::string_view path = "history") {
  auto first = std::begin(decisions);
  std::size_t i = 0;
  for (auto it = first; it != std::end(decisions); ++it, ++i)
    if (std::invoke(value, *it) != std::invoke(value, *first))
      return {fmt::format("n{} decided {}, n{} decided {}", mc::to_text(std::invoke(node, *first)),
                          mc::to_text(std::invoke(value, *first)), mc::to_text(std::invoke(node, *it)),
                          mc::to_text(std::invoke(value, *it))),
              {fmt::format("{}[0]", path), fmt::format("{}[{}]", path, i)}};
  return {};
}

/// Why validity fails: "n0 decided 7, which nobody proposed".
template <class Range, class Proposed, class Node, class Value>
mc::Explanation explain_validity(const Range& decisions, Proposed proposed, Node node, Value value,
                                 std::string_view path = "history") {
  std::size_t i = 0;
  for (const auto& d : decisions) {
    if (!proposed(std::invoke(value, d)))
      return {fmt::format("n{} decided {}, which nobody proposed", mc::to_text(std::invoke(node, d)),
                          mc::to_text(std::invoke(value, d))),
              {fmt::format("{}[{}]", path, i)}};
    ++i;
  }
  return {};
}

}  // namespace properties
