// Messages an actor does not accept in its current state wait in flight (`accepts`), instead of being consumed by
// a handler that does nothing: "the server is busy, the request waits". Counts and traces by hand enumeration; and
// the strong fairness such a message gets for liveness.
#include "mc/actor/actor_model.hpp"
#include "protocol_checks.hpp"

#include <variant>

namespace busy {

struct Request {
  BOOST_HANA_DEFINE_STRUCT(Request, (std::uint8_t, id));
  auto operator<=>(const Request&) const = default;
};
using Msg = std::variant<Request>;
struct Vocabulary {
  using Msg = busy::Msg;
};

/// Sends two requests at once.
struct Client {
  struct State {
    BOOST_HANA_DEFINE_STRUCT(State, (bool, sent));
  };
  template <class Out>
  State on_start(mc::NodeId, Out& out) const {
    out.send(1, Request{1});
    out.send(1, Request{2});
    return {true};
  }
  template <class Out>
  void on_message(mc::NodeId, State&, mc::NodeId, const Msg&, Out&) const {}
};

/// Works on one request at a time (until its `work` timer fires). With `defer` a request reaching it while busy
/// waits; without, the handler drops it (the behaviour before `accepts`).
struct Server {
  enum class Timer : std::uint8_t { work };
  friend std::string_view to_string_view(Timer) { return "work"; }
  bool defer = true;

  struct State {
    BOOST_HANA_DEFINE_STRUCT(State, (bool, busy), (std::uint8_t, served));
  };
  template <class Out>
  State on_start(mc::NodeId, Out&) const {
    return {false, 0};
  }
  bool accepts(const State& s, mc::NodeId, const Msg&) const { return !defer || !s.busy; }
  template <class Out>
  void on_message(mc::NodeId, State& s, mc::NodeId, const Msg&, Out& out) const {
    if (s.busy) return;  // reached only without `defer`: the request is lost
    s.busy = true;
    out.set_timer(Timer::work);
  }
  template <class Out>
  void on_timeout(mc::NodeId, State& s, Timer, Out&) const {
    s.busy = false;
    ++s.served;
  }
};

using Model = mc::ActorModel<Vocabulary, Client, Server>;

inline Model make(bool defer) {
  Model m;
  m.add(Client{});
  m.add(Server{defer});
  m.add_property(mc::always<Model::State>("no-request-lost", [](const Model::State& s) {
    const auto& srv = Model::state_of<Server>(s, 1);
    return !(s.network.empty() && !srv.busy && srv.served < 2);
  }));
  m.add_property(mc::sometimes<Model::State>("both-served", [](const Model::State& s) {
    return Model::state_of<Server>(s, 1).served == 2;
  }));
  return m;
}

/// Busy and idle by turns, forever (its `flip` timer); it takes a request only while idle. For liveness: a deferred
/// message is strongly fair, so the requests are served although the server is never idle for good.
struct Flapper {
  enum class Timer : std::uint8_t { flip };
  friend std::string_view to_string_view(Timer) { return "flip"; }
  struct State {
    BOOST_HANA_DEFINE_STRUCT(State, (bool, busy), (std::uint8_t, served));
  };
  template <class Out>
  State on_start(mc::NodeId, Out& out) const {
    out.set_timer(Timer::flip);
    return {true, 0};
  }
  bool accepts(const State& s, mc::NodeId, const Msg&) const { return !s.busy; }
  template <class Out>
  void on_message(mc::NodeId, State& s, mc::NodeId, const Msg&, Out&) const {
    ++s.served;
  }
  template <class Out>
  void on_timeout(mc::NodeId, State& s, Timer, Out& out) const {
    s.busy = !s.busy;
    out.set_timer(Timer::flip);
  }
};

using FlappingModel = mc::ActorModel<Vocabulary, Client, Flapper>;

inline FlappingModel make_flapping() {
  FlappingModel m;
  m.add(Client{});
  m.add(Flapper{});
  m.add_property(mc::eventually<FlappingModel::State>("both-served", [](const FlappingModel::State& s) {
    return FlappingModel::state_of<Flapper>(s, 1).served == 2;
  }));
  return m;
}

/// The same system with deliveries only weakly fair: what they would be without `accepts`.
struct WeakDelivery {
  FlappingModel model = make_flapping();
  using State = FlappingModel::State;
  using Action = FlappingModel::Action;
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

}  // namespace busy

using protocol_checks::threads;

TEST_CASE("a deferred message is strongly fair: accepted again and again, it is delivered", "[liveness][defer]") {
  const auto m = busy::make_flapping();
  REQUIRE(m.fairness()[0].kind == mc::FairnessKind::strong);
  const auto strong = mc::check(m, threads(2));
  REQUIRE(strong.property("both-served"));
  CHECK(strong.property("both-served")->outcome == mc::Outcome::holds);
  // Weakly fair, a request may wait forever while the server flips: a two-state cycle.
  const auto weak = mc::check(busy::WeakDelivery{}, threads(2));
  const auto* v = weak.property("both-served");
  REQUIRE(v);
  REQUIRE(v->outcome == mc::Outcome::violated);
  REQUIRE(v->trace->cycle_start);
  CHECK(v->trace->size() - *v->trace->cycle_start == 3);  // busy -> idle -> busy
}

TEST_CASE("a request reaching a busy server waits in flight until the server accepts it", "[actor][defer]") {
  // S0 {R1,R2} -> A1 (R1 taken, busy, {R2}) | A2 (R2 taken, {R1}); A1 -> B1 (work done, {R2}); A2 -> B2;
  // B1, B2 -> C (the other taken, busy); C -> D (both served). R2 is never delivered to a busy server.
  const auto r = mc::check(busy::make(true), threads(2));
  CHECK(r.ok());
  CHECK(r.stats.distinct == 7);
  CHECK(r.stats.generated == 8);
  CHECK(r.stats.depth == 5);
  const auto* both = r.property("both-served");
  REQUIRE(both);
  REQUIRE(both->trace);
  CHECK(mc::format_trace(*both->trace).find("timeout n1 work") != std::string::npos);
  CHECK(both->trace->size() == 5);  // deliver, work, deliver, work
  protocol_checks::agrees_with_reference(busy::make(true));
}

TEST_CASE("without accepts the busy server's handler consumes the request, and it is lost", "[actor][defer]") {
  // As above, plus A' (the second request consumed while busy, {}) reached from A1 and A2, and E (one served,
  // nothing left): 9 states, 11 generated.
  const auto r = mc::check(busy::make(false), threads(2));
  CHECK(r.status == mc::RunStatus::violation);
  CHECK(r.stats.distinct <= 9);
  protocol_checks::broken_with(busy::make(false), "no-request-lost", 4);  // deliver, deliver (lost), work
  mc::ExploreOptions all = threads(2);
  all.keep_going = true;
  const auto full = mc::check(busy::make(false), all);
  CHECK(full.stats.complete);
  CHECK(full.stats.distinct == 9);
  CHECK(full.stats.generated == 11);
  CHECK(full.stats.depth == 5);
  protocol_checks::agrees_with_reference(busy::make(false));
}
