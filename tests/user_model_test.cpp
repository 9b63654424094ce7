// The user's own design in examples/user-program (lease-lock), checked like a shipped protocol: counts by hand and
// against the serial reference explorer, and its broken variant's counterexample replayed step by step.
#include "../examples/user-program/lease_lock.hpp"
#include "protocol_checks.hpp"

using namespace protocol_checks;
namespace ll = lease_lock;

TEST_CASE("lease-lock with one client: the states enumerated by hand", "[user-program][lease-lock]") {
  // S0 Acquire in flight; S1 granted (token 1, lease armed); S2 Write1 in flight; S3 lease expired before the
  // grant arrived; S4 Written1 in flight; S5 = S3 with Write1 sent; S6 Release1 in flight; S7 written, lease
  // expired; S9 Release1 in flight with the lease expired (its release is then ignored); S8 all done.
  // Generated: 1 initial + S0 1 + S1 2 + S2 2 + S3 1 + S4 2 + S5 1 + S6 2 + S7 1 + S9 1 = 14; levels S0 | S1 |
  // S2 S3 | S4 S5 | S6 S7 | S8 S9.
  const auto r = mc::check(ll::make_model(ll::Variant::fenced, 1, {}), threads(2));
  CHECK(r.ok());
  CHECK(r.stats.distinct == 10);
  CHECK(r.stats.generated == 14);
  CHECK(r.stats.depth == 6);
}

TEST_CASE("lease-lock counts agree with the reference explorer", "[user-program][lease-lock][reference]") {
  agrees_with_reference(ll::make_model(ll::Variant::fenced, 2, {}));
  agrees_with_reference(ll::make_model(ll::Variant::fenced, 2, {1, 0, 0, 0, 0, 0}));
  agrees_with_reference(ll::make_model(ll::Variant::unfenced, 3, {}));
  // The figures tests/user_program_test.sh expects from the program for the same configurations.
  CHECK(mc::check(ll::make_model(ll::Variant::fenced, 2, {}), threads(2)).stats.distinct == 127);
}

TEST_CASE("lease-lock without fencing: a stale lease holder's write lands after a newer one",
          "[user-program][lease-lock]") {
  // Both Acquires, Grant1, the lease expires (token 2 to the other client), Grant2, Write2, then the stale Write1.
  broken_with(ll::make_model(ll::Variant::unfenced, 2, {}), "writes-in-token-order", 8,
              "the storage accepted token 1 after token 2: an expired holder overwrote newer data");
  same_for_1_and_2_threads(ll::make_model(ll::Variant::unfenced, 3, {1, 0, 0, 0, 0, 0}));
}
