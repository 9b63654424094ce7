// A counterexample or witness: the states from an initial state to a discovery, each with the action that led there.
// Rebuilt by replaying the model along a path of state keys, so the explorer only needs to store fingerprints.
#pragma once

#include "mc/core/fingerprint.hpp"
#include "mc/core/model.hpp"
#include "mc/core/symmetry.hpp"
#include "mc/explore/exact_store.hpp"

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace mc {

template <class State, class Action>
struct TraceStep {
  std::optional<Action> action;  ///< empty for the initial state
  State state;
};

/// A liveness counterexample is a lasso: with `cycle_start`, the last step returns to the state of step
/// *cycle_start and the steps after it repeat forever; without, the behaviour stutters in its last state forever.
template <class State, class Action>
struct Trace {
  std::vector<TraceStep<State, Action>> steps;
  bool lasso = false;  ///< a liveness counterexample
  std::optional<std::size_t> cycle_start;
  std::size_t size() const { return steps.size(); }
  bool empty() const { return steps.empty(); }
  const State& last() const { return steps.back().state; }
};

template <Model M>
using TraceOf = Trace<typename M::State, typename M::Action>;

/// The model did not reproduce a stored path: its successor function is not deterministic.
class ReplayError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

namespace detail {
/// Whether `s` is the state stored under `key` (its canonical orbit member, under symmetry reduction).
template <class M>
bool matches(const M& model, bool symmetry, const ExactKey& key, const typename M::State& s, Bytes& scratch) {
  scratch.clear();
  if constexpr (SymmetricModel<M>) {
    if (symmetry) encode_into(scratch, model.canonical(s));
    else encode_into(scratch, s);
  } else {
    encode_into(scratch, s);
  }
  if (fingerprint_bytes(scratch) != key.fp) return false;
  if (key.ext != 0 && fingerprint_extension(scratch.data(), scratch.size()) != key.ext) return false;
  return key.bytes.empty() ||
         std::string_view(reinterpret_cast<const char*>(scratch.data()), scratch.size()) == key.bytes;
}
}  // namespace detail

/// Replays `path` (keys from an initial state on) through the model, recovering each step's action and state.
/// Under symmetry reduction the keys are of canonical states; the trace keeps the concrete states the model
/// produces, so every step is a real transition from the step before.
template <Model M>
TraceOf<M> rebuild_trace(const M& model, const std::vector<ExactKey>& path, bool symmetry = false) {
  TraceOf<M> trace;
  Bytes scratch;
  if (path.empty()) return trace;
  model.init([&](const typename M::State& s) {
    if (trace.empty() && detail::matches(model, symmetry, path[0], s, scratch)) trace.steps.push_back({std::nullopt, s});
  });
  if (trace.empty()) throw ReplayError("faultline: the model's initial states do not contain the trace's first state");
  for (std::size_t i = 1; i < path.size(); ++i) {
    bool found = false;
    const typename M::State current = trace.last();  // the emit callback appends to trace.steps
    for_each_successor<M>(model, current, [&](const typename M::Action& a, const typename M::State& s) {
      if (!found && detail::matches(model, symmetry, path[i], s, scratch)) {
        trace.steps.push_back({a, s});
        found = true;
      }
    });
    if (!found)
      throw ReplayError("faultline: step " + std::to_string(i + 1) +
                        " of the trace could not be replayed: the model's successor function is not deterministic "
                        "(does it iterate an unordered container or read a clock?)");
  }
  return trace;
}

/// Replays a lasso the liveness check found (mc/explore/liveness.hpp): the model's `init_index`-th initial state,
/// then each step by its number among the successors of the state before.
template <Model M>
TraceOf<M> rebuild_lasso(const M& model, std::uint32_t init_index, const std::vector<std::uint64_t>& successors,
                         std::optional<std::size_t> cycle_start) {
  TraceOf<M> trace;
  std::uint32_t index = 0;
  model.init([&](const typename M::State& s) {
    if (index++ == init_index) trace.steps.push_back({std::nullopt, s});
  });
  if (trace.empty()) throw ReplayError("faultline: the model's initial states do not contain the lasso's first state");
  for (std::size_t i = 0; i < successors.size(); ++i) {
    std::uint64_t k = 0;
    bool found = false;
    const typename M::State current = trace.last();
    for_each_successor<M>(model, current, [&](const typename M::Action& a, const typename M::State& s) {
      if (k++ == successors[i]) trace.steps.push_back({a, s}), found = true;
    });
    if (!found)
      throw ReplayError("faultline: step " + std::to_string(i + 1) +
                        " of the lasso could not be replayed: the model's successor function is not deterministic");
  }
  trace.lasso = true;
  trace.cycle_start = cycle_start;
  return trace;
}

}  // namespace mc
