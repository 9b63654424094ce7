// Clocks on tiny actor systems whose reachable clock states are enumerated by hand here: lock-step clocks without
// drift, the skew bound, jumps within budget, monotonic clocks that never go back, timers on a node's own clock,
// and the normalisation that keeps a ticking system finite; then the lease protocol's designs.
#include "mc/actor/actor_model.hpp"
#include "mc/check.hpp"
#include "protocols/lease.hpp"
#include "protocols/lww_register.hpp"
#include "protocol_checks.hpp"
#include "reference_explorer.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>

namespace clocked {

struct Nothing {
  BOOST_HANA_DEFINE_STRUCT(Nothing, (std::uint8_t, unused));
  auto operator<=>(const Nothing&) const = default;
};
struct Vocabulary {
  using Msg = Nothing;
};

/// Does nothing: only the clocks change.
struct Idle {
  struct State {
    BOOST_HANA_DEFINE_STRUCT(State, (std::uint8_t, unused));
  };
  template <class Out>
  State on_start(mc::NodeId, Out&) const {
    return {};
  }
  template <class Out>
  void on_message(mc::NodeId, State&, mc::NodeId, const Nothing&, Out&) const {}
};

/// Remembers when it started, by its monotonic clock: a timestamp that ages as true time passes.
struct Stamped {
  struct State {
    BOOST_HANA_DEFINE_STRUCT(State, (mc::Time, started));
  };
  template <class Out>
  State on_start(mc::NodeId, Out& out) const {
    return {out.monotonic()};
  }
  template <class Out>
  void on_message(mc::NodeId, State&, mc::NodeId, const Nothing&, Out&) const {}
};

/// Sets one timer for `after` ticks of its own clock and counts how often it fired.
struct Alarm {
  enum class Timer : std::uint8_t { ring };
  int after = 3;
  struct State {
    BOOST_HANA_DEFINE_STRUCT(State, (bool, rang));
  };
  template <class Out>
  State on_start(mc::NodeId, Out& out) const {
    out.set_timer(Timer::ring, after);
    return {};
  }
  template <class Out>
  void on_message(mc::NodeId, State&, mc::NodeId, const Nothing&, Out&) const {}
  template <class Out>
  void on_timeout(mc::NodeId, State& s, Timer, Out&) const {
    s.rang = true;
  }
};

template <class A>
mc::ActorModel<Vocabulary, A> system(int nodes, mc::ClockSpec spec, mc::FaultBudget faults = {}) {
  mc::ActorModel<Vocabulary, A> m(mc::NetworkKind::unordered, faults);
  m.set_clocks(spec);
  for (int n = 0; n < nodes; ++n) m.add(A{});
  return m;
}

}  // namespace clocked

using clocked::Idle;

TEST_CASE("clocks: without drift they run in lock-step, and a tick changes nothing relative to true time", "[clock]") {
  const auto m = clocked::system<Idle>(3, {0, 2, 0, 8});
  const auto e = test_models::enumerate(m);
  CHECK(e.distinct == 1);   // every tick is a self-loop: the clocks stay at true time
  CHECK(e.generated == 2);  // the initial state and its one tick
  CHECK(mc::check(m).stats.distinct == 1);
}

TEST_CASE("clocks: drift 1 within skew 1 reaches exactly the 9 skew pairs, jumps only within their budget",
          "[clock]") {
  // By hand: two nodes, each skew in {-1, 0, 1}, all reachable in one tick: 9 states without jumps. One jump of ±1
  // on either node's wall clock: 2 nodes x 2 directions x 9 skews = 36 more. Total 45.
  const auto m = clocked::system<Idle>(2, {1, 1, 1, 8}, mc::FaultBudget{0, 0, 0, 0, 0, 1});
  const auto e = test_models::enumerate(m);
  CHECK(e.distinct == 45);
  CHECK(mc::check(m, {}).stats.distinct == 45);
  for (const auto& s : e.states) {
    int jumped = 0;
    for (const auto& c : s.clocks) {
      CHECK(std::abs(c.skew) <= 1);         // skew bound in every state
      CHECK(std::abs(c.wall_offset) <= 1);  // a jump steps at most max_jump
      jumped += c.wall_offset != 0;
    }
    CHECK(jumped <= s.faults_used.jump);  // jumps only within the budget
    CHECK(s.faults_used.jump <= 1);
  }
  // Monotonic clocks never go back: on every tick each node's clock advances 0..2 ticks (drift 1) and a jump moves
  // only the wall clock.
  for (const auto& s : e.states) {
    m.next(s, [&](const auto& a, const auto& t) {
      for (std::size_t n = 0; n < 2; ++n) {
        const int mono = t.clocks[n].skew - s.clocks[n].skew + (a.kind == mc::EventKind::tick ? 1 : 0);
        const int wall = t.clocks[n].wall().ticks - s.clocks[n].wall().ticks + (a.kind == mc::EventKind::tick ? 1 : 0);
        if (a.kind == mc::EventKind::tick) {
          CHECK(mono >= 0);
          CHECK(mono <= 2);
          CHECK(mono == static_cast<int>(a.advance(static_cast<unsigned>(n))));
          CHECK(wall == mono);
        } else {
          REQUIRE(a.kind == mc::EventKind::clock_jump);
          CHECK(mono == 0);
          CHECK(std::abs(wall) == (a.node == n ? 1 : 0));
        }
      }
    });
  }
}

TEST_CASE("normalisation: a timestamp ages until the horizon, so the state count stops growing", "[clock]") {
  // By hand: two Stamped nodes, drift 1, skew 1, horizon 4. The initial state (skews 0, stamps t) and then, after
  // k = 1..4 ticks, every one of the 9 skew pairs with stamps t-k (k = 4 is the horizon: older is the same):
  // 1 + 9 x 4 = 37, however long the system runs.
  const auto m = clocked::system<clocked::Stamped>(2, {1, 1, 0, 4});
  const auto e = test_models::enumerate(m);
  CHECK(e.distinct == 37);
  mc::ExploreOptions deep;
  deep.max_depth = 1000;
  CHECK(mc::check(m, deep).stats.distinct == 37);
  for (const auto& s : e.states)
    for (const auto& node : s.nodes) CHECK(std::get<0>(node.state).started.ticks >= -4);
}

TEST_CASE("timers fire on the node's own clock: k ticks in lock-step, fewer when that clock runs fast", "[clock]") {
  using M = mc::ActorModel<clocked::Vocabulary, clocked::Alarm>;
  for (int drift : {0, 1}) {
    M m(mc::NetworkKind::unordered, {});
    m.set_clocks({drift, 3, 0, 8});
    m.add(clocked::Alarm{3});
    m.add_property(mc::sometimes<M::State>("rang", [](const M::State& s) { return M::state_of<clocked::Alarm>(s, 0).rang; }));
    const auto r = mc::check(m);
    const auto* rang = r.property("rang");
    REQUIRE(rang);
    REQUIRE(rang->trace);
    int ticks = 0;
    for (const auto& step : rang->trace->steps) ticks += step.action && step.action->kind == mc::EventKind::tick;
    // Lock-step: exactly 3 ticks. Drift 1 (up to 2 ticks per true tick, skew up to 3): the clock can cover 3 ticks
    // in 2 true ticks, and no fewer.
    CHECK(ticks == (drift == 0 ? 3 : 2));
    CHECK(rang->trace->steps.back().action->kind == mc::EventKind::timeout);
  }
}

TEST_CASE("lease: the margin design is safe under drift and skew, without margin two clients hold it at once",
          "[clock][lease]") {
  namespace lease = protocols::lease;
  lease::Params p;
  p.attempts = 1;
  const auto safe = mc::check(lease::make_model(p, mc::FaultBudget{}));
  CHECK(safe.ok());
  CHECK(safe.stats.distinct == 107724);

  p.variant = lease::Variant::no_margin;
  const auto model = lease::make_model(p, mc::FaultBudget{});
  const auto broken = mc::check(model);
  REQUIRE(broken.violation());
  const auto& trace = *broken.violation()->trace;
  CHECK(trace.size() == 10);
  CHECK(broken.violation()->explanation == "n1 and n2 both believe they hold the lease, each by its own clock");
  // Replayed: every step is a transition of the model, and the last state really has two holders.
  const auto again = mc::rebuild_trace(model, [&] {
    std::vector<mc::ExactKey> path;
    for (const auto& step : trace.steps) path.push_back({mc::fingerprint_bytes(mc::encode(step.state)), {}});
    return path;
  }());
  REQUIRE(again.size() == trace.size());
  CHECK_FALSE(model.properties()[0].holds(again.last()));
  int ticks = 0;
  for (const auto& step : trace.steps) ticks += step.action && step.action->kind == mc::EventKind::tick;
  CHECK(ticks >= 1);  // it takes time passing at different rates

  // Without drift the clocks agree, and even the design without margin is safe.
  p.drift = 0;
  CHECK(mc::check(lease::make_model(p, mc::FaultBudget{})).ok());
}

TEST_CASE("lww-register: hybrid logical and Lamport clocks keep causally later writes, wall clocks lose them",
          "[clock][lww]") {
  namespace lww = protocols::lww;
  lww::Params p;
  const mc::FaultBudget defaults = lww::default_faults;
  for (auto [variant, distinct] : {std::pair{lww::Variant::hlc, 8133ull}, std::pair{lww::Variant::lamport, 513ull}}) {
    p.variant = variant;
    const auto r = mc::check(lww::make_model(p, defaults));
    CHECK(r.ok());
    CHECK(r.stats.distinct == distinct);
  }
  // Clocks, timestamps and histories go through the explorer's buffer encoding exactly as through the reference.
  p.variant = lww::Variant::hlc;
  protocol_checks::buffer_encoding_is_the_reference(lww::make_model(p, defaults));

  // HLC stays correct when clocks also drift, stray and jump twice.
  p.drift = p.skew = 1;
  CHECK(mc::check(lww::make_model(p, mc::FaultBudget{1, 1, 0, 0, 0, 2})).ok());

  // Wall clocks: the shortest loss needs no fault at all — two writes in one tick tie, and the replica id decides.
  p = {};
  p.variant = lww::Variant::wall;
  const auto tie = mc::check(lww::make_model(p, defaults));
  REQUIRE(tie.violation());
  CHECK(tie.violation()->trace->size() == 4);
  CHECK(tie.violation()->explanation == "n0 keeps write 1 though it has seen write 0, a causally later write");

  // Where the id tie-break happens to favour the later write (n1 writes after seeing n0's), only a clock jump
  // loses it: safe without jumps, violated with one, and the trace's one jump leaves n1's wall clock behind n0's
  // (n0 stepped forward or n1 back: either gives n1's later write the smaller stamp).
  using M = lww::Model;
  const auto later_write_of_n1_kept = [](const M::State& s) {
    for (mc::NodeId n = 0; n < 2; ++n) {
      const auto& r = M::state_of<lww::Replica>(s, n);
      if (r.value == 0 && r.seen.contains(1) && s.history.size() == 2 && s.history[1].write == 1 &&
          s.history[1].after.contains(0))
        return false;
    }
    return true;
  };
  for (int jumps : {0, 1}) {
    auto model = lww::make_system(p, mc::FaultBudget{0, 0, 0, 0, 0, static_cast<std::uint8_t>(jumps)});
    model.add_property(mc::always<M::State>("n1-later-write-kept", later_write_of_n1_kept));
    const auto r = mc::check(model);
    const auto* kept = r.property("n1-later-write-kept");
    REQUIRE(kept);
    if (jumps == 0) {
      CHECK(kept->outcome == mc::Outcome::holds);
    } else {
      REQUIRE(kept->outcome == mc::Outcome::violated);
      REQUIRE(kept->trace);
      int clock_jumps = 0;
      for (const auto& step : kept->trace->steps)
        clock_jumps += step.action && step.action->kind == mc::EventKind::clock_jump;
      CHECK(clock_jumps == 1);
      const M::State& last = kept->trace->last();
      CHECK(M::clock_of(last, 1).wall_offset < M::clock_of(last, 0).wall_offset);
      CHECK_FALSE(later_write_of_n1_kept(last));
    }
  }
}
