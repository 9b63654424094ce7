// The liveness phase alone on a random graph the size of a shipped model's (default: two-phase-commit rms=3,
// 3.6 M states, 7.5 steps a state): record it as the explorer does, then time loading it and deciding a property.
// Usage: liveness_graph_bench [STATES [STEPS_PER_STATE [THREADS]]]
#include "mc/explore/liveness.hpp"

#include <oneapi/tbb/global_control.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>

int main(int argc, char** argv) {
  const std::size_t states = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 3'575'845;
  const std::size_t degree = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 8;
  const int threads = argc > 3 ? std::atoi(argv[3]) : 2;
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
  std::mt19937_64 rng(42);
  std::vector<mc::StateKey> keys(states);
  for (auto& k : keys) k = {rng(), 0};
  mc::LivenessRecorder recorder;
  mc::LivenessRecorder::Buffers worker[2];
  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  std::vector<std::uint64_t> classes;
  for (std::size_t s = 0; s < states; ++s) {
    auto& b = worker[s % 2];
    recorder.node(b, keys[s], rng() % 100 == 0 ? 1 : 0, s == 0 ? 0 : mc::LivenessGraph::not_initial);
    const std::size_t n = rng() % (2 * degree);  // 0 .. 2·degree − 1 steps, degree − 0.5 on average
    for (std::size_t j = 0; j < n; ++j) {
      classes.clear();
      if (rng() % 10 < 6) classes.push_back(mc::fairness_class(rng() % 2, rng() % 1000));
      // Mostly forward (a search's levels), some back: components of every size.
      const std::size_t t = rng() % 8 == 0 ? rng() % states : std::min(states - 1, s + 1 + rng() % 64);
      recorder.step(b, keys[s], keys[t], j, classes);
    }
  }
  for (auto& b : worker) recorder.flush(b);
  const auto t1 = Clock::now();
  const mc::LivenessGraph g = recorder.load({mc::FairnessKind::weak, mc::FairnessKind::weak});
  const auto t2 = Clock::now();
  const auto lasso = mc::find_lasso(g, mc::PropertyKind::eventually, 0, 1);
  const auto t3 = Clock::now();
  const auto s = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
  std::printf("states %zu steps %zu classes %zu  record %.2f s  load %.2f s  decide %.2f s  (%s)  %zu B/step\n",
              g.states(), g.steps(), g.class_code.size(), s(t0, t1), s(t1, t2), s(t2, t3),
              lasso ? "lasso" : "holds", recorder.step_bytes() / std::max<std::size_t>(1, g.steps()));
}
