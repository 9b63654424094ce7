// Fault semantics on tiny hand-made actor systems whose reachable state sets are enumerated by hand here:
// each fault class alone, budgets 0/1/2, crash vs restart (only durable state survives), partition and heal,
// and the three network semantics.
#include "mc/actor/actor_model.hpp"
#include "mc/check.hpp"
#include "reference_explorer.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

namespace tiny {

struct Ping {
  BOOST_HANA_DEFINE_STRUCT(Ping, (std::uint8_t, n));
  auto operator<=>(const Ping&) const = default;
};
struct Vocabulary {
  using Msg = Ping;
  using Record = Ping;
};

/// Node 0: sends Ping(0) to node 1 when it starts (and again after each restart).
struct Sender {
  std::uint8_t count = 1;
  struct State {
    BOOST_HANA_DEFINE_STRUCT(State, (std::uint8_t, sent));
  };
  template <class Out>
  State on_start(mc::NodeId, Out& out) const {
    for (std::uint8_t i = 0; i < count; ++i) out.send(1, Ping{i});
    return {count};
  }
  template <class Out>
  void on_message(mc::NodeId, State&, mc::NodeId, const Ping&, Out&) const {}
};

/// Node 1: counts pings; with `durable`, writes the count to stable storage at each ping.
struct Counter {
  bool durable = true;
  struct Durable {
    BOOST_HANA_DEFINE_STRUCT(Durable, (std::uint8_t, saved));
    bool operator==(const Durable&) const = default;
  };
  struct State {
    BOOST_HANA_DEFINE_STRUCT(State, (std::uint8_t, got));
  };
  template <class Out>
  State on_start(mc::NodeId, const Durable& d, Out&) const {
    return {d.saved};
  }
  template <class Out>
  void on_message(mc::NodeId, State& s, mc::NodeId, const Ping& p, Out& out) const {
    ++s.got;
    if (durable) out.persist(Durable{s.got});
    out.record(p);
  }
};

using System = mc::ActorModel<Vocabulary, Sender, Counter>;

System make(mc::FaultBudget budget, bool durable = true, mc::NetworkKind kind = mc::NetworkKind::unordered,
            std::uint8_t pings = 1) {
  System sys(kind, budget);
  sys.add(Sender{pings});
  sys.add(Counter{durable});
  return sys;
}

/// `g<got>s<saved>|<in flight>|<faults used>` plus `c<node>` per crashed node and `p` while partitioned.
std::string summary(const System::State& s) {
  const auto& counter = System::state_of<Counter>(s, 1);
  const auto& saved = std::get<1>(s.nodes[1].durable);
  std::string used;
  const char* letters = "LDCRP";
  for (std::size_t i = 0; i < 5; ++i)
    if (s.faults_used[i]) used += fmt::format("{}{}", letters[i], s.faults_used[i]);
  std::string out = fmt::format("g{}s{}|{}|{}", counter.got, saved.saved, s.network.size(), used);
  for (std::size_t n = 0; n < s.nodes.size(); ++n)
    if (s.nodes[n].crashed) out += fmt::format("c{}", n);
  if (s.partition.active) out += "p";
  return out;
}

std::set<std::string> states_of(const System& sys) { return test_models::reachable(sys, summary); }

}  // namespace tiny

using tiny::make;
using tiny::states_of;
using Set = std::set<std::string>;

TEST_CASE("no faults: the ping is delivered, nothing else happens", "[actor][faults]") {
  CHECK(states_of(make({})) == Set{"g0s0|1|", "g1s1|0|"});
}

TEST_CASE("loss: budget 1 adds the dropped ping, budget 2 adds nothing more with one message", "[actor][faults]") {
  const Set one{"g0s0|1|", "g1s1|0|", "g0s0|0|L1"};
  CHECK(states_of(make({1, 0, 0, 0, 0, 0})) == one);
  CHECK(states_of(make({2, 0, 0, 0, 0, 0})) == one);
}

TEST_CASE("duplication: each extra copy can be delivered once more", "[actor][faults]") {
  CHECK(states_of(make({0, 1, 0, 0, 0, 0})) == Set{"g0s0|1|", "g0s0|2|D1", "g1s1|0|", "g1s1|1|D1", "g2s2|0|D1"});
  CHECK(states_of(make({0, 2, 0, 0, 0, 0})) == Set{"g0s0|1|", "g0s0|2|D1", "g0s0|3|D2", "g1s1|0|", "g1s1|1|D1",
                                                "g1s1|2|D2", "g2s2|0|D1", "g2s2|1|D2", "g3s3|0|D2"});
}

TEST_CASE("crash without restart: a crashed node receives nothing and loses its volatile state", "[actor][faults]") {
  CHECK(states_of(make({0, 0, 1, 0, 0, 0})) ==
        Set{"g0s0|1|", "g1s1|0|", "g0s0|1|C1c1", "g0s1|0|C1c1", "g0s0|1|C1c0", "g1s1|0|C1c0"});
}

TEST_CASE("crash and restart: the node comes back with exactly its durable state", "[actor][faults]") {
  // Durable counter: a restart after the ping restores got=1 from stable storage; a restarted sender pings again.
  CHECK(states_of(make({0, 0, 1, 1, 0, 0})) ==
        Set{"g0s0|1|", "g1s1|0|", "g0s0|1|C1c1", "g0s1|0|C1c1", "g0s0|1|C1c0", "g1s1|0|C1c0", "g0s0|1|C1R1",
            "g1s1|0|C1R1", "g0s0|2|C1R1", "g1s1|1|C1R1", "g2s2|0|C1R1"});
  // Volatile counter: the count never reaches stable storage, so a restart forgets it (g0 after the ping).
  CHECK(states_of(make({0, 0, 1, 1, 0, 0}, /*durable=*/false)) ==
        Set{"g0s0|1|", "g1s0|0|", "g0s0|1|C1c1", "g0s0|0|C1c1", "g0s0|1|C1c0", "g1s0|0|C1c0", "g0s0|1|C1R1",
            "g1s0|0|C1R1", "g0s0|0|C1R1", "g0s0|2|C1R1", "g1s0|1|C1R1", "g2s0|0|C1R1"});
}

TEST_CASE("partition: messages across are lost until the partition heals, budget bounds partitions", "[actor][faults]") {
  CHECK(states_of(make({0, 0, 0, 0, 1, 0})) ==
        Set{"g0s0|1|", "g1s1|0|", "g0s0|0|P1p", "g0s0|0|P1", "g1s1|0|P1p", "g1s1|0|P1"});
  CHECK(states_of(make({0, 0, 0, 0, 2, 0})) == Set{"g0s0|1|", "g1s1|0|", "g0s0|0|P1p", "g0s0|0|P1", "g1s1|0|P1p",
                                                "g1s1|0|P1", "g0s0|0|P2p", "g0s0|0|P2", "g1s1|0|P2p", "g1s1|0|P2"});
}

TEST_CASE("partition: no message ever crosses an active partition, even one sent after a restart", "[actor][faults]") {
  const auto all = test_models::enumerate(make({0, 0, 1, 1, 1, 0}));
  bool saw_partitioned_restart = false;
  for (const auto& s : all.states) {
    if (!s.partition.active) continue;
    saw_partitioned_restart |= s.faults_used.restart > 0;
    for (const auto& e : s.network.bag) CHECK(s.partition.side.contains(e.src) == s.partition.side.contains(e.dst));
  }
  CHECK(saw_partitioned_restart);
}

TEST_CASE("partition events name both sides", "[actor][faults]") {
  mc::Event<tiny::Ping> e{mc::EventKind::partition, 0, {}, {}, {}, 3};
  e.side.insert(0);
  e.side.insert(2);
  CHECK(describe(e) == "partition {n0,n2}|{n1}");
  mc::Event<tiny::Ping> d{mc::EventKind::deliver, 1, {0, 1, tiny::Ping{7}}, {}, {}, 0};
  CHECK(describe(d) == "deliver Ping(n=7) n0→n1");
}

TEST_CASE("unordered networks reorder, FIFO links keep send order", "[actor][network]") {
  auto orders = [](mc::NetworkKind kind) {
    std::set<std::string> seen;
    for (const auto& s : test_models::enumerate(make({}, true, kind, 2)).states)
      if (s.history.size() == 2) seen.insert(fmt::format("{}{}", s.history[0].n, s.history[1].n));
    return seen;
  };
  CHECK(orders(mc::NetworkKind::unordered) == std::set<std::string>{"01", "10"});
  CHECK(orders(mc::NetworkKind::fifo) == std::set<std::string>{"01"});
}

TEST_CASE("a duplicating network keeps a delivered message deliverable", "[actor][network]") {
  // The counter is unbounded here (each delivery repeats), so explore only 4 levels.
  auto sys = make({}, true, mc::NetworkKind::duplicating);
  using S = tiny::System::State;
  sys.add_property(mc::always<S>("never-consumed", [](const S& s) { return s.network.size() == 1; }));
  sys.add_property(mc::sometimes<S>("delivered-twice", [](const S& s) {
    return tiny::System::state_of<tiny::Counter>(s, 1).got == 2;  // without any duplication fault
  }));
  mc::ExploreOptions o;
  o.max_depth = 4;
  const auto r = mc::check(sys, o);
  CHECK(r.status == mc::RunStatus::incomplete);
  CHECK(r.property("never-consumed")->outcome == mc::Outcome::unknown);
  CHECK(r.property("delivered-twice")->outcome == mc::Outcome::found);
  CHECK(r.stats.distinct == 4);  // got = 0, 1, 2, 3
}

TEST_CASE("equivalent network contents encode identically", "[actor][network]") {
  using Net = mc::Network<tiny::Ping>;
  Net a, b;
  a.send(mc::NetworkKind::unordered, {0, 1, {1}});
  a.send(mc::NetworkKind::unordered, {1, 0, {2}});
  a.send(mc::NetworkKind::unordered, {0, 1, {1}});
  b.send(mc::NetworkKind::unordered, {1, 0, {2}});
  b.send(mc::NetworkKind::unordered, {0, 1, {1}});
  b.send(mc::NetworkKind::unordered, {0, 1, {1}});
  CHECK(mc::encode(a) == mc::encode(b));
  Net f, g;
  f.send(mc::NetworkKind::fifo, {0, 1, {1}});
  f.remove_at(mc::NetworkKind::fifo, 0);
  CHECK(mc::encode(f) == mc::encode(g));  // an emptied link leaves no trace
}

TEST_CASE("each distinct message is deliverable once, and its slot edits any copy of the network", "[actor][network]") {
  using Net = mc::Network<tiny::Ping>;
  const auto built = [](std::initializer_list<mc::Envelope<tiny::Ping>> messages) {
    Net n;
    for (const auto& e : messages) n.send(mc::NetworkKind::unordered, e);
    return mc::encode(n);
  };
  const mc::Envelope<tiny::Ping> a{0, 1, {1}}, b{1, 0, {2}}, c{1, 0, {3}};
  Net net;
  for (const auto& e : {c, a, b, a}) net.send(mc::NetworkKind::unordered, e);
  std::vector<std::pair<mc::Envelope<tiny::Ping>, Net::Slot>> seen;
  net.for_each_deliverable(mc::NetworkKind::unordered, [&](const auto& e, Net::Slot slot) { seen.emplace_back(e, slot); });
  REQUIRE(seen.size() == 3);  // a once, though it is in flight twice
  CHECK(seen[0] == std::pair{a, Net::Slot{0}});
  CHECK(seen[1] == std::pair{b, Net::Slot{2}});
  CHECK(seen[2] == std::pair{c, Net::Slot{3}});
  Net t = net;
  t.remove_at(mc::NetworkKind::unordered, 0);
  CHECK(mc::encode(t) == built({a, b, c}));
  t = net;
  t.remove_at(mc::NetworkKind::unordered, 3);
  CHECK(mc::encode(t) == built({a, a, b}));
  t = net;
  t.duplicate_at(mc::NetworkKind::unordered, 2);
  CHECK(mc::encode(t) == built({a, a, b, b, c}));
  t = net;
  t.duplicate_at(mc::NetworkKind::unordered, 0);
  CHECK(mc::encode(t) == built({a, a, a, b, c}));

  Net fifo;  // FIFO: one slot per link, its head
  for (const auto& e : {b, a, c}) fifo.send(mc::NetworkKind::fifo, e);
  seen.clear();
  fifo.for_each_deliverable(mc::NetworkKind::fifo, [&](const auto& e, Net::Slot slot) { seen.emplace_back(e, slot); });
  REQUIRE(seen.size() == 2);
  CHECK(seen[0] == std::pair{a, Net::Slot{0}});
  CHECK(seen[1] == std::pair{b, Net::Slot{1}});
  fifo.duplicate_at(mc::NetworkKind::fifo, 1);
  fifo.remove_at(mc::NetworkKind::fifo, 0);
  Net expected;
  for (const auto& e : {b, b, c}) expected.send(mc::NetworkKind::fifo, e);
  CHECK(mc::encode(fifo) == mc::encode(expected));
}

TEST_CASE("the parallel explorer agrees with the reference on faulty tiny systems", "[actor][faults]") {
  for (const mc::FaultBudget b : {mc::FaultBudget{1, 1, 1, 1, 1, 0}, mc::FaultBudget{2, 2, 1, 1, 1, 0}}) {
    const auto sys = make(b, true, mc::NetworkKind::unordered, 2);
    const auto ref = test_models::enumerate(sys);
    mc::ExploreOptions o;
    o.threads = 2;
    const auto r = mc::check(sys, o);
    CHECK(r.stats.distinct == ref.distinct);
    CHECK(r.stats.generated == ref.generated);
    CHECK(r.stats.depth == ref.depth);
  }
}

TEST_CASE("fault budgets parse from the command-line form and describe themselves", "[actor][faults]") {
  mc::FaultBudget b{};
  CHECK_FALSE(mc::parse_fault_budget("loss=1,dup=2,crash=1", b));
  CHECK(b == mc::FaultBudget{1, 2, 1, 0, 0, 0});
  CHECK(b.describe() == "any 1 loss, 2 duplicates and 1 crash");
  CHECK(b.to_spec() == "loss=1,dup=2,crash=1,restart=0,partition=0");
  CHECK(mc::FaultBudget{}.describe() == "no faults");
  CHECK(*mc::parse_fault_budget("loss", b) == "malformed fault budget 'loss': expected CLASS=N");
  CHECK(mc::parse_fault_budget("jitter=1", b)->find("unknown fault class 'jitter'") == 0);
  CHECK(mc::parse_fault_budget("loss=-1", b));
  CHECK(mc::parse_fault_budget("loss=10", b));
  CHECK(mc::parse_fault_budget("", b));
}
