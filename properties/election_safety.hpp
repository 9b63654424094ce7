// Election safety (Raft, Figure 3): at most one leader is elected in a given term.
#pragma once

#include "mc/core/model.hpp"
#include "mc/core/print.hpp"

#include <fmt/format.h>

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <string_view>

namespace properties {

/// `elections` holds (term, leader) records; false when one term has two different leaders.
template <class Range, class Term, class Leader>
bool election_safety(const Range& elections, Term term, Leader leader) {
  std::map<std::decay_t<decltype(std::invoke(term, *std::begin(elections)))>,
           std::decay_t<decltype(std::invoke(leader, *std::begin(elections)))>> by_term;
  for (const auto& e : elections) {
    auto [it, fresh] = by_term.emplace(std::invoke(term, e), std::invoke(leader, e));
    if (!fresh && it->second != std::invoke(leader, e)) return false;
  }
  return true;
}

/// Why election safety fails: "n1 and n2 both leader in term 2", about the two election records.
template <class Range, class Term, class Leader>
mc::Explanation explain_election_safety(const Range& elections, Term term, Leader leader,
                                        std::string_view path = "history") {
  std::map<std::string, std::pair<std::string, std::size_t>> by_term;  // term -> (leader, record)
  std::size_t i = 0;
  for (const auto& e : elections) {
    const std::string t = mc::to_text(std::invoke(term, e)), l = mc::to_text(std::invoke(leader, e));
    auto [it, fresh] = by_term.emplace(t, std::pair{l, i});
    if (!fresh && it->second.first != l)
      return {fmt::format("n{} and n{} both leader in term {}", it->second.first, l, t),
              {fmt::format("{}[{}]", path, it->second.second), fmt::format("{}[{}]", path, i)}};
    ++i;
  }
  return {};
}

}  // namespace properties
