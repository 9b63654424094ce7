// Liveness of actor systems and the shipped protocols: the network's default fairness (deliveries, timers), the
// strong fairness of deferred messages (a weak one would let a request wait forever), verdicts and lasso lengths
// pinned per protocol, monotone in the fault budget, and each lasso checked against the model once more.
#include "mc/actor/actor_model.hpp"
#include "protocols/hour_clock.hpp"
#include "protocols/peterson.hpp"
#include "protocols/rpc_retry.hpp"
#include "protocols/two_phase_commit.hpp"
#include "protocol_checks.hpp"

#include <variant>

namespace flapping {

struct Request {
  BOOST_HANA_DEFINE_STRUCT(Request, (std::uint8_t, id));
  auto operator<=>(const Request&) const = default;
};
using Msg = std::variant<Request>;
struct Vocabulary {
  using Msg = flapping::Msg;
};

struct Client {
  struct State {
    BOOST_HANA_DEFINE_STRUCT(State, (bool, sent));
  };
  template <class Out>
  State on_start(mc::NodeId, Out& out) const {
    out.send(1, Request{1});
    return {true};
  }
  template <class Out>
  void on_message(mc::NodeId, State&, mc::NodeId, const Msg&, Out&) const {}
};

/// Busy and idle by turns, forever (its `flip` timer); it takes a request only while idle.
struct Server {
  enum class Timer : std::uint8_t { flip };
  friend std::string_view to_string_view(Timer) { return "flip"; }
  struct State {
    BOOST_HANA_DEFINE_STRUCT(State, (bool, busy), (bool, served));
  };
  template <class Out>
  State on_start(mc::NodeId, Out& out) const {
    out.set_timer(Timer::flip);
    return {true, false};
  }
  bool accepts(const State& s, mc::NodeId, const Msg&) const { return !s.busy; }
  template <class Out>
  void on_message(mc::NodeId, State& s, mc::NodeId, const Msg&, Out&) const {
    s.served = true;
  }
  template <class Out>
  void on_timeout(mc::NodeId, State& s, Timer, Out& out) const {
    s.busy = !s.busy;
    out.set_timer(Timer::flip);
  }
};

using Model = mc::ActorModel<Vocabulary, Client, Server>;

Model make() {
  Model m;
  m.add(Client{});
  m.add(Server{});
  m.add_property(mc::eventually<Model::State>("served", [](const Model::State& s) {
    return Model::state_of<Server>(s, 1).served;
  }));
  return m;
}

/// The same system with deliveries only weakly fair: what the default would be without `accepts`.
struct WeakDelivery {
  Model model = make();
  using State = Model::State;
  using Action = Model::Action;
  template <class Emit>
  void init(Emit&& emit) const {
    model.init(emit);
  }
  template <class Emit>
  void next(const State& s, Emit&& emit) const {
    model.next(s, emit);
  }
  std::vector<mc::Property<State>> properties() const { return model.properties(); }
  std::vector<mc::Fairness<Action>> fairness() const {
    auto f = model.fairness();
    f[0].kind = mc::FairnessKind::weak;
    return f;
  }
};

}  // namespace flapping

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

TEST_CASE("a deferred message is strongly fair: accepted again and again, it is delivered", "[liveness][actor]") {
  const auto m = flapping::make();
  REQUIRE(m.fairness()[0].kind == mc::FairnessKind::strong);
  const auto strong = mc::check(m, threads(2));
  CHECK(verdict(strong, "served").outcome == mc::Outcome::holds);
  // Weakly fair, the request may wait forever while the server flips: a two-state cycle.
  const auto weak = mc::check(flapping::WeakDelivery{}, threads(2));
  const auto& v = verdict(weak, "served");
  REQUIRE(v.outcome == mc::Outcome::violated);
  REQUIRE(v.trace->cycle_start);
  CHECK(v.trace->size() - *v.trace->cycle_start == 3);  // busy -> idle -> busy
}

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

TEST_CASE("rpc-retry is answered once faults stop; without retries one loss is enough", "[liveness][rpc]") {
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

TEST_CASE("peterson: starvation free under WF per process, not under WF(Next); the hour clock's hours recur",
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
