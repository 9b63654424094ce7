// Liveness checking on explicit graphs with fairness labels: hand-built cases whose verdicts are known, and random
// graphs whose verdicts must equal a brute-force reference (every strongly connected set of states tried as the
// set a fair cycle runs through), for 1, 2 and 4 threads and every storage mode. Every lasso is replayed by
// mc::check itself (check_lasso) and here once more for its steps and cycle.
#include "mc/check.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <deque>
#include <random>
#include <set>

namespace {

/// A graph whose steps carry fairness classes (bit c of `mask`: class c), with p and q as sets of nodes.
struct LiveGraph {
  struct State {
    BOOST_HANA_DEFINE_STRUCT(State, (int, node));
  };
  struct Action {
    int from, to;
    unsigned mask;
    friend std::string describe(const Action& a) { return fmt::format("{}->{} [{}]", a.from, a.to, a.mask); }
  };
  struct Edge {
    int to;
    unsigned mask;
  };

  std::vector<std::vector<Edge>> edges;
  std::vector<mc::FairnessKind> classes;  ///< class c's kind
  std::set<int> p, q;

  template <class Emit>
  void init(Emit&& emit) const {
    emit(State{0});
  }
  template <class Emit>
  void next(const State& s, Emit&& emit) const {
    for (const Edge& e : edges[static_cast<std::size_t>(s.node)]) emit(Action{s.node, e.to, e.mask}, State{e.to});
  }
  std::vector<mc::Property<State>> properties() const {
    const auto in = [](std::set<int> set) { return [set](const State& s) { return set.count(s.node) > 0; }; };
    return {mc::eventually<State>("eventually-p", in(p)), mc::leads_to<State>("p-leads-to-q", in(p), in(q)),
            mc::eventually_always<State>("eventually-always-p", in(p))};
  }
  std::vector<mc::Fairness<Action>> fairness() const {
    std::vector<mc::Fairness<Action>> out;
    for (unsigned c = 0; c < classes.size(); ++c) {
      const auto pred = [c](const Action& a) { return ((a.mask >> c) & 1u) != 0; };
      out.push_back(classes[c] == mc::FairnessKind::weak ? mc::weak_fair<Action>(fmt::format("c{}", c), pred)
                                                         : mc::strong_fair<Action>(fmt::format("c{}", c), pred));
    }
    return out;
  }
};
static_assert(mc::FairModel<LiveGraph>);

/// The brute-force reference: a property fails iff some set S of reachable states, strongly connected by its own
/// state-changing steps (or a single state, which may stutter), is fair when a cycle takes all its steps and is
/// entered the way the property needs.
struct Verdicts {
  bool eventually = false, leads_to = false, eventually_always = false;
  /// Per property, the fewest steps from the initial state to a state a fair cycle (or stutter) breaking it can
  /// start from: what the lasso's prefix must be.
  int prefix[3] = {-1, -1, -1};
};

Verdicts reference(const LiveGraph& g) {
  const int n = static_cast<int>(g.edges.size());
  const auto reach = [&](std::set<int> from, auto allowed) {
    std::deque<int> queue(from.begin(), from.end());
    while (!queue.empty()) {
      const int s = queue.front();
      queue.pop_front();
      for (const auto& e : g.edges[static_cast<std::size_t>(s)])
        if (allowed(e.to) && from.insert(e.to).second) queue.push_back(e.to);
    }
    return from;
  };
  const auto any = [](int) { return true; };
  const std::set<int> reachable = reach({0}, any);
  const auto not_p = [&](int s) { return !g.p.count(s); };
  const auto not_q = [&](int s) { return !g.q.count(s); };
  const std::set<int> ev_region = g.p.count(0) ? std::set<int>{} : reach({0}, not_p);
  std::set<int> triggers;
  for (int s : reachable)
    if (g.p.count(s) && !g.q.count(s)) triggers.insert(s);
  const std::set<int> lt_region = reach(triggers, not_q);
  std::vector<unsigned> enabled(static_cast<std::size_t>(n), 0);
  for (int s = 0; s < n; ++s)
    for (const auto& e : g.edges[static_cast<std::size_t>(s)])
      if (e.to != s) enabled[static_cast<std::size_t>(s)] |= e.mask;
  Verdicts v;
  std::set<int> start_of[3];  // per property, the states of every fair set that breaks it
  for (unsigned set = 1; set < (1u << n); ++set) {
    std::set<int> S;
    for (int s = 0; s < n; ++s)
      if ((set >> s) & 1u) S.insert(s);
    if (!std::includes(reachable.begin(), reachable.end(), S.begin(), S.end())) continue;
    const auto inside = [&](int s) { return S.count(s) > 0; };
    bool connected = true;
    for (int s : S) {
      const std::set<int> r = reach({s}, inside);
      connected &= r == S;
    }
    if (!connected) continue;
    unsigned taken = 0;
    for (int s : S)
      for (const auto& e : g.edges[static_cast<std::size_t>(s)])
        if (e.to != s && S.count(e.to)) taken |= e.mask;
    bool fair = true;
    for (unsigned c = 0; c < g.classes.size(); ++c) {
      if ((taken >> c) & 1u) continue;
      bool everywhere = true, somewhere = false;
      for (int s : S) {
        const bool on = (enabled[static_cast<std::size_t>(s)] >> c) & 1u;
        everywhere &= on;
        somewhere |= on;
      }
      if (g.classes[c] == mc::FairnessKind::weak ? everywhere : somewhere) fair = false;
    }
    if (!fair) continue;
    const auto subset = [&](const std::set<int>& of) { return std::includes(of.begin(), of.end(), S.begin(), S.end()); };
    if (subset(ev_region)) v.eventually = true, start_of[0].insert(S.begin(), S.end());
    if (subset(lt_region)) v.leads_to = true, start_of[1].insert(S.begin(), S.end());
    if (std::any_of(S.begin(), S.end(), not_p)) v.eventually_always = true, start_of[2].insert(S.begin(), S.end());
  }
  // Shortest distances: from the initial state within ¬p (eventually), anywhere (eventually_always), and for
  // p ~> q anywhere to a state with p and not q, then within ¬q.
  const auto distances = [&](std::vector<int> d, auto allowed) {
    for (bool changed = true; changed;) {
      changed = false;
      for (int s = 0; s < n; ++s)
        for (const auto& e : g.edges[static_cast<std::size_t>(s)])
          if (d[static_cast<std::size_t>(s)] >= 0 && allowed(e.to) &&
              (d[static_cast<std::size_t>(e.to)] < 0 || d[static_cast<std::size_t>(e.to)] > d[static_cast<std::size_t>(s)] + 1))
            d[static_cast<std::size_t>(e.to)] = d[static_cast<std::size_t>(s)] + 1, changed = true;
    }
    return d;
  };
  std::vector<int> origin(static_cast<std::size_t>(n), -1);
  origin[0] = 0;
  const std::vector<int> anywhere = distances(origin, any);
  const std::vector<int> within_not_p = g.p.count(0) ? std::vector<int>(static_cast<std::size_t>(n), -1) : distances(origin, not_p);
  std::vector<int> armed(static_cast<std::size_t>(n), -1);
  for (int x : triggers) armed[static_cast<std::size_t>(x)] = anywhere[static_cast<std::size_t>(x)];
  armed = distances(armed, not_q);
  const std::vector<int>* dist[3] = {&within_not_p, &armed, &anywhere};
  for (int k = 0; k < 3; ++k)
    for (int s : start_of[k])
      if (const int d = (*dist[k])[static_cast<std::size_t>(s)]; d >= 0 && (v.prefix[k] < 0 || d < v.prefix[k])) v.prefix[k] = d;
  return v;
}

LiveGraph random_live_graph(unsigned seed) {
  std::mt19937 rng(seed);
  LiveGraph g;
  const int n = 2 + static_cast<int>(rng() % 6);
  g.edges.resize(static_cast<std::size_t>(n));
  const unsigned k = rng() % 4;
  for (unsigned c = 0; c < k; ++c) g.classes.push_back(rng() % 2 ? mc::FairnessKind::weak : mc::FairnessKind::strong);
  for (int s = 0; s < n; ++s) {
    const int out = static_cast<int>(rng() % 4);
    for (int e = 0; e < out; ++e)
      g.edges[static_cast<std::size_t>(s)].push_back({static_cast<int>(rng() % static_cast<unsigned>(n)),
                                                      k ? static_cast<unsigned>(rng() % (1u << k)) : 0u});
  }
  for (int s = 0; s < n; ++s) {
    if (rng() % 3 == 0) g.p.insert(s);
    if (rng() % 3 == 0) g.q.insert(s);
  }
  return g;
}

mc::ExploreOptions options(unsigned threads, int storage) {
  mc::ExploreOptions o;
  o.threads = threads;
  o.exact = storage == 2;
  o.fingerprint_bits = storage == 1 ? 128 : 64;
  return o;
}

std::vector<int> nodes_of(const mc::TraceOf<LiveGraph>& t) {
  std::vector<int> v;
  for (const auto& s : t.steps) v.push_back(s.state.node);
  return v;
}

/// The trace's steps are the graph's, and a cycle ends where it starts.
void require_lasso_of_graph(const LiveGraph& g, const mc::TraceOf<LiveGraph>& t) {
  REQUIRE(t.steps[0].state.node == 0);
  for (std::size_t i = 1; i < t.size(); ++i) {
    const auto& a = *t.steps[i].action;
    REQUIRE(a.from == t.steps[i - 1].state.node);
    REQUIRE(a.to == t.steps[i].state.node);
    const auto& out = g.edges[static_cast<std::size_t>(a.from)];
    REQUIRE(std::any_of(out.begin(), out.end(), [&](const auto& e) { return e.to == a.to && e.mask == a.mask; }));
  }
  if (t.cycle_start) {
    REQUIRE(*t.cycle_start + 1 < t.size());
    REQUIRE(t.steps[*t.cycle_start].state.node == t.last().node);
  }
}

mc::CheckResult<LiveGraph> check(const LiveGraph& g, unsigned threads = 1, int storage = 0) {
  return mc::check(g, options(threads, storage));
}

}  // namespace

TEST_CASE("a cycle on which a weakly fair class is enabled throughout and never taken is not fair", "[liveness]") {
  LiveGraph g;
  g.edges = {{{1, 0}, {2, 1}}, {{0, 0}, {2, 1}}, {}};
  g.classes = {mc::FairnessKind::weak};
  g.p = {2};
  const auto r = check(g);
  CHECK(r.property("eventually-p")->outcome == mc::Outcome::holds);
  g.classes = {};  // no fairness: the behaviour may stutter in the initial state
  const auto unfair = check(g);
  REQUIRE(unfair.property("eventually-p")->outcome == mc::Outcome::violated);
  CHECK(nodes_of(*unfair.property("eventually-p")->trace) == std::vector<int>{0});
  CHECK(!unfair.property("eventually-p")->trace->cycle_start);
}

TEST_CASE("strong fairness rules out a cycle that weak fairness allows", "[liveness]") {
  LiveGraph g;
  g.edges = {{{1, 0}}, {{0, 0}, {2, 1}}, {}};
  g.classes = {mc::FairnessKind::weak, mc::FairnessKind::weak};
  g.edges[0][0].mask = 2;  // class 1 keeps the cycle moving: 0 -> 1 -> 0 -> ...
  g.edges[1][0].mask = 2;
  g.p = {2};
  const auto weak = check(g);
  const auto* v = weak.property("eventually-p");
  REQUIRE(v->outcome == mc::Outcome::violated);
  CHECK(nodes_of(*v->trace) == std::vector<int>{0, 1, 0});
  CHECK(v->trace->cycle_start == std::optional<std::size_t>{0});
  g.classes[0] = mc::FairnessKind::strong;  // enabled at 1 again and again: must be taken
  CHECK(check(g).property("eventually-p")->outcome == mc::Outcome::holds);
}

TEST_CASE("a state without successors stutters forever", "[liveness]") {
  LiveGraph g;
  g.edges = {{{1, 1}}, {}};
  g.classes = {mc::FairnessKind::weak};
  const auto r = check(g);
  const auto* v = r.property("eventually-p");
  REQUIRE(v->outcome == mc::Outcome::violated);
  CHECK(nodes_of(*v->trace) == std::vector<int>{0, 1});
  CHECK(!v->trace->cycle_start);
  CHECK(v->fairness == std::vector<std::string>{"c0 (weak): never enabled on the cycle"});
}

TEST_CASE("p leads to q holds where q holds in p's own state", "[liveness]") {
  LiveGraph g;
  g.edges = {{{1, 0}}, {}};
  g.p = {0, 1};
  g.q = {0};
  const auto r = check(g);
  // 1 has p and not q, and stutters: p ~> q fails there; at 0 it holds at once.
  REQUIRE(r.property("p-leads-to-q")->outcome == mc::Outcome::violated);
  CHECK(nodes_of(*r.property("p-leads-to-q")->trace) == std::vector<int>{0, 1});
  g.q = {0, 1};
  CHECK(check(g).property("p-leads-to-q")->outcome == mc::Outcome::holds);
  CHECK(check(g).property("eventually-always-p")->outcome == mc::Outcome::holds);
}

TEST_CASE("liveness verdicts on random graphs equal a brute-force reference, for every thread count and storage",
          "[liveness]") {
  int violated = 0, held = 0;
  for (unsigned seed = 1; seed <= 300; ++seed) {
    const LiveGraph g = random_live_graph(seed);
    const Verdicts want = reference(g);
    const auto base = check(g);
    for (unsigned threads : {1u, 2u, 4u}) {
      for (int storage : {0, 1, 2}) {
        if (seed % 10 != 0 && (threads != 1 || storage != 0)) continue;  // all modes on a tenth of the graphs
        const auto r = threads == 1 && storage == 0 ? base : check(g, threads, storage);
        INFO("seed " << seed << ", " << threads << " threads, storage " << storage);
        const bool got[] = {r.property("eventually-p")->outcome == mc::Outcome::violated,
                            r.property("p-leads-to-q")->outcome == mc::Outcome::violated,
                            r.property("eventually-always-p")->outcome == mc::Outcome::violated};
        CHECK(got[0] == want.eventually);
        CHECK(got[1] == want.leads_to);
        CHECK(got[2] == want.eventually_always);
        for (std::size_t k = 0; k < r.properties.size(); ++k) {
          const auto& p = r.properties[k];
          REQUIRE(p.outcome != mc::Outcome::unknown);
          if (p.outcome != mc::Outcome::violated) continue;
          require_lasso_of_graph(g, *p.trace);
          // The prefix is a shortest path to where a bad fair cycle can start.
          const std::size_t prefix = p.trace->cycle_start ? *p.trace->cycle_start : p.trace->size() - 1;
          CHECK(static_cast<int>(prefix) == want.prefix[k]);
          // The same lasso whatever the threads and storage.
          const auto* same = base.property(p.name);
          CHECK(nodes_of(*p.trace) == nodes_of(*same->trace));
          CHECK(p.trace->cycle_start == same->trace->cycle_start);
        }
      }
    }
    violated += want.eventually + want.leads_to + want.eventually_always;
    held += !want.eventually + !want.leads_to + !want.eventually_always;
  }
  // The random graphs exercise both verdicts.
  CHECK(violated > 100);
  CHECK(held > 100);
}
