// The `run` and `validate` commands: options, what they print, the files they write, exit codes.
#include "mc/program/run_commands.hpp"

#include "mc/program/console.hpp"
#include "mc/program/output_file.hpp"
#include "mc/program/trace_file.hpp"

#include <fmt/format.h>

#include <fstream>

namespace mc::program {

namespace {

std::string described(const Params& params) {
  std::string out;
  for (const auto& [k, v] : params.values()) out += (out.empty() ? "" : ", ") + k + "=" + v;
  return out.empty() ? "" : " {" + out + "}";
}

std::string rate(std::size_t events, double seconds) {
  return seconds > 0 ? fmt::format("{:.0f}", static_cast<double>(events) / seconds) : "-";
}

}  // namespace

int run_cluster(const std::string& program, const ProtocolEntry& entry, const Params& params, const FaultBudget& faults,
                const RunArgs& a, const std::atomic<bool>& stop) {
  run::RunOptions o;
  if (!a.duration.empty()) {
    const double sec = parse_seconds("--duration", a.duration);
    if (sec <= 0 || sec > 86400) throw UsageError("--duration: must be more than 0 and at most 86400 seconds");
    o.duration = std::chrono::milliseconds(static_cast<long long>(sec * 1000));
  }
  if (!a.tick_ms.empty()) {
    const std::uint64_t ms = parse_count("--tick-ms", a.tick_ms);
    if (ms < 1 || ms > 60000) throw UsageError("--tick-ms: must be in 1..60000");
    o.tick = std::chrono::milliseconds(ms);
  }
  if (!a.seed.empty()) o.seed = parse_count("--seed", a.seed);
  o.max_events = 200000;  // the model's path of a run is kept for its trace: about 0.5 KB an event
  if (!a.max_events.empty() && (o.max_events = parse_count("--max-events", a.max_events)) == 0)
    throw UsageError("--max-events: must be at least 1");
  // The trace of a broken property goes to --trace, else beside the log.
  const std::string trace_path = !a.trace.empty() ? a.trace : a.log.empty() ? "" : a.log + ".trace.json";
  OutputFile log_out("--log", a.log), trace_out("--trace", trace_path);
  refuse_same_file({&log_out, &trace_out});
  o.header = {{"program", program}, {"protocol", entry.name}, {"params", params.values()}};
  if (entry.faults) o.header["faults"] = faults.to_spec();
  o.stop = &stop;
  say("Running {}{} as a local cluster on 127.0.0.1 for {:.3g} s, tick {} ms, seed {}{}\n", entry.name,
      described(params), static_cast<double>(o.duration.count()) / 1000, o.tick.count(), o.seed,
      entry.faults ? ", faults " + faults.to_spec() : "");
  std::fflush(stdout);
  RunReport r = entry.run(params, faults, o);
  if (r.left_model) {  // the runtime did what the model cannot: our bug, not the user's
    if (log_out.wanted()) log_out.write(r.log);
    say_err("{}: internal error: the run left the model: {}\n", program, *r.left_model);
    return 4;
  }
  say("Fault schedule: {}\n", r.schedule.empty() ? "none" : fmt::format("{}", fmt::join(r.schedule, "; ")));
  std::string injected;
  for (const auto& [kind, n] : r.injected) injected += fmt::format("{}{} {}", injected.empty() ? "" : ", ", kind, n);
  say("Ran {:.2f} s: {} events ({}/s), {} model steps; faults injected: {}\n", r.seconds, r.events,
      rate(r.events, r.seconds), r.steps, injected.empty() ? "none" : injected);
  if (log_out.wanted()) {
    log_out.write(r.log);
    say("Event log written to {}\n", a.log);
  }
  if (r.violation) {
    Report& v = *r.violation;
    v.program = program;
    v.protocol = entry.name;
    v.params = params.values();
    if (entry.faults) v.faults = faults;
    const PropertyReport* p = nullptr;
    for (const auto& q : v.properties)
      if (q.outcome == "violated") p = &q;
    say("Property {} violated in the run after {} events ({} model steps):\n{}", p ? p->name : "?", r.events, r.steps,
        p ? explained_trace(p->trace_text, p->explanation) : "");
    if (trace_out.wanted()) {
      if (const auto doc = trace_document(v)) trace_out.write(doc->dump(2) + "\n");
      say("Trace written to {} (replay it: {} replay {})\n", trace_path, program, trace_path);
    }
    return exit_violation;
  }
  if (r.stop_reason != "duration") {
    say("Stopped early ({}); every event so far was a step of the model\n", r.stop_reason);
    return exit_incomplete;
  }
  say("Every event was a step of the model; no always-property broke (a run proves nothing beyond itself)\n");
  return exit_ok;
}

std::optional<nlohmann::json> read_log_header(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw run::EventLogError(fmt::format("cannot read the event log '{}'", path));
  std::string first;
  std::getline(in, first);
  const auto j = nlohmann::json::parse(first, nullptr, false);
  if (j.is_object() && j.contains("format")) return j;
  return std::nullopt;
}

std::vector<std::string> header_params(const nlohmann::json& header) {
  std::vector<std::string> out;
  if (const auto p = header.find("params"); p != header.end() && p->is_object())
    for (auto it = p->begin(); it != p->end(); ++it)
      if (it.value().is_string()) out.push_back(it.key() + "=" + it.value().get<std::string>());
  return out;
}

int validate_run(const ProtocolEntry& entry, const Params& params, const FaultBudget& faults, const ValidateArgs& a) {
  run::ValidateOptions o;
  if (!a.max_candidates.empty() && (o.max_candidates = parse_count("--max-candidates", a.max_candidates)) == 0)
    throw UsageError("--max-candidates: must be at least 1");
  if (!a.max_interleavings.empty() &&
      (o.max_interleavings = parse_count("--max-interleavings", a.max_interleavings)) == 0)
    throw UsageError("--max-interleavings: must be at least 1");
  const run::Validation v = entry.validate(params, faults, a.log, o);
  const std::string where = fmt::format("{}{}{}", entry.name, described(params),
                                        entry.faults ? ", faults " + faults.to_spec() : "");
  const std::string order = v.searched ? fmt::format(", per-node orders: {} interleavings tried", v.interleavings)
                                       : "";
  if (v.status == run::Validation::Status::behaviour) {
    say("{} is a behaviour of {}: {} events, {} model steps{}, checked in {:.3f} s ({} events/s)\n", a.log, where,
        v.events, v.steps, order, v.seconds, rate(v.events, v.seconds));
    if (v.violated)
      say("Note: the behaviour breaks {}{}{}\n", *v.violated,
          v.violated_after ? fmt::format(" after event {}", v.violated_after) : "",
          v.explanation.empty() ? "" : ": " + v.explanation);
    return exit_ok;
  }
  const bool inconclusive = v.status == run::Validation::Status::inconclusive;
  say("{} is {} of {}{}\n", a.log, inconclusive ? "not shown to be a behaviour (inconclusive)" : "NOT a behaviour",
      where, order);
  if (v.event) say("  line {}: {}\n", v.line, v.event_text);
  else if (!v.event_text.empty()) say("  at {}\n", v.event_text);
  say("  {}\n", v.reason);
  for (const auto& b : v.blocked) say("    {}\n", b);
  if (!v.state.empty()) say("  the model's state there: {}\n", v.state);
  if (!v.possible.empty()) say("  steps the model could take: {}\n", fmt::format("{}", fmt::join(v.possible, "; ")));
  return inconclusive ? exit_incomplete : exit_violation;
}

}  // namespace mc::program
