// Reliable-delivery properties over the sequence a receiver delivered to its application.
#pragma once

#include "mc/core/model.hpp"
#include "mc/core/print.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>
#include <string_view>
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

/// Why in-order exactly-once delivery fails: "message 0 delivered twice (deliveries 1 and 2)" or "message 1
/// skipped: 2 delivered after 0".
template <class Range, class Value = std::identity>
mc::Explanation explain_in_order_exactly_once(const Range& delivered, Value value = {}, std::string_view path = "history") {
  std::size_t expected = 0, i = 0;
  std::map<std::size_t, std::size_t> first_at;  // value -> delivery (1-based) that first handed it over
  for (const auto& d : delivered) {
    const auto v = static_cast<std::size_t>(std::invoke(value, d));
    ++i;
    if (v != expected) {
      const std::string here = fmt::format("{}[{}]", path, i - 1);
      if (first_at.count(v))
        return {fmt::format("message {} delivered twice (deliveries {} and {})", v, first_at[v], i),
                {fmt::format("{}[{}]", path, first_at[v] - 1), here}};
      return {expected == 0 ? fmt::format("message 0 skipped: {} delivered first", v)
                            : fmt::format("message {} skipped: {} delivered after {}", expected, v, expected - 1),
              {here}};
    }
    first_at.emplace(v, i);
    ++expected;
  }
  return {};
}

/// Why at-most-once fails: "request 0 applied twice", about each of its applications.
template <class Range, class Key = std::identity>
mc::Explanation explain_at_most_once(const Range& applied, Key key = {}, std::string_view path = "history") {
  std::map<std::string, std::vector<std::size_t>> at;
  std::string first_repeated;
  std::size_t i = 0;
  for (const auto& a : applied) {
    const std::string k = mc::to_text(std::invoke(key, a));
    at[k].push_back(i++);
    if (at[k].size() == 2 && first_repeated.empty()) first_repeated = k;
  }
  if (first_repeated.empty()) return {};
  const auto& where = at[first_repeated];
  std::vector<std::string> fields;
  for (std::size_t w : where) fields.push_back(fmt::format("{}[{}]", path, w));
  return {fmt::format("request {} applied {}", first_repeated,
                      where.size() == 2 ? std::string("twice") : fmt::format("{} times", where.size())),
          std::move(fields)};
}

}  // namespace properties
