// Random walks through a model, for state spaces too big to finish: each walk follows one random successor per
// step and checks the invariants in every state it visits. With `swarm`, each walk draws its own configuration
// (which fault kinds it may take, how strongly it prefers each kind of step), after Holzmann, Joshi and Groce,
// "Swarm Verification" (ASE 2008). Not exhaustive: the coverage says what was sampled, never that a design is safe.
// Walks spread over threads and, given a Cluster (under MPI), over ranks; the report is the same either way.
#pragma once

#include "mc/core/fingerprint.hpp"
#include "mc/core/model.hpp"
#include "mc/core/print.hpp"
#include "mc/core/splitmix.hpp"
#include "mc/explore/cluster.hpp"
#include "mc/trace/trace.hpp"

#include <tbb/global_control.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

namespace mc {

struct SimulateOptions {
  std::uint64_t walks = 10000;
  std::uint64_t depth = 100;  ///< steps per walk at most
  std::uint64_t seed = 1;
  double time_limit = 0;      ///< seconds; 0: unbounded (checked between batches of walks)
  bool swarm = false;
  unsigned threads = 0;       ///< 0: every core
  const std::atomic<bool>* stop = nullptr;
  /// Several processes share the walks (under MPI): each runs every size-th walk of a batch, and every rank merges
  /// all of them in walk order. Null or one rank: this process alone.
  const Cluster* cluster = nullptr;
};

/// What the walks sampled. Counts cover whole batches of walks, so they do not depend on the thread count.
struct Coverage {
  std::uint64_t walks = 0, steps = 0, distinct = 0;
  std::vector<std::uint64_t> lengths;                                ///< walks by length, in tenths of the depth
  std::map<std::string, std::uint64_t> actions;                      ///< steps taken, by kind of step
  std::map<std::pair<std::string, std::string>, std::uint64_t> fault_pairs;  ///< walks that took both faults
  std::vector<std::uint64_t> new_per_thousand;                       ///< new distinct states per 1000 walks
  std::map<std::string, std::uint64_t> goals;                        ///< sometimes-goals: walks that reached each
  bool complete = true;                                              ///< every asked-for walk ran
  std::string stop_reason;
};

template <Model M>
struct SimulationResult {
  Coverage coverage;
  std::optional<std::size_t> property;  ///< the violated invariant (index into model.properties())
  std::uint64_t walk = 0;               ///< the walk that found it (the lowest-numbered one)
  std::optional<TraceOf<M>> trace;
  double seconds = 0;
  unsigned threads = 0;  ///< per rank
  unsigned ranks = 1;
};

namespace detail {

/// Actions that name their kind (actor events: deliver, drop, crash, ...) and whether it is a fault.
template <class A>
concept KindedAction = requires(const A& a) {
  { to_string_view(a.kind) } -> std::convertible_to<std::string_view>;
  { is_fault(a.kind) } -> std::convertible_to<bool>;
};

/// The kind of a step: an actor event's kind, else the action's name up to its arguments.
template <class A>
std::pair<std::string, bool> action_class(const A& a) {
  if constexpr (KindedAction<A>) {
    return {std::string(to_string_view(a.kind)), is_fault(a.kind)};
  } else {
    std::string text = to_text(a);
    return {text.substr(0, text.find('(')), false};
  }
}

template <Model M>
struct Walk {
  std::vector<Fingerprint> seen;
  std::uint64_t length = 0;
  std::map<std::string, std::uint64_t> actions;
  std::map<std::string, std::uint64_t> faults;  ///< fault kinds taken, and how often
  std::set<std::size_t> goals;
  std::optional<std::size_t> violated;
  std::optional<TraceOf<M>> trace;  ///< of a violation, when this process ran the walk
};

/// A walk's summary as bytes, for the other ranks (everything but the trace, which a rank can rerun): index, length,
/// seen fingerprints, steps by kind, faults by kind, goals, the violated property + 1 (0: none).
class WalkCodec {
 public:
  template <Model M>
  static void put(std::vector<std::uint8_t>& out, std::uint64_t index, const Walk<M>& w) {
    word(out, index);
    word(out, w.length);
    word(out, w.seen.size());
    for (Fingerprint f : w.seen) word(out, f);
    for (const auto* counts : {&w.actions, &w.faults}) {
      word(out, counts->size());
      for (const auto& [kind, n] : *counts) text(out, kind), word(out, n);
    }
    word(out, w.goals.size());
    for (std::size_t g : w.goals) word(out, g);
    word(out, w.violated ? *w.violated + 1 : 0);
  }

  /// Reads the walks in `in` into `walks`, by their index less `first`.
  template <Model M>
  static void get(const std::vector<std::uint8_t>& in, std::uint64_t first, std::vector<Walk<M>>& walks) {
    const std::uint8_t* p = in.data();
    const std::uint8_t* end = p + in.size();
    while (p < end) {
      Walk<M>& w = walks.at(word(p, end) - first);
      w.length = word(p, end);
      w.seen.resize(word(p, end));
      for (Fingerprint& f : w.seen) f = word(p, end);
      for (auto* counts : {&w.actions, &w.faults})
        for (std::uint64_t n = word(p, end); n > 0; --n) {
          std::string kind = text(p, end);
          (*counts)[kind] = word(p, end);
        }
      for (std::uint64_t n = word(p, end); n > 0; --n) w.goals.insert(word(p, end));
      if (const std::uint64_t v = word(p, end)) w.violated = v - 1;
    }
  }

 private:
  static void word(std::vector<std::uint8_t>& out, std::uint64_t v) {
    std::uint8_t b[sizeof v];
    std::memcpy(b, &v, sizeof v);
    out.insert(out.end(), b, b + sizeof v);
  }
  static void text(std::vector<std::uint8_t>& out, const std::string& s) {
    word(out, s.size());
    out.insert(out.end(), s.begin(), s.end());
  }
  static std::uint64_t word(const std::uint8_t*& p, const std::uint8_t* end) {
    std::uint64_t v;
    if (end - p < static_cast<std::ptrdiff_t>(sizeof v)) throw std::runtime_error("faultline: truncated walk summary");
    std::memcpy(&v, p, sizeof v);
    p += sizeof v;
    return v;
  }
  static std::string text(const std::uint8_t*& p, const std::uint8_t* end) {
    const std::uint64_t n = word(p, end);
    if (static_cast<std::uint64_t>(end - p) < n) throw std::runtime_error("faultline: truncated walk summary");
    std::string s(reinterpret_cast<const char*>(p), n);
    p += n;
    return s;
  }
};

/// One walk, determined by (seed, index) alone.
template <Model M>
Walk<M> walk(const M& model, const std::vector<Property<typename M::State>>& props, const SimulateOptions& o,
             std::uint64_t index) {
  using State = typename M::State;
  using Action = typename M::Action;
  std::mt19937_64 rng(splitmix64(o.seed * 0x100000001b3ULL + index));
  const std::uint64_t swarm_seed = rng();
  // Swarm: a weight per kind of step (a fault kind may be off for the whole walk), drawn from the walk's seed.
  std::map<std::string, unsigned> weights;
  const auto weight = [&](const std::pair<std::string, bool>& cls) -> unsigned {
    if (!o.swarm) return 1;
    auto it = weights.find(cls.first);
    if (it != weights.end()) return it->second;
    std::uint64_t h = swarm_seed;
    for (char c : cls.first) h = splitmix64(h ^ static_cast<unsigned char>(c));
    const unsigned w = cls.second && h % 3 == 0 ? 0 : 1u << (h >> 8) % 4;  // off, or 1, 2, 4, 8
    return weights.emplace(cls.first, w).first->second;
  };

  Walk<M> w;
  std::vector<State> initial;
  model.init([&](const State& s) { initial.push_back(s); });
  if (initial.empty()) return w;
  TraceOf<M> path;
  path.steps.push_back({std::nullopt, initial[rng() % initial.size()]});
  std::vector<std::pair<Action, State>> next;
  std::vector<unsigned> next_weight;
  for (;;) {
    const State& s = path.last();
    w.seen.push_back(fingerprint(s));
    for (std::size_t i = 0; i < props.size(); ++i) {
      if (is_liveness(props[i].kind)) continue;  // a walk is finite: it cannot show a behaviour never progresses
      if (props[i].kind == PropertyKind::sometimes) {
        if (props[i].holds(s)) w.goals.insert(i);
      } else if (!props[i].holds(s)) {
        w.violated = i;
        w.trace = std::move(path);
        return w;
      }
    }
    if (w.length == o.depth || !within_constraint(model, s)) break;
    next.clear();
    next_weight.clear();
    unsigned total = 0;
    for_each_successor<M>(model, s, [&](const Action& a, const State& t) {
      const unsigned wt = weight(action_class(a));
      if (wt == 0) return;
      next.emplace_back(a, t);
      next_weight.push_back(wt);
      total += wt;
    });
    if (next.empty()) break;
    std::uint64_t pick = rng() % total;
    std::size_t chosen = 0;
    while (pick >= next_weight[chosen]) pick -= next_weight[chosen++];
    const auto cls = action_class(next[chosen].first);
    ++w.actions[cls.first];
    if (cls.second) ++w.faults[cls.first];
    path.steps.push_back({std::move(next[chosen].first), std::move(next[chosen].second)});
    ++w.length;
  }
  return w;
}

}  // namespace detail

/// Runs the walks in batches of a fixed size (so results do not depend on the thread or rank count) until all ran, a
/// walk broke an invariant (the lowest-numbered such walk is reported), the time limit passed, or `stop` was set.
template <Model M>
SimulationResult<M> simulate(const M& model, const SimulateOptions& o) {
  constexpr std::uint64_t batch = 250;
  const auto props = model.properties();
  const unsigned threads = o.threads ? o.threads : std::max(1u, std::thread::hardware_concurrency());
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
  const auto start = std::chrono::steady_clock::now();
  const auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };

  SimulationResult<M> r;
  r.threads = threads;
  Coverage& c = r.coverage;
  c.lengths.assign(10, 0);
  std::unordered_set<Fingerprint> seen;
  std::uint64_t seen_at_thousand = 0;
  std::vector<detail::Walk<M>> walks;
  const Cluster* cluster = o.cluster && o.cluster->size > 1 ? o.cluster : nullptr;
  const auto ranks = static_cast<std::uint64_t>(cluster ? cluster->size : 1);
  const auto rank = static_cast<std::uint64_t>(cluster ? cluster->rank : 0);
  r.ranks = static_cast<unsigned>(ranks);
  for (std::uint64_t first = 0; first < o.walks; first += batch) {
    // Every rank stops at the same batch: for a reason any of them has.
    std::vector<std::uint64_t> stopping{o.stop && o.stop->load(), o.time_limit > 0 && elapsed() >= o.time_limit};
    if (cluster) cluster->max(stopping);
    if (stopping[0]) {
      c.complete = false, c.stop_reason = "interrupted";
      break;
    }
    if (stopping[1]) {
      c.complete = false, c.stop_reason = "time limit";
      break;
    }
    const std::uint64_t n = std::min(batch, o.walks - first);
    walks.assign(n, {});
    tbb::parallel_for(std::uint64_t{0}, n, [&](std::uint64_t i) {
      if (i % ranks == rank) walks[i] = detail::walk(model, props, o, first + i);
    });
    if (cluster) {
      std::vector<std::uint8_t> mine;
      for (std::uint64_t i = rank; i < n; i += ranks) detail::WalkCodec::put(mine, first + i, walks[i]);
      std::vector<detail::Walk<M>> shared(n);  // every rank's walks, this one's included, in walk order
      detail::WalkCodec::get(cluster->gather(mine), first, shared);
      for (std::uint64_t i = rank; i < n; i += ranks) shared[i].trace = std::move(walks[i].trace);
      walks = std::move(shared);
    }
    for (std::uint64_t i = 0; i < n; ++i) {
      auto& w = walks[i];
      ++c.walks;
      c.steps += w.length;
      seen.insert(w.seen.begin(), w.seen.end());
      ++c.lengths[std::min<std::uint64_t>(9, o.depth ? w.length * 10 / (o.depth + 1) : 0)];
      for (const auto& [k, v] : w.actions) c.actions[k] += v;
      for (auto a = w.faults.begin(); a != w.faults.end(); ++a) {
        if (a->second > 1) ++c.fault_pairs[{a->first, a->first}];
        for (auto b = std::next(a); b != w.faults.end(); ++b) ++c.fault_pairs[{a->first, b->first}];
      }
      for (std::size_t g : w.goals) ++c.goals[props[g].name];
      if (w.violated && !r.property) {
        r.property = w.violated;
        r.walk = first + i;
        // Walks are determined by (seed, index): one another rank ran is run again here for its trace.
        r.trace = w.trace ? std::move(w.trace) : detail::walk(model, props, o, first + i).trace;
      }
      if (c.walks % 1000 == 0 || c.walks == o.walks) {
        c.new_per_thousand.push_back(seen.size() - seen_at_thousand);
        seen_at_thousand = seen.size();
      }
    }
    if (r.property) {
      c.complete = false, c.stop_reason = "violation found";
      break;
    }
  }
  c.distinct = seen.size();
  r.seconds = elapsed();
  return r;
}

}  // namespace mc
