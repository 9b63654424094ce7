// Which faults a run injects and when, drawn from a seed within the fault budget: the same seed gives the same
// schedule (a node's k-th send lost or duplicated, a crash and restart at given times, a partition and its heal).
#pragma once

#include "mc/actor/fault_budget.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace mc::run {

struct FaultSchedule {
  struct SendFault {
    std::size_t node, send;  ///< the node's send number `send` (0: its first)
  };
  struct NodeFault {
    std::size_t node;
    std::chrono::milliseconds at;
  };
  struct Split {
    std::vector<std::size_t> side;  ///< the nodes on the first side (node 0 among them)
    std::chrono::milliseconds at, heal_at;
  };
  std::vector<SendFault> losses, duplicates;
  std::vector<NodeFault> crashes, restarts;
  std::vector<Split> partitions;

  bool loses(std::size_t node, std::size_t send) const;
  bool duplicates_send(std::size_t node, std::size_t send) const;
  /// One line per fault, e.g. "n1's send 3 lost", "crash n1 at 1.20 s".
  std::vector<std::string> describe() const;
};

/// Draws a schedule for `nodes` nodes running `duration` under `budget` (torn writes and clock jumps are not
/// injected). Sends faulted are among each node's first `sends_window`; node faults fall within the duration.
FaultSchedule draw_schedule(const FaultBudget& budget, std::size_t nodes, std::chrono::milliseconds duration,
                            std::uint64_t seed, std::size_t sends_window = 12);

}  // namespace mc::run
