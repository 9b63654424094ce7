// The five actor protocols: each correct design is safe under its default fault budget (pinned state counts),
// each broken variant yields a counterexample of pinned length that replays to a real violation, results do not
// depend on the thread count, raising a budget never loses a state, and the reference explorer agrees.
#include "protocols/alternating_bit.hpp"
#include "protocols/paxos.hpp"
#include "protocols/raft_election.hpp"
#include "protocols/rpc_retry.hpp"
#include "protocols/two_phase_commit.hpp"
#include "protocol_checks.hpp"

#include <catch2/catch.hpp>

using namespace protocol_checks;

namespace twopc = protocols::twopc;
namespace abp = protocols::abp;
namespace rpc = protocols::rpc;
namespace paxos = protocols::paxos;
namespace raft = protocols::raft;

TEST_CASE("two-phase-commit is safe under any 1 loss, duplicate, crash and restart", "[2pc][actor]") {
  safe_with(twopc::make_model(twopc::Variant::correct, 2, twopc::default_faults), 41838, 14);
}

TEST_CASE("two-phase-commit that commits on timeout breaks atomic commit in 3 steps", "[2pc][actor]") {
  // A participant aborts on its own; the coordinator's vote timer fires and it commits; the other one commits.
  broken_with(twopc::make_model(twopc::Variant::commit_on_timeout, 2, twopc::default_faults), "atomic-commit", 4,
              "n1 committed while n2 aborted");
}

TEST_CASE("alternating-bit delivers exactly once, in order, over lossy duplicating FIFO links", "[abp][actor]") {
  safe_with(abp::make_model(abp::Variant::correct, 3, abp::default_faults), 487, 15);
}

TEST_CASE("alternating-bit without the bit delivers a retransmission twice", "[abp][actor]") {
  broken_with(abp::make_model(abp::Variant::no_bit, 3, abp::default_faults), "exactly-once-in-order", 4,
              "message 0 delivered twice (deliveries 1 and 2)");
}

TEST_CASE("rpc-retry with durable dedup applies each request at most once", "[rpc][actor]") {
  safe_with(rpc::make_model(rpc::Variant::dedup, 1, rpc::default_faults), 338, 12);
  safe_with(rpc::make_model(rpc::Variant::dedup, 2, rpc::default_faults), 2192, 15);
}

TEST_CASE("rpc-retry without dedup applies a retried request twice", "[rpc][actor]") {
  const auto twice = broken_with(rpc::make_model(rpc::Variant::no_dedup, 1, rpc::default_faults), "at-most-once", 4,
                                 "request 0 applied twice");
  // The account is about the two applications in the history, which the HTML view outlines.
  CHECK(twice.violation()->explanation_fields == std::vector<std::string>{"history[0]", "history[1]"});
  // Even without any fault: a timeout is not a failure, the retry races the original.
  broken_with(rpc::make_model(rpc::Variant::no_dedup, 1, {}), "at-most-once", 4);
}

TEST_CASE("rpc-retry with a volatile dedup table double-applies after a crash and restart", "[rpc][actor]") {
  broken_with(rpc::make_model(rpc::Variant::volatile_dedup, 1, rpc::default_faults), "at-most-once", 6);
  CHECK(mc::check(rpc::make_model(rpc::Variant::volatile_dedup, 1, {1, 1, 1, 0, 0, 0}), threads(2)).ok());
}

TEST_CASE("paxos keeps agreement and validity with an acceptor crash", "[paxos][actor]") {
  safe_with(paxos::make_model(paxos::Variant::correct, 2, 3, paxos::default_faults), 952722, 24);
}

TEST_CASE("paxos that ignores accepted values in phase 1 decides two values", "[paxos][actor]") {
  broken_with(paxos::make_model(paxos::Variant::ignore_accepted, 2, 3, paxos::default_faults), "agreement", 17,
              "n1 decided 2, n0 decided 1");
}

TEST_CASE("raft-election elects at most one leader per term with a crash and restart", "[raft][actor]") {
  safe_with(raft::make_model(raft::Variant::correct, 3, 1, raft::default_faults), 11036, 18);
}

TEST_CASE("raft-election with a volatile votedFor elects two leaders in one term", "[raft][actor]") {
  broken_with(raft::make_model(raft::Variant::volatile_vote, 3, 1, raft::default_faults), "election-safety", 9,
              "n0 and n2 both leader in term 1");
}

TEST_CASE("actor protocols give identical results for 1 and 2 threads", "[actor][determinism]") {
  same_for_1_and_2_threads(twopc::make_model(twopc::Variant::correct, 2, twopc::default_faults));
  same_for_1_and_2_threads(twopc::make_model(twopc::Variant::commit_on_timeout, 2, twopc::default_faults));
  same_for_1_and_2_threads(abp::make_model(abp::Variant::no_bit, 3, abp::default_faults));
  same_for_1_and_2_threads(rpc::make_model(rpc::Variant::volatile_dedup, 2, rpc::default_faults));
  same_for_1_and_2_threads(paxos::make_model(paxos::Variant::ignore_accepted, 2, 3, {}));
  same_for_1_and_2_threads(raft::make_model(raft::Variant::volatile_vote, 3, 1, raft::default_faults));
}

TEST_CASE("actor protocol counts agree with the serial reference explorer, states encode as the reference",
          "[actor][reference][encoding]") {
  agrees_with_reference(twopc::make_model(twopc::Variant::correct, 1, twopc::default_faults));
  agrees_with_reference(abp::make_model(abp::Variant::correct, 2, {2, 1, 0, 0, 0, 0}));
  agrees_with_reference(rpc::make_model(rpc::Variant::dedup, 2, rpc::default_faults));
  agrees_with_reference(raft::make_model(raft::Variant::correct, 3, 1, raft::default_faults));
  agrees_with_reference(paxos::make_model(paxos::Variant::correct, 1, 3, {0, 1, 1, 1, 0, 0}));
  buffer_encoding_is_the_reference(twopc::make_model(twopc::Variant::correct, 2, twopc::default_faults));
}

TEST_CASE("raising a fault budget never loses a reachable state", "[actor][budget]") {
  budgets_are_monotone([](mc::FaultBudget b) { return rpc::make_model(rpc::Variant::dedup, 1, b); },
                       {1, 1, 1, 1, 1, 0});
  budgets_are_monotone([](mc::FaultBudget b) { return twopc::make_model(twopc::Variant::correct, 1, b); },
                       {1, 1, 1, 1, 1, 0});
  budgets_are_monotone([](mc::FaultBudget b) { return abp::make_model(abp::Variant::correct, 2, b); },
                       {2, 1, 0, 0, 0, 0});
}
