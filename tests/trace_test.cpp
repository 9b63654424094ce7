// Saved traces: replay reproduces, detects a fix, rejects a mismatch; minimisation finds the fewest fault events.
#include "mc/check.hpp"
#include "mc/trace/json.hpp"
#include "mc/trace/minimise.hpp"
#include "mc/trace/replay.hpp"
#include "protocols/alternating_bit.hpp"
#include "protocols/paxos.hpp"
#include "protocols/raft_election.hpp"
#include "protocols/rpc_retry.hpp"
#include "protocols/two_phase_commit.hpp"

#include <catch2/catch.hpp>

#include <atomic>

#include <cstdio>
#include <fstream>

namespace {

/// A model whose minimum is known by construction: three routes to the bad node 9 —
/// 2 steps using 2 faults, 3 steps using 1 fault, 5 steps using none. The edge's second field marks a fault.
struct Routes {
  struct State {
    BOOST_HANA_DEFINE_STRUCT(State, (int, node), (int, faults));
  };
  using Action = int;  // the target node
  static constexpr std::pair<int, bool> edges[][2] = {
      {{1, true}, {3, true}},   // 0 -> 1 (fault), 0 -> 3 (fault)
      {{9, true}, {-1, false}}, // 1 -> 9 (fault): 2 steps, 2 faults
      {{-1, false}, {-1, false}},
      {{4, false}, {-1, false}},  // 3 -> 4
      {{9, false}, {-1, false}},  // 4 -> 9: 3 steps, 1 fault
  };
  template <class Emit> void init(Emit&& emit) const { emit(State{0, 0}); }
  template <class Emit> void next(const State& s, Emit&& emit) const {
    if (s.node == 0) emit(5, State{5, s.faults});  // the fault-free route: 0 5 6 7 8 9
    if (s.node >= 5 && s.node <= 8) emit(s.node + 1, State{s.node + 1, s.faults});
    if (s.node < 5)
      for (const auto& [to, fault] : edges[s.node])
        if (to >= 0) emit(to, State{to, s.faults + (fault ? 1 : 0)});
  }
  std::size_t fault_count(const State& s) const { return static_cast<std::size_t>(s.faults); }
  std::vector<mc::Property<State>> properties() const {
    return {mc::always<State>("avoid-9", [](const State& s) { return s.node != 9; })};
  }
};

template <class M>
nlohmann::json violation_steps(const M& model) {
  const auto r = mc::check(model);
  REQUIRE(r.violation());
  return mc::trace_to_json(*r.violation()->trace);
}

}  // namespace

namespace rpc = protocols::rpc;

TEST_CASE("a saved counterexample replays and still shows the violation", "[trace][replay]") {
  const auto model = rpc::make_model(rpc::Variant::volatile_dedup, 1, rpc::default_faults);
  const auto steps = violation_steps(model);
  const auto r = mc::replay(model, steps, "at-most-once");
  CHECK(r.reproduced());
  CHECK(!r.diverged_at);
}

TEST_CASE("replaying an old counterexample against the fixed design reports the fix", "[trace][replay]") {
  const auto steps = violation_steps(rpc::make_model(rpc::Variant::no_dedup, 1, rpc::default_faults));
  const auto r = mc::replay(rpc::make_model(rpc::Variant::dedup, 1, rpc::default_faults), steps, "at-most-once");
  CHECK(r.fixed());
  CHECK(r.diverged_at == 3u);  // step 3, the second delivery, no longer applies the request
}

TEST_CASE("a trace whose step the model does not take is a mismatch naming the step", "[trace][replay]") {
  const auto model = rpc::make_model(rpc::Variant::no_dedup, 1, rpc::default_faults);
  auto steps = violation_steps(model);
  steps[2]["action"] = "deliver Nothing n5→n6";
  auto r = mc::replay(model, steps, "at-most-once");
  CHECK(r.status == mc::ReplayResult::Status::mismatch);
  CHECK(r.step == 2u);
  CHECK(r.reason.find("no step 'deliver Nothing n5→n6'") != std::string::npos);

  steps = violation_steps(model);
  steps[1].erase("state");
  r = mc::replay(model, steps, "at-most-once");
  CHECK(r.status == mc::ReplayResult::Status::mismatch);
  CHECK(r.step == 1u);
  CHECK(mc::replay(model, violation_steps(model), "no-such-property").status == mc::ReplayResult::Status::mismatch);
  CHECK(mc::replay(model, nlohmann::json::array(), "at-most-once").status == mc::ReplayResult::Status::mismatch);
}

TEST_CASE("a regression test is one call: replay_file on a saved trace", "[trace][replay]") {
  const auto model = rpc::make_model(rpc::Variant::no_dedup, 1, rpc::default_faults);
  const std::string path = "trace_test_regression.json";
  {
    std::ofstream out(path);
    out << nlohmann::json{{"format", "faultline-trace"}, {"version", 1}, {"protocol", "rpc-retry"},
                          {"property", "at-most-once"}, {"steps", violation_steps(model)}}.dump();
  }
  CHECK(mc::replay_file(model, path).reproduced());
  CHECK(mc::replay_file(rpc::make_model(rpc::Variant::dedup, 1, rpc::default_faults), path).fixed());
  { std::ofstream(path) << "{ not json"; }
  CHECK(mc::replay_file(model, path).status == mc::ReplayResult::Status::mismatch);
  std::remove(path.c_str());
  CHECK(mc::replay_file(model, path).reason.find("cannot read") == 0);
}

TEST_CASE("minimisation finds the known minimum: no faults, 5 steps, not the 2-step route", "[trace][minimise]") {
  const Routes model;
  const auto shortest = mc::check(model);
  REQUIRE(shortest.violation());
  CHECK(shortest.violation()->trace->size() == 3);  // BFS: 0 -> 1 -> 9
  CHECK(shortest.violation()->trace->last().faults == 2);
  mc::MinimiseResult info;
  const auto t = mc::minimise(model, "avoid-9", 2, {}, &info);
  REQUIRE(t);
  CHECK(info.fault_events == 0);
  CHECK(t->size() == 6);  // 0 5 6 7 8 9
  CHECK(t->last().node == 9);
  CHECK_FALSE(mc::minimise(model, "avoid-9", 2, {}, nullptr)->last().faults);
}

TEST_CASE("a minimisation cut short claims nothing, its time limit bounds every search together", "[trace][minimise]") {
  const Routes model;
  mc::ExploreOptions few;
  few.max_states = 3;  // the no-fault search (0 5 6 7 8 9) cannot finish: zero faults is not ruled out
  mc::MinimiseResult info;
  CHECK_FALSE(mc::minimise(model, "avoid-9", 2, few, &info));
  CHECK_FALSE(info.proven);
  CHECK(info.stop_reason == "state limit reached");
  mc::ExploreOptions instant;
  instant.time_limit = 1e-12;  // spent before the first search starts
  mc::MinimiseResult timed;
  CHECK_FALSE(mc::minimise(model, "avoid-9", 2, instant, &timed));
  CHECK_FALSE(timed.proven);
  CHECK(timed.stop_reason == "time limit");
  mc::MinimiseResult whole;
  CHECK(mc::minimise(model, "avoid-9", 2, {}, &whole));
  CHECK(whole.proven);
}

TEST_CASE("minimised counterexamples of the broken protocols have no more faults and still violate", "[trace][minimise]") {
  auto check_minimised = [](const auto& model, const std::string& property) {
    const auto r = mc::check(model);
    REQUIRE(r.violation());
    const auto original = mc::fault_events(*r.violation()->trace);
    const auto t = mc::minimise(model, property, original, {});
    REQUIRE(t);
    CHECK(mc::fault_events(*t) <= original);
    CHECK(mc::replay(model, mc::trace_to_json(*t), property).reproduced());
    return std::pair{original, mc::fault_events(*t)};
  };
  CHECK(check_minimised(rpc::make_model(rpc::Variant::volatile_dedup, 1, rpc::default_faults), "at-most-once") ==
        std::pair<std::size_t, std::size_t>{3, 2});
  check_minimised(rpc::make_model(rpc::Variant::no_dedup, 1, rpc::default_faults), "at-most-once");
  namespace twopc = protocols::twopc;
  check_minimised(twopc::make_model(twopc::Variant::commit_on_timeout, 2, twopc::default_faults), "atomic-commit");
  namespace abp = protocols::abp;
  check_minimised(abp::make_model(abp::Variant::no_bit, 3, abp::default_faults), "exactly-once-in-order");
  namespace raft = protocols::raft;
  check_minimised(raft::make_model(raft::Variant::volatile_vote, 3, 1, raft::default_faults), "election-safety");
}

namespace {
/// A model whose successor function is not a function: after enough calls it starts emitting different states (as a
/// model iterating an unordered container or reading a clock would). Exploration cannot notice; trace replay must.
struct Forgetful {
  struct State {
    BOOST_HANA_DEFINE_STRUCT(State, (int, x));
  };
  struct Action {
    int step;
  };
  mutable std::atomic<int> calls{0};
  template <class Emit>
  void init(Emit&& emit) const {
    emit(State{0});
  }
  template <class Emit>
  void next(const State& s, Emit&& emit) const {
    if (s.x >= 6) return;
    const int step = calls.fetch_add(1) < 6 ? 1 : 2;  // during replay, steps of 2
    emit(Action{step}, State{s.x + step});
  }
  std::vector<mc::Property<State>> properties() const {
    return {mc::always<State>("BelowSix", [](const State& s) { return s.x < 6; })};
  }
};
}  // namespace

TEST_CASE("a model whose successors change between exploration and replay is reported, not given a wrong trace",
          "[trace][determinism]") {
  Forgetful model;
  CHECK_THROWS_WITH(mc::check(model, mc::ExploreOptions{}),
                    Catch::Contains("could not be replayed") && Catch::Contains("not deterministic"));
}
