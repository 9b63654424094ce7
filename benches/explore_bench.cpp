// Explorer throughput on Lamport's TwoPhase: states/s, transitions/s, speed-up per thread count, bytes/state.
// Usage: explore_bench [RMS=7] [THREADS=1,2] [--exact|--natural]   (figures, not pass/fail: see benches/README.md)
// --natural runs the same model written with boost::container::static_vector instead of mc::PackedVector.
#include "benches/two_phase_natural.hpp"
#include "mc/check.hpp"
#include "protocols/two_phase.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

template <class Model>
int run(const Model& model, const char* variant, bool exact, const std::vector<unsigned>& threads) {
  fmt::print("two-phase rms={} ({} state, {} mode)\n", model.rms, variant, exact ? "exact" : "fingerprint");
  fmt::print("{:>7} {:>10} {:>12} {:>8} {:>12} {:>14} {:>8} {:>11} {:>10}\n", "threads", "distinct", "generated",
             "seconds", "states/s", "transitions/s", "speedup", "bytes/state", "peak MiB");
  double base = 0;
  for (unsigned t : threads) {
    mc::ExploreOptions o;
    o.threads = t;
    o.exact = exact;
    const auto r = mc::check(model, o);
    const auto& s = r.stats;
    if (base == 0) base = s.seconds;
    fmt::print("{:>7} {:>10} {:>12} {:>8.3f} {:>12.0f} {:>14.0f} {:>7.2f}x {:>11.1f} {:>10.1f}\n", t, s.distinct,
               s.generated, s.seconds, static_cast<double>(s.distinct) / s.seconds,
               static_cast<double>(s.generated) / s.seconds, base / s.seconds,
               static_cast<double>(s.store_bytes) / static_cast<double>(s.distinct),
               static_cast<double>(s.peak_memory) / (1 << 20));
  }
  return 0;
}

int main(int argc, char** argv) {
  const unsigned rms = argc > 1 ? static_cast<unsigned>(std::atoi(argv[1])) : 7;
  std::vector<unsigned> threads{1, 2};
  if (argc > 2) {
    threads.clear();
    std::stringstream list(argv[2]);
    for (std::string t; std::getline(list, t, ',');) threads.push_back(static_cast<unsigned>(std::atoi(t.c_str())));
  }
  const std::string flag = argc > 3 ? argv[3] : "";
  if (flag == "--natural") return run(protocols::TwoPhaseNatural(rms), "natural", false, threads);
  return run(protocols::TwoPhase(rms), "tuned", flag == "--exact", threads);
}
