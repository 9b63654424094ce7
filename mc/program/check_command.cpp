// `check`: a protocol's options checked and turned into the explorer's, the search (or a sweep of searches), and
// its report on screen and in the files asked for. Exit 0 all hold, 1 violation, 2 bad usage, 3 cut short.
#include "mc/program/checkpoint_folder.hpp"
#include "mc/program/commands.hpp"
#include "mc/program/console.hpp"
#include "mc/program/junit.hpp"
#include "mc/program/progress.hpp"
#include "mc/program/render.hpp"
#include "mc/program/suggest.hpp"
#include "mc/program/sweep.hpp"
#include "mc/program/trace_file.hpp"
#include "mc/explore/checkpoint.hpp"
#include "mc/explore/memory.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <unistd.h>

namespace mc::program {

namespace {

/// Liveness is checked on the whole graph of one process, without symmetry reduction or checkpoints. A liveness
/// property named with --property is refused there (one line, before any search); otherwise the model's liveness
/// properties are left out and the report says so, rather than giving a doubtful verdict. Returns that note.
std::string leave_out_unsupported_liveness(const ProtocolEntry& entry, const mc::Params& params, const CheckArgs& a,
                                           const mc::Cluster* cluster, mc::ExploreOptions& o) {
  const std::string why = a.symmetry ? "under --symmetry (a lasso of orbits need not be a behaviour of states)"
                          : cluster ? "across MPI ranks (the graph of steps is kept by one process)"
                          : !a.checkpoint.empty() || !a.resume.empty()
                              ? "with --checkpoint or --resume (the graph of steps is not saved)"
                              : "";
  if (why.empty()) return "";
  std::vector<std::string> live, rest;
  for (const auto& p : entry.properties(params)) {
    const bool named = std::find(a.properties.begin(), a.properties.end(), p.name) != a.properties.end();
    const bool liveness = p.kind == "eventually" || p.kind == "leads_to" || p.kind == "eventually_always";
    if (liveness && named)
      throw UsageError(fmt::format("--property {}: a liveness property is not checked {}", p.name, why));
    if (!a.properties.empty()) continue;
    (liveness ? live : rest).push_back(p.name);
  }
  if (live.empty()) return "";
  o.only_properties = rest;
  return fmt::format("Liveness not checked {}: {}", why, fmt::join(live, ", "));
}

}  // namespace

unsigned parse_threads(const std::string& text) {
  const auto t = mc::program::parse_count("--threads", text);
  if (t < 1 || t > 1024) throw UsageError("--threads: must be in 1..1024");
  return static_cast<unsigned>(t);
}

mc::FaultBudget fault_budget(const ProtocolEntry& entry, const mc::Params& params, const std::string& text,
                             bool asked_for_faults, std::string_view options) {
  mc::FaultBudget faults{};
  if (!entry.faults) {
    if (!text.empty() || asked_for_faults)
      throw UsageError(fmt::format("{} is not an actor system: it has no fault model ({})", entry.name, options));
    return faults;
  }
  if (text.empty()) return *entry.faults;
  if (auto error = mc::parse_fault_budget(text, faults)) throw UsageError("--faults: " + *error);
  const std::vector<bool> kinds = entry.fault_kinds(params);
  for (std::size_t i = 0; i < mc::FaultBudget::names.size(); ++i)
    if (faults[i] && !kinds[i])
      throw UsageError(fmt::format("--faults: {} cannot suffer a {} fault{}", entry.name, mc::FaultBudget::names[i],
                                   mc::FaultBudget::names[i] == "jump"   ? " (it has no clocks)"
                                   : mc::FaultBudget::names[i] == "torn" ? " (its actors keep no log)"
                                                                         : ""));
  return faults;
}

bool open_on_root(const mc::Cluster* cluster, std::initializer_list<Output> outputs) {
  std::string refused;
  try {
    if (!cluster || cluster->rank == 0) {
      std::vector<const mc::program::OutputFile*> files;
      for (const Output& o : outputs) o.file = mc::program::OutputFile(o.option, o.path), files.push_back(&o.file);
      mc::program::refuse_same_file(files);
    }
  } catch (const UsageError& e) {
    refused = e.what();
  }
  if (cluster) {
    std::vector<std::uint64_t> failed{refused.empty() ? 0u : 1u};
    cluster->max(failed);
    if (failed[0] && refused.empty()) return false;
  }
  if (!refused.empty()) throw UsageError(refused);
  return true;
}

int run_check(const Catalog& models, const CheckArgs& a, const mc::Cluster* cluster) {
  const bool root = !cluster || cluster->rank == 0;
  const auto& entry = models.find(a.protocol);
  std::vector<std::string> assignments = a.params;
  const std::vector<SweptParam> ranges = a.sweep ? mc::program::take_ranges(assignments) : std::vector<SweptParam>{};
  const mc::Params params = mc::program::parse_params(entry.name, entry.params, assignments);
  for (const SweptParam& r : ranges)  // every value of a range within its declared bounds, before any row is run
    mc::program::parse_params(entry.name, entry.params, {r.name + "=" + std::to_string(r.hi)});
  if (ranges.empty() || !a.properties.empty()) {  // builds the model once: rejected parameters are reported first
    std::vector<std::string> known;
    for (const auto& p : entry.properties(params)) known.push_back(p.name);
    for (const auto& name : a.properties)
      if (std::find(known.begin(), known.end(), name) == known.end())
        throw UsageError(fmt::format("--property: {} has no property '{}'{} (it has: {})", entry.name, name,
                                     mc::program::did_you_mean(name, known), fmt::join(known, ", ")));
  }
  mc::ExploreOptions o;
  if (!a.threads.empty()) o.threads = parse_threads(a.threads);
  if (!a.max_depth.empty() && (o.max_depth = mc::program::parse_count("--max-depth", a.max_depth)) == 0)
    throw UsageError("--max-depth: must be at least 1 (the initial states are level 1)");
  if (!a.max_states.empty() && (o.max_states = mc::program::parse_count("--max-states", a.max_states)) == 0)
    throw UsageError("--max-states: must be at least 1");
  if (!a.time_limit.empty()) o.time_limit = mc::program::parse_seconds("--time-limit", a.time_limit);
  if (!a.memory_limit.empty()) {
    o.memory_limit = mc::program::parse_size("--memory-limit", a.memory_limit);
    std::vector<std::uint64_t> floor{mc::resident_bytes() + (std::uint64_t{4} << 20)};
    if (cluster) cluster->max(floor);  // the same answer on every rank, or some would search while others stop
    if (o.memory_limit < floor[0])
      throw UsageError(fmt::format("--memory-limit: {} bytes is below the {} bytes the checker needs to start",
                                   o.memory_limit, floor[0]));
  }
  o.exact = a.exact;
  if (!a.fingerprint.empty()) {
    if (a.fingerprint != "64" && a.fingerprint != "128")
      throw UsageError(fmt::format("--fingerprint: expected 64 or 128 (bits), not '{}'", a.fingerprint));
    o.fingerprint_bits = a.fingerprint == "128" ? 128 : 64;
    if (a.exact && o.fingerprint_bits == 128)
      throw UsageError("--fingerprint 128 widens the fingerprints of fingerprint mode; --exact stores whole states");
  }
  o.check_deadlock = a.deadlock;
  o.only_properties = a.properties;
  o.keep_going = a.keep_going;
  o.coverage = a.coverage;
  if (a.coverage && (a.sweep || !a.resume.empty()))
    throw UsageError("--coverage counts one whole search: not with --sweep or --resume");
  if (cluster && a.exact) throw UsageError("--exact runs in one process: a search spread over MPI ranks stores fingerprints");
  if (cluster && (!a.checkpoint.empty() || !a.resume.empty()))
    throw UsageError("--checkpoint and --resume run in one process, not under mpirun");
  o.cluster = cluster;
  if (a.symmetry && !entry.symmetry) {
    std::string symmetric;
    for (const auto& p : models.entries)
      if (p.symmetry) symmetric += (symmetric.empty() ? "" : ", ") + p.name;
    throw UsageError(fmt::format("--symmetry: {} declares no symmetry (protocols that do: {})", entry.name, symmetric));
  }
  if (a.symmetry && a.minimise) throw UsageError("--symmetry and --minimise cannot be combined yet");
  const std::string liveness_left_out = leave_out_unsupported_liveness(entry, params, a, cluster, o);
  o.symmetry = a.symmetry;
  const mc::FaultBudget faults = fault_budget(entry, params, a.faults, a.sweep && ranges.empty(), "--faults, --sweep");
  o.stop = &interrupted;
  if (!a.checkpoint.empty() || !a.resume.empty()) {
    if (a.exact) throw UsageError("--checkpoint and --resume work in fingerprint mode only (not with --exact)");
    if (a.sweep || a.minimise) throw UsageError("--checkpoint and --resume cannot be combined with --sweep or --minimise");
    if (!a.checkpoint.empty() && !a.resume.empty() && a.checkpoint != a.resume)
      throw UsageError("--resume continues checkpointing into its own folder: give --checkpoint the same folder or "
                       "leave it out");
    o.checkpoint_dir = a.resume.empty() ? a.checkpoint : a.resume;
    o.resume = !a.resume.empty();
  }
  if (a.overwrite_checkpoint && a.checkpoint.empty())
    throw UsageError("--overwrite-checkpoint goes with --checkpoint DIR");
  if (!a.checkpoint_interval.empty()) {
    if (o.checkpoint_dir.empty()) throw UsageError("--checkpoint-interval needs --checkpoint DIR");
    o.checkpoint_interval =
        a.checkpoint_interval == "0" ? 0 : mc::program::parse_seconds("--checkpoint-interval", a.checkpoint_interval);
  }

  if (a.sweep && !a.junit.empty()) throw UsageError("--junit cannot be combined with --sweep (use --json)");
  if (a.sweep && !a.trace.empty())
    throw UsageError("--trace cannot be combined with --sweep (check the one combination you want a trace of)");
  if (a.sweep && a.minimise) throw UsageError("--minimise cannot be combined with --sweep");
  mc::program::OutputFile json_out, junit_out, trace_out;
  if (!open_on_root(cluster,
                    {{"--json", a.json, json_out}, {"--junit", a.junit, junit_out}, {"--trace", a.trace, trace_out}}))
    return exit_usage;
  const bool tty = root && isatty(STDERR_FILENO);
  double progress_every = 10;
  if (!a.progress_interval.empty())
    progress_every = a.progress_interval == "0" ? 0 : mc::program::parse_seconds("--progress-interval",
                                                                                 a.progress_interval);
  if (root && (tty || progress_every > 0)) o.on_progress = mc::program::progress_reporter(tty, progress_every);
  stop_on_signals(/*usr1=*/true);  // what mpirun passes on to every rank: a stop ending in exit 3

  if (a.sweep) {
    std::vector<std::string> fixed;
    for (const auto& p : assignments)
      if (std::none_of(ranges.begin(), ranges.end(), [&](const SweptParam& r) { return p.starts_with(r.name + "="); }))
        fixed.push_back(p);
    return mc::program::run_sweep(entry, fixed, ranges, o, faults, json_out, interrupted);
  }

  std::string described;
  for (const auto& [k, v] : params.values()) described += (described.empty() ? "" : ", ") + k + "=" + v;
  // What a checkpoint belongs to: everything that changes the state graph or the properties, not the limits.
  o.configuration = fmt::format("{} {{{}}}{}{}{}{}{}{}", entry.name, described,
                                entry.faults ? " faults " + faults.to_spec() : "", a.symmetry ? " symmetry" : "",
                                a.deadlock ? " check-deadlock" : "",
                                a.properties.empty() ? "" : fmt::format(" properties {}", fmt::join(a.properties, ",")),
                                a.keep_going ? " continue" : "",
                                o.fingerprint_bits == 128 ? " fingerprint-128" : "");
  // Held until the run ends: locked before anything in the folder is read or replaced.
  const mc::program::CheckpointFolder folder =
      o.checkpoint_dir.empty() ? mc::program::CheckpointFolder()
                               : mc::program::CheckpointFolder(o.checkpoint_dir, o.resume, a.overwrite_checkpoint);
  if (o.resume) {
    const mc::CheckpointManifest m = mc::read_manifest(o.checkpoint_dir);
    if (m.configuration != o.configuration)
      throw UsageError(fmt::format("--resume: '{}' holds a checkpoint of {}, not of {}", o.checkpoint_dir,
                                   m.configuration, o.configuration));
  }
  const char* mode = a.exact ? "exact" : o.fingerprint_bits == 128 ? "128-bit fingerprint" : "fingerprint";
  const std::string header = fmt::format("Checking {}{} ({} mode{}{})\n", entry.name,
                                         described.empty() ? "" : " {" + described + "}", mode,
                                         a.symmetry ? ", symmetry reduction" : "",
                                         entry.faults ? ", faults " + faults.to_spec() : "");
  // Printed once the search has begun: a checkpoint refused as damaged prints its one error line and nothing else.
  o.on_search_start = [&header] {
    say("{}", header);
    std::fflush(stdout);
  };
  mc::program::Report report = entry.check(params, o, faults, a.minimise);
  report.program = models.program;
  report.protocol = entry.name;
  report.only_properties = a.properties;
  report.liveness_left_out = liveness_left_out;
  report.keep_going = a.keep_going;
  if (entry.faults) report.faults = faults;
  report.params = params.values();
  if (tty) say_err("\r\033[K");
  // The files first: what was found is kept even when the screen's reader has gone (`| head -1`).
  const std::optional<nlohmann::json> trace_doc = mc::program::trace_document(report);
  if (root) {
    json_out.write(mc::program::report_to_json(report).dump(2) + "\n");
    junit_out.write(mc::program::report_to_junit(report));
    if (trace_doc) trace_out.write(trace_doc->dump(2) + "\n");  // never empties a file with nothing to put in it
  }
  say("{}", mc::program::report_to_text(report));
  if (report.stats.checkpoint_level && report.stats.complete)
    say("Checkpoint of the finished search in {}\n", o.checkpoint_dir);
  else if (report.stats.checkpoint_level)
    say("Checkpoint of level {} in {} (continue with --resume {})\n", report.stats.checkpoint_level,
               o.checkpoint_dir, o.checkpoint_dir);
  if (!report.stats.checkpoint_error.empty() && report.stats.complete)
    say("Warning: the final checkpoint could not be written ({}); the search itself is complete\n",
        report.stats.checkpoint_error);
  if (trace_out.wanted()) {
    if (trace_doc) say("Trace written to {}\n", a.trace);
    else say("No trace to write: no violation and no witness ({} left as it was)\n", a.trace);
  }
  switch (report.status) {
    case mc::RunStatus::ok: return exit_ok;
    case mc::RunStatus::violation: return exit_violation;
    case mc::RunStatus::incomplete: return exit_incomplete;
  }
  return exit_incomplete;
}

}  // namespace mc::program
