// Trace files (`--trace FILE.json`): a counterexample or witness with everything needed to replay it.
// Format "faultline-trace" version 3; documented in README ("Trace files").
#pragma once

#include "mc/program/params.hpp"
#include "mc/program/report.hpp"
#include "mc/trace/cycle_marks.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>

namespace mc::program {

/// 2: liveness counterexamples (lassos) carry "cycle_start" and "fairness". 3: each step after the first carries
/// its "changes" (the reflected diff), and states hold sets, bit sets and empty structs as JSON arrays and objects.
/// Versions 1 and 2 are still read (their steps print whole: they carry no changes).
inline constexpr int trace_format_version = 3;
inline constexpr int max_trace_nesting = 100;                          ///< JSON levels a trace file may nest
inline constexpr std::uint64_t max_trace_file_bytes = std::uint64_t{256} << 20;  ///< parsing takes ~10x this

/// The trace file for a report: its leading violation, else its first witness; nothing when there is no trace.
std::optional<nlohmann::json> trace_document(const Report& r);

/// A trace file as read back, validated enough to replay or render; throws UsageError naming what is wrong.
struct TraceFile {
  nlohmann::json doc;
  std::string protocol;
  std::string property;
  std::string program;                         ///< the program that wrote it (empty in older files)
  std::vector<std::string> param_assignments;  ///< "k=v", as on the command line
  std::optional<std::string> faults;           ///< the fault budget spec, for actor systems
  bool lasso = false;                          ///< a liveness counterexample ("cycle_start" present)
  std::optional<std::size_t> cycle_start;      ///< lasso: the step the last step returns to; none: it stutters
  const nlohmann::json& steps() const { return doc.at("steps"); }
  LassoShape shape() const { return {lasso, cycle_start}; }
};

TraceFile read_trace_file(const std::string& path);

/// The same checks on a trace file's text (e.g. one uploaded to `explore`); `name` stands for it in messages.
TraceFile parse_trace_file(const std::string& text, const std::string& name);

/// The trace document of `r` written to `path` (checked, whole or not at all); false when `r` has no trace.
bool write_trace_document(const std::string& path, const Report& r);

/// What a trace file says about the model beside its steps, so that `replay` can rebuild it: the program and the
/// model's name in it, the parameter values, and (actor systems) the fault budget it was explored under.
struct TraceOrigin {
  std::string program;                       ///< e.g. "lock-checks"
  std::string protocol;                      ///< the model's name in that program
  std::map<std::string, std::string> params;  ///< every parameter's value, as `--param` takes it
  std::optional<FaultBudget> faults;
};

/// Writes a check's counterexample (else its first witness) as a trace file that `show` and `replay` read, the
/// same file `check --trace` writes; false (and nothing written) when the result has no trace. For C++ tests:
///   if (!r.ok()) mc::program::save_trace("failure.json", r, {"lock-checks", "lease-lock", {...}, faults});
template <Model M>
bool save_trace(const std::string& path, const CheckResult<M>& result, const TraceOrigin& origin) {
  Report r = make_report(result, false);
  r.program = origin.program;
  r.protocol = origin.protocol;
  r.params = origin.params;
  r.faults = origin.faults;
  return write_trace_document(path, r);
}



}  // namespace mc::program
