// Coverage (`check --coverage`): successors generated per kind of step, counted by the parallel explorer and again
// by the serial reference explorer over the same reachable states; and the warnings for what was never taken.
#include "mc/actor/actor_model.hpp"
#include "mc/check.hpp"
#include "protocol_checks.hpp"
#include "protocols/rpc_retry.hpp"
#include "protocols/two_phase.hpp"

#include <map>
#include <variant>

namespace {

/// The reference count: every successor of every reachable state, by its coverage label.
template <class M>
std::map<std::string, std::uint64_t> reference_coverage(const M& model) {
  std::map<std::string, std::uint64_t> out;
  for (const auto& s : test_models::enumerate(model).states)
    model.next(s, [&](const typename M::Action& a, const typename M::State&) { ++out[mc::coverage_label(model, a)]; });
  return out;
}

template <class M>
mc::CheckResult<M> check_with_coverage(const M& model) {
  mc::ExploreOptions o;
  o.threads = 2;
  o.coverage = true;
  return mc::check(model, o);
}

namespace idle {
struct Ping {
  BOOST_HANA_DEFINE_STRUCT(Ping, (std::uint8_t, n));
  auto operator<=>(const Ping&) const = default;
};
struct Pong {
  BOOST_HANA_DEFINE_STRUCT(Pong, (std::uint8_t, n));
  auto operator<=>(const Pong&) const = default;
};
using Msg = std::variant<Ping, Pong>;
struct Vocabulary {
  using Msg = idle::Msg;
};
/// Pings the server once; nobody ever sends it anything, so its handler can never run.
struct Client {
  struct State {
    BOOST_HANA_DEFINE_STRUCT(State, (bool, sent));
  };
  template <class Out>
  State on_start(mc::NodeId, Out& out) const {
    out.send(1, Ping{1});
    return {true};
  }
  template <class Out>
  void on_message(mc::NodeId, State&, mc::NodeId, const Msg&, Out&) const {}
};
/// Counts pings; it would answer with a Pong, but the design forgot to.
struct Server {
  struct State {
    BOOST_HANA_DEFINE_STRUCT(State, (std::uint8_t, pings));
  };
  template <class Out>
  State on_start(mc::NodeId, Out&) const {
    return {0};
  }
  template <class Out>
  void on_message(mc::NodeId, State& s, mc::NodeId, const Msg&, Out&) const {
    ++s.pings;
  }
};
using Model = mc::ActorModel<Vocabulary, Client, Server>;
}  // namespace idle

}  // namespace

TEST_CASE("coverage of a plain model: per action, as the reference explorer counts them", "[coverage]") {
  const protocols::TwoPhase model(3);
  const auto r = check_with_coverage(model);
  REQUIRE(r.ok());
  CHECK(r.stats.coverage_measured);
  CHECK(r.stats.coverage == reference_coverage(model));
  std::uint64_t total = 0;
  for (const auto& [kind, n] : r.stats.coverage) total += n;
  CHECK(total == r.stats.generated - 1);  // every successor, the one initial state aside
  // Pinned: TwoPhase with 3 RMs (288 states, 1146 generated). TMCommit is enabled in one state only: every RM
  // prepared (none can abort once prepared) and the TM still in init.
  CHECK(r.stats.coverage == std::map<std::string, std::uint64_t>{{"RMChooseToAbort", 156}, {"RMPrepare", 156},
                                                                  {"RMRcvAbortMsg", 648},  {"RMRcvCommitMsg", 24},
                                                                  {"TMAbort", 64},         {"TMCommit", 1},
                                                                  {"TMRcvPrepared", 96}});
  CHECK(r.stats.coverage_gaps.empty());
}

TEST_CASE("coverage of an actor system: deliveries per actor and message type, timers, faults", "[coverage]") {
  const auto model = protocols::rpc::make_model(protocols::rpc::Variant::dedup, 1, protocols::rpc::default_faults);
  const auto r = check_with_coverage(model);
  REQUIRE(r.ok());
  CHECK(r.stats.coverage == reference_coverage(model));
  // Pinned: rpc-retry, one request, loss, dup, crash and restart budgets of 1.
  CHECK(r.stats.coverage == std::map<std::string, std::uint64_t>{{"crash", 182},
                                                                  {"deliver Reply to Client", 184},
                                                                  {"deliver Request to Server", 180},
                                                                  {"drop Reply", 108},
                                                                  {"drop Request", 116},
                                                                  {"duplicate Reply", 78},
                                                                  {"duplicate Request", 90},
                                                                  {"restart", 149},
                                                                  {"timeout retry at Client", 154}});
  CHECK(r.stats.coverage_gaps.empty());  // every message, handler, timer and budgeted fault was taken
}

TEST_CASE("coverage names the handler and message type that never ran", "[coverage]") {
  idle::Model m(mc::NetworkKind::unordered, {0, 0, 0, 0, 0, 0});
  m.add(idle::Client{});
  m.add(idle::Server{});
  m.add_property(mc::always<idle::Model::State>("true", [](const idle::Model::State&) { return true; }));
  const auto r = check_with_coverage(m);
  REQUIRE(r.ok());
  CHECK(r.stats.coverage == std::map<std::string, std::uint64_t>{{"deliver Ping to Server", 1}});
  CHECK(r.stats.coverage_gaps ==
        std::vector<std::string>{"message Pong was never delivered", "Client never handled a message"});
  // A budgeted fault that cannot happen is named too: nothing ever restarts without a crash.
  idle::Model faulty(mc::NetworkKind::unordered, {0, 0, 0, 1, 0, 0});
  faulty.add(idle::Client{});
  faulty.add(idle::Server{});
  const auto f = check_with_coverage(faulty);
  CHECK(std::find(f.stats.coverage_gaps.begin(), f.stats.coverage_gaps.end(),
                  "fault restart (budget 1) was never possible") != f.stats.coverage_gaps.end());
}

TEST_CASE("coverage of an incomplete search claims no gaps", "[coverage]") {
  mc::ExploreOptions o;
  o.threads = 2;
  o.coverage = true;
  o.max_depth = 2;
  const auto r = mc::check(protocols::TwoPhase(3), o);
  CHECK_FALSE(r.stats.complete);
  CHECK(r.stats.coverage_measured);
  CHECK(r.stats.coverage_gaps.empty());
}
