// `faultline run`: the checked actors run for real as a local cluster — each node on its own thread and event loop,
// messages as UDP datagrams on 127.0.0.1, timers on the loop's clock, durable records and logs in files (fsynced,
// read back on restart) — with faults from a seeded schedule, every event logged and followed through the model.
#pragma once

#include "mc/actor/network.hpp"
#include "mc/actor/out.hpp"
#include "mc/core/encode.hpp"
#include "mc/core/json.hpp"
#include "mc/core/splitmix.hpp"
#include "mc/run/fault_schedule.hpp"
#include "mc/run/monitor.hpp"
#include "mc/run/udp_cluster.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

namespace mc::run {

struct RunOptions {
  std::chrono::milliseconds duration{5000};
  std::chrono::milliseconds tick{20};  ///< a timer fires 1 to 3 ticks after it is set
  std::uint64_t seed = 1;
  std::size_t max_events = 1000000;    ///< the run stops after this many events
  nlohmann::json header = nlohmann::json::object();  ///< what the log's first line says about the run
  const std::atomic<bool>* stop = nullptr;
};

template <class M>
struct RunOutcome {
  std::string log;  ///< the event log, JSON lines, its header first
  std::size_t events = 0, steps = 0;
  double seconds = 0;
  std::vector<std::string> schedule;           ///< the faults drawn from the seed
  std::map<std::string, unsigned> injected;    ///< the faults that happened, by kind
  std::string stop_reason;                     ///< "duration", "property violated", "event limit", "interrupted"
  std::optional<std::string> violated;         ///< an `always` property the run broke
  std::string explanation;
  TraceOf<M> trace;                            ///< violated: the model's steps to the failing state
  std::optional<std::string> left_model;       ///< the run did what the model cannot (a bug of the runtime)
};

namespace detail {

/// Writes `bytes` to `path` through a temporary, fsynced and renamed: a crash leaves the old record or the new one.
inline void write_durably(const std::filesystem::path& path, const Bytes& bytes) {
  const std::string tmp = path.string() + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) throw std::runtime_error("run: cannot write " + tmp);
  const bool ok = ::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) throw std::runtime_error("run: cannot write " + path.string());
}

inline Bytes read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

/// A folder for the nodes' files, removed when the run ends.
struct ScratchFolder {
  std::filesystem::path path;
  ScratchFolder() {
    std::string pattern = (std::filesystem::temp_directory_path() / "faultline-run-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("run: cannot create a folder for the nodes' files");
    path = pattern;
  }
  ~ScratchFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
};

template <class M>
class LocalCluster {
 public:
  using State = typename M::State;
  using Msg = typename M::Msg;
  using Env = Envelope<Msg>;
  using Action = typename M::Action;

  LocalCluster(const M& model, const RunOptions& o)
      : model_(model), local_model_(model), o_(o),
        schedule_(draw_schedule(model.budget(), model.size(), o.duration, o.seed)), net_(model.size()),
        monitor_(model), nodes_(model.size()) {
    // A node's own copy of the model applies its handlers' effects to the node's state only: the shared view of
    // the network (which messages a full link, a partition or an ignoring destination took) is the monitor's.
    local_model_.set_drop_ignored(false);
    local_model_.set_link_capacity(0);
  }

  RunOutcome<M> run() {
    RunOutcome<M> out;
    out.schedule = schedule_.describe();
    nlohmann::json header = o_.header;
    header["format"] = event_log_format;
    header["version"] = 1;
    header["nodes"] = model_.size();
    header["seed"] = o_.seed;
    header["tick_ms"] = o_.tick.count();
    header["ports"] = nlohmann::json::array();
    for (std::size_t n = 0; n < model_.size(); ++n) header["ports"].push_back(net_.port(n));
    header["schedule"] = out.schedule;
    log_ = header.dump() + "\n";
    std::vector<State> initial;
    model_.init([&](const State& s) { initial.push_back(s); });
    {
      std::lock_guard lock(mu_);
      for (std::size_t n = 0; n < nodes_.size(); ++n) {
        nodes_[n].rng = SplitMix64{o_.seed * golden_gamma + n + 1};
        nodes_[n].local = initial.front();
        nodes_[n].local.nodes[n].timers = {};  // armed by this node's own start, below
        step(n, {{"kind", "start"}}, [&](State& s, nlohmann::json&) { local_model_.start_node(s, id(n), false); });
        write_durably(file(n, "durable"), encode(nodes_[n].local.nodes[n].durable));
      }
    }
    std::vector<UdpCluster::NodeHooks> hooks;
    for (std::size_t n = 0; n < nodes_.size(); ++n) {
      hooks.push_back({[this, n](std::size_t from, const std::uint8_t* data, std::size_t size) {
                         guarded([&] { receive(n, from, data, size); });
                       },
                       [this, n](unsigned timer, std::uint64_t generation) {
                         guarded([&] { timeout(n, timer, generation); });
                       }});
    }
    const std::atomic<bool> never{false};
    const auto ran = net_.run(std::move(hooks), o_.duration, [this](std::chrono::milliseconds t) { return control(t); },
                              o_.stop ? *o_.stop : never);
    std::lock_guard lock(mu_);
    out.seconds = static_cast<double>(ran.count()) / 1000;
    out.log = std::move(log_);
    out.events = seq_;
    out.steps = monitor_.steps();
    out.injected = injected_;
    out.left_model = left_model_;
    out.violated = monitor_.violated();
    out.explanation = monitor_.explanation();
    if (out.violated) out.trace = monitor_.trace();
    out.stop_reason = left_model_ ? "left the model"
                      : out.violated ? "property violated"
                      : seq_ >= o_.max_events ? "event limit"
                      : (o_.stop && o_.stop->load()) ? "interrupted"
                                                     : "duration";
    return out;
  }

 private:
  struct NodeRun {
    State local;            ///< the model's state as this node alone keeps it: only nodes[self] is its own
    bool crashed = false;
    std::deque<Env> waiting;  ///< received, not deliverable yet (the node is down, or does not take it now)
    std::uint64_t node_seq = 0, sends = 0;
    SplitMix64 rng{0};  ///< draws this node's timer delays
    std::array<std::uint64_t, 32> generation{};
  };

  /// A failure on a node's loop (a file that cannot be written) ends the run with its reason, not the process.
  template <class F>
  void guarded(F&& f) {
    try {
      f();
    } catch (const std::exception& e) {
      std::lock_guard lock(mu_);
      if (!left_model_) left_model_ = std::string("the runtime failed: ") + e.what();
    }
  }

  static NodeId id(std::size_t n) { return static_cast<NodeId>(n); }

  /// Logs `ev` and follows it through the model (under mu_). False once the run is over.
  /// A step's own sends and their faults are `continuing`: logged even after the step broke a property, so the
  /// log ends with whole steps.
  bool emit(nlohmann::json ev, std::optional<std::size_t> node, bool continuing = false) {
    if (left_model_ || (!continuing && halted())) return false;
    ev["seq"] = seq_++;
    if (node) ev["node"] = *node, ev["node_seq"] = nodes_[*node].node_seq++;
    log_ += ev.dump();
    log_ += '\n';
    if (const Verdict v = monitor_.take(ev); !v.ok) {
      left_model_ = fmt::format("event {} ({}): {}", seq_ - 1, describe_event(ev), v.reason);
      return false;
    }
    return !left_model_;  // a step that broke a property still logs its sends; no step starts after it
  }

  bool halted() const { return left_model_ || monitor_.violated() || seq_ >= o_.max_events; }

  /// Whether the model (the monitor's state) can take a step that `ev` names.
  bool possible(const nlohmann::json& ev) const {
    return monitor_.can_step([&](const Action& a) { return names_step(a, ev); });
  }

  bool in_flight(const Env& e) const {
    const auto& net = monitor_.state().network;
    if (net.bag.count(e)) return true;
    for (const auto& [link, q] : net.links)
      if (link.first == e.src && link.second == e.dst && std::find(q.begin(), q.end(), e.msg) != q.end()) return true;
    return false;
  }

  static nlohmann::json message_event(const char* kind, const Env& e) {
    return {{"kind", kind}, {"src", e.src}, {"dst", e.dst}, {"message", describe_message(e.msg)}};
  }

  /// One step of node n (under mu_): `apply` runs its handler on the node's own state; the event, its sends and
  /// their faults are logged, the sends go out as datagrams, timers are armed and durable data written.
  template <class Apply>
  void step(std::size_t n, nlohmann::json ev, Apply&& apply, std::optional<unsigned> fired = std::nullopt) {
    NodeRun& node = nodes_[n];
    auto& self = node.local.nodes[n];
    node.local.network = {};
    TimerSet before = self.timers;
    if (fired) before.erase(*fired);
    const Bytes durable_before = encode(self.durable);
    apply(node.local, ev);
    if (!node.crashed) ev["state"] = to_json(self.state);
    if (!emit(std::move(ev), n)) return;
    std::vector<Env> sends(node.local.network.bag.begin(), node.local.network.bag.end());
    for (const auto& [link, q] : node.local.network.links)
      for (const auto& m : q) sends.push_back({link.first, link.second, m});
    node.local.network = {};
    for (const Env& e : sends) {
      const std::uint64_t k = node.sends++;
      if (!emit(message_event("send", e), n, true)) return;
      const Bytes payload = encode(e.msg);
      if (schedule_.loses(n, k) && possible(message_event("drop", e))) {
        ++injected_["loss"];
        if (!emit(message_event("drop", e), n, true)) return;
        continue;  // never on the wire
      }
      net_.send(n, e.dst, payload);
      if (schedule_.duplicates_send(n, k) && possible(message_event("duplicate", e))) {
        ++injected_["dup"];
        if (!emit(message_event("duplicate", e), n, true)) return;
        net_.send(n, e.dst, payload);
      }
    }
    for (unsigned t = 0; t < 32; ++t) {
      if (self.timers.contains(t) && !before.contains(t)) {
        const auto after = o_.tick * static_cast<int>(1 + node.rng.below(3));
        net_.arm(n, t, std::chrono::duration_cast<std::chrono::milliseconds>(after), ++node.generation[t]);
      } else if (!self.timers.contains(t) && before.contains(t)) {
        ++node.generation[t];
        net_.cancel(n, t);
      }
    }
    if (encode(self.durable) != durable_before) write_durably(file(n, "durable"), encode(self.durable));
    if constexpr (M::keeps_logs) write_durably(file(n, "log"), encode(self.log));
  }

  std::filesystem::path file(std::size_t n, const char* what) const {
    return folder_.path / fmt::format("n{}.{}", n, what);
  }

  void receive(std::size_t n, std::size_t from, const std::uint8_t* data, std::size_t size) {
    Msg msg;
    try {
      msg = decode<Msg>(data, size);
    } catch (const std::exception&) {
      return;  // not one of ours
    }
    std::lock_guard lock(mu_);
    nodes_[n].waiting.push_back(Env{id(from), id(n), std::move(msg)});
    drain(n);
  }

  /// Delivers what node n has waiting and can take, in arrival order; drops what the model no longer has in flight.
  void drain(std::size_t n) {
    NodeRun& node = nodes_[n];
    for (bool progress = true; progress && !node.crashed && !halted();) {
      progress = false;
      for (auto it = node.waiting.begin(); it != node.waiting.end(); ++it) {
        if (!in_flight(*it)) {  // a full link, a partition or a stale message: the model took it already
          node.waiting.erase(it);
          progress = true;
          break;
        }
        const nlohmann::json ev = message_event("deliver", *it);
        if (!possible(ev)) continue;  // the node does not take it in this state: it waits
        const Env e = *it;
        node.waiting.erase(it);
        step(n, ev, [&](State& s, nlohmann::json&) { local_model_.deliver_to(s, e); });
        progress = true;
        break;
      }
    }
  }

  void timeout(std::size_t n, unsigned timer, std::uint64_t generation) {
    std::lock_guard lock(mu_);
    NodeRun& node = nodes_[n];
    if (node.crashed || generation != node.generation[timer] || !node.local.nodes[n].timers.contains(timer)) return;
    step(n, {{"kind", "timeout"}},
         [&](State& s, nlohmann::json& ev) { ev["timer"] = std::string(local_model_.fire_timeout(s, id(n), timer)); },
         timer);
    drain(n);
  }

  void crash(std::size_t n) {
    std::lock_guard lock(mu_);
    NodeRun& node = nodes_[n];
    nlohmann::json ev{{"kind", "crash"}, {"node", n}};
    if (node.crashed || halted()) return;
    if (const std::size_t unsynced = local_model_.unsynced_appends(node.local, id(n))) {
      ev["unsynced"] = unsynced, ev["kept"] = nlohmann::json::array(), ev["torn"] = false;
      for (std::size_t i = 0; i < unsynced; ++i) ev["kept"].push_back(i);
    }
    if (!possible(ev)) return;  // not within the budget the model counts
    ++injected_["crash"];
    node.crashed = true;
    ev.erase("node");
    step(n, ev, [&](State& s, nlohmann::json&) { local_model_.crash_node(s, id(n)); });
    for (unsigned t = 0; t < 32; ++t) ++node.generation[t], net_.cancel(n, t);
    // Volatile state is gone; what the node restarts from is read back from its files.
    node.local.nodes[n].durable = {};
    if constexpr (M::keeps_logs) node.local.nodes[n].log = {};
  }

  void restart(std::size_t n) {
    std::lock_guard lock(mu_);
    NodeRun& node = nodes_[n];
    if (!node.crashed || halted() || !possible({{"kind", "restart"}, {"node", n}})) return;
    ++injected_["restart"];
    auto& self = node.local.nodes[n];
    const Bytes durable = read_file(file(n, "durable"));
    self.durable = decode<std::decay_t<decltype(self.durable)>>(durable.data(), durable.size());
    if constexpr (M::keeps_logs) {
      const Bytes log = read_file(file(n, "log"));
      self.log = decode<std::decay_t<decltype(self.log)>>(log.data(), log.size());
    }
    node.crashed = false;
    step(n, {{"kind", "restart"}}, [&](State& s, nlohmann::json&) { local_model_.start_node(s, id(n), true); });
    drain(n);
  }

  /// The controller's tick (main thread): node faults are posted to the node's loop; partitions are global.
  bool control(std::chrono::milliseconds t) {
    for (std::size_t i = 0; i < schedule_.crashes.size(); ++i)
      if (!crash_done_[i] && t >= schedule_.crashes[i].at)
        crash_done_[i] = true, net_.post(schedule_.crashes[i].node, [this, n = schedule_.crashes[i].node] { guarded([&] { crash(n); }); });
    for (std::size_t i = 0; i < schedule_.restarts.size(); ++i)
      if (!restart_done_[i] && t >= schedule_.restarts[i].at)
        restart_done_[i] = true,
        net_.post(schedule_.restarts[i].node, [this, n = schedule_.restarts[i].node] { guarded([&] { restart(n); }); });
    for (std::size_t i = 0; i < schedule_.partitions.size(); ++i) {
      const auto& p = schedule_.partitions[i];
      if (split_[i] == 0 && t >= p.at) {
        split_[i] = 1;
        nlohmann::json other = nlohmann::json::array();
        for (std::size_t n = 0; n < nodes_.size(); ++n)
          if (std::find(p.side.begin(), p.side.end(), n) == p.side.end()) other.push_back(n);
        nlohmann::json ev{{"kind", "partition"}, {"sides", {p.side, other}}};
        std::lock_guard lock(mu_);
        if (possible(ev)) ++injected_["partition"], emit(ev, std::nullopt), split_[i] = 2;
      }
      if (split_[i] == 2 && t >= p.heal_at) {
        split_[i] = 3;
        std::lock_guard lock(mu_);
        if (possible({{"kind", "heal"}})) emit({{"kind", "heal"}}, std::nullopt);
        for (std::size_t n = 0; n < nodes_.size(); ++n) net_.post(n, [this, n] { guarded([&] { std::lock_guard l(mu_); drain(n); }); });
      }
    }
    std::lock_guard lock(mu_);
    return !halted();
  }

  const M& model_;
  M local_model_;
  RunOptions o_;
  FaultSchedule schedule_;
  ScratchFolder folder_;
  UdpCluster net_;
  std::mutex mu_;  ///< one step at a time, so the log's order is the order things happened
  Monitor<M> monitor_;
  std::vector<NodeRun> nodes_;
  std::string log_;
  std::uint64_t seq_ = 0;
  std::map<std::string, unsigned> injected_;
  std::optional<std::string> left_model_;
  std::vector<bool> crash_done_ = std::vector<bool>(schedule_.crashes.size(), false),
                    restart_done_ = std::vector<bool>(schedule_.restarts.size(), false);
  std::vector<int> split_ = std::vector<int>(schedule_.partitions.size(), 0);  ///< 0 due, 1 skipped, 2 on, 3 healed
};

}  // namespace detail

/// Runs `model`'s actors as a local cluster for `o.duration` (an actor system without clocks).
template <class M>
RunOutcome<M> run_actors(const M& model, const RunOptions& o) {
  detail::LocalCluster<M> cluster(model, o);
  return cluster.run();
}

}  // namespace mc::run
