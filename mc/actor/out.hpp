// What an actor's handler asks of the world: sends, broadcasts, timer sets and cancels, durable writes, log
// appends and fsyncs, records.
// The actor system applies these effects after the handler returns, as one atomic step.
#pragma once

#include "mc/actor/network.hpp"
#include "mc/core/bitset.hpp"
#include "mc/core/time.hpp"

#include <boost/container/small_vector.hpp>

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <vector>

namespace mc {

/// Timers are small enums; a node may have up to 32 kinds armed at once.
using TimerSet = BitSet<32>;

/// What a node's clocks read during one handler (actor systems with clocks only).
struct ClockReadings {
  Time monotonic, wall;
};

/// A timer set to fire after `after` ticks of the node's own monotonic clock.
struct TimedTimer {
  unsigned timer;
  int after;
};

/// The log record type of an actor that keeps no log.
struct NoLogRecord {
  bool operator==(const NoLogRecord&) const = default;
};

template <class Msg, class Durable, class Record, class LogRecord = NoLogRecord>
class Out {
 public:
  // Small-buffer: a handler's effects are collected on every step, so they must not allocate.
  using Sends = boost::container::small_vector<std::pair<NodeId, Msg>, 8>;
  using Records = boost::container::small_vector<Record, 2>;

  Out(NodeId self, std::size_t nodes, std::optional<ClockReadings> clocks = std::nullopt)
      : self_(self), nodes_(nodes), clocks_(clocks) {}

  NodeId self() const { return self_; }
  /// Number of nodes in the system; ids are 0..nodes()-1.
  std::size_t nodes() const { return nodes_; }

  void send(NodeId to, Msg m) { sends_.emplace_back(to, std::move(m)); }

  /// Sends `m` to every other node of the system — clients included; use `multicast` to reach only some.
  void broadcast(const Msg& m) {
    for (std::size_t n = 0; n < nodes_; ++n)
      if (n != self_) send(static_cast<NodeId>(n), m);
  }

  /// Sends `m` to each node of `to`, in that order (one message each; `self` is sent to as well if listed).
  template <class Nodes = std::initializer_list<NodeId>>
  void multicast(const Nodes& to, const Msg& m) {
    for (const auto n : to) send(static_cast<NodeId>(n), m);
  }

  template <class Timer>
  void set_timer(Timer t) {
    static_assert(std::is_enum_v<Timer>, "timers are enum values");
    const auto i = static_cast<unsigned>(t);
    set_.insert(i);
    cancel_.erase(i);
    forget_timed(i);
  }

  /// Sets a timer that fires once the node's own monotonic clock has advanced `after` ticks (so a drifting clock
  /// fires it early or late in true time). Needs an actor system with clocks.
  template <class Timer>
  void set_timer(Timer t, int after) {
    if (after < 0 || after > 100) throw std::invalid_argument("set_timer: `after` must be in 0..100 ticks");
    readings();  // only with clocks
    set_timer(t);
    timed_.push_back({static_cast<unsigned>(t), after});
  }

  /// The node's monotonic clock: never goes back, drifts within the system's bound. Never true time.
  Time monotonic() const { return readings().monotonic; }
  /// The node's wall clock: the monotonic clock plus any jumps (a budgeted fault) — it may go back.
  Time wall() const { return readings().wall; }

  template <class Timer>
  void cancel_timer(Timer t) {
    static_assert(std::is_enum_v<Timer>, "timers are enum values");
    const auto i = static_cast<unsigned>(t);
    cancel_.insert(i);
    set_.erase(i);
    forget_timed(i);
  }

  /// Writes the node's durable record: the only data that survives a crash (write-ahead, atomic with the step).
  void persist(Durable d) { durable_ = std::move(d); }

  /// Appends `r` to the node's log. It is pending — a crash may lose it, or tear it — until an fsync.
  void append(LogRecord r) {
    static_assert(!std::is_same_v<LogRecord, NoLogRecord>,
                  "declare `using LogRecord = …;` (a reflected struct) in the actor to give its node a log");
    appends_.push_back(std::move(r));
  }
  /// Forces every append so far (this handler's and earlier pending ones) to disk, before the step's other effects
  /// are seen: a reply sent in the same handler leaves after the data is durable.
  void fsync() {
    fsynced_ = true;
    synced_ = appends_.size();
  }

  /// Appends a client-visible event to the system history that properties read.
  void record(Record r) { records_.push_back(std::move(r)); }

  // The system reads the collected effects.
  Sends& sends() { return sends_; }
  const TimerSet& timers_set() const { return set_; }
  const TimerSet& timers_cancelled() const { return cancel_; }
  std::optional<Durable>& durable() { return durable_; }
  Records& records() { return records_; }
  const boost::container::small_vector<TimedTimer, 2>& timed() const { return timed_; }
  boost::container::small_vector<LogRecord, 2>& appends() { return appends_; }
  bool fsynced() const { return fsynced_; }
  /// How many of appends() came before the last fsync.
  std::size_t synced() const { return synced_; }

 private:
  const ClockReadings& readings() const {
    if (!clocks_) throw std::logic_error("this actor system has no clocks (call set_clocks on the model)");
    return *clocks_;
  }
  void forget_timed(unsigned i) {
    timed_.erase(std::remove_if(timed_.begin(), timed_.end(), [&](const TimedTimer& t) { return t.timer == i; }),
                 timed_.end());
  }

  NodeId self_;
  std::size_t nodes_;
  Sends sends_;
  TimerSet set_, cancel_;
  std::optional<Durable> durable_;
  Records records_;
  std::optional<ClockReadings> clocks_;
  boost::container::small_vector<TimedTimer, 2> timed_;
  boost::container::small_vector<LogRecord, 2> appends_;
  bool fsynced_ = false;
  std::size_t synced_ = 0;
};

}  // namespace mc
