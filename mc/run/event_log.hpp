// The event log of a run (JSON lines, documented in README "Event logs"): what each node did — deliveries,
// timeouts, sends, faults — with per-node sequence numbers and, when one process ran the cluster, a global order.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace mc::run {

/// A malformed log: the message names the file and line ("run.jsonl:12: ...").
class EventLogError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

inline constexpr std::string_view event_log_format = "faultline-events";

struct EventLog {
  std::optional<nlohmann::json> header;  ///< the first line when it is {"format": "faultline-events", ...}
  std::vector<nlohmann::json> events;    ///< in file order
  std::vector<std::size_t> lines;        ///< each event's line number (1-based)
  bool global_order = false;             ///< every event carries "seq" (then `events` is sorted by it)
};

/// Reads and checks a log: each line one JSON object with a known "kind", node numbers below `nodes`, message
/// names among `message_types` (empty: not checked). Throws EventLogError.
EventLog read_event_log(const std::string& path, std::size_t nodes, const std::vector<std::string>& message_types);

/// One line a person reads: "deliver Reply(key=0) n1→n0", "timeout n0 retry", "crash n1".
std::string describe_event(const nlohmann::json& ev);

}  // namespace mc::run
