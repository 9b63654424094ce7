// Decides liveness properties on a LivenessGraph: a property fails when some fair behaviour breaks it, and every
// such behaviour can be taken to be a lasso (a path, then a cycle forever). Strongly connected components of the
// states the cycle may use are tested for fairness, and refined for strong fairness as Emerson and Lei do.
#pragma once

#include "mc/core/model.hpp"
#include "mc/explore/liveness_graph.hpp"

#include <algorithm>
#include <cstdint>
#include <deque>
#include <limits>
#include <stdexcept>
#include <type_traits>
#include <optional>
#include <vector>

namespace mc {

/// A behaviour that breaks a liveness property: `states` from an initial state, `successors[i]` the successor
/// number of the step from states[i] to states[i + 1]. With `cycle_start`, the last state is states[*cycle_start]
/// again and the steps after it repeat forever; without, the behaviour stutters in its last state forever.
struct Lasso {
  std::uint32_t init_index = 0;
  std::vector<std::uint32_t> states;
  std::vector<std::uint64_t> successors;
  std::optional<std::size_t> cycle_start;
};

namespace detail {

/// Calls `visit(component)` for each strongly connected component of the states `in` admits (Tarjan, iterative),
/// sorted by state number; `component` is a buffer reused from one call to the next.
template <class In, class F>
void for_each_component(const LivenessGraph& g, const std::vector<std::uint32_t>& states, In in, F&& visit) {
  constexpr std::uint32_t none = LivenessGraph::not_initial;
  std::vector<std::uint32_t> c;
  std::vector<std::uint32_t> index(g.states(), none), low(g.states(), 0), stack;
  std::vector<char> on_stack(g.states(), 0);
  struct Frame {
    std::uint32_t s;
    std::uint64_t next;
  };
  std::vector<Frame> calls;
  std::uint32_t counter = 0;
  for (std::uint32_t root : states) {
    if (index[root] != none) continue;
    calls.push_back({root, g.first[root]});
    index[root] = low[root] = counter++;
    stack.push_back(root);
    on_stack[root] = 1;
    while (!calls.empty()) {
      Frame& f = calls.back();
      if (f.next < g.first[f.s + 1]) {
        const std::uint32_t t = g.target[f.next++];
        if (!in(t)) continue;
        if (index[t] == none) {
          index[t] = low[t] = counter++;
          stack.push_back(t);
          on_stack[t] = 1;
          calls.push_back({t, g.first[t]});
        } else if (on_stack[t]) {
          low[f.s] = std::min(low[f.s], index[t]);
        }
        continue;
      }
      const std::uint32_t s = f.s;
      calls.pop_back();
      if (!calls.empty()) low[calls.back().s] = std::min(low[calls.back().s], low[s]);
      if (low[s] != index[s]) continue;
      c.clear();
      std::uint32_t t;
      do {
        t = stack.back();
        stack.pop_back();
        on_stack[t] = 0;
        c.push_back(t);
      } while (t != s);
      std::sort(c.begin(), c.end());
      visit(c);
    }
  }
}

/// The components, collected.
template <class In>
std::vector<std::vector<std::uint32_t>> components(const LivenessGraph& g, const std::vector<std::uint32_t>& states,
                                                   In in) {
  std::vector<std::vector<std::uint32_t>> out;
  for_each_component(g, states, in, [&](const std::vector<std::uint32_t>& c) { out.push_back(c); });
  return out;
}

/// Finds the fair parts of components and builds lassos through them.
class FairCycles {
 public:
  FairCycles(const LivenessGraph& g) : g_(g), member_(g.states(), 0), count_(g.class_kind.size(), 0),
                                       taken_(g.class_kind.size(), 0), strong_broken_(g.class_kind.size(), 0) {}

  /// The parts of `component` (or of it refined) in which a fair cycle can run forever, each holding a state
  /// `needed` admits; appended to `out`.
  template <class Needed>
  void fair_parts(const std::vector<std::uint32_t>& component, Needed needed,
                  std::vector<std::vector<std::uint32_t>>& out) {
    if (std::none_of(component.begin(), component.end(), needed)) return;
    if (component.size() == 1) {  // no step inside (stutters are not recorded): fair only with nothing enabled
      const std::uint32_t s = component[0];
      if (g_.enabled_first[s] == g_.enabled_first[s + 1]) out.push_back(component);
      return;
    }
    const std::uint32_t stamp = next_stamp();
    for (std::uint32_t s : component) member_[s] = stamp;
    std::vector<std::uint32_t>& touched = touched_;
    touched.clear();
    for (std::uint32_t s : component) {
      for (std::uint64_t e = g_.first[s]; e < g_.first[s + 1]; ++e)
        if (member_[g_.target[e]] == stamp)
          for (std::uint64_t k = g_.class_first[e]; k < g_.class_first[e + 1]; ++k) taken_[g_.classes[k]] = stamp;
      for (std::uint64_t k = g_.enabled_first[s]; k < g_.enabled_first[s + 1]; ++k)
        if (count_[g_.enabled[k]]++ == 0) touched.push_back(g_.enabled[k]);
    }
    bool weak_broken = false, any_strong = false;
    for (std::uint32_t c : touched) {
      if (taken_[c] != stamp) {
        if (g_.class_kind[c] == FairnessKind::weak && count_[c] == component.size()) weak_broken = true;
        if (g_.class_kind[c] == FairnessKind::strong) strong_broken_[c] = stamp, any_strong = true;
      }
      count_[c] = 0;
    }
    // A weak class enabled throughout and never taken: no cycle inside takes it either.
    if (weak_broken) return;
    if (!any_strong) {
      out.push_back(component);
      return;
    }
    // A strong class enabled somewhere and never taken: a fair cycle avoids the states enabling it.
    std::vector<std::uint32_t> rest;
    for (std::uint32_t s : component) {
      bool keep = true;
      for (std::uint64_t k = g_.enabled_first[s]; k < g_.enabled_first[s + 1] && keep; ++k)
        keep = strong_broken_[g_.enabled[k]] != stamp;
      if (keep) rest.push_back(s);
    }
    if (rest.empty()) return;
    const std::uint32_t inner = next_stamp();
    for (std::uint32_t s : rest) member_[s] = inner;
    for (auto& part : components(g_, rest, [&](std::uint32_t t) { return member_[t] == inner; }))
      fair_parts(part, needed, out);
  }

  /// A closed walk from `entry` within `part` that is fair and (when given) visits a state `needed` admits:
  /// detours for each unmet obligation in a fixed order. Empty: stuttering at `entry` is already fair.
  template <class Needed>
  std::vector<std::uint64_t> cycle(const std::vector<std::uint32_t>& part, std::uint32_t entry, Needed needed) {
    const std::uint32_t stamp = next_stamp();
    for (std::uint32_t s : part) member_[s] = stamp;
    std::vector<std::uint64_t> walk;  // step indices
    std::vector<char> visited(g_.states(), 0);
    std::vector<char> taken(g_.class_kind.size(), 0);
    std::vector<std::uint32_t> seen{entry};
    visited[entry] = 1;
    const auto add = [&](const std::vector<std::uint64_t>& steps) {
      for (std::uint64_t e : steps) {
        walk.push_back(e);
        for (std::uint64_t k = g_.class_first[e]; k < g_.class_first[e + 1]; ++k) taken[g_.classes[k]] = 1;
        if (!visited[g_.target[e]]) visited[g_.target[e]] = 1, seen.push_back(g_.target[e]);
      }
    };
    const auto detour = [&](auto goal_state, auto goal_step) {
      std::vector<std::uint64_t> there = path(entry, stamp, goal_state, goal_step);
      const std::uint32_t at = there.empty() ? entry : g_.target[there.back()];
      std::vector<std::uint64_t> back = path(at, stamp, [&](std::uint32_t s) { return s == entry; }, nullptr);
      add(there);
      add(back);
    };
    if (std::none_of(seen.begin(), seen.end(), needed)) detour(needed, nullptr);
    for (;;) {
      std::vector<std::uint32_t> count(g_.class_kind.size(), 0);
      for (std::uint32_t s : seen)
        for (std::uint64_t k = g_.enabled_first[s]; k < g_.enabled_first[s + 1]; ++k) ++count[g_.enabled[k]];
      std::optional<std::uint32_t> unmet;
      for (std::uint32_t c = 0; c < count.size() && !unmet; ++c) {
        if (taken[c] || count[c] == 0) continue;
        if (g_.class_kind[c] == FairnessKind::strong || count[c] == seen.size()) unmet = c;
      }
      if (!unmet) return walk;
      const std::uint32_t c = *unmet;
      const auto takes = [&](std::uint64_t e) {
        for (std::uint64_t k = g_.class_first[e]; k < g_.class_first[e + 1]; ++k)
          if (g_.classes[k] == c) return true;
        return false;
      };
      bool inside = false;
      for (std::uint32_t s : part)
        for (std::uint64_t e = g_.first[s]; e < g_.first[s + 1] && !inside; ++e)
          inside = member_[g_.target[e]] == stamp && takes(e);
      if (inside) {
        detour([](std::uint32_t) { return false; }, takes);
      } else {  // weak, and not enabled everywhere in the part: visit where it is not
        detour(
            [&](std::uint32_t s) {
              return !std::binary_search(g_.enabled.begin() + static_cast<std::ptrdiff_t>(g_.enabled_first[s]),
                                         g_.enabled.begin() + static_cast<std::ptrdiff_t>(g_.enabled_first[s + 1]), c);
            },
            nullptr);
      }
      if (!taken[c] && (g_.class_kind[c] == FairnessKind::strong || count_enabled(seen, c) == seen.size()))
        throw std::logic_error("faultline: a fair part has no fair cycle");
    }
  }

  /// Shortest steps from `from` within the states marked `stamp` to a state `goal_state` admits, or through a
  /// step `goal_step` admits (then the last step is that one). Empty when `from` is itself a goal state.
  template <class GoalState, class GoalStep>
  std::vector<std::uint64_t> path(std::uint32_t from, std::uint32_t stamp, GoalState goal_state, GoalStep goal_step) {
    constexpr std::uint64_t none = std::numeric_limits<std::uint64_t>::max();
    if constexpr (!std::is_same_v<GoalState, std::nullptr_t>)
      if (goal_state(from)) return {};
    std::vector<std::uint64_t> via(g_.states(), none);  // the step that reached a state first
    std::vector<char> reached(g_.states(), 0);
    std::deque<std::uint32_t> queue{from};
    reached[from] = 1;
    const auto trace_back = [&](std::uint32_t s, std::optional<std::uint64_t> last) {
      std::vector<std::uint64_t> steps;
      if (last) steps.push_back(*last);
      while (s != from) {
        steps.push_back(via[s]);
        s = source_of(via[s]);
      }
      std::reverse(steps.begin(), steps.end());
      return steps;
    };
    while (!queue.empty()) {
      const std::uint32_t s = queue.front();
      queue.pop_front();
      for (std::uint64_t e = g_.first[s]; e < g_.first[s + 1]; ++e) {
        const std::uint32_t t = g_.target[e];
        if (member_[t] != stamp) continue;
        if constexpr (!std::is_same_v<GoalStep, std::nullptr_t>)
          if (goal_step(e)) return trace_back(s, e);
        if (reached[t]) continue;
        reached[t] = 1;
        via[t] = e;
        if constexpr (!std::is_same_v<GoalState, std::nullptr_t>)
          if (goal_state(t)) return trace_back(t, std::nullopt);
        queue.push_back(t);
      }
    }
    throw std::logic_error("faultline: a strongly connected part is not connected");
  }

  std::uint32_t source_of(std::uint64_t step) const {
    return static_cast<std::uint32_t>(std::upper_bound(g_.first.begin(), g_.first.end(), step) - g_.first.begin() - 1);
  }

 private:
  std::size_t count_enabled(const std::vector<std::uint32_t>& states, std::uint32_t c) const {
    std::size_t n = 0;
    for (std::uint32_t s : states)
      n += std::binary_search(g_.enabled.begin() + static_cast<std::ptrdiff_t>(g_.enabled_first[s]),
                              g_.enabled.begin() + static_cast<std::ptrdiff_t>(g_.enabled_first[s + 1]), c);
    return n;
  }

  std::uint32_t next_stamp() { return ++stamp_; }

  const LivenessGraph& g_;
  std::vector<std::uint32_t> member_;
  std::vector<std::uint32_t> count_, taken_, strong_broken_, touched_;
  std::uint32_t stamp_ = 0;
};

}  // namespace detail

/// Decides one liveness property of `kind` whose p is label bit `p` and (leads_to) q is bit `q`: nullopt when
/// every fair behaviour satisfies it, else the lasso whose prefix to the cycle's entry is shortest.
inline std::optional<Lasso> find_lasso(const LivenessGraph& g, PropertyKind kind, unsigned p, unsigned q) {
  const std::size_t n = g.states();
  // The states the cycle may use, and where a behaviour starts being bad.
  std::vector<char> region(n, 1);
  const auto bad_start = [&](std::uint32_t s) {
    if (kind == PropertyKind::leads_to) return g.label(s, p) && !g.label(s, q);
    return true;
  };
  if (kind == PropertyKind::eventually)
    for (std::uint32_t s = 0; s < n; ++s) region[s] = !g.label(s, p);
  if (kind == PropertyKind::leads_to)
    for (std::uint32_t s = 0; s < n; ++s) region[s] = !g.label(s, q);
  const auto needed = [&](std::uint32_t s) { return kind != PropertyKind::eventually_always || !g.label(s, p); };

  // Armed: the region's states reachable within it from a bad start (eventually: from a bad initial state).
  std::vector<char> armed(n, 0);
  std::vector<std::uint32_t> queue;
  if (kind == PropertyKind::eventually) {
    for (std::uint32_t s : g.initial) queue.push_back(s);
  } else {
    for (std::uint32_t s = 0; s < n; ++s) queue.push_back(s);  // every recorded state is reachable
  }
  std::vector<std::uint32_t> seeds;
  for (std::uint32_t s : queue)
    if (region[s] && bad_start(s) && !armed[s]) armed[s] = 1, seeds.push_back(s);
  for (std::size_t i = 0; i < seeds.size(); ++i)
    for (std::uint64_t e = g.first[seeds[i]]; e < g.first[seeds[i] + 1]; ++e)
      if (const std::uint32_t t = g.target[e]; region[t] && !armed[t]) armed[t] = 1, seeds.push_back(t);
  std::sort(seeds.begin(), seeds.end());

  detail::FairCycles cycles(g);
  std::vector<std::vector<std::uint32_t>> parts;
  detail::for_each_component(g, seeds, [&](std::uint32_t t) { return armed[t] != 0; },
                             [&](const std::vector<std::uint32_t>& c) { cycles.fair_parts(c, needed, parts); });
  if (parts.empty()) return std::nullopt;
  std::vector<std::uint32_t> part_of(n, LivenessGraph::not_initial);
  for (std::uint32_t i = 0; i < parts.size(); ++i)
    for (std::uint32_t s : parts[i]) part_of[s] = i;

  // The shortest prefix to a fair part: breadth first over (state, armed yet?) pairs; a bad start arms at no cost.
  constexpr std::uint64_t none = std::numeric_limits<std::uint64_t>::max();
  const bool phased = kind == PropertyKind::leads_to;
  std::vector<std::uint64_t> from(2 * n, none), via(2 * n, none);  // per pair: the pair and step it came by
  std::vector<char> reached(2 * n, 0);
  std::deque<std::uint64_t> bfs;  // pair = state * 2 + armed
  const auto arrive = [&](std::uint64_t pair, std::uint64_t parent, std::uint64_t step) {
    if (reached[pair]) return;
    reached[pair] = 1;
    from[pair] = parent;
    via[pair] = step;
    bfs.push_back(pair);
    // A bad start arms at no cost: queued right behind, at the same distance, so the search stays breadth first.
    const auto s = static_cast<std::uint32_t>(pair / 2);
    if (pair % 2 == 0 && region[s] && bad_start(s) && !reached[pair + 1]) {
      reached[pair + 1] = 1;
      from[pair + 1] = pair;
      bfs.push_back(pair + 1);
    }
  };
  for (std::uint32_t s : g.initial) {
    if (kind == PropertyKind::eventually && !region[s]) continue;
    arrive(2ull * s + (phased ? 0 : 1), none, none);
  }
  std::optional<std::uint64_t> entry;
  while (!bfs.empty()) {
    const std::uint64_t pair = bfs.front();
    bfs.pop_front();
    const auto s = static_cast<std::uint32_t>(pair / 2);
    const bool on = pair % 2;
    if (on && part_of[s] != LivenessGraph::not_initial) {
      entry = pair;
      break;
    }
    for (std::uint64_t e = g.first[s]; e < g.first[s + 1]; ++e) {
      const std::uint32_t t = g.target[e];
      if (on && !region[t]) continue;
      arrive(2ull * t + (on ? 1 : 0), pair, e);
    }
  }
  if (!entry) throw std::logic_error("faultline: a fair cycle is unreachable");

  Lasso lasso;
  std::vector<std::uint64_t> steps;
  std::uint64_t pair = *entry;
  for (; from[pair] != none; pair = from[pair])
    if (via[pair] != none) steps.push_back(via[pair]);
  std::reverse(steps.begin(), steps.end());
  const auto start = static_cast<std::uint32_t>(pair / 2);
  lasso.init_index = g.init_index[start];
  const auto e = static_cast<std::uint32_t>(*entry / 2);
  const std::vector<std::uint64_t> loop = cycles.cycle(parts[part_of[e]], e, needed);
  if (!loop.empty()) lasso.cycle_start = steps.size();
  steps.insert(steps.end(), loop.begin(), loop.end());
  lasso.states.push_back(start);
  for (std::uint64_t step : steps) {
    lasso.states.push_back(g.target[step]);
    lasso.successors.push_back(g.successor[step]);
  }
  return lasso;
}

}  // namespace mc
