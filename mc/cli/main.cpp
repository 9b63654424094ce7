// The `faultline` program: `list` the protocols, `check` one of them, with limits, reports and exit codes.
// Exit codes: 0 every property holds (search complete), 1 violation, 2 bad usage or input, 3 incomplete.
#include "mc/cli/junit.hpp"
#include "mc/cli/mpi_session.hpp"
#include "mc/cli/registry.hpp"
#include "mc/cli/render.hpp"
#include "mc/cli/trace_file.hpp"
#include "mc/explore/checkpoint.hpp"
#include "mc/explore/memory.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <unistd.h>

namespace {

using mc::cli::UsageError;

// Set from the signal handler: the one piece of process-wide state, because signals are process-wide.
std::atomic<bool> interrupted{false};
extern "C" void on_signal(int) { interrupted.store(true); }

constexpr int exit_ok = 0, exit_violation = 1, exit_usage = 2, exit_incomplete = 3;

std::string with_commas(std::uint64_t v) {
  std::string s = std::to_string(v);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<std::size_t>(i), ",");
  return s;
}

void print_list(bool as_json) {
  if (as_json) {
    nlohmann::json all = nlohmann::json::array();
    for (const auto& p : mc::cli::protocols()) {
      nlohmann::json params = nlohmann::json::array();
      for (const auto& s : p.params) {
        nlohmann::json pj{{"name", s.name}, {"help", s.help}, {"default", s.default_value}};
        if (s.choices.empty()) pj["min"] = s.min, pj["max"] = s.max;
        else pj["choices"] = s.choices;
        params.push_back(pj);
      }
      if (p.faults) params.push_back({{"name", "faults"}, {"default", p.faults->to_spec()}});
      nlohmann::json props = nlohmann::json::array();
      for (const auto& prop : p.properties(mc::cli::parse_params(p.name, p.params, {})))
        props.push_back({{"name", prop.name}, {"kind", prop.kind}});
      nlohmann::json entry{{"name", p.name}, {"summary", p.summary}, {"source", p.source}, {"params", params},
                           {"properties", props}};
      if (p.faults) entry["default_faults"] = p.faults->to_spec();
      all.push_back(std::move(entry));
    }
    std::cout << all.dump(2) << "\n";
    return;
  }
  for (const auto& p : mc::cli::protocols()) {
    fmt::print("{}\n  {}\n  source: {}\n", p.name, p.summary, p.source);
    for (const auto& s : p.params) {
      if (s.choices.empty())
        fmt::print("  --param {}=N   {} ({}..{}, default {})\n", s.name, s.help, s.min, s.max, s.default_value);
      else
        fmt::print("  --param {}=X   {} (one of {}, default {})\n", s.name, s.help, fmt::join(s.choices, ", "),
                   s.default_value);
    }
    if (p.faults) fmt::print("  --faults {}   default fault budget\n", p.faults->to_spec());
    for (const auto& prop : p.properties(mc::cli::parse_params(p.name, p.params, {})))
      fmt::print("  {} {}\n", prop.kind, prop.name);
  }
}

struct CheckArgs {
  std::string protocol;
  std::vector<std::string> params;
  std::string threads, max_depth, max_states, time_limit, memory_limit, json, junit, faults, trace;
  std::string checkpoint, checkpoint_interval, resume, fingerprint;
  bool exact = false, deadlock = false, sweep = false, minimise = false, symmetry = false;
};

std::ofstream open_output(const std::string& option, const std::string& path) {
  std::ofstream out;
  if (!path.empty()) {
    out.open(path);
    if (!out) throw UsageError(fmt::format("{}: cannot write '{}'", option, path));
  }
  return out;
}

/// A report file asked for: the option that named it, its path (empty: none) and the stream to open.
struct Output {
  const char* option;
  const std::string& path;
  std::ofstream& stream;
};

/// Opens the report files on rank 0 alone. Under MPI the ranks agree on whether it could: there rank 0 throws the
/// usage error and the others return false (exit 2 without a word), so that none waits for it for ever.
bool open_on_root(const mc::Cluster* cluster, std::initializer_list<Output> outputs) {
  std::string refused;
  try {
    if (!cluster || cluster->rank == 0)
      for (const Output& o : outputs) o.stream = open_output(o.option, o.path);
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

/// `replay FILE`: re-executes a saved trace against the current model. Exit 1: still violated; 0: fixed; 2: mismatch.
int run_replay(const std::string& path, bool full) {
  const mc::cli::TraceFile t = mc::cli::read_trace_file(path);
  const auto& entry = mc::cli::find_protocol(t.protocol);
  const mc::cli::Params params = mc::cli::parse_params(entry.name, entry.params, t.param_assignments);
  mc::FaultBudget faults{};
  if (entry.faults) {
    faults = *entry.faults;
    if (t.faults)
      if (auto error = mc::parse_fault_budget(*t.faults, faults)) throw UsageError("trace file faults: " + *error);
  }
  const mc::ReplayResult r = entry.replay(params, faults, t.steps(), t.property);
  if (r.status == mc::ReplayResult::Status::mismatch) {
    throw UsageError(r.step ? fmt::format("{}: step {}: {}", path, r.step, r.reason) : fmt::format("{}: {}", path, r.reason));
  }
  fmt::print("Replaying {} against {}: {} steps\n{}", path, entry.name, t.steps().size(),
             mc::format_json_trace(t.steps(), full));
  if (r.diverged_at)
    fmt::print("Note: from step {} the model's states differ from the saved ones ({}): the model has changed.\n",
               r.diverged_at, r.divergence);
  const bool witness = t.doc.value("kind", std::string()) == "sometimes";
  if (r.reproduced()) {
    if (witness) fmt::print("Reproduced: the goal {} is still reached.\n", t.property);
    else fmt::print("Reproduced: {} is still violated.\n", t.property);
    return exit_violation;
  }
  if (witness) fmt::print("Every step replays, but the goal {} is no longer reached.\n", t.property);
  else fmt::print("Every step replays, but {} is no longer violated: the bug is fixed.\n", t.property);
  return exit_ok;
}

/// `show FILE`: the trace as text (default), Mermaid, or a self-contained HTML page.
int run_show(const std::string& path, bool full, bool mermaid, const std::string& html) {
  const mc::cli::TraceFile t = mc::cli::read_trace_file(path);
  std::ofstream page = open_output("--html", html);
  if (page.is_open()) {
    page << mc::cli::render_html(t.doc);
    fmt::print("Wrote {}\n", html);
  }
  if (mermaid) fmt::print("{}", mc::cli::render_mermaid(t.doc));
  if (!mermaid && !page.is_open()) {
    fmt::print("{}: {} ({}) {}, {} states\n{}", t.protocol, t.property, t.doc.value("kind", std::string()),
               t.doc.value("outcome", std::string()), t.steps().size(), mc::format_json_trace(t.steps(), full));
    fmt::print("{}", t.doc.value("explanation", std::string()));
  }
  return exit_ok;
}

/// A parameter swept by `--sweep`: `--param NAME=LO..HI`.
struct SweptParam {
  std::string name;
  std::uint64_t lo, hi;
};

/// Splits `NAME=LO..HI` assignments off `params` (the rest stay as they are).
std::vector<SweptParam> take_ranges(std::vector<std::string>& params) {
  std::vector<SweptParam> ranges;
  std::vector<std::string> rest;
  for (const auto& p : params) {
    const auto eq = p.find('='), dots = p.find("..");
    if (eq == std::string::npos || dots == std::string::npos || dots < eq) {
      rest.push_back(p);
      continue;
    }
    const std::string name = p.substr(0, eq);
    SweptParam r{name, mc::cli::parse_count("--param " + name, p.substr(eq + 1, dots - eq - 1)),
                 mc::cli::parse_count("--param " + name, p.substr(dots + 2))};
    if (r.lo > r.hi) throw UsageError(fmt::format("--param {}: empty range {}", name, p.substr(eq + 1)));
    if (r.hi - r.lo > 64) throw UsageError(fmt::format("--param {}: a range of at most 65 values", name));
    ranges.push_back(std::move(r));
    rest.push_back(name + "=" + std::to_string(ranges.back().lo));  // validated like any value
  }
  params = std::move(rest);
  return ranges;
}

/// `--sweep`: every combination of the swept parameters (`--param NAME=LO..HI`) and of the fault budgets from 0 up
/// to `--faults`, each checked exhaustively, as one table.
int run_sweep(const mc::cli::ProtocolEntry& entry, std::vector<std::string> fixed, const std::vector<SweptParam>& ranges,
              const mc::ExploreOptions& o, const mc::FaultBudget& max, std::ofstream& json_out) {
  std::vector<std::size_t> classes;
  for (std::size_t i = 0; i < mc::FaultBudget::names.size(); ++i)
    if (entry.faults && max[i] > 0) classes.push_back(i);
  std::string header;
  for (const auto& r : ranges) header += fmt::format("{:>10}", r.name);
  for (auto i : classes) header += fmt::format("{:>10}", mc::FaultBudget::names[i]);
  fmt::print("{} profile of {} (each combination checked exhaustively)\n{}  {:<52} {:>12}\n",
             classes.empty() ? "Parameter" : "Fault-tolerance", entry.name, header, "result", "distinct");
  nlohmann::json rows = nlohmann::json::array();
  bool violated = false, incomplete = false;
  std::vector<std::uint64_t> values;
  for (const auto& r : ranges) values.push_back(r.lo);
  mc::FaultBudget b{};
  while (true) {
    std::vector<std::string> assignments = fixed;
    for (std::size_t k = 0; k < ranges.size(); ++k) assignments.push_back(ranges[k].name + "=" + std::to_string(values[k]));
    const mc::cli::Params params = mc::cli::parse_params(entry.name, entry.params, assignments);
    std::string cells, result;
    for (auto v : values) cells += fmt::format("{:>10}", v);
    for (auto i : classes) cells += fmt::format("{:>10}", b[i]);
    nlohmann::json row;
    try {
      const mc::cli::Report r = entry.check(params, o, entry.faults ? b : mc::FaultBudget{}, false);
      if (r.violation >= 0) {
        const auto& v = r.properties[static_cast<std::size_t>(r.violation)];
        result = v.outcome == "not found" ? fmt::format("{} not reachable", v.name)
                                          : fmt::format("{} violated, shortest trace {} steps", v.name, v.trace_length - 1);
        violated = true;
      } else if (r.status == mc::RunStatus::ok) {
        result = "safe";
      } else {
        result = fmt::format("incomplete ({})", r.stats.stop_reason);
        incomplete = true;
      }
      row = {{"result", std::string(mc::to_string_view(r.status))}, {"distinct_states", r.stats.distinct}};
      if (r.violation >= 0) {
        row["property"] = r.properties[static_cast<std::size_t>(r.violation)].name;
        row["trace_steps"] = r.properties[static_cast<std::size_t>(r.violation)].trace_length - 1;
      }
      fmt::print("{}  {:<52} {:>12}\n", cells, result, r.stats.distinct);
    } catch (const std::invalid_argument& e) {  // a combination the protocol rejects: a row, not the end
      row = {{"result", "invalid"}, {"reason", e.what()}};
      fmt::print("{}  {:<52} {:>12}\n", cells, "not a valid combination", "-");
    } catch (const UsageError& e) {
      row = {{"result", "invalid"}, {"reason", e.what()}};
      fmt::print("{}  {:<52} {:>12}\n", cells, "not a valid combination", "-");
    }
    std::fflush(stdout);
    if (entry.faults) row["faults"] = b.to_spec();
    row["params"] = params.values();
    rows.push_back(std::move(row));
    if (interrupted.load()) break;
    // Next combination, the last fault class varying fastest, then the last swept parameter.
    std::size_t k = classes.size();
    while (k > 0 && b[classes[k - 1]] == max[classes[k - 1]]) b[classes[--k]] = 0;
    if (k > 0) {
      ++b[classes[k - 1]];
      continue;
    }
    std::size_t j = ranges.size();
    while (j > 0 && values[j - 1] == ranges[j - 1].hi) values[j - 1] = ranges[j - 1].lo, --j;
    if (j == 0) break;
    ++values[j - 1];
  }
  if (json_out.is_open()) json_out << nlohmann::json{{"protocol", entry.name}, {"sweep", rows}}.dump(2) << "\n";
  return violated ? exit_violation : (incomplete || interrupted.load()) ? exit_incomplete : exit_ok;
}

unsigned parse_threads(const std::string& text) {
  const auto t = mc::cli::parse_count("--threads", text);
  if (t < 1 || t > 1024) throw UsageError("--threads: must be in 1..1024");
  return static_cast<unsigned>(t);
}

/// The protocol's default budget with `--faults` applied; a protocol without a fault model takes no fault options.
mc::FaultBudget fault_budget(const mc::cli::ProtocolEntry& entry, const std::string& text, bool asked_for_faults,
                             std::string_view options) {
  mc::FaultBudget faults{};
  if (entry.faults) {
    faults = *entry.faults;
    if (!text.empty())
      if (auto error = mc::parse_fault_budget(text, faults)) throw UsageError("--faults: " + *error);
  } else if (!text.empty() || asked_for_faults) {
    throw UsageError(fmt::format("{} is not an actor system: it has no fault model ({})", entry.name, options));
  }
  return faults;
}

/// `check`. Under mpirun every rank runs this with the same arguments; rank 0 alone prints and writes files.
int run_check(const CheckArgs& a, const mc::Cluster* cluster) {
  const bool root = !cluster || cluster->rank == 0;
  const auto& entry = mc::cli::find_protocol(a.protocol);
  std::vector<std::string> assignments = a.params;
  const std::vector<SweptParam> ranges = a.sweep ? take_ranges(assignments) : std::vector<SweptParam>{};
  const mc::cli::Params params = mc::cli::parse_params(entry.name, entry.params, assignments);
  if (ranges.empty()) entry.properties(params);  // builds the model once: rejected parameters are reported first
  mc::ExploreOptions o;
  if (!a.threads.empty()) o.threads = parse_threads(a.threads);
  if (!a.max_depth.empty() && (o.max_depth = mc::cli::parse_count("--max-depth", a.max_depth)) == 0)
    throw UsageError("--max-depth: must be at least 1 (the initial states are level 1)");
  if (!a.max_states.empty() && (o.max_states = mc::cli::parse_count("--max-states", a.max_states)) == 0)
    throw UsageError("--max-states: must be at least 1");
  if (!a.time_limit.empty()) o.time_limit = mc::cli::parse_seconds("--time-limit", a.time_limit);
  if (!a.memory_limit.empty()) {
    o.memory_limit = mc::cli::parse_size("--memory-limit", a.memory_limit);
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
  if (cluster && a.exact) throw UsageError("--exact runs in one process: a search spread over MPI ranks stores fingerprints");
  if (cluster && (!a.checkpoint.empty() || !a.resume.empty()))
    throw UsageError("--checkpoint and --resume run in one process, not under mpirun");
  o.cluster = cluster;
  if (a.symmetry && !entry.symmetry) {
    std::string symmetric;
    for (const auto& p : mc::cli::protocols())
      if (p.symmetry) symmetric += (symmetric.empty() ? "" : ", ") + p.name;
    throw UsageError(fmt::format("--symmetry: {} declares no symmetry (protocols that do: {})", entry.name, symmetric));
  }
  if (a.symmetry && a.minimise) throw UsageError("--symmetry and --minimise cannot be combined yet");
  o.symmetry = a.symmetry;
  const mc::FaultBudget faults = fault_budget(entry, a.faults, a.sweep && ranges.empty(), "--faults, --sweep");
  o.stop = &interrupted;
  if (!a.checkpoint.empty() || !a.resume.empty()) {
    if (a.exact) throw UsageError("--checkpoint and --resume work in fingerprint mode only (not with --exact)");
    if (a.sweep || a.minimise) throw UsageError("--checkpoint and --resume cannot be combined with --sweep or --minimise");
    if (!a.checkpoint.empty() && !a.resume.empty() && a.checkpoint != a.resume)
      throw UsageError("--resume continues checkpointing into its own folder: give --checkpoint the same folder or "
                       "leave it out");
    o.checkpoint_dir = a.resume.empty() ? a.checkpoint : a.resume;
    o.resume = !a.resume.empty();
    if (o.resume && !std::filesystem::exists(std::filesystem::path(a.resume) / mc::checkpoint_files::manifest))
      throw UsageError(fmt::format("--resume: no checkpoint in '{}'", a.resume));
  }
  if (!a.checkpoint_interval.empty()) {
    if (o.checkpoint_dir.empty()) throw UsageError("--checkpoint-interval needs --checkpoint DIR");
    o.checkpoint_interval =
        a.checkpoint_interval == "0" ? 0 : mc::cli::parse_seconds("--checkpoint-interval", a.checkpoint_interval);
  }

  if (a.sweep && !a.junit.empty()) throw UsageError("--junit cannot be combined with --sweep (use --json)");
  std::ofstream json_out, junit_out, trace_out;
  if (!open_on_root(cluster,
                    {{"--json", a.json, json_out}, {"--junit", a.junit, junit_out}, {"--trace", a.trace, trace_out}}))
    return exit_usage;
  const bool tty = root && isatty(STDERR_FILENO);
  if (tty) {
    o.on_progress = [](const mc::Progress& p) {
      fmt::print(stderr, "\rdepth {}  distinct {}  generated {}  queue {}  {:.0f} states/s   ", p.depth,
                 with_commas(p.distinct), with_commas(p.generated), with_commas(p.queue), p.states_per_second);
      std::fflush(stderr);
    };
  }
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);

  if (a.sweep) {
    std::vector<std::string> fixed;
    for (const auto& p : assignments)
      if (std::none_of(ranges.begin(), ranges.end(), [&](const SweptParam& r) { return p.starts_with(r.name + "="); }))
        fixed.push_back(p);
    return run_sweep(entry, fixed, ranges, o, faults, json_out);
  }

  std::string described;
  for (const auto& [k, v] : params.values()) described += (described.empty() ? "" : ", ") + k + "=" + v;
  // What a checkpoint belongs to: everything that changes the state graph or the properties, not the limits.
  o.configuration = fmt::format("{} {{{}}}{}{}{}{}", entry.name, described,
                                entry.faults ? " faults " + faults.to_spec() : "", a.symmetry ? " symmetry" : "",
                                a.deadlock ? " check-deadlock" : "",
                                o.fingerprint_bits == 128 ? " fingerprint-128" : "");
  if (o.resume) {
    const mc::CheckpointManifest m = mc::read_manifest(o.checkpoint_dir);
    if (m.configuration != o.configuration)
      throw UsageError(fmt::format("--resume: '{}' holds a checkpoint of {}, not of {}", o.checkpoint_dir,
                                   m.configuration, o.configuration));
  }
  const char* mode = a.exact ? "exact" : o.fingerprint_bits == 128 ? "128-bit fingerprint" : "fingerprint";
  fmt::print("Checking {}{} ({} mode{}{})\n", entry.name, described.empty() ? "" : " {" + described + "}", mode,
             a.symmetry ? ", symmetry reduction" : "", entry.faults ? ", faults " + faults.to_spec() : "");
  std::fflush(stdout);
  mc::cli::Report report = entry.check(params, o, faults, a.minimise);
  report.protocol = entry.name;
  if (entry.faults) report.faults = faults;
  report.params = params.values();
  if (tty) fmt::print(stderr, "\r\033[K");
  fmt::print("{}", mc::cli::report_to_text(report));
  if (report.stats.checkpoint_level && report.stats.complete)
    fmt::print("Checkpoint of the finished search in {}\n", o.checkpoint_dir);
  else if (report.stats.checkpoint_level)
    fmt::print("Checkpoint of level {} in {} (continue with --resume {})\n", report.stats.checkpoint_level,
               o.checkpoint_dir, o.checkpoint_dir);
  if (json_out.is_open()) json_out << mc::cli::report_to_json(report).dump(2) << "\n";
  if (junit_out.is_open()) junit_out << mc::cli::report_to_junit(report);
  if (trace_out.is_open()) {
    if (auto doc = mc::cli::trace_document(report)) {
      trace_out << doc->dump(2) << "\n";
      fmt::print("Trace written to {}\n", a.trace);
    } else {
      fmt::print("No trace to write: no violation and no witness\n");
    }
  }
  switch (report.status) {
    case mc::RunStatus::ok: return exit_ok;
    case mc::RunStatus::violation: return exit_violation;
    case mc::RunStatus::incomplete: return exit_incomplete;
  }
  return exit_incomplete;
}

struct SimulateArgs {
  std::string protocol, threads, walks, depth, seed, time_limit, json, faults, trace;
  std::vector<std::string> params;
  bool swarm = false;
};

/// `simulate`: random walks (swarm walks with --swarm). Exit 1: a walk broke an invariant; 0: none did (which
/// proves nothing: the report says what was sampled).
int run_simulate(const SimulateArgs& a, const mc::Cluster* cluster) {
  const auto& entry = mc::cli::find_protocol(a.protocol);
  const mc::cli::Params params = mc::cli::parse_params(entry.name, entry.params, a.params);
  entry.properties(params);  // rejected parameters are reported before any walk
  mc::SimulateOptions o;
  if (!a.walks.empty() && (o.walks = mc::cli::parse_count("--walks", a.walks)) == 0)
    throw UsageError("--walks: must be at least 1");
  if (!a.depth.empty() && (o.depth = mc::cli::parse_count("--depth", a.depth)) == 0)
    throw UsageError("--depth: must be at least 1");
  if (o.depth > 1000000) throw UsageError("--depth: at most 1000000 steps per walk");
  if (!a.seed.empty()) o.seed = mc::cli::parse_count("--seed", a.seed);
  if (!a.time_limit.empty()) o.time_limit = mc::cli::parse_seconds("--time-limit", a.time_limit);
  if (!a.threads.empty()) o.threads = parse_threads(a.threads);
  o.swarm = a.swarm;
  const mc::FaultBudget faults = fault_budget(entry, a.faults, false, "--faults");
  std::ofstream json_out, trace_out;
  if (!open_on_root(cluster, {{"--json", a.json, json_out}, {"--trace", a.trace, trace_out}})) return exit_usage;
  o.cluster = cluster;
  o.stop = &interrupted;
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  std::string described;
  for (const auto& [k, v] : params.values()) described += (described.empty() ? "" : ", ") + k + "=" + v;
  fmt::print("Simulating {}{}: {} {}walks of at most {} steps, seed {}{} (not exhaustive)\n", entry.name,
             described.empty() ? "" : " {" + described + "}", o.walks, o.swarm ? "swarm " : "random ", o.depth, o.seed,
             entry.faults ? ", faults " + faults.to_spec() : "");
  std::fflush(stdout);
  mc::cli::SimulationReport s = entry.simulate(params, faults, o);
  s.report.protocol = entry.name;
  s.report.params = params.values();
  if (entry.faults) s.report.faults = faults;
  fmt::print("{}", mc::cli::simulation_to_text(s));
  if (json_out.is_open()) json_out << mc::cli::simulation_to_json(s).dump(2) << "\n";
  if (trace_out.is_open()) {
    if (auto doc = mc::cli::trace_document(s.report)) {
      trace_out << doc->dump(2) << "\n";
      fmt::print("Trace written to {}\n", a.trace);
    } else {
      fmt::print("No trace to write: no violation\n");
    }
  }
  if (s.report.violation >= 0) return exit_violation;
  return interrupted.load() || (!s.coverage.complete && s.coverage.stop_reason != "violation found") ? exit_incomplete
                                                                                                      : exit_ok;
}

int run(int argc, char** argv, const mc::cli::MpiSession& mpi) {
  CLI::App app{"faultline: exhaustive model checking of distributed-protocol designs"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "faultline 0.1.0");

  bool list_json = false;
  auto* list = app.add_subcommand("list", "List the protocols, their parameters and properties");
  list->add_flag("--json", list_json, "Print the list as JSON");

  CheckArgs a;
  auto* check = app.add_subcommand("check", "Explore every reachable state of a protocol and check its properties");
  check->add_option("protocol", a.protocol, "Protocol name (see `faultline list`)")->required();
  check->add_option("--param", a.params, "Protocol parameter NAME=VALUE (repeatable)")->allow_extra_args(false);
  check->add_option("--threads", a.threads, "Worker threads (default: every core)");
  check->add_option("--max-depth", a.max_depth, "Stop after this many BFS levels (incomplete)");
  check->add_option("--max-states", a.max_states, "Stop after this many distinct states (incomplete)");
  check->add_option("--time-limit", a.time_limit, "Stop after SEC seconds (incomplete)");
  check->add_option("--memory-limit", a.memory_limit, "Stop before using more than SIZE (e.g. 512M, 4G)");
  check->add_flag("--exact", a.exact, "Store full states instead of 64-bit fingerprints");
  check->add_option("--fingerprint", a.fingerprint,
                    "Fingerprint bits: 64 (default) or 128, for runs past about 10^9 states where 64-bit collisions "
                    "become likely")
      ->type_name("BITS");
  check->add_flag("--symmetry", a.symmetry,
                  "Store one canonical state per orbit of the protocol's symmetry (like TLC's SYMMETRY)");
  check->add_flag("--check-deadlock", a.deadlock, "Report a reachable state without successors as a violation");
  check->add_option("--json", a.json, "Write a JSON report to FILE");
  check->add_option("--junit", a.junit, "Write a JUnit XML report to FILE (one test case per property)");
  check->add_option("--faults", a.faults, "Fault budget, e.g. loss=1,dup=1,crash=1,restart=1,partition=1");
  check->add_flag("--sweep", a.sweep, "Check every budget from 0 up to --faults, and every value of each --param NAME=LO..HI, as one table");
  check->add_option("--trace", a.trace, "Write the counterexample (or a witness) to FILE.json for replay and show");
  check->add_option("--checkpoint", a.checkpoint,
                    "Save the search to DIR between levels (every --checkpoint-interval s), when stopped, and at the end");
  check->add_option("--checkpoint-interval", a.checkpoint_interval, "Seconds between checkpoints (default 60; 0: "
                                                                      "every level)");
  check->add_option("--resume", a.resume, "Continue the search saved in DIR by --checkpoint (same protocol, "
                                          "parameters and faults); checkpoints continue there");
  check->add_flag("--minimise,--minimize", a.minimise,
                  "After a violation, find the counterexample with the fewest fault events, then fewest steps");

  SimulateArgs sa;
  auto* simulate = app.add_subcommand("simulate", "Random walks through a protocol (not exhaustive): for spaces too "
                                                  "big to check; a violation gives a replayable trace");
  simulate->add_option("protocol", sa.protocol, "Protocol name (see `faultline list`)")->required();
  simulate->add_option("--param", sa.params, "Protocol parameter NAME=VALUE (repeatable)")->allow_extra_args(false);
  simulate->add_option("--faults", sa.faults, "Fault budget, e.g. loss=1,dup=1,crash=1");
  simulate->add_option("--walks", sa.walks, "Number of walks (default 10000)");
  simulate->add_option("--depth", sa.depth, "Steps per walk at most (default 100)");
  simulate->add_option("--seed", sa.seed, "Seed: the same seed gives the same walks (default 1)");
  simulate->add_option("--time-limit", sa.time_limit, "Stop starting walks after SEC seconds");
  simulate->add_flag("--swarm", sa.swarm, "Give each walk its own configuration: fault kinds on or off, step biases");
  simulate->add_option("--threads", sa.threads, "Worker threads (default: every core); results do not depend on it");
  simulate->add_option("--json", sa.json, "Write a JSON report (with a \"simulation\" coverage section) to FILE");
  simulate->add_option("--trace", sa.trace, "Write the counterexample to FILE.json for replay and show");

  std::string replay_file;
  bool replay_full = false;
  auto* replay = app.add_subcommand("replay", "Re-run a saved trace against the current model (exit 1: still "
                                              "violated, 0: fixed, 2: malformed or mismatching)");
  replay->add_option("file", replay_file, "Trace file written by check --trace")->required();
  replay->add_flag("--full", replay_full, "Print full states instead of changed fields");

  std::string show_file, show_html;
  bool show_full = false, show_mermaid = false;
  auto* show = app.add_subcommand("show", "Read a saved trace as text, a Mermaid diagram, or an HTML page");
  show->add_option("file", show_file, "Trace file written by check --trace")->required();
  show->add_flag("--full", show_full, "Print full states instead of changed fields");
  show->add_flag("--mermaid", show_mermaid, "Print a Mermaid sequenceDiagram");
  show->add_option("--html", show_html, "Write a self-contained HTML page to OUT.html");

  // Under mpirun only rank 0 says anything; a usage error is the same on every rank.
  const auto error = [&](std::string_view what) {
    if (mpi.rank() == 0) fmt::print(stderr, "faultline: error: {}\n", what);
    return exit_usage;
  };
  try {
    app.parse(argc, argv);
    if (mpi.rank() != 0 && !*check && !*simulate) return exit_ok;  // the other commands run on rank 0 alone
    if (*list) {
      print_list(list_json);
      return exit_ok;
    }
    if (*replay) return run_replay(replay_file, replay_full);
    if (*show) return run_show(show_file, show_full, show_mermaid, show_html);
    if (*simulate) return run_simulate(sa, mpi.cluster());
    return run_check(a, mpi.cluster());
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return error(e.what());
  } catch (const UsageError& e) {
    return error(e.what());
  } catch (const mc::CheckpointError& e) {
    return error(e.what());
  } catch (const std::exception& e) {
    if (mpi.size() == 1) {
      fmt::print(stderr, "faultline: internal error: {}\n", e.what());
      return 4;
    }
    fmt::print(stderr, "faultline: internal error on MPI rank {}: {}\n", mpi.rank(), e.what());
    mpi.abort(4);  // the other ranks may be waiting for this one
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (mc::cli::started_by_mpi_launcher() && !mc::cli::built_with_mpi()) {
    fmt::print(stderr, "faultline: error: started by mpirun, but this faultline was built without MPI (install "
                       "libopenmpi-dev and rebuild), or run it without mpirun\n");
    return exit_usage;
  }
  std::optional<mc::cli::MpiSession> mpi;
  try {
    mpi.emplace(argc, argv);  // first: MPI may take its own arguments out of argv
  } catch (const std::exception& e) {
    fmt::print(stderr, "faultline: error: {}\n", e.what());
    return exit_usage;
  }
  if (mpi->rank() != 0 && !std::freopen("/dev/null", "w", stdout)) return exit_usage;
  return run(argc, argv, *mpi);
}
