// Election safety (Raft, Figure 3): at most one leader is elected in a given term.
#pragma once

#include <functional>
#include <map>

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

}  // namespace properties
