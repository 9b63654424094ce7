// The linearizability and sequential-consistency checker on textbook histories whose answers are known by hand,
// and on thousands of random short histories cross-checked against a brute force that tries every order.
#include "properties/linearizability.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <numeric>
#include <random>

namespace {

using properties::Consistency;
using Reg = properties::RegisterSpec;
using RegOp = properties::Operation<Reg::Input, int>;

RegOp write(int client, int v, std::uint64_t from, std::optional<std::uint64_t> to) {
  return {client, {Reg::Kind::write, v}, to ? std::optional<int>(0) : std::nullopt, from, to};
}
RegOp read(int client, int got, std::uint64_t from, std::uint64_t to) {
  return {client, {Reg::Kind::read, 0}, got, from, to};
}
bool linearizable(const std::vector<RegOp>& h) { return properties::check_history(Reg{}, h).ok; }
bool sequential(const std::vector<RegOp>& h) { return properties::check_history(Reg{}, h, Consistency::sequential).ok; }

/// Every order of every subset that holds all determinate operations: the independent answer.
template <class Spec, class Op>
bool brute_force(const Spec& spec, const std::vector<Op>& ops, Consistency c) {
  const std::size_t n = ops.size();
  for (std::uint32_t subset = 0; subset < (1u << n); ++subset) {
    std::vector<std::size_t> chosen;
    bool all_required = true;
    for (std::size_t i = 0; i < n; ++i) {
      if ((subset >> i) & 1) chosen.push_back(i);
      else if (ops[i].determinate()) all_required = false;
    }
    if (!all_required) continue;
    do {
      bool valid = true;
      auto state = spec.init();
      for (std::size_t k = 0; k < chosen.size() && valid; ++k) {
        const auto& op = ops[chosen[k]];
        for (std::size_t j = k + 1; j < chosen.size() && valid; ++j) {  // nothing later may have to come first
          const auto& later = ops[chosen[j]];
          valid = c == Consistency::linearizable
                      ? !(later.returned && *later.returned < op.invoked)
                      : !(later.client == op.client && later.determinate() && later.invoked < op.invoked);
        }
        if (c == Consistency::linearizable)  // a left-out (indeterminate) operation never has to precede anything
          for (std::size_t i = 0; i < n && valid; ++i)
            if (!((subset >> i) & 1) && ops[i].returned && *ops[i].returned < op.invoked) valid = false;
        auto [next, out] = spec.run(state, op.input);
        if (op.output && !(out == *op.output)) valid = false;
        state = next;
      }
      if (valid) return true;
    } while (std::next_permutation(chosen.begin(), chosen.end()));
  }
  return false;
}

}  // namespace

TEST_CASE("linearizability: textbook register histories", "[linearizability]") {
  // A read overlapping a write may return either value.
  CHECK(linearizable({write(0, 1, 0, 2), read(1, 1, 1, 3)}));
  CHECK(linearizable({write(0, 1, 0, 2), read(1, 0, 1, 3)}));
  // A read that starts after a write finished must see it: sequentially consistent (order the read first) but not
  // linearizable.
  const std::vector<RegOp> stale{write(0, 1, 0, 1), read(1, 0, 2, 3)};
  CHECK_FALSE(linearizable(stale));
  CHECK(sequential(stale));
  // The same client reading its own write's old value: neither.
  const std::vector<RegOp> own{write(0, 1, 0, 1), read(0, 0, 2, 3)};
  CHECK_FALSE(linearizable(own));
  CHECK_FALSE(sequential(own));
  // Read inversion (the ABD write-back example): one read sees the new value, a later read the old one.
  const std::vector<RegOp> inversion{write(0, 1, 0, 10), read(1, 1, 1, 2), read(2, 0, 3, 4)};
  CHECK_FALSE(linearizable(inversion));
  CHECK(sequential(inversion));  // clients 1 and 2 are different: SC may order 2's read first
  CHECK(linearizable({write(0, 1, 0, 10), read(1, 0, 1, 2), read(2, 1, 3, 4)}));
}

TEST_CASE("linearizability: indeterminate operations may take effect later, or never", "[linearizability]") {
  // A write whose reply was lost: later reads may or may not see it...
  CHECK(linearizable({write(0, 1, 0, std::nullopt), read(1, 0, 5, 6)}));
  CHECK(linearizable({write(0, 1, 0, std::nullopt), read(1, 1, 5, 6)}));
  CHECK(linearizable({write(0, 1, 0, std::nullopt), read(1, 0, 5, 6), read(1, 1, 7, 8)}));
  // ...but once seen it cannot be undone, and it cannot take effect before it was invoked.
  CHECK_FALSE(linearizable({write(0, 1, 0, std::nullopt), read(1, 1, 5, 6), read(1, 0, 7, 8)}));
  CHECK_FALSE(linearizable({read(1, 1, 0, 1), write(0, 1, 2, std::nullopt)}));
}

TEST_CASE("linearizability: compare-and-set, counter and queue", "[linearizability]") {
  using Cas = properties::CasRegisterSpec;
  using CasOp = properties::Operation<Cas::Input, int>;
  const auto cas = [](int client, int expected, int value, int swapped, std::uint64_t a, std::uint64_t b) {
    return CasOp{client, {Cas::Kind::cas, value, expected}, swapped, a, b};
  };
  // Two concurrent cas(0 -> x) cannot both succeed.
  CHECK_FALSE(properties::check_history(Cas{}, std::vector{cas(0, 0, 1, 1, 0, 2), cas(1, 0, 2, 1, 1, 3)}).ok);
  CHECK(properties::check_history(Cas{}, std::vector{cas(0, 0, 1, 1, 0, 2), cas(1, 0, 2, 0, 1, 3)}).ok);

  using Counter = properties::CounterSpec;
  using CounterOp = properties::Operation<Counter::Input, long>;
  const std::vector<CounterOp> lost_update{{0, {false, 1}, 0L, 0, 1}, {1, {false, 1}, 0L, 2, 3}, {2, {true, 0}, 1L, 4, 5}};
  CHECK_FALSE(properties::check_history(Counter{}, lost_update).ok);

  using Queue = properties::QueueSpec;
  using QueueOp = properties::Operation<Queue::Input, int>;
  // Herlihy & Wing's example: enq(x) then enq(y) completed, a dequeue returns y first: not linearizable.
  const std::vector<QueueOp> fifo{{0, {true, 1}, 0, 0, 1}, {0, {true, 2}, 0, 2, 3}, {1, {false, 0}, 2, 4, 5}};
  CHECK_FALSE(properties::check_history(Queue{}, fifo).ok);
  const std::vector<QueueOp> overlapping{{0, {true, 1}, 0, 0, 3}, {1, {true, 2}, 0, 1, 2}, {2, {false, 0}, 2, 4, 5}};
  CHECK(properties::check_history(Queue{}, overlapping).ok);
}

TEST_CASE("linearizability: key-value histories are checked key by key and the failing key is named",
          "[linearizability]") {
  using Kv = properties::KeyValueSpec;
  using KvOp = properties::Operation<Kv::Input, int>;
  std::vector<KvOp> h{{0, {1, {Reg::Kind::write, 5}}, 0, 0, 1}, {1, {2, {Reg::Kind::write, 7}}, 0, 0, 1},
                      {2, {1, {Reg::Kind::read, 0}}, 5, 2, 3}, {2, {2, {Reg::Kind::read, 0}}, 7, 4, 5}};
  CHECK(properties::check_by_key(Kv{}, h).ok);
  h.push_back({3, {2, {Reg::Kind::read, 0}}, 0, 6, 7});  // key 2 goes back to its initial value
  int key = -1;
  const auto v = properties::check_by_key(Kv{}, h, Consistency::linearizable, &key);
  CHECK_FALSE(v.ok);
  CHECK(key == 2);
  REQUIRE(v.stuck);
  CHECK(*v.stuck == 4);  // the operation no valid order could include, named by its index in the whole history
}

TEST_CASE("linearizability: random short histories agree with the brute force", "[linearizability]") {
  std::mt19937 rng(20261127);
  int linearizable_count = 0, sequential_only = 0;
  for (int round = 0; round < 3000; ++round) {
    const int n = 1 + static_cast<int>(rng() % 6);
    std::vector<RegOp> h;
    std::uint64_t client_free[3] = {0, 0, 0};  // a client's operations follow one another (it may give up waiting)
    for (int i = 0; i < n; ++i) {
      const int client = static_cast<int>(rng() % 3);
      const std::uint64_t from = client_free[client] + rng() % 4, to = from + 1 + rng() % 6;
      client_free[client] = to + 1;
      const bool pending = rng() % 6 == 0;
      if (rng() % 2) h.push_back(write(client, 1 + static_cast<int>(rng() % 2), from, pending ? std::nullopt : std::optional(to)));
      else h.push_back(pending ? RegOp{client, {Reg::Kind::read, 0}, std::nullopt, from, std::nullopt}
                               : read(client, static_cast<int>(rng() % 3), from, to));
    }
    const bool lin = linearizable(h), seq = sequential(h);
    REQUIRE(lin == brute_force(Reg{}, h, Consistency::linearizable));
    REQUIRE(seq == brute_force(Reg{}, h, Consistency::sequential));
    if (lin) CHECK(seq);  // linearizable implies sequentially consistent
    linearizable_count += lin;
    sequential_only += seq && !lin;
  }
  // The generator must produce both answers often, or the comparison proves little.
  CHECK(linearizable_count > 500);
  CHECK(sequential_only > 100);
}
