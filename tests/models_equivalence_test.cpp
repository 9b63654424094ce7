// Optimisations and parallelism must not change results: every model gives the same counts and traces
// for 1, 2 and 4 threads and in exact and fingerprint modes.
#include "mc/check.hpp"
#include "mc/trace/text.hpp"
#include "protocols/die_hard.hpp"
#include "protocols/peterson.hpp"
#include "protocols/tcommit.hpp"
#include "protocols/two_phase.hpp"

#include <catch2/catch.hpp>

namespace {

template <class M>
void same_for_all_configurations(const M& model) {
  std::optional<mc::CheckResult<M>> first;
  for (unsigned threads : {1u, 2u, 4u}) {
    for (bool exact : {false, true}) {
      mc::ExploreOptions o;
      o.threads = threads;
      o.exact = exact;
      const auto r = mc::check(model, o);
      if (!first) {
        first = r;
        continue;
      }
      CHECK(r.status == first->status);
      CHECK(r.stats.distinct == first->stats.distinct);
      CHECK(r.stats.generated == first->stats.generated);
      CHECK(r.stats.depth == first->stats.depth);
      REQUIRE(r.properties.size() == first->properties.size());
      for (std::size_t i = 0; i < r.properties.size(); ++i) {
        CHECK(r.properties[i].outcome == first->properties[i].outcome);
        CHECK(r.properties[i].trace.has_value() == first->properties[i].trace.has_value());
        if (r.properties[i].trace)
          CHECK(mc::format_trace(*r.properties[i].trace) == mc::format_trace(*first->properties[i].trace));
      }
    }
  }
}

}  // namespace

TEST_CASE("two-phase (4 RMs) is the same for 1, 2, 4 threads, exact and fingerprint", "[two-phase][determinism]") {
  same_for_all_configurations(protocols::TwoPhase(4));
}

TEST_CASE("tcommit (4 RMs) is the same for 1, 2, 4 threads, exact and fingerprint", "[tcommit][determinism]") {
  same_for_all_configurations(protocols::TCommit(4));
}

TEST_CASE("peterson is the same for 1, 2, 4 threads, exact and fingerprint", "[peterson][determinism]") {
  same_for_all_configurations(protocols::Peterson{});
}

TEST_CASE("die-hard's counterexample is the same for 1, 2, 4 threads, exact and fingerprint", "[die-hard][determinism]") {
  same_for_all_configurations(protocols::DieHard{});
}

TEST_CASE("two-phase grows from 1 to 6 RMs as TLC and the published TwoPhase comment say", "[two-phase][tlc]") {
  // TwoPhase.tla's closing comment: "checked with TLC for six RMs, a configuration with 50816 reachable states".
  mc::ExploreOptions o;
  o.threads = 2;
  CHECK(mc::check(protocols::TwoPhase(6), o).stats.distinct == 50816);
}
