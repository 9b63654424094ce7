// `run` (the actors as a local cluster, with an event log) and `validate` (a log against the model): the commands
// beside check and simulate that connect a design to running code.
#pragma once

#include "mc/program/entry.hpp"

#include <atomic>
#include <optional>
#include <string>
#include <vector>

namespace mc::program {

struct RunArgs {
  std::string protocol, duration, tick_ms, seed, log, trace, max_events, faults;
  std::vector<std::string> params;
};

struct ValidateArgs {
  std::string protocol, log, faults, max_candidates, max_interleavings;
  std::vector<std::string> params;
};

/// `run`: exit 0 the run ended and every event was a model step with no `always` property broken; 1 a property
/// broke (its trace is written); 2 bad usage; 3 the run was cut short (Ctrl-C, the event limit).
int run_cluster(const std::string& program, const ProtocolEntry& entry, const Params& params, const FaultBudget& faults,
                const RunArgs& a, const std::atomic<bool>& stop);

/// The first line of an event log when it is a run's header ({"format": "faultline-events", ...}); throws
/// run::EventLogError for a file that cannot be read.
std::optional<nlohmann::json> read_log_header(const std::string& path);

/// The parameter assignments ("k=v") a log's header records.
std::vector<std::string> header_params(const nlohmann::json& header);

/// `validate`: exit 0 the log is a behaviour of the model, 1 it is not, 2 a malformed log, 3 inconclusive.
int validate_run(const ProtocolEntry& entry, const Params& params, const FaultBudget& faults, const ValidateArgs& a);

}  // namespace mc::program
