// Checks shared by the protocol tests: pinned safe runs, broken variants whose counterexamples are replayed step by
// step, thread-count independence, agreement with the serial reference explorer, monotone fault budgets.
#pragma once

#include "mc/check.hpp"
#include "mc/core/assign.hpp"
#include "mc/trace/text.hpp"
#include "reference_explorer.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <string>

namespace protocol_checks {

inline mc::ExploreOptions threads(unsigned n) {
  mc::ExploreOptions o;
  o.threads = n;
  return o;
}

/// Re-executes a counterexample step by step against the model: each step must be a successor the model emits
/// under the same label, and the last state must break the named property.
template <class M>
void replay_violates(const M& model, const mc::TraceOf<M>& trace, const std::string& property) {
  REQUIRE_FALSE(trace.empty());
  bool initial = false;
  model.init([&](const typename M::State& s) { initial |= mc::encode(s) == mc::encode(trace.steps[0].state); });
  REQUIRE(initial);
  for (std::size_t i = 1; i < trace.size(); ++i) {
    bool produced = false;
    model.next(trace.steps[i - 1].state, [&](const typename M::Action& a, const typename M::State& t) {
      produced |= describe(a) == describe(*trace.steps[i].action) && mc::encode(t) == mc::encode(trace.steps[i].state);
    });
    INFO("step " << i + 1 << ": " << describe(*trace.steps[i].action));
    REQUIRE(produced);
  }
  bool found = false;
  for (const auto& p : model.properties()) {
    if (p.name != property) continue;
    found = true;
    CHECK_FALSE(p.holds(trace.last()));
    for (std::size_t i = 0; i + 1 < trace.size(); ++i) CHECK(p.holds(trace.steps[i].state));  // first failure is last
  }
  CHECK(found);
}

template <class M>
void safe_with(const M& model, std::uint64_t distinct, std::uint64_t depth) {
  const auto r = mc::check(model, threads(2));
  CHECK(r.ok());
  CHECK(r.stats.distinct == distinct);
  CHECK(r.stats.depth == depth);
}

/// A broken variant: the property fails with a counterexample of `trace_states` states that replays, and (when
/// given) the property explains the failure in exactly these words.
template <class M>
mc::CheckResult<M> broken_with(const M& model, const std::string& property, std::size_t trace_states,
                               const std::string& explanation = {}) {
  auto r = mc::check(model, threads(2));
  REQUIRE(r.status == mc::RunStatus::violation);
  REQUIRE(r.violation());
  CHECK(r.violation()->name == property);
  CHECK(r.violation()->trace->size() == trace_states);
  if (!explanation.empty()) CHECK(r.violation()->explanation == explanation);
  replay_violates(model, *r.violation()->trace, property);
  return r;
}

template <class M>
void same_for_1_and_2_threads(const M& model) {
  const auto a = mc::check(model, threads(1));
  const auto b = mc::check(model, threads(2));
  CHECK(a.status == b.status);
  CHECK(a.stats.distinct == b.stats.distinct);
  CHECK(a.stats.generated == b.stats.generated);
  CHECK(a.stats.depth == b.stats.depth);
  if (a.violation() && b.violation())
    CHECK(mc::format_trace(*a.violation()->trace) == mc::format_trace(*b.violation()->trace));
}

/// The explorer's fast path writes and reads states through `EncodeBuffer` with one bounds check per bounded part;
/// for every reachable state its bytes must be those of the plain field-by-field encoding into `Bytes`, and decoding
/// them — into one reused state, so leftovers of the previous state would show, both with bytes to spare after the
/// encoding (fast reads throughout) and with none (checked reads at the end) — must give that state back, and so
/// must `mc::assign` of each state over the one before.
template <class State>
void buffer_encoding_is_the_reference(const test_models::Enumeration<State>& ref) {
  REQUIRE(ref.states.size() > 1);
  mc::EncodeBuffer buffer;
  State reused{};
  State assigned{};  // each state assigned over the one before (how the explorer builds successors)
  std::size_t mismatched = 0, misdecoded = 0, misassigned = 0;
  for (const State& s : ref.states) {
    const mc::Bytes plain = mc::encode(s);
    mc::assign(assigned, s);
    misassigned += mc::encode(assigned) != plain;
    buffer.clear();
    mc::encode_into(buffer, s);
    mismatched += mc::Bytes(buffer.data(), buffer.data() + buffer.size()) != plain;
    for (const std::size_t spare : {std::size_t{0}, std::size_t{512}}) {
      mc::Bytes padded(plain);
      padded.resize(plain.size() + spare, 0xA5);
      mc::detail::Reader in{padded.data(), padded.data() + padded.size()};
      mc::decode_from(in, reused);
      misdecoded += in.p != padded.data() + plain.size() || mc::encode(reused) != plain;
    }
  }
  CHECK(mismatched == 0);
  CHECK(misdecoded == 0);
  CHECK(misassigned == 0);
}

template <class M>
void buffer_encoding_is_the_reference(const M& model) {
  buffer_encoding_is_the_reference(test_models::enumerate(model));
}

template <class M>
void agrees_with_reference(const M& model) {
  const auto ref = test_models::enumerate(model);
  buffer_encoding_is_the_reference(ref);  // the same states, enumerated once
  mc::ExploreOptions o = threads(2);
  o.keep_going = true;  // the reference does not stop at a violation either
  const auto r = mc::check(model, o);
  CHECK(r.stats.distinct == ref.distinct);
  CHECK(r.stats.generated == ref.generated);
  CHECK(r.stats.depth == ref.depth);
}

/// Raising one budget (or all) keeps every state reachable before: reachable(b) ⊆ reachable(b') for b ≤ b'.
template <class Make>
void budgets_are_monotone(Make make, mc::FaultBudget top) {
  auto states = [&](mc::FaultBudget b) {
    test_models::ByteSet out;
    for (const auto& s : test_models::enumerate(make(b)).states) out.insert(mc::encode(s));
    return out;
  };
  const auto none = states({});
  const auto all = states(top);
  CHECK(std::includes(all.begin(), all.end(), none.begin(), none.end()));
  for (std::size_t i = 0; i < 5; ++i) {
    if (!top[i]) continue;
    mc::FaultBudget lower = top;
    lower[i] = static_cast<std::uint8_t>(top[i] - 1);
    const auto below = states(lower);
    CHECK(std::includes(all.begin(), all.end(), below.begin(), below.end()));
    CHECK(below.size() < all.size());
  }
}

}  // namespace protocol_checks
