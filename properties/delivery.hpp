// Reliable-delivery properties over the sequence a receiver delivered to its application.
#pragma once

#include <algorithm>
#include <cstddef>
#include <functional>
#include <set>

namespace properties {

/// Exactly-once and in-order so far: the delivered values are a prefix of 0, 1, 2, ... (no gap, no repeat).
template <class Range, class Value = std::identity>
bool in_order_exactly_once(const Range& delivered, Value value = {}) {
  std::size_t expected = 0;
  for (const auto& d : delivered)
    if (static_cast<std::size_t>(std::invoke(value, d)) != expected++) return false;
  return true;
}

/// At most once: no request's effect was applied twice (by the request's key).
template <class Range, class Key = std::identity>
bool at_most_once(const Range& applied, Key key = {}) {
  std::set<std::decay_t<decltype(std::invoke(key, *std::begin(applied)))>> seen;
  for (const auto& a : applied)
    if (!seen.insert(std::invoke(key, a)).second) return false;
  return true;
}

}  // namespace properties
