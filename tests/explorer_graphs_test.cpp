// The explorer on synthetic graphs whose counts, depths and shortest paths are known by construction,
// and on random graphs checked against a serial reference BFS, for several thread counts and store modes; and random
// walks spread over ranks against one process.
#include "graph_model.hpp"
#include "thread_cluster.hpp"
#include "mc/check.hpp"
#include "mc/simulate.hpp"
#include "mc/trace/text.hpp"

#include <catch2/catch.hpp>
#include <unistd.h>

#include <filesystem>
#include <set>

using test_models::Graph;

namespace {

/// How the explorer stores states: 64-bit fingerprints, 128-bit fingerprints, or whole states.
enum class Storage { fp64, fp128, exact };
constexpr Storage storages[] = {Storage::fp64, Storage::fp128, Storage::exact};

mc::ExploreOptions opts(unsigned threads, Storage storage = Storage::fp64) {
  mc::ExploreOptions o;
  o.threads = threads;
  o.exact = storage == Storage::exact;
  o.fingerprint_bits = storage == Storage::fp128 ? 128 : 64;
  return o;
}

Graph make(std::vector<std::vector<int>> edges) {
  Graph g;
  g.edges = std::move(edges);
  return g;
}

std::vector<int> nodes_of(const mc::TraceOf<Graph>& t) {
  std::vector<int> v;
  for (const auto& s : t.steps) v.push_back(s.state.node);
  return v;
}

}  // namespace

TEST_CASE("a chain of n states has n distinct, n generated, depth n", "[explore]") {
  const auto r = mc::check(make({{1}, {2}, {3}, {4}, {}}), opts(2));
  CHECK(r.ok());
  CHECK(r.stats.distinct == 5);
  CHECK(r.stats.generated == 5);
  CHECK(r.stats.depth == 5);
  CHECK(r.stats.complete);
}

TEST_CASE("a diamond stores its join once but generates it twice", "[explore]") {
  const auto r = mc::check(make({{1, 2}, {3}, {3}, {}}), opts(2));
  CHECK(r.stats.distinct == 4);
  CHECK(r.stats.generated == 5);
  CHECK(r.stats.depth == 3);
}

TEST_CASE("cycles and self-loops count as generated successors", "[explore]") {
  const auto r = mc::check(make({{0, 1}, {2}, {0, 2}}), opts(2));  // 0 self-loop, 2 self-loop, 2 -> 0 back edge
  CHECK(r.stats.distinct == 3);
  CHECK(r.stats.generated == 1 + 2 + 1 + 2);
  CHECK(r.stats.depth == 3);
}

TEST_CASE("several initial states, duplicates among them, are all counted as generated", "[explore]") {
  Graph g = make({{2}, {2}, {}});
  g.inits = {0, 1, 0};
  const auto r = mc::check(g, opts(2));
  CHECK(r.stats.distinct == 3);
  CHECK(r.stats.generated == 3 + 1 + 1);
  CHECK(r.stats.depth == 2);
}

TEST_CASE("the counterexample is a shortest path, and the same for every thread count", "[explore]") {
  // Two routes to the bad node 5: 0-1-2-3-5 (length 4) and 0-4-5 (length 2).
  Graph g = make({{1, 4}, {2}, {3}, {5}, {5}, {}});
  g.bad = {5};
  for (unsigned t : {1u, 2u, 4u}) {
    for (Storage storage : storages) {
      const auto r = mc::check(g, opts(t, storage));
      REQUIRE(r.status == mc::RunStatus::violation);
      const auto* v = r.violation();
      REQUIRE(v);
      CHECK(v->name == "avoid-bad");
      CHECK(nodes_of(*v->trace) == std::vector<int>{0, 4, 5});
      CHECK(v->trace->steps[1].action->to == 4);
    }
  }
}

TEST_CASE("a violation in an initial state gives a one-state trace", "[explore]") {
  Graph g = make({{}});
  g.bad = {0};
  const auto r = mc::check(g, opts(1));
  REQUIRE(r.violation());
  CHECK(r.violation()->trace->size() == 1);
}

TEST_CASE("sometimes: a reachable goal gets a shortest witness, an unreachable one is reported not found", "[explore]") {
  Graph g = make({{1}, {2, 3}, {}, {}, {}});  // node 4 unreachable
  g.goal = 3;
  auto r = mc::check(g, opts(2));
  CHECK(r.ok());
  REQUIRE(r.property("reach-goal"));
  CHECK(r.property("reach-goal")->outcome == mc::Outcome::found);
  CHECK(nodes_of(*r.property("reach-goal")->trace) == std::vector<int>{0, 1, 3});
  CHECK(r.stats.distinct == 4);  // finding a goal does not end the search

  g.goal = 4;
  r = mc::check(g, opts(2));
  CHECK(r.status == mc::RunStatus::violation);
  CHECK(r.property("reach-goal")->outcome == mc::Outcome::not_found);
  CHECK_FALSE(r.property("reach-goal")->trace);
}

TEST_CASE("the state constraint keeps states out of the store but their generation is counted", "[explore]") {
  Graph g = make({{1, 5}, {2}, {3}, {}, {}, {4}});
  g.constraint_max = 3;
  const auto r = mc::check(g, opts(2));
  CHECK(r.stats.distinct == 4);  // 0..3; node 5 fails the constraint, so 4 is never reached
  CHECK(r.stats.generated == 1 + 2 + 1 + 1);
}

TEST_CASE("deadlock detection reports the shortest path to a state without successors", "[explore]") {
  Graph g = make({{1, 2}, {0}, {3}, {}});  // 3 is a dead end at level 3
  auto o = opts(2);
  CHECK(mc::check(g, o).ok());  // not asked for: fine
  o.check_deadlock = true;
  const auto r = mc::check(g, o);
  REQUIRE(r.status == mc::RunStatus::violation);
  REQUIRE(r.violation());
  CHECK(r.violation()->name == "deadlock");
  CHECK(nodes_of(*r.violation()->trace) == std::vector<int>{0, 2, 3});
}

TEST_CASE("random graphs: counts equal the reference BFS for 1, 2 and 4 threads, exact and 64/128-bit fingerprints",
          "[explore]") {
  for (unsigned seed : {1u, 2u, 3u, 4u, 5u}) {
    Graph g = test_models::random_graph(3000, seed);
    g.inits = {0, 17, 17};
    const auto ref = test_models::reference_bfs(g);
    REQUIRE(ref.distinct > 100);
    for (unsigned t : {1u, 2u, 4u}) {
      for (Storage storage : storages) {
        const auto r = mc::check(g, opts(t, storage));
        CHECK(r.ok());
        CHECK(r.stats.distinct == ref.distinct);
        CHECK(r.stats.generated == ref.generated);
        CHECK(r.stats.depth == ref.depth);
      }
    }
  }
}

TEST_CASE("random graphs: the counterexample is shortest and identical for every thread count and mode", "[explore]") {
  for (unsigned seed : {11u, 12u, 13u}) {
    Graph g = test_models::random_graph(3000, seed);
    auto ref = test_models::reference_bfs(g);
    // Mark every reachable node at the median level bad: many equally short counterexamples to choose among.
    std::uint64_t target = (ref.depth + 1) / 2;
    for (const auto& [n, l] : ref.level)
      if (l == target) g.bad.insert(n);
    REQUIRE(g.bad.size() > 1);
    std::optional<std::vector<int>> first;
    for (unsigned t : {1u, 2u, 4u}) {
      for (Storage storage : storages) {
        const auto r = mc::check(g, opts(t, storage));
        REQUIRE(r.violation());
        const auto nodes = nodes_of(*r.violation()->trace);
        CHECK(nodes.size() == target);
        CHECK(g.bad.count(nodes.back()));
        for (std::size_t i = 1; i < nodes.size(); ++i) {  // every step is an edge of the graph
          const auto& out = g.edges[static_cast<std::size_t>(nodes[i - 1])];
          CHECK(std::find(out.begin(), out.end(), nodes[i]) != out.end());
        }
        if (!first) first = nodes;
        CHECK(nodes == *first);
      }
    }
  }
}

TEST_CASE("a failed invariant or a deadlock ends the search with a serial BFS's counts up to its level, whether "
          "states are checked as they are expanded or (with coverage) as they are found", "[explore]") {
  for (unsigned seed : {21u, 22u, 23u}) {
    const Graph g = test_models::random_graph(3000, seed);
    const auto ref = test_models::reference_bfs(g);
    REQUIRE(ref.distinct > 100);
    const auto outdegree = [&](int n) { return g.edges[static_cast<std::size_t>(n)].size(); };
    // The reference's states of levels 1..last, its transitions from levels before `last`, and its deepest level.
    struct Counts {
      std::uint64_t distinct, generated, depth;
    };
    const auto up_to = [&](std::uint64_t last) {
      Counts c{0, g.inits.size(), 0};
      for (const auto& [n, l] : ref.level) {
        if (l <= last) ++c.distinct, c.depth = std::max(c.depth, l);
        if (l < last) c.generated += outdegree(n);
      }
      return c;
    };
    const auto nodes_at = [&](std::uint64_t level) {
      std::set<int> out;
      for (const auto& [n, l] : ref.level)
        if (l == level) out.insert(n);
      return out;
    };
    std::uint64_t dead = ref.depth + 1;  // the first level with a state without successors
    for (const auto& [n, l] : ref.level)
      if (outdegree(n) == 0) dead = std::min(dead, l);
    REQUIRE(dead + 1 < ref.depth);
    const std::uint64_t target = (ref.depth + 1) / 2;
    Graph bad = g, both = g;
    bad.bad = nodes_at(target);
    both.bad = nodes_at(dead + 1);  // one level below the first dead end: both fail together
    REQUIRE(!bad.bad.empty());
    REQUIRE(!both.bad.empty());
    const auto counts_of = [](const auto& r) { return Counts{r.stats.distinct, r.stats.generated, r.stats.depth}; };
    const auto same = [](const Counts& a, const Counts& b) {
      return a.distinct == b.distinct && a.generated == b.generated && a.depth == b.depth;
    };
    for (unsigned t : {1u, 2u}) {
      for (Storage storage : storages) {
        for (bool coverage : {false, true}) {
          CAPTURE(seed, t, static_cast<int>(storage), coverage);
          auto o = opts(t, storage);
          o.coverage = coverage;
          auto r = mc::check(bad, o);
          REQUIRE(r.status == mc::RunStatus::violation);
          CHECK(same(counts_of(r), up_to(target)));
          CHECK(nodes_of(*r.violation()->trace).size() == target);
          CHECK(bad.bad.count(nodes_of(*r.violation()->trace).back()));

          auto limited = o;  // the invariant fails in the last level allowed: still found
          limited.max_depth = target;
          r = mc::check(bad, limited);
          REQUIRE(r.status == mc::RunStatus::violation);
          CHECK(same(counts_of(r), up_to(target)));
          CHECK(r.stats.stop_reason.empty());

          o.check_deadlock = true;
          r = mc::check(g, o);
          REQUIRE(r.status == mc::RunStatus::violation);
          REQUIRE(r.violation()->name == "deadlock");
          CHECK(same(counts_of(r), up_to(dead + 1)));  // the dead end's level expanded whole, the next one found
          const auto dead_end = nodes_of(*r.violation()->trace);
          CHECK(dead_end.size() == dead);
          CHECK(outdegree(dead_end.back()) == 0);

          r = mc::check(both, o);  // the invariants of the level found with the dead end are decided with it
          REQUIRE(r.status == mc::RunStatus::violation);
          CHECK(same(counts_of(r), up_to(dead + 1)));
          CHECK(r.property("deadlock")->outcome == mc::Outcome::violated);
          REQUIRE(r.property("avoid-bad")->outcome == mc::Outcome::violated);
          CHECK(r.property("avoid-bad")->trace->size() == dead + 1);
        }
      }
    }
  }
}

TEST_CASE("a depth limit ends the search as incomplete with everything found so far", "[explore][limits]") {
  std::vector<std::vector<int>> chain(100);
  for (int i = 0; i < 99; ++i) chain[static_cast<std::size_t>(i)] = {i + 1};
  auto o = opts(2);
  o.max_depth = 10;
  const auto r = mc::check(make(chain), o);
  CHECK(r.status == mc::RunStatus::incomplete);
  CHECK(r.stats.depth == 10);
  CHECK(r.stats.distinct == 10);
  CHECK(r.stats.stop_reason == "depth limit reached");
  CHECK(r.properties[0].outcome == mc::Outcome::unknown);
}

TEST_CASE("state, time and memory limits and stop requests end an endless search", "[explore][limits]") {
  test_models::Endless endless;
  auto o = opts(2);
  o.max_states = 5000;
  auto r = mc::check(endless, o);
  CHECK(r.status == mc::RunStatus::incomplete);
  CHECK(r.stats.distinct >= 5000);
  CHECK(r.stats.stop_reason == "state limit reached");

  o = opts(2);
  o.time_limit = 0.3;
  r = mc::check(endless, o);
  CHECK(r.status == mc::RunStatus::incomplete);
  CHECK(r.stats.stop_reason == "time limit reached");
  CHECK(r.stats.distinct > 0);

  o = opts(2);
  o.memory_limit = mc::resident_bytes() + (std::uint64_t{96} << 20);
  r = mc::check(endless, o);
  CHECK(r.status == mc::RunStatus::incomplete);
  CHECK(r.stats.stop_reason == "memory limit reached");

  std::atomic<bool> stop{true};
  o = opts(2);
  o.stop = &stop;
  r = mc::check(endless, o);
  CHECK(r.status == mc::RunStatus::incomplete);
  CHECK(r.stats.stop_reason == "stopped on request");
}

namespace {

/// A fresh folder under the temporary directory, removed at the end of the test.
struct TempDir {
  std::filesystem::path path;
  explicit TempDir(const std::string& name)
      : path(std::filesystem::temp_directory_path() / fmt::format("faultline-{}-{}", name, ::getpid())) {
    std::filesystem::remove_all(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

}  // namespace

TEST_CASE("a search stopped and resumed from checkpoints, again and again, ends exactly as an uninterrupted one",
          "[explore][checkpoint]") {
  for (unsigned seed : {21u, 22u, 23u}) {
    Graph g = test_models::random_graph(4000, seed);
    const auto ref = test_models::reference_bfs(g);
    // A goal reached early (its witness must survive the checkpoints) and a violation late.
    for (const auto& [n, l] : ref.level) {
      if (l == 3 && !g.goal) g.goal = n;
      if (l + 1 == ref.depth) g.bad.insert(n);
    }
    REQUIRE(g.goal);
    REQUIRE(!g.bad.empty());
    const Storage storage = seed == 23 ? Storage::fp128 : Storage::fp64;  // 128-bit keys in the log and frontier
    const auto whole = mc::check(g, opts(2, storage));
    REQUIRE(whole.violation());

    TempDir dir("resume");
    auto o = opts(2, storage);
    o.checkpoint_dir = dir.path.string();
    o.checkpoint_interval = 0;
    o.max_states = ref.distinct / 3;
    auto r = mc::check(g, o);
    CHECK(r.status == mc::RunStatus::incomplete);
    CHECK(r.stats.checkpoint_level > 1);
    int resumes = 0;
    // A run stopped within the level of the violation may already report it (with partial counts): a stopped run
    // is resumed again until one ends on its own.
    while (!r.stats.stop_reason.empty()) {
      REQUIRE(++resumes < 10);
      const std::uint64_t before = r.stats.checkpoint_level;
      o.resume = true;
      o.threads = resumes % 2 ? 1 : 4;  // the thread count may change between runs
      o.max_states += ref.distinct / 3;
      r = mc::check(g, o);
      CHECK(r.stats.resumed_from_level == before);
      if (!r.stats.stop_reason.empty()) CHECK(r.stats.checkpoint_level >= before);
    }
    CHECK(resumes >= 2);
    CHECK(r.stats.distinct == whole.stats.distinct);
    CHECK(r.stats.generated == whole.stats.generated);
    CHECK(r.stats.depth == whole.stats.depth);
    REQUIRE(r.violation());
    CHECK(nodes_of(*r.violation()->trace) == nodes_of(*whole.violation()->trace));
    const auto* goal = r.property("reach-goal");
    REQUIRE(goal);
    REQUIRE(goal->trace);
    CHECK(nodes_of(*goal->trace) == nodes_of(*whole.property("reach-goal")->trace));
  }
}

TEST_CASE("a finished search's checkpoint resumes to the same result, a damaged one is refused", "[explore][checkpoint]") {
  Graph g = test_models::random_graph(3000, 31);
  const auto ref = test_models::reference_bfs(g);
  TempDir dir("damage");
  auto o = opts(2);
  o.checkpoint_dir = dir.path.string();
  o.configuration = "graph 31";
  o.checkpoint_interval = 0;
  o.max_depth = ref.depth / 2;
  REQUIRE(mc::check(g, o).status == mc::RunStatus::incomplete);
  o.max_depth = 0;
  o.resume = true;
  auto r = mc::check(g, o);
  CHECK(r.ok());
  CHECK(r.stats.distinct == ref.distinct);
  r = mc::check(g, o);  // from the checkpoint of the finished search
  CHECK(r.ok());
  CHECK(r.stats.distinct == ref.distinct);
  CHECK(r.stats.generated == ref.generated);

  auto other = o;
  other.configuration = "graph 32";
  CHECK_THROWS_WITH(mc::check(g, other), Catch::Contains("holds a checkpoint of another check"));
  auto wider = o;
  wider.fingerprint_bits = 128;
  CHECK_THROWS_WITH(mc::check(g, wider), Catch::Contains("taken with 64-bit fingerprints, not 128"));

  const auto parents = dir.path / mc::checkpoint_files::parent_log;
  std::filesystem::resize_file(parents, std::filesystem::file_size(parents) - 16);
  CHECK_THROWS_AS(mc::check(g, o), mc::CheckpointError);
  std::filesystem::remove_all(dir.path);
  CHECK_THROWS_WITH(mc::check(g, o), Catch::Contains("no checkpoint in"));
}

namespace {

/// `g` checked by `ranks` ranks (threads of this process, `threads` workers each); rank 0's result.
mc::CheckResult<Graph> check_distributed(const Graph& g, int ranks, unsigned threads, mc::ExploreOptions o = {}) {
  test_models::ThreadCluster cluster(ranks);
  std::vector<mc::CheckResult<Graph>> results(static_cast<std::size_t>(ranks));
  cluster.run([&](const mc::Cluster& c) {
    mc::ExploreOptions mine = o;
    mine.threads = threads;
    mine.cluster = &c;
    results[static_cast<std::size_t>(c.rank)] = mc::check(g, mine);
  });
  for (const auto& r : results) {  // every rank ends with the same answers
    CHECK(r.stats.distinct == results[0].stats.distinct);
    CHECK(r.status == results[0].status);
  }
  return results[0];
}

}  // namespace

TEST_CASE("distributed: ranks give the counts, depth and counterexample of one process", "[explore][distributed]") {
  for (unsigned seed : {21u, 22u, 23u}) {
    Graph g = test_models::random_graph(3000, seed);
    g.inits = {0, 17, 17};
    const auto ref = test_models::reference_bfs(g);
    for (int ranks : {2, 3, 5}) {
      const auto r = check_distributed(g, ranks, ranks == 2 ? 2 : 1);
      CHECK(r.ok());
      CHECK(r.stats.distinct == ref.distinct);
      CHECK(r.stats.generated == ref.generated);
      CHECK(r.stats.depth == ref.depth);
      REQUIRE(r.stats.ranks.size() == static_cast<std::size_t>(ranks));
      std::uint64_t stored = 0;
      for (const auto& k : r.stats.ranks) stored += k.distinct;
      CHECK(stored == ref.distinct);  // each state stored by exactly one rank
      CHECK(mc::load_imbalance(r.stats) < 1.25);
    }
    // Every reachable node at the median level is bad: the chosen counterexample must not depend on the ranks.
    const std::uint64_t target = (ref.depth + 1) / 2;
    for (const auto& [n, l] : ref.level)
      if (l == target) g.bad.insert(n);
    const auto one = mc::check(g, opts(2));
    REQUIRE(one.violation());
    for (int ranks : {2, 3}) {
      auto o = opts(1, ranks == 3 ? Storage::fp128 : Storage::fp64);  // 128-bit keys in messages and parent lookups
      const auto r = check_distributed(g, ranks, 1, o);
      REQUIRE(r.violation());
      CHECK(nodes_of(*r.violation()->trace) == nodes_of(*one.violation()->trace));
      CHECK(r.stats.distinct == one.stats.distinct);
      CHECK(r.stats.generated == one.stats.generated);
    }
  }
}

TEST_CASE("distributed: goals, deadlocks and limits behave as in one process", "[explore][distributed]") {
  Graph g = make({{1, 4}, {2}, {3}, {}, {5}, {5}});  // 3 has no successors; 5 loops
  g.goal = 5;
  mc::ExploreOptions o;
  o.check_deadlock = true;
  const auto one = mc::check(g, o);
  const auto r = check_distributed(g, 3, 1, o);
  REQUIRE(r.violation());
  CHECK(r.violation()->name == "deadlock");
  CHECK(nodes_of(*r.violation()->trace) == nodes_of(*one.violation()->trace));
  const auto* goal = r.property("reach-goal");
  REQUIRE(goal);
  CHECK(goal->outcome == mc::Outcome::found);
  CHECK(nodes_of(*goal->trace) == std::vector<int>{0, 4, 5});

  mc::ExploreOptions limited;
  limited.max_depth = 3;
  const Graph big = test_models::random_graph(3000, 31);
  const auto a = mc::check(big, limited);
  const auto b = check_distributed(big, 2, 1, limited);
  CHECK(b.status == mc::RunStatus::incomplete);
  CHECK(b.stats.stop_reason == "depth limit reached");
  CHECK(b.stats.distinct == a.stats.distinct);
  CHECK(b.stats.depth == a.stats.depth);
}

TEST_CASE("simulation: walks spread over ranks give the coverage, violation and trace of one process",
          "[simulate][distributed]") {
  Graph g = test_models::random_graph(3000, 41);
  g.edges[0] = {1, 2, 3};  // walks start at 0: not at a dead end
  const auto ref = test_models::reference_bfs(g);
  REQUIRE(ref.distinct > 1000);
  for (const auto& [n, l] : ref.level)
    if (l == 5 && g.bad.empty()) g.bad.insert(n);  // one node: found by some walks, not by the first
  for (const auto& [n, l] : ref.level)
    if (l == 2 && !g.goal) g.goal = n;
  mc::SimulateOptions o;
  o.walks = 2400;
  o.depth = 30;
  o.seed = 8;  // the first violating walk is run by rank 1 of 2 and of 3: rank 0 reruns it for the trace
  o.threads = 2;
  for (bool violation : {false, true}) {
    Graph model = g;
    if (!violation) model.bad.clear();
    const auto one = mc::simulate(model, o);
    REQUIRE(one.property.has_value() == violation);
    if (violation) REQUIRE((one.walk % 2 != 0 && one.walk % 3 != 0));  // not a walk rank 0 runs
    for (int ranks : {2, 3}) {
      test_models::ThreadCluster cluster(ranks);
      std::vector<mc::SimulationResult<Graph>> results(static_cast<std::size_t>(ranks));
      cluster.run([&](const mc::Cluster& c) {
        auto mine = o;
        mine.threads = 1;
        mine.cluster = &c;
        results[static_cast<std::size_t>(c.rank)] = mc::simulate(model, mine);
      });
      for (const auto& r : results) {  // every rank merges every walk: the same report on each
        CHECK(r.ranks == static_cast<unsigned>(ranks));
        CHECK(r.coverage.walks == one.coverage.walks);
        CHECK(r.coverage.steps == one.coverage.steps);
        CHECK(r.coverage.distinct == one.coverage.distinct);
        CHECK(r.coverage.lengths == one.coverage.lengths);
        CHECK(r.coverage.actions == one.coverage.actions);
        CHECK(r.coverage.new_per_thousand == one.coverage.new_per_thousand);
        CHECK(r.coverage.goals == one.coverage.goals);
        CHECK(r.coverage.stop_reason == one.coverage.stop_reason);
        CHECK(r.property == one.property);
        CHECK(r.walk == one.walk);
        REQUIRE(r.trace.has_value() == violation);
        if (violation) CHECK(nodes_of(*r.trace) == nodes_of(*one.trace));
      }
    }
  }
}

namespace {
/// A chain 0→1→2→3 and a shortcut 0→5; invariants "not-3" (broken in 4 states) and "not-5" (broken in 2).
struct TwoInvariants {
  struct State {
    BOOST_HANA_DEFINE_STRUCT(State, (int, node));
  };
  struct Action {
    int to;
    friend std::string describe(const Action& a) { return fmt::format("to {}", a.to); }
  };
  template <class Emit>
  void init(Emit&& emit) const {
    emit(State{0});
  }
  template <class Emit>
  void next(const State& s, Emit&& emit) const {
    if (s.node < 3) emit(Action{s.node + 1}, State{s.node + 1});
    if (s.node == 0) emit(Action{5}, State{5});
  }
  std::vector<mc::Property<State>> properties() const {
    return {mc::always<State>("not-3", [](const State& s) { return s.node != 3; }),
            mc::always<State>("not-5", [](const State& s) { return s.node != 5; })};
  }
};

std::string trace_of(const mc::CheckResult<TwoInvariants>& r, const std::string& name) {
  const auto* p = r.property(name);
  return p && p->trace ? mc::format_trace(*p->trace) : std::string("none");
}
}  // namespace

TEST_CASE("continuing after a violation gives every property its own shortest trace, the one checking it alone finds",
          "[bfs][continue][property]") {
  mc::ExploreOptions o;
  o.threads = 2;
  const auto first = mc::check(TwoInvariants{}, o);  // stops after the level of the first violation
  CHECK(first.property("not-5")->outcome == mc::Outcome::violated);
  CHECK(first.property("not-3")->outcome == mc::Outcome::unknown);
  o.keep_going = true;
  const auto all = mc::check(TwoInvariants{}, o);
  CHECK(all.stats.complete);
  CHECK(all.stats.distinct == 5);
  CHECK(all.status == mc::RunStatus::violation);
  REQUIRE(all.property("not-3")->outcome == mc::Outcome::violated);
  CHECK(all.property("not-3")->trace->size() == 4);
  CHECK(all.violation()->name == "not-5");  // the report leads with the shortest
  for (const std::string name : {"not-3", "not-5"}) {
    mc::ExploreOptions alone;
    alone.threads = 2;
    alone.only_properties = {name};
    const auto only = mc::check(TwoInvariants{}, alone);
    REQUIRE(only.properties.size() == 1);  // the other is not evaluated at all
    CHECK(only.properties[0].name == name);
    CHECK(trace_of(only, name) == trace_of(all, name));
  }
  mc::ExploreOptions unknown;
  unknown.only_properties = {"not-4"};
  CHECK_THROWS_AS(mc::check(TwoInvariants{}, unknown), std::invalid_argument);
}
