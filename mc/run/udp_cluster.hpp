// A local cluster's transport for `faultline run`: per node one UDP socket on 127.0.0.1 and one event loop on its
// own thread, with timers on that loop's steady clock. It moves bytes; the runtime (runtime.hpp) gives them meaning.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

namespace mc::run {

class UdpCluster {
 public:
  /// What a node's loop calls: a datagram from node `from`, and a timer that fired (with the generation it was
  /// armed with, so a timer re-armed meanwhile is told apart).
  struct NodeHooks {
    std::function<void(std::size_t from, const std::uint8_t* data, std::size_t size)> receive;
    std::function<void(unsigned timer, std::uint64_t generation)> timeout;
  };

  /// Binds one socket per node to 127.0.0.1 on a port the system picks.
  explicit UdpCluster(std::size_t nodes);
  ~UdpCluster();
  UdpCluster(const UdpCluster&) = delete;
  UdpCluster& operator=(const UdpCluster&) = delete;

  std::size_t size() const;
  std::uint16_t port(std::size_t node) const;

  /// Sends one datagram from node `from`'s socket; call it on that node's loop.
  void send(std::size_t from, std::size_t to, const std::vector<std::uint8_t>& payload);
  /// Arms (or re-arms) timer `timer` of `node` to fire after `after`; call it on that node's loop.
  void arm(std::size_t node, unsigned timer, std::chrono::milliseconds after, std::uint64_t generation);
  void cancel(std::size_t node, unsigned timer);
  /// Runs `f` on `node`'s loop (from any thread).
  void post(std::size_t node, std::function<void()> f);

  /// Starts every node's loop, calls `controller(elapsed)` about every millisecond on the calling thread, and
  /// stops every loop once `duration` has passed, `stop` is set or `controller` returns false. Returns the time run.
  std::chrono::milliseconds run(std::vector<NodeHooks> hooks, std::chrono::milliseconds duration,
                                const std::function<bool(std::chrono::milliseconds)>& controller,
                                const std::atomic<bool>& stop);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mc::run
