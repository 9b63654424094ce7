// What an actor's handler asks of the world: sends, broadcasts, timer sets and cancels, durable writes, records.
// The actor system applies these effects after the handler returns, as one atomic step.
#pragma once

#include "mc/actor/network.hpp"
#include "mc/core/bitset.hpp"

#include <boost/container/small_vector.hpp>

#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

namespace mc {

/// Timers are small enums; a node may have up to 32 kinds armed at once.
using TimerSet = BitSet<32>;

template <class Msg, class Durable, class Record>
class Out {
 public:
  // Small-buffer: a handler's effects are collected on every step, so they must not allocate.
  using Sends = boost::container::small_vector<std::pair<NodeId, Msg>, 8>;
  using Records = boost::container::small_vector<Record, 2>;

  Out(NodeId self, std::size_t nodes) : self_(self), nodes_(nodes) {}

  NodeId self() const { return self_; }
  /// Number of nodes in the system; ids are 0..nodes()-1.
  std::size_t nodes() const { return nodes_; }

  void send(NodeId to, Msg m) { sends_.emplace_back(to, std::move(m)); }

  /// Sends `m` to every other node.
  void broadcast(const Msg& m) {
    for (std::size_t n = 0; n < nodes_; ++n)
      if (n != self_) send(static_cast<NodeId>(n), m);
  }

  template <class Timer>
  void set_timer(Timer t) {
    static_assert(std::is_enum_v<Timer>, "timers are enum values");
    const auto i = static_cast<unsigned>(t);
    set_.insert(i);
    cancel_.erase(i);
  }

  template <class Timer>
  void cancel_timer(Timer t) {
    static_assert(std::is_enum_v<Timer>, "timers are enum values");
    const auto i = static_cast<unsigned>(t);
    cancel_.insert(i);
    set_.erase(i);
  }

  /// Writes the node's durable record: the only data that survives a crash (write-ahead, atomic with the step).
  void persist(Durable d) { durable_ = std::move(d); }

  /// Appends a client-visible event to the system history that properties read.
  void record(Record r) { records_.push_back(std::move(r)); }

  // The system reads the collected effects.
  Sends& sends() { return sends_; }
  const TimerSet& timers_set() const { return set_; }
  const TimerSet& timers_cancelled() const { return cancel_; }
  std::optional<Durable>& durable() { return durable_; }
  Records& records() { return records_; }

 private:
  NodeId self_;
  std::size_t nodes_;
  Sends sends_;
  TimerSet set_, cancel_;
  std::optional<Durable> durable_;
  Records records_;
};

}  // namespace mc
