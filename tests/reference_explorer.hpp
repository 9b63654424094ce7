// A deliberately simple, serial breadth-first explorer over any Model: std::set of encodings, std::deque frontier.
// Shares no code with mc/explore, so agreeing with it is evidence the parallel explorer counts correctly.
#pragma once

#include "mc/core/encode.hpp"
#include "mc/core/model.hpp"

#include <deque>
#include <functional>
#include <map>
#include <set>
#include <vector>

namespace test_models {

/// Orders encodings byte by byte. (std::less on vectors of bytes inlines a memcmp whose bound GCC 12 misjudges
/// into a -Wstringop-overread warning; an explicit loop says the same without it.)
struct BytesLess {
  bool operator()(const mc::Bytes& a, const mc::Bytes& b) const {
    const std::size_t n = std::min(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i)
      if (a[i] != b[i]) return a[i] < b[i];
    return a.size() < b.size();
  }
};
using ByteSet = std::set<mc::Bytes, BytesLess>;

template <class State>
struct Enumeration {
  std::uint64_t distinct = 0, generated = 0, depth = 0;
  std::vector<State> states;  ///< every reachable state, in BFS order
};

template <mc::Model M>
Enumeration<typename M::State> enumerate(const M& model) {
  using State = typename M::State;
  Enumeration<State> out;
  std::map<mc::Bytes, std::uint64_t, BytesLess> level;
  std::deque<std::pair<State, std::uint64_t>> queue;
  auto visit = [&](const State& s, std::uint64_t l) {
    ++out.generated;
    if (!mc::within_constraint(model, s)) return;
    if (level.emplace(mc::encode(s), l).second) {
      out.states.push_back(s);
      out.depth = std::max(out.depth, l);
      queue.emplace_back(s, l);
    }
  };
  model.init([&](const State& s) { visit(s, 1); });
  while (!queue.empty()) {
    auto [s, l] = queue.front();
    queue.pop_front();
    model.next(s, [&](const auto&, const State& t) { visit(t, l + 1); });
  }
  out.distinct = level.size();
  return out;
}

/// The set of a model's reachable states under `summary` (a readable one-line description per state).
template <mc::Model M, class Summary>
std::set<std::string> reachable(const M& model, Summary summary) {
  std::set<std::string> out;
  for (const auto& s : enumerate(model).states) out.insert(summary(s));
  return out;
}

}  // namespace test_models
