// Benchmark of the linearizability checker on long key-value histories: OPS operations by CLIENTS concurrent
// clients over KEYS keys, produced by simulating a linearizable store (each operation takes effect at a random
// instant inside its interval), some replies lost. Reports time and peak memory; also times a non-linearizable
// variant (one read made stale) to show how quickly a violation is found.
// Usage: linearizability_bench [OPS=1000] [KEYS=10] [CLIENTS=8] [SEED=1]
#include "mc/explore/memory.hpp"
#include "properties/linearizability.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <map>
#include <random>
#include <vector>

namespace {

using Kv = properties::KeyValueSpec;
using Op = properties::Operation<Kv::Input, int>;

/// Each client runs operations one after another; every operation takes effect at a random instant of its interval.
std::vector<Op> simulate(int ops, int keys, int clients, unsigned seed) {
  std::mt19937 rng(seed);
  struct Pending {
    std::uint64_t at;
    std::size_t op;
  };
  std::vector<Op> history;
  std::vector<std::uint64_t> client_free(static_cast<std::size_t>(clients), 0);
  std::vector<Pending> effects;
  for (int i = 0; i < ops; ++i) {
    const auto c = static_cast<std::size_t>(rng() % static_cast<unsigned>(clients));
    const std::uint64_t start = client_free[c] + rng() % 5, length = 1 + rng() % 20;
    Op op;
    op.client = static_cast<int>(c);
    op.input.key = static_cast<int>(rng() % static_cast<unsigned>(keys));
    op.input.op = rng() % 2 ? properties::RegisterSpec::Input{properties::RegisterSpec::Kind::write, 1 + static_cast<int>(rng() % 100)}
                            : properties::RegisterSpec::Input{properties::RegisterSpec::Kind::read, 0};
    op.invoked = start;
    op.returned = start + length;
    client_free[c] = start + length + 1;
    effects.push_back({start + rng() % length, history.size()});
    history.push_back(op);
  }
  // Apply the effects in time order to compute every output; lose 2% of the replies.
  std::sort(effects.begin(), effects.end(), [](const Pending& a, const Pending& b) { return a.at < b.at; });
  std::map<int, int> store;
  for (const auto& e : effects) {
    Op& op = history[e.op];
    if (op.input.op.kind == properties::RegisterSpec::Kind::write) {
      store[op.input.key] = op.input.op.value;
      op.output = 0;
    } else {
      op.output = store[op.input.key];
    }
    if (rng() % 50 == 0) op.output.reset(), op.returned.reset();
  }
  return history;
}

double time_check(const std::vector<Op>& h, bool& ok) {
  const auto start = std::chrono::steady_clock::now();
  ok = properties::check_by_key(Kv{}, h).ok;
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  const int ops = argc > 1 ? std::atoi(argv[1]) : 1000, keys = argc > 2 ? std::atoi(argv[2]) : 10;
  const int clients = argc > 3 ? std::atoi(argv[3]) : 8;
  const unsigned seed = argc > 4 ? static_cast<unsigned>(std::atoi(argv[4])) : 1;
  if (ops < 1 || keys < 1 || clients < 1) {
    fmt::print(stderr, "usage: linearizability_bench [OPS>=1] [KEYS>=1] [CLIENTS>=1] [SEED]\n");
    return 2;
  }
  auto h = simulate(ops, keys, clients, seed);
  bool ok = false;
  const double t = time_check(h, ok);
  fmt::print("{} operations, {} keys, {} clients: {} in {:.3f} s, peak memory {:.1f} MiB\n", ops, keys, clients,
             ok ? "linearizable" : "NOT linearizable (bug in the simulator or the checker)", t,
             static_cast<double>(mc::peak_resident_bytes()) / (1 << 20));
  // Make the last determinate read of some key stale: it returns a value that key never held.
  for (auto it = h.rbegin(); it != h.rend(); ++it)
    if (it->input.op.kind == properties::RegisterSpec::Kind::read && it->output) {
      *it->output = -1;
      break;
    }
  const double bad = time_check(h, ok);
  fmt::print("with one stale read: {} in {:.3f} s\n", ok ? "linearizable (unexpected)" : "violation found", bad);
  return 0;
}
