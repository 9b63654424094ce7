// Options, limits and statistics of an exploration, shared by every explorer and by the reports.
// Counting follows TLC: distinct = states stored, generated = initial + every successor emitted, depth = BFS levels.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace mc {

struct Cluster;

/// A check asked for in a way the explorer cannot answer soundly (e.g. liveness under a state constraint): refused
/// with what to do instead; programs print it as one error line.
class UnsupportedCheck : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// A snapshot for progress lines, produced about once a second during a run.
struct Progress {
  std::uint64_t depth = 0;
  std::uint64_t distinct = 0;
  std::uint64_t generated = 0;
  std::uint64_t queue = 0;
  double seconds = 0;
  double states_per_second = 0;
};

struct ExploreOptions {
  unsigned threads = 0;              ///< 0: every core
  std::uint64_t max_depth = 0;       ///< 0: unbounded; states at this level are stored and checked, not expanded
  std::uint64_t max_states = 0;      ///< 0: unbounded; stop once this many distinct states are stored
  double time_limit = 0;             ///< seconds; 0: unbounded
  std::uint64_t memory_limit = 0;    ///< bytes of visited table + frontier; 0: unbounded
  bool exact = false;                ///< store full canonical states instead of 64-bit fingerprints
  /// Fingerprint mode: 64, or 128 for runs past about 10^9 states, where 64-bit collisions become likely.
  unsigned fingerprint_bits = 64;
  bool check_deadlock = false;       ///< a reachable state without successors is a violation
  bool symmetry = false;             ///< store one canonical state per orbit (the model must be a SymmetricModel)
  /// Check only the properties named here (empty: all of them); the others are not evaluated at all.
  std::vector<std::string> only_properties;
  /// Keep searching after an invariant (or deadlock) is violated, so that every property gets its own verdict and
  /// its own shortest trace; without it the search stops at the end of the level of the first violation.
  bool keep_going = false;
  /// Count the successors generated per kind of step (mc/explore/coverage.hpp) into Stats::coverage.
  bool coverage = false;
  /// Fingerprint mode: a folder for checkpoints, taken between levels every `checkpoint_interval` seconds (0: every
  /// level), when the run is stopped early, and at its end. `resume` continues from the checkpoint found there.
  std::string checkpoint_dir;
  double checkpoint_interval = 60;
  bool resume = false;
  std::string configuration;         ///< names what is checked; a checkpoint only resumes the same configuration
  std::function<void(const Progress&)> on_progress;  ///< called from one worker at a time
  /// Called once the search has really begun (initial states stored, or a checkpoint restored and found whole):
  /// a program prints its header here, so a refused resume prints nothing but its error.
  std::function<void()> on_search_start;
  const std::atomic<bool>* stop = nullptr;           ///< set by the caller (e.g. on SIGINT) to end the run early
  /// Several processes share the search (under MPI); null or one rank: this process alone. Fingerprint mode only.
  const Cluster* cluster = nullptr;
};

enum class RunStatus {
  ok,          ///< search complete, every property holds
  violation,   ///< a property failed (an invariant, a deadlock, or an unreachable goal)
  incomplete,  ///< a limit or a stop request ended the search first
};

inline std::string_view to_string_view(RunStatus s) {
  switch (s) {
    case RunStatus::ok: return "ok";
    case RunStatus::violation: return "violation";
    case RunStatus::incomplete: return "incomplete";
  }
  return "?";
}

/// One process's share of a distributed run.
struct RankStats {
  std::uint64_t distinct = 0;     ///< states this rank stores
  std::uint64_t generated = 0;    ///< successors its threads produced
  std::uint64_t peak_memory = 0;  ///< bytes, its peak resident set
};

struct Stats {
  std::uint64_t distinct = 0;
  std::uint64_t generated = 0;
  std::uint64_t depth = 0;
  double seconds = 0;
  unsigned threads = 1;
  std::uint64_t peak_memory = 0;            ///< bytes, peak resident set of the process
  std::uint64_t store_bytes = 0;            ///< bytes held by the visited store at the end
  std::uint64_t parent_log_bytes = 0;       ///< fingerprint mode: parent links written to the temporary log
  double collision_probability = 0;         ///< fingerprint mode: TLC's optimistic estimate; 0 in exact mode
  unsigned fingerprint_bits = 64;           ///< fingerprint mode: 64 or 128
  bool symmetry = false;                    ///< counts are of orbits under the model's symmetry
  std::uint64_t resumed_from_level = 0;     ///< the checkpoint's level this run continued from; 0: started afresh
  std::uint64_t checkpoint_level = 0;       ///< the level of the last checkpoint written; 0: none
  bool complete = false;
  std::string stop_reason;                  ///< why an incomplete run ended
  std::string checkpoint_error;             ///< a checkpoint that could not be written (the search may be whole)
  std::vector<RankStats> ranks;             ///< distributed runs: per rank (peak_memory above is the largest)
  /// With ExploreOptions::coverage: successors generated per kind of step, and the kinds never taken (warnings).
  std::map<std::string, std::uint64_t> coverage;
  std::vector<std::string> coverage_gaps;
  bool coverage_measured = false;
  /// With liveness properties: whether they were decided (the search was complete), the seconds that took after
  /// the search, the bytes of state and step records written to disk for it, and the steps of its graph (those
  /// that change the state).
  bool liveness_checked = false;
  double liveness_seconds = 0;
  std::uint64_t liveness_state_bytes = 0, liveness_step_bytes = 0;
  std::uint64_t liveness_steps = 0;
};

/// Distributed runs: the busiest rank's share of the states over the mean share (1: perfectly even).
inline double load_imbalance(const Stats& s) {
  if (s.ranks.empty() || s.distinct == 0) return 1;
  std::uint64_t most = 0;
  for (const auto& r : s.ranks) most = std::max(most, r.distinct);
  return static_cast<double>(most) * static_cast<double>(s.ranks.size()) / static_cast<double>(s.distinct);
}

}  // namespace mc
