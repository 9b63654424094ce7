// Linearizability and sequential consistency of a client history against a sequential specification.
// Search in the style of Wing & Gong with the memoisation of Lowe ("Testing for linearizability", 2017) and
// Porcupine: a partial linearization is its set of done operations plus the object's state, and each is tried once.
// Key-value histories are checked key by key (P-compositionality). Operations whose reply never came (lost, the
// client crashed or gave up) are indeterminate: they may take effect at any point after their invocation, or never.
#pragma once

#include "mc/core/encode.hpp"
#include "mc/core/fingerprint.hpp"
#include "properties/sequential_specs.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace properties {

/// One operation of a history. Times are positions in any one order of events (e.g. the index in the history).
template <class Input, class Output>
struct Operation {
  int client = 0;
  Input input{};
  std::optional<Output> output;           ///< none: indeterminate (no reply seen)
  std::uint64_t invoked = 0;
  std::optional<std::uint64_t> returned;  ///< none: never returned (indeterminate)

  bool determinate() const { return output.has_value() && returned.has_value(); }
};

struct Verdict {
  bool ok = false;
  std::vector<std::size_t> order;    ///< ok: a valid order of the operations that took effect
  std::vector<std::size_t> longest;  ///< not ok: the longest valid prefix the search found
  std::optional<std::size_t> stuck;  ///< not ok: the first-returning operation that prefix could not take
};

enum class Consistency { linearizable, sequential };

namespace detail {

/// Depth-first search over partial orders with memoisation; `before[b]` lists the operations that must precede b.
template <SequentialSpec Spec, class Op>
Verdict search(const Spec& spec, const std::vector<Op>& ops, const std::vector<std::vector<std::size_t>>& before) {
  using State = typename Spec::State;
  const std::size_t n = ops.size();
  std::vector<std::vector<std::size_t>> after(n);
  std::vector<std::size_t> waiting(n, 0);  // predecessors not yet done
  for (std::size_t b = 0; b < n; ++b)
    for (std::size_t a : before[b]) after[a].push_back(b), ++waiting[b];
  std::size_t required = 0;
  for (const auto& op : ops) required += op.determinate();

  // Candidates are tried most constrained first: determinate operations by the time they returned (the one that
  // returned first must take effect soonest), then the indeterminate ones, which are only needed to explain a value.
  std::vector<std::size_t> by_urgency(n);
  for (std::size_t i = 0; i < n; ++i) by_urgency[i] = i;
  std::sort(by_urgency.begin(), by_urgency.end(), [&](std::size_t a, std::size_t b) {
    const auto rank = [&](std::size_t i) {
      return std::tuple(!ops[i].determinate(), ops[i].returned.value_or(~std::uint64_t{0}), ops[i].invoked, i);
    };
    return rank(a) < rank(b);
  });
  std::vector<std::uint64_t> done((n + 63) / 64, 0);
  std::vector<std::size_t> order, longest;
  std::unordered_set<std::string> seen;
  std::size_t required_done = 0;
  mc::Bytes scratch;

  const auto remember = [&](const State& s) {
    std::string key(reinterpret_cast<const char*>(done.data()), done.size() * 8);
    scratch.clear();
    mc::encode_into(scratch, s);
    key.append(reinterpret_cast<const char*>(scratch.data()), scratch.size());
    return seen.insert(std::move(key)).second;
  };
  const auto dfs = [&](const auto& self, const State& state) -> bool {
    if (required_done == required) return true;
    if (order.size() > longest.size()) longest = order;
    for (const std::size_t i : by_urgency) {
      if (((done[i / 64] >> (i % 64)) & 1) || waiting[i]) continue;
      auto [next, out] = spec.run(state, ops[i].input);
      if (ops[i].output && !(out == *ops[i].output)) continue;
      // An indeterminate operation that changes nothing here explains nothing: leaving it out is as good.
      if (!ops[i].determinate() && mc::encode(next) == mc::encode(state)) continue;
      done[i / 64] |= std::uint64_t{1} << (i % 64);
      if (remember(next)) {
        for (std::size_t b : after[i]) --waiting[b];
        order.push_back(i);
        required_done += ops[i].determinate();
        if (self(self, next)) return true;
        required_done -= ops[i].determinate();
        order.pop_back();
        for (std::size_t b : after[i]) ++waiting[b];
      }
      done[i / 64] &= ~(std::uint64_t{1} << (i % 64));
    }
    return false;
  };
  remember(spec.init());
  Verdict v;
  v.ok = dfs(dfs, spec.init());
  if (v.ok) {
    v.order = std::move(order);
    return v;
  }
  v.longest = std::move(longest);
  std::vector<char> in_longest(n, 0);
  for (std::size_t i : v.longest) in_longest[i] = 1;
  for (std::size_t i = 0; i < n; ++i)
    if (!in_longest[i] && ops[i].determinate() && (!v.stuck || *ops[i].returned < *ops[*v.stuck].returned))
      v.stuck = i;
  return v;
}

}  // namespace detail

/// Whether the history is linearizable (or, with Consistency::sequential, sequentially consistent) for `spec`.
/// Linearizable: some order of the operations that took effect respects real time (an operation that returned
/// before another was invoked comes first) and the specification's outputs. Sequentially consistent: the same, with
/// only each client's own order respected (an indeterminate operation does not hold back its client's later ones).
template <SequentialSpec Spec, class Op>
Verdict check_history(const Spec& spec, const std::vector<Op>& ops, Consistency c = Consistency::linearizable) {
  std::vector<std::vector<std::size_t>> before(ops.size());
  for (std::size_t a = 0; a < ops.size(); ++a)
    for (std::size_t b = 0; b < ops.size(); ++b) {
      if (a == b) continue;
      const bool precedes = c == Consistency::linearizable
                                ? ops[a].returned && *ops[a].returned < ops[b].invoked
                                : ops[a].client == ops[b].client && ops[a].determinate() && ops[a].invoked < ops[b].invoked;
      if (precedes) before[b].push_back(a);
    }
  return detail::search(spec, ops, before);
}

/// A key-value history, checked one key at a time; a failing key's verdict names operations by their index in
/// `ops`. `failed_key` is set when the history is not linearizable.
template <class KvSpec, class Output>
Verdict check_by_key(const KvSpec&, const std::vector<Operation<typename KvSpec::Input, Output>>& ops,
                     Consistency c = Consistency::linearizable, int* failed_key = nullptr) {
  using PerKeyOp = Operation<typename KvSpec::PerKey::Input, Output>;
  std::map<int, std::vector<std::size_t>> keys;
  for (std::size_t i = 0; i < ops.size(); ++i) keys[KvSpec::key_of(ops[i].input)].push_back(i);
  Verdict all{true, {}, {}, {}};
  for (const auto& [key, index] : keys) {
    std::vector<PerKeyOp> part;
    for (std::size_t i : index)
      part.push_back({ops[i].client, KvSpec::per_key(ops[i].input), ops[i].output, ops[i].invoked, ops[i].returned});
    Verdict v = check_history(typename KvSpec::PerKey{}, part, c);
    const auto global = [&](std::vector<std::size_t>& v) {
      for (auto& i : v) i = index[i];
    };
    if (!v.ok) {
      global(v.longest);
      if (v.stuck) v.stuck = index[*v.stuck];
      if (failed_key) *failed_key = key;
      return v;
    }
    global(v.order);
    all.order.insert(all.order.end(), v.order.begin(), v.order.end());
  }
  return all;
}

/// Verdicts by history, shared by the explorer's workers: states along a search path share most of their history,
/// and many states share all of it, so each distinct history is checked once. Keyed by a 128-bit fingerprint of the
/// history's bytes (a collision would hand one history another's verdict), sharded by its first word so workers
/// checking different histories rarely wait for one another.
class VerdictCache {
 public:
  template <class History, class Check>
  bool get_or_check(const History& history, Check&& check) {
    const mc::StateKey key = mc::with_encoding(
        history, [](const std::uint8_t* data, std::size_t size) { return mc::state_key(data, size, true); });
    Shard& shard = shards_[key.fp % shards_.size()];
    {
      std::lock_guard lock(shard.mutex);
      if (auto it = shard.known.find(key); it != shard.known.end()) return it->second;
    }
    const bool ok = check();
    std::lock_guard lock(shard.mutex);
    shard.known.emplace(key, ok);
    return ok;
  }
  std::size_t size() const {
    std::size_t n = 0;
    for (const Shard& shard : shards_) {
      std::lock_guard lock(shard.mutex);
      n += shard.known.size();
    }
    return n;
  }

 private:
  struct KeyHash {
    std::size_t operator()(const mc::StateKey& k) const { return k.ext; }  // the word the shards do not use
  };
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<mc::StateKey, bool, KeyHash> known;
  };
  std::array<Shard, 64> shards_;
};

}  // namespace properties
