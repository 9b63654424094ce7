// Symmetry reduction: canonicalisers are canonical (checked against every permutation), reduced counts equal the
// number of orbits of the unreduced reachable set (from the independent reference explorer) and TLC's published
// counts, results do not depend on threads or mode, and traces found under reduction are real executions.
#include "mc/check.hpp"
#include "mc/core/symmetry.hpp"
#include "mc/trace/text.hpp"
#include "protocols/fast_paxos_spec.hpp"
#include "protocols/peterson.hpp"
#include "protocols/two_phase.hpp"
#include "reference_explorer.hpp"

#include <catch2/catch.hpp>

#include <set>

namespace {

template <class State>
mc::Bytes bytes(const State& s) {
  return mc::encode(s);
}

/// Orbits of the unreduced reachable set, each named by its smallest member under `group` (brute force).
template <class M, class Group, class Apply>
std::size_t count_orbits(const M& model, const Group& group, Apply apply) {
  test_models::ByteSet orbits;
  for (const auto& s : test_models::enumerate(model).states) orbits.insert(bytes(mc::smallest_in_orbit(s, group, apply)));
  return orbits.size();
}

mc::ExploreOptions reduced(unsigned threads, bool exact = false) {
  mc::ExploreOptions o;
  o.threads = threads;
  o.exact = exact;
  o.symmetry = true;
  return o;
}

}  // namespace

TEST_CASE("two-phase's sort-based canonical state is the same for every permutation of the RMs", "[symmetry]") {
  const protocols::TwoPhase model(4);
  const auto perms = mc::all_permutations(4);
  const auto apply = [&](const auto& s, const mc::Permutation& p) { return model.permuted(s, p); };
  for (const auto& s : test_models::enumerate(model).states) {
    const auto c = model.canonical(s);
    // c is in s's orbit ...
    REQUIRE(bytes(mc::smallest_in_orbit(c, perms, apply)) == bytes(mc::smallest_in_orbit(s, perms, apply)));
    // ... and every member of the orbit maps to the same c.
    for (const auto& p : perms) REQUIRE(bytes(model.canonical(model.permuted(s, p))) == bytes(c));
  }
}

TEST_CASE("two-phase under symmetry: one state per orbit of the reachable set, for 1, 2, 4 threads and both modes",
          "[symmetry][two-phase]") {
  for (unsigned rms : {3u, 4u, 5u}) {
    const protocols::TwoPhase model(rms);
    const auto perms = mc::all_permutations(rms);
    const std::size_t orbits =
        count_orbits(model, perms, [&](const auto& s, const mc::Permutation& p) { return model.permuted(s, p); });
    std::optional<mc::Stats> first;
    for (unsigned threads : {1u, 2u, 4u})
      for (bool exact : {false, true}) {
        const auto r = mc::check(model, reduced(threads, exact));
        CHECK(r.ok());
        CHECK(r.stats.symmetry);
        CHECK(r.stats.distinct == orbits);
        if (!first) first = r.stats;
        CHECK(r.stats.generated == first->generated);
        CHECK(r.stats.depth == first->depth);
      }
  }
}

TEST_CASE("fast-paxos-spec matches TLC with SYMMETRY (1207 / 13290 / 22) and the orbits of the full state space",
          "[symmetry][fast-paxos-spec][tlc]") {
  const protocols::FastPaxosSpec model;
  const auto full = test_models::enumerate(model);
  const auto plain = mc::check(model, mc::ExploreOptions{});
  CHECK(plain.ok());
  CHECK(plain.stats.distinct == full.distinct);
  CHECK(plain.stats.generated == full.generated);
  CHECK(plain.stats.depth == full.depth);
  CHECK(full.distinct == 48514);

  const auto group = mc::product(mc::all_permutations(4), mc::all_permutations(3));
  test_models::ByteSet orbits;
  for (const auto& s : full.states) orbits.insert(bytes(model.canonical(s)));
  for (unsigned threads : {1u, 2u, 4u}) {
    const auto r = mc::check(model, reduced(threads));
    CHECK(r.ok());
    CHECK(r.stats.distinct == 1207);  // tlaplus/Examples SimplifiedFastPaxos/manifest.json
    CHECK(r.stats.generated == 13290);
    CHECK(r.stats.depth == 22);
    CHECK(r.stats.distinct == orbits.size());
  }
  // The canonicaliser is canonical on a sample of states: every permuted copy maps to the same representative.
  for (std::size_t i = 0; i < full.states.size(); i += 97) {
    const auto c = bytes(model.canonical(full.states[i]));
    for (const auto& g : group) REQUIRE(bytes(model.canonical(model.permuted(full.states[i], g.first, g.second))) == c);
  }
}

namespace {
/// two-phase with a goal that needs every RM committed: its witness under symmetry must be a real execution.
struct TwoPhaseAllCommitted : protocols::TwoPhase {
  using protocols::TwoPhase::TwoPhase;
  std::vector<mc::Property<State>> properties() const {
    return {mc::always<State>("NotAllCommitted", [this](const State& s) {
      for (unsigned r = 0; r < rms; ++r)
        if (s.rmState[r] != protocols::RMState::committed) return true;
      return false;
    })};
  }
};
}  // namespace

TEST_CASE("a counterexample found under symmetry replays step by step on concrete states", "[symmetry][trace]") {
  const TwoPhaseAllCommitted model(4);
  const auto reduced_run = mc::check(model, reduced(2));
  const auto plain_run = mc::check(model, mc::ExploreOptions{});
  REQUIRE(reduced_run.status == mc::RunStatus::violation);
  const auto& trace = *reduced_run.properties[0].trace;
  CHECK(trace.size() == plain_run.properties[0].trace->size());  // still a shortest counterexample
  CHECK_FALSE(model.properties()[0].holds(trace.last()));
  for (std::size_t i = 1; i < trace.size(); ++i) {
    bool real = false;
    model.next(trace.steps[i - 1].state, [&](const auto& a, const auto& t) {
      real |= describe(a) == describe(*trace.steps[i].action) && bytes(t) == bytes(trace.steps[i].state);
    });
    REQUIRE(real);
  }
  CHECK(mc::format_trace(trace) == mc::format_trace(*mc::check(model, reduced(1)).properties[0].trace));
}

TEST_CASE("asking for symmetry from a model without one is an error", "[symmetry]") {
  CHECK_THROWS_AS(mc::check(protocols::Peterson{}, reduced(1)), std::invalid_argument);
}
