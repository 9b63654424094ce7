// Storage faults: what a crash keeps of a node's unsynced appends (prefix, subset, torn), counted by hand on a
// one-node system; the log's fsync and write-back rules; and the wal-store protocol with its broken variants.
#include "mc/actor/actor_model.hpp"
#include "mc/check.hpp"
#include "protocol_checks.hpp"
#include "protocols/raft_election.hpp"
#include "protocols/two_phase_commit.hpp"
#include "protocols/wal_store.hpp"
#include "reference_explorer.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

namespace disk {

struct Nothing {
  auto operator<=>(const Nothing&) const = default;
};
struct Vocabulary {
  using Msg = Nothing;
};
struct Rec {
  BOOST_HANA_DEFINE_STRUCT(Rec, (std::uint8_t, v));
  bool operator==(const Rec&) const = default;
};

/// Appends records 1..appends when it first starts and never fsyncs; then does nothing.
struct Appender {
  using LogRecord = Rec;
  std::uint8_t appends = 0;
  struct State {
    BOOST_HANA_DEFINE_STRUCT(State, (std::uint8_t, seen));
  };
  template <class Out>
  State on_start(mc::NodeId, const mc::Log<Rec>& log, Out& out) const {
    if (log.records.empty())
      for (std::uint8_t v = 1; v <= appends; ++v) out.append(Rec{v});
    return {static_cast<std::uint8_t>(log.records.size())};
  }
  template <class Out>
  void on_message(mc::NodeId, State&, mc::NodeId, const Nothing&, Out&) const {}
};

using System = mc::ActorModel<Vocabulary, Appender>;

System make(unsigned appends, unsigned torn, bool reorder, unsigned restart = 0) {
  mc::FaultBudget b;
  b.crash = 1, b.restart = static_cast<std::uint8_t>(restart), b.torn = static_cast<std::uint8_t>(torn);
  System sys(mc::NetworkKind::unordered, b);
  sys.set_storage({3, reorder});
  sys.add(Appender{static_cast<std::uint8_t>(appends)});
  return sys;
}

}  // namespace disk

// The initial state holds A unsynced appends; the only step is the crash, and crashed states have no successors.
// Prefix: the crash keeps the first k, k = 0..A (A+1 outcomes); with a torn budget also the first k with the k-th
// torn, k = 1..A. Subset: any of the 2^A subsets; torn: each non-empty subset with its last torn — but the torn
// record reads as zeros, so subsets with the same other members give one state: 2^(A-1) states for 2^A - 1 steps.
TEST_CASE("a crash keeps a prefix or, reordering, any subset of the unsynced appends, the last kept may be torn",
          "[actor][storage]") {
  for (unsigned a = 0; a <= 3; ++a) {
    INFO("appends " << a);
    const std::uint64_t pow = 1u << a;
    struct Case {
      unsigned torn;
      bool reorder;
      std::uint64_t distinct, generated;
    };
    for (const Case c : {Case{0, false, a + 2, a + 2}, Case{1, false, 2 * a + 2, 2 * a + 2},
                         Case{0, true, 1 + pow, 1 + pow},
                         Case{1, true, 1 + pow + (a ? pow / 2 : 0), 1 + pow + (pow - 1)}}) {
      INFO("torn " << c.torn << ", reorder " << c.reorder);
      const auto r = mc::check(disk::make(a, c.torn, c.reorder));
      CHECK(r.ok());
      CHECK(r.stats.distinct == c.distinct);
      CHECK(r.stats.generated == c.generated);
      const auto ref = test_models::enumerate(disk::make(a, c.torn, c.reorder));
      CHECK(ref.distinct == c.distinct);
    }
  }
}

TEST_CASE("crash steps say what reached the disk", "[actor][storage]") {
  std::set<std::string> labels;
  const auto sys = disk::make(3, 1, true);
  sys.init([&](const disk::System::State& s) {
    sys.next(s, [&](const disk::System::Action& a, const disk::System::State&) { labels.insert(describe(a)); });
  });
  CHECK(labels.count("crash n0 (kept 0 of 3 unsynced appends)"));
  CHECK(labels.count("crash n0 (kept 2 of 3 unsynced appends)"));
  CHECK(labels.count("crash n0 (kept 2 of 3 unsynced appends, the last torn)"));
  CHECK(labels.count("crash n0 (kept unsynced appends 1, 3 of 3)"));
  CHECK(labels.count("crash n0 (kept unsynced appends 2 of 3, the last torn)"));
  CHECK(labels.size() == 8 + 7);
  std::set<std::string> one;
  const auto single = disk::make(1, 0, false);
  single.init([&](const disk::System::State& s) {
    single.next(s, [&](const disk::System::Action& a, const disk::System::State&) { one.insert(describe(a)); });
  });
  CHECK(one == std::set<std::string>{"crash n0 (kept 0 of 1 unsynced appends)", "crash n0 (kept 1 of 1 unsynced appends)"});
  const auto none = disk::make(0, 1, false);
  none.init([&](const disk::System::State& s) {
    none.next(s, [&](const disk::System::Action& a, const disk::System::State&) { CHECK(describe(a) == "crash n0"); });
  });
}

TEST_CASE("a restarted node reads what survived, a torn record flagged by its checksum", "[actor][storage]") {
  // After the crash and restart, `seen` is the number of records on disk; every outcome is a distinct state.
  std::set<std::pair<unsigned, bool>> seen;  // records read, last torn
  const auto sys = disk::make(2, 1, false, 1);
  for (const auto& s : test_models::enumerate(sys).states) {
    if (s.faults_used.restart == 0) continue;
    const auto& log = std::get<0>(s.nodes[0].log);
    CHECK(disk::System::state_of<disk::Appender>(s, 0).seen == log.records.size());
    CHECK(log.unsynced.size() == (log.records.empty() ? 2u : 0u));  // nothing kept: on_start appended afresh
    const bool torn = !log.records.empty() && !log.records.back().intact;
    if (torn) CHECK(log.records.back().record == disk::Rec{0});  // a torn record reads as zeros
    seen.insert({static_cast<unsigned>(log.records.size()), torn});
  }
  // Nothing kept: on_start appends afresh (an empty log), 1 or 2 kept, each possibly torn.
  CHECK(seen == std::set<std::pair<unsigned, bool>>{{0, false}, {1, false}, {2, false}, {1, true}, {2, true}});
}

TEST_CASE("fsync forces every append before it, past the limit the oldest pending append is written back",
          "[actor][storage]") {
  using L = mc::Log<disk::Rec>;
  const auto values = [](const auto& range) {
    std::vector<int> out;
    for (const auto& r : range) {
      if constexpr (requires { r.record; }) out.push_back(r.intact ? r.record.v : -1);
      else out.push_back(r.v);
    }
    return out;
  };
  L log;
  std::vector<disk::Rec> appends{{1}, {2}};
  mc::apply_appends(log, appends, 0, false, 3);
  CHECK(values(log.unsynced) == std::vector<int>{1, 2});
  appends = {{3}, {4}, {5}};  // fsync after 3: 1, 2 and 3 are durable; 4 and 5 wait
  mc::apply_appends(log, appends, 1, true, 3);
  CHECK(values(log.records) == std::vector<int>{1, 2, 3});
  CHECK(values(log.unsynced) == std::vector<int>{4, 5});
  appends = {{6}, {7}};  // the limit 3: 4 is written back to make room for 7
  mc::apply_appends(log, appends, 0, false, 3);
  CHECK(values(log.records) == std::vector<int>{1, 2, 3, 4});
  CHECK(values(log.unsynced) == std::vector<int>{5, 6, 7});
  appends = {};  // an fsync alone forces what is pending
  mc::apply_appends(log, appends, 0, true, 3);
  CHECK(values(log.records) == std::vector<int>{1, 2, 3, 4, 5, 6, 7});
  CHECK(log.unsynced.empty());
  L crashed;
  crashed.unsynced = {{1}, {2}, {3}};
  mc::survive_crash(crashed, 0b101, true);
  CHECK(values(crashed.records) == std::vector<int>{1, -1});
  CHECK(crashed.unsynced.empty());
}

namespace {
using namespace protocols::wal;
using protocol_checks::broken_with;

mc::FaultBudget budget(unsigned crash, unsigned restart, unsigned torn) {
  mc::FaultBudget b;
  b.crash = static_cast<std::uint8_t>(crash), b.restart = static_cast<std::uint8_t>(restart);
  b.torn = static_cast<std::uint8_t>(torn);
  return b;
}

template <class Trace>
std::vector<std::string> labels(const Trace& trace) {
  std::vector<std::string> out;
  for (std::size_t i = 1; i < trace.size(); ++i) out.push_back(describe(*trace.steps[i].action));
  return out;
}
}  // namespace

TEST_CASE("wal-store: group commit keeps every acknowledged write through a crash and a torn record",
          "[protocol][storage]") {
  for (const bool reorder : {false, true}) {
    INFO("reorder " << reorder);
    const auto m = make_model(Variant::correct, 2, 2, default_faults, {3, reorder});
    const auto r = mc::check(m, protocol_checks::threads(2));
    CHECK(r.ok());
    protocol_checks::agrees_with_reference(m);
  }
  CHECK(mc::check(make_model(Variant::correct, 2, 2, budget(1, 1, 2))).ok());
  CHECK(mc::check(make_model(Variant::correct, 1, 3, budget(2, 2, 2))).ok());
}

TEST_CASE("wal-store ack-before-fsync: an acknowledged write disappears after a crash and restart",
          "[protocol][storage]") {
  const auto m = make_model(Variant::ack_before_fsync, 2, 2, default_faults);
  // The acknowledgement is already in flight when the store crashes; it arrives while the store is down.
  const auto r = broken_with(m, "acknowledged-writes-survive", 5, "write 1=1 was acknowledged, but n0 holds 1=0");
  CHECK(labels(*r.violation()->trace) ==
        std::vector<std::string>{"deliver Put(key=1, value=1) n2→n0", "crash n0 (kept 0 of 1 unsynced appends)",
                                 "deliver PutAck(key=1, value=1) n0→n2", "restart n0"});
  CHECK(r.violation()->explanation_fields == std::vector<std::string>{"history[0]", "nodes[0].state.values[1]"});
  // No crash, no loss: the same design is safe.
  CHECK(mc::check(make_model(Variant::ack_before_fsync, 2, 2, budget(0, 0, 0))).ok());
}

TEST_CASE("wal-store no-checksum: a torn record replays as a write nobody made, verdicts monotone in torn",
          "[protocol][storage]") {
  CHECK(mc::check(make_model(Variant::no_checksum, 2, 2, budget(1, 1, 0))).ok());
  const auto m = make_model(Variant::no_checksum, 1, 2, budget(1, 1, 1));
  const auto r = broken_with(m, "acknowledged-writes-survive", 7, "write 0=1 was acknowledged, but n0 holds 0=0");
  CHECK(labels(*r.violation()->trace) ==
        std::vector<std::string>{"deliver Put(key=0, value=1) n1→n0", "timeout n0 flush",
                                 "deliver PutAck(key=0, value=1) n0→n1", "deliver Put(key=0, value=2) n1→n0",
                                 "crash n0 (kept 1 of 1 unsynced appends, the last torn)", "restart n0"});
  CHECK_FALSE(mc::check(make_model(Variant::no_checksum, 2, 2, budget(1, 1, 2))).ok());
  // Each torn budget reaches every state the one below it reaches, and more.
  const auto states = [](unsigned torn) {
    test_models::ByteSet out;
    for (const auto& s : test_models::enumerate(make_model(Variant::correct, 2, 1, budget(2, 1, torn))).states)
      out.insert(mc::encode(s));
    return out;
  };
  const auto t0 = states(0), t1 = states(1), t2 = states(2);
  CHECK(std::includes(t1.begin(), t1.end(), t0.begin(), t0.end()));
  CHECK(std::includes(t2.begin(), t2.end(), t1.begin(), t1.end()));
  CHECK(t0.size() < t1.size());
  CHECK(t1.size() < t2.size());
}

TEST_CASE("raft-election vote-not-fsynced: a vote lost in a crash is granted again and two leaders win one term",
          "[protocol][storage]") {
  namespace raft = protocols::raft;
  const auto m = raft::make_model(raft::Variant::vote_not_fsynced, 3, 1, raft::default_faults);
  const auto r = broken_with(m, "election-safety", 9, "n2 and n0 both leader in term 1");
  const auto steps = labels(*r.violation()->trace);
  CHECK(std::count(steps.begin(), steps.end(), "crash n1 (kept 0 of 2 unsynced appends)") == 1);
  CHECK(mc::check(raft::make_model(raft::Variant::vote_not_fsynced, 3, 1, budget(0, 0, 0))).ok());
}

TEST_CASE("two-phase-commit prepare-not-fsynced: a Yes vote whose record is lost lets its participant abort alone",
          "[protocol][storage]") {
  namespace twopc = protocols::twopc;
  const auto m = twopc::make_model(twopc::Variant::prepare_not_fsynced, 2, twopc::default_faults);
  const auto r = broken_with(m, "atomic-commit", 9, "n2 committed while n1 aborted");
  const auto steps = labels(*r.violation()->trace);
  CHECK(std::count(steps.begin(), steps.end(), "crash n1 (kept 0 of 1 unsynced appends)") == 1);
  mc::FaultBudget network_only;
  network_only.loss = 1, network_only.dup = 1;
  CHECK(mc::check(twopc::make_model(twopc::Variant::prepare_not_fsynced, 2, network_only)).ok());
}
