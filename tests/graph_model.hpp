// Synthetic models for explorer tests: explicit graphs whose counts and shortest paths are known by construction,
// and a simple serial reference explorer (std::map, one thread) to compare the parallel explorer against.
#pragma once

#include "mc/core/model.hpp"

#include <fmt/format.h>

#include <climits>
#include <deque>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <vector>

namespace test_models {

struct Graph {
  struct State {
    BOOST_HANA_DEFINE_STRUCT(State, (int, node));
  };
  struct Action {
    int from, to;
    friend std::string describe(const Action& a) { return fmt::format("{}->{}", a.from, a.to); }
  };

  std::vector<std::vector<int>> edges;
  std::vector<int> inits{0};
  std::set<int> bad;            ///< always "avoid-bad" fails in these nodes
  std::optional<int> goal;      ///< sometimes "reach-goal"
  int constraint_max = INT_MAX; ///< nodes above are outside the state constraint

  template <class Emit>
  void init(Emit&& emit) const {
    for (int i : inits) emit(State{i});
  }
  template <class Emit>
  void next(const State& s, Emit&& emit) const {
    for (int t : edges[static_cast<std::size_t>(s.node)]) emit(Action{s.node, t}, State{t});
  }
  bool within(const State& s) const { return s.node <= constraint_max; }
  std::vector<mc::Property<State>> properties() const {
    std::vector<mc::Property<State>> p;
    p.push_back(mc::always<State>("avoid-bad", [bad = bad](const State& s) { return !bad.count(s.node); }));
    if (goal) p.push_back(mc::sometimes<State>("reach-goal", [g = *goal](const State& s) { return s.node == g; }));
    return p;
  }
};

/// A deterministic pseudo-random graph with self-loops, duplicate edges, cycles and dead ends.
inline Graph random_graph(int nodes, unsigned seed, int max_out = 4) {
  std::mt19937 rng(seed);
  Graph g;
  g.edges.resize(static_cast<std::size_t>(nodes));
  for (int n = 0; n < nodes; ++n) {
    const int out = static_cast<int>(rng() % static_cast<unsigned>(max_out + 1));
    for (int k = 0; k < out; ++k) g.edges[static_cast<std::size_t>(n)].push_back(static_cast<int>(rng() % static_cast<unsigned>(nodes)));
  }
  return g;
}

/// What a plain serial BFS finds: the independent computation the explorer's counts are checked against.
struct Reference {
  std::uint64_t distinct = 0, generated = 0, depth = 0;
  std::map<int, std::uint64_t> level;  ///< node -> BFS level (initial = 1), for reachable nodes in the constraint
};

inline Reference reference_bfs(const Graph& g) {
  Reference r;
  std::deque<int> queue;
  for (int i : g.inits) {
    ++r.generated;
    if (i > g.constraint_max || r.level.count(i)) continue;
    r.level[i] = 1;
    queue.push_back(i);
  }
  while (!queue.empty()) {
    const int n = queue.front();
    queue.pop_front();
    for (int t : g.edges[static_cast<std::size_t>(n)]) {
      ++r.generated;
      if (t > g.constraint_max || r.level.count(t)) continue;
      r.level[t] = r.level[n] + 1;
      queue.push_back(t);
    }
  }
  r.distinct = r.level.size();
  for (const auto& [n, l] : r.level) r.depth = std::max(r.depth, l);
  return r;
}

/// An infinite binary tree of states: for tests of limits that must stop a search that would never end.
struct Endless {
  struct State {
    BOOST_HANA_DEFINE_STRUCT(State, (std::uint64_t, node));
  };
  using Action = int;
  template <class Emit>
  void init(Emit&& emit) const {
    emit(State{0});
  }
  template <class Emit>
  void next(const State& s, Emit&& emit) const {
    emit(0, State{2 * s.node + 1});
    emit(1, State{2 * s.node + 2});
  }
  std::vector<mc::Property<State>> properties() const { return {}; }
};

}  // namespace test_models
