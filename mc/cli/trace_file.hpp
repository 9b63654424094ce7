// Trace files (`--trace FILE.json`): a counterexample or witness with everything needed to replay it.
// Format "faultline-trace" version 1; documented in README ("Trace files").
#pragma once

#include "mc/cli/params.hpp"
#include "mc/cli/report.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace mc::cli {

inline constexpr int trace_format_version = 1;

/// The trace file for a report: its leading violation, else its first witness; nothing when there is no trace.
std::optional<nlohmann::json> trace_document(const Report& r);

/// A trace file as read back, validated enough to replay or render; throws UsageError naming what is wrong.
struct TraceFile {
  nlohmann::json doc;
  std::string protocol;
  std::string property;
  std::vector<std::string> param_assignments;  ///< "k=v", as on the command line
  std::optional<std::string> faults;           ///< the fault budget spec, for actor systems
  const nlohmann::json& steps() const { return doc.at("steps"); }
};

TraceFile read_trace_file(const std::string& path);

}  // namespace mc::cli
