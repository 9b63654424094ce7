// The shipped TLA+ transliterations reproduce TLC's published counts, and their counterexamples replay.
#include "mc/check.hpp"
#include "mc/trace/text.hpp"
#include "protocols/die_hard.hpp"
#include "protocols/paxos_commit.hpp"
#include "protocols/peterson.hpp"
#include "protocols/tcommit.hpp"
#include "protocols/two_phase.hpp"

#include <catch2/catch.hpp>

namespace {

mc::ExploreOptions threads(unsigned n, bool exact = false) {
  mc::ExploreOptions o;
  o.threads = n;
  o.exact = exact;
  return o;
}

}  // namespace

// Source of every pinned count: tlaplus/Examples, specifications/<folder>/manifest.json (TLC's own results).
TEST_CASE("two-phase with 3 RMs matches TLC: 288 distinct, 1146 generated, depth 11", "[two-phase][tlc]") {
  const auto r = mc::check(protocols::TwoPhase(3), threads(2));
  CHECK(r.ok());
  CHECK(r.stats.distinct == 288);
  CHECK(r.stats.generated == 1146);
  CHECK(r.stats.depth == 11);
}

TEST_CASE("paxos-commit matches TLC: 1,321,761 distinct, 16,959,159 generated, depth 28", "[paxos-commit][tlc]") {
  // Generated counts agree only because every ∃ in action position is enumerated witness by witness, as TLC does.
  for (const auto& o : {threads(2), threads(4, true)}) {
    const auto r = mc::check(protocols::PaxosCommit{}, o);
    CHECK(r.ok());
    CHECK(r.stats.distinct == 1321761);
    CHECK(r.stats.generated == 16959159);
    CHECK(r.stats.depth == 28);
  }
}

TEST_CASE("tcommit with 3 RMs matches TLC: 34 distinct, 94 generated, depth 7", "[tcommit][tlc]") {
  const auto r = mc::check(protocols::TCommit(3), threads(2));
  CHECK(r.ok());
  CHECK(r.stats.distinct == 34);
  CHECK(r.stats.generated == 94);
  CHECK(r.stats.depth == 7);
}

TEST_CASE("peterson matches TLC: 42 distinct, 77 generated, depth 11", "[peterson][tlc]") {
  const auto r = mc::check(protocols::Peterson{}, threads(2));
  CHECK(r.ok());
  CHECK(r.stats.distinct == 42);
  CHECK(r.stats.generated == 77);
  CHECK(r.stats.depth == 11);
}

TEST_CASE("die-hard: NotSolved is violated by the 6-step solution, which replays", "[die-hard]") {
  protocols::DieHard model;
  const auto r = mc::check(model, threads(2));
  REQUIRE(r.status == mc::RunStatus::violation);
  const auto* v = r.violation();
  REQUIRE(v != nullptr);
  CHECK(v->name == "NotSolved");
  REQUIRE(v->trace);
  const auto& trace = *v->trace;
  CHECK(trace.size() == 7);  // initial state + 6 actions: the shortest solution (DieHard.tla's comments)
  CHECK(trace.last().big == 4);
  CHECK(v->explanation == "the big jug holds exactly 4 gallons: solved");
  // Replay independently: each step must be a successor the model emits for its action, from the initial state.
  protocols::DieHard::State s{0, 0};
  CHECK(mc::equal(trace.steps[0].state, s));
  for (std::size_t i = 1; i < trace.size(); ++i) {
    bool produced = false;
    model.next(s, [&](protocols::DieHard::Action a, const protocols::DieHard::State& t) {
      if (!produced && a == *trace.steps[i].action && mc::equal(t, trace.steps[i].state)) produced = true;
    });
    REQUIRE(produced);
    s = trace.steps[i].state;
  }
  const auto props = model.properties();
  CHECK_FALSE(props[1].holds(s));
  CHECK(mc::format_trace(trace).find("BigToSmall") != std::string::npos);
}
