// The Model contract every explorer consumes: initial states, labelled successors, named properties.
// Protocols (plain transition systems or actor systems) produce a Model; mc/explore and mc/trace consume one.
#pragma once

#include "mc/core/encode.hpp"

#include <concepts>
#include <functional>
#include <string>
#include <vector>

namespace mc {

enum class PropertyKind {
  always,             ///< an invariant: must hold in every reachable state
  sometimes,          ///< a reachability goal: some reachable state must satisfy it
  eventually,         ///< liveness `<>p`: every fair behaviour reaches a state satisfying it
  leads_to,           ///< liveness `p ~> q`: on every fair behaviour, whenever p holds, q holds then or later
  eventually_always,  ///< liveness `<>[]p`: every fair behaviour ends up satisfying it for good
};

inline std::string_view to_string_view(PropertyKind k) {
  constexpr std::string_view names[] = {"always", "sometimes", "eventually", "leads_to", "eventually_always"};
  return names[static_cast<int>(k)];
}

/// Liveness properties are decided over whole behaviours (lassos), after the search, not state by state.
inline bool is_liveness(PropertyKind k) { return k >= PropertyKind::eventually; }

/// A property's account of why a state breaks it: words for a person ("n0 decided 1, n1 decided 2"), and the
/// fields of the state they are about, as traces name them (`history[1].value`), which the HTML view highlights.
/// Text alone converts: an `explain` may return a plain std::string.
struct Explanation {
  std::string text;
  std::vector<std::string> fields;
  Explanation() = default;
  Explanation(std::string words, std::vector<std::string> about = {}) : text(std::move(words)), fields(std::move(about)) {}
  Explanation(const char* words) : text(words) {}
};

/// A named predicate over states, checked in every state the explorer stores. `explain`, when given, says why a
/// state breaks the invariant; reports print it under the result. A `leads_to` property's `holds` is its p and
/// `then` its q.
template <class State>
struct Property {
  PropertyKind kind;
  std::string name;
  std::function<bool(const State&)> holds;
  std::function<Explanation(const State&)> explain = {};
  std::function<bool(const State&)> then = {};
};

template <class State, class Pred>
Property<State> always(std::string name, Pred pred) {
  return {PropertyKind::always, std::move(name), std::move(pred)};
}

template <class State, class Pred>
Property<State> sometimes(std::string name, Pred pred) {
  return {PropertyKind::sometimes, std::move(name), std::move(pred)};
}

/// Every fair behaviour reaches a state where `pred` holds (TLA+ `<>P`).
template <class State, class Pred>
Property<State> eventually(std::string name, Pred pred) {
  return {PropertyKind::eventually, std::move(name), std::move(pred)};
}

/// Whenever `p` holds, `q` holds then or later, on every fair behaviour (TLA+ `P ~> Q`).
template <class State, class P, class Q>
Property<State> leads_to(std::string name, P p, Q q) {
  return {PropertyKind::leads_to, std::move(name), std::move(p), {}, std::move(q)};
}

/// Every fair behaviour reaches a point from which `pred` holds for good (TLA+ `<>[]P`).
template <class State, class Pred>
Property<State> eventually_always(std::string name, Pred pred) {
  return {PropertyKind::eventually_always, std::move(name), std::move(pred)};
}

/// A transition system. `Action` labels a step; it is a small value formatted only when a trace is printed.
template <class M>
concept Model = requires(const M& m, const typename M::State& s) {
  typename M::State;
  typename M::Action;
  m.init([](const typename M::State&) {});
  m.next(s, [](const typename M::Action&, const typename M::State&) {});
  { m.properties() } -> std::convertible_to<std::vector<Property<typename M::State>>>;
};

/// One successor callback type for every caller off the explorer's hot path (trace rebuilding, replay, random
/// walks): a model's `next` is then compiled once for all of them rather than once per caller's lambda.
template <Model M>
using SuccessorSink = std::function<void(const typename M::Action&, const typename M::State&)>;

template <Model M>
void for_each_successor(const M& m, const typename M::State& s, const SuccessorSink<M>& sink) {
  m.next(s, sink);
}

/// Optional, like TLC's CONSTRAINT: states for which `m.within(s)` is false are neither stored nor expanded.
template <class M>
concept ConstrainedModel = Model<M> && requires(const M& m, const typename M::State& s) {
  { m.within(s) } -> std::convertible_to<bool>;
};

template <Model M>
bool within_constraint(const M& m, const typename M::State& s) {
  if constexpr (ConstrainedModel<M>) return m.within(s);
  else return true;
}

}  // namespace mc
