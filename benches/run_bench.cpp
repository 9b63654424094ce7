// What `run` and `validate` sustain: two actors bouncing one message for ever (a two-state model, so the figure
// is the runtime's — datagrams, the log, following each event through the model — not the handlers').
// Usage: run_bench [MS_PER_ROUND] — five rounds, medians, the load average printed with each.
#include "mc/actor/actor_model.hpp"
#include "mc/run/runtime.hpp"
#include "mc/run/validate.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <vector>

namespace {
struct Ball {
  BOOST_HANA_DEFINE_STRUCT(Ball, (bool, odd));
  auto operator<=>(const Ball&) const = default;
};
struct Vocabulary {
  using Msg = Ball;
};
struct Player {
  struct State {
    BOOST_HANA_DEFINE_STRUCT(State, (bool, odd));
  };
  template <class Out>
  State on_start(mc::NodeId self, Out& out) const {
    if (self == 0) out.send(1, Ball{false});
    return {false};
  }
  template <class Out>
  void on_message(mc::NodeId, State& s, mc::NodeId from, const Ball& b, Out& out) const {
    s.odd = !b.odd;
    out.send(from, Ball{s.odd});
  }
};

double load() {
  double l = 0;
  if (std::FILE* f = std::fopen("/proc/loadavg", "r")) {
    if (std::fscanf(f, "%lf", &l) != 1) l = 0;
    std::fclose(f);
  }
  return l;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}
}  // namespace

int main(int argc, char** argv) {
  const int ms = argc > 1 ? std::atoi(argv[1]) : 3000;
  mc::ActorModel<Vocabulary, Player> model(mc::NetworkKind::unordered, {});
  model.add(Player{});
  model.add(Player{});
  const std::string path = "run_bench.jsonl";
  std::vector<double> run_rate, validate_rate, read_rate;
  for (int round = 0; round < 5; ++round) {
    mc::run::RunOptions o;
    o.duration = std::chrono::milliseconds(ms);
    o.max_events = 100000000;
    const auto r = mc::run::run_actors(model, o);
    std::ofstream(path) << r.log;
    const auto t0 = std::chrono::steady_clock::now();
    const auto log = mc::run::read_event_log(path, 2, {"Ball"});
    const double read_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const auto v = mc::run::validate_log(model, log);
    if (v.status != mc::run::Validation::Status::behaviour) return std::puts("the run's log did not validate"), 1;
    run_rate.push_back(static_cast<double>(r.events) / r.seconds);
    read_rate.push_back(static_cast<double>(v.events) / read_s);
    validate_rate.push_back(static_cast<double>(v.events) / v.seconds);
    std::printf("round %d: run %zu events in %.2f s (%.0f/s); reading %.2f s (%.0f/s); following %.2f s (%.0f/s); "
                "load %.2f\n", round + 1, r.events, r.seconds, run_rate.back(), read_s, read_rate.back(), v.seconds,
                validate_rate.back(), load());
  }
  std::printf("median: run %.0f events/s, validate: reading %.0f events/s, following %.0f events/s\n",
              median(run_rate), median(read_rate), median(validate_rate));
  std::remove(path.c_str());
}
