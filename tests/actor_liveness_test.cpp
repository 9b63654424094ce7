// Liveness of the shipped protocols under the network's default fairness (deliveries, timers; deferred messages
// are tested in deferral_test.cpp): verdicts and lasso lengths pinned per protocol, monotone in the fault budget,
// and each lasso checked against the model once more (mc::check does).
#include "protocols/hour_clock.hpp"
#include "protocols/peterson.hpp"
#include "protocols/rpc_retry.hpp"
#include "protocols/two_phase_commit.hpp"
#include "protocol_checks.hpp"

using protocol_checks::threads;
namespace twopc = protocols::twopc;
namespace rpc = protocols::rpc;

namespace {

template <class M>
const mc::PropertyResult<M>& verdict(const mc::CheckResult<M>& r, const std::string& name) {
  const auto* p = r.property(name);
  REQUIRE(p);
  return *p;
}

}  // namespace

TEST_CASE("two-phase-commit blocks when the coordinator crashes for good, and not when it restarts",
          "[liveness][2pc]") {
  auto blocking = twopc::make_model(twopc::Variant::correct, 2, {0, 0, 1, 0, 0, 0});
  twopc::add_liveness(blocking, true);
  const auto r = mc::check(blocking, threads(2));
  const auto& v = verdict(r, "all-learn-outcome");
  REQUIRE(v.outcome == mc::Outcome::violated);
  CHECK_FALSE(v.trace->cycle_start);  // it ends in a state that lasts forever
  bool coordinator_crashed = false;
  for (const auto& s : v.trace->steps)
    coordinator_crashed |= s.action && s.action->kind == mc::EventKind::crash && s.action->node == 0;
  CHECK(coordinator_crashed);
  CHECK(verdict(r, "atomic-commit").outcome == mc::Outcome::holds);

  auto recovering = twopc::make_model(twopc::Variant::correct, 2, {0, 0, 1, 1, 0, 0});
  twopc::add_liveness(recovering, true);
  CHECK(verdict(mc::check(recovering, threads(2)), "all-learn-outcome").outcome == mc::Outcome::holds);
  auto unfair = twopc::make_model(twopc::Variant::correct, 2, {0, 0, 1, 1, 0, 0});
  twopc::add_liveness(unfair, false);
  CHECK(verdict(mc::check(unfair, threads(2)), "all-learn-outcome").outcome == mc::Outcome::violated);
}

TEST_CASE("rpc-retry is answered once faults stop, without retries one loss is enough", "[liveness][rpc]") {
  for (mc::FaultBudget b : {mc::FaultBudget{0, 0, 0, 0, 0, 0}, mc::FaultBudget{1, 0, 0, 0, 0, 0},
                            mc::FaultBudget{1, 1, 1, 1, 0, 0}, mc::FaultBudget{2, 1, 1, 1, 0, 0}}) {
    auto m = rpc::make_model(rpc::Variant::dedup, 2, b);
    rpc::add_liveness(m);
    INFO("budget " << b.to_spec());
    CHECK(mc::check(m, threads(2)).ok());
  }
  // Monotone: once broken by a loss, more faults never make it live again.
  for (mc::FaultBudget b : {mc::FaultBudget{1, 0, 0, 0, 0, 0}, mc::FaultBudget{1, 1, 0, 0, 0, 0},
                            mc::FaultBudget{2, 1, 1, 1, 0, 0}}) {
    auto m = rpc::make_model(rpc::Variant::no_retry, 1, b);
    rpc::add_liveness(m);
    INFO("budget " << b.to_spec());
    const auto r = mc::check(m, threads(2));
    REQUIRE(verdict(r, "eventually-answered").outcome == mc::Outcome::violated);
    CHECK(verdict(r, "eventually-answered").trace->size() == 2);  // the request is dropped, and nothing is left
  }
  auto lossless = rpc::make_model(rpc::Variant::no_retry, 1, {});
  rpc::add_liveness(lossless);
  CHECK(mc::check(lossless, threads(2)).ok());
}

TEST_CASE("peterson: starvation free under WF per process, not under WF(Next), the hour clock's hours recur",
          "[liveness][tla]") {
  protocols::Peterson p;
  const auto fair = mc::check(p, threads(2));
  CHECK(fair.ok());
  CHECK(fair.stats.distinct == 42);
  p.fair = protocols::Peterson::Fairness::next;
  const auto next = mc::check(p, threads(2));
  const auto& v = verdict(next, "StarvationFree(1)");
  REQUIRE(v.outcome == mc::Outcome::violated);
  REQUIRE(v.trace->cycle_start);
  // Along the cycle process 1 stays at a1 and process 2 goes round its loop.
  for (std::size_t i = *v.trace->cycle_start; i < v.trace->size(); ++i) {
    CHECK(v.trace->steps[i].state.pc[0] == protocols::Peterson::Label::a1);
    if (i > *v.trace->cycle_start) CHECK(v.trace->steps[i].action->self == 2);
  }
  CHECK(mc::check(protocols::HourClock{}, threads(2)).ok());
  CHECK_FALSE(mc::check(protocols::HourClock{false}, threads(2)).ok());
}
