// The program's commands for any set of models: `list`, `check`, `simulate`, `replay`, `show`, `run`, `validate`,
// `explore`, with limits, reports, trace files, progress, MPI and exit codes: 0 every property holds (search
// complete), 1 violation, 2 bad usage or input, 3 incomplete. `faultline` and every user program run exactly this code.
#include "mc/program.hpp"
#include "mc/program/commands.hpp"
#include "mc/program/console.hpp"
#include "mc/program/explore_server.hpp"
#include "mc/program/mpi_session.hpp"
#include "mc/program/output_file.hpp"
#include "mc/program/suggest.hpp"
#include "mc/program/render.hpp"
#include "mc/program/run_commands.hpp"
#include "mc/program/trace_file.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <atomic>
#include <memory>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <set>
#include <charconv>
#include <algorithm>
#include <sys/stat.h>
#include <unistd.h>

namespace {

using mc::UsageError;
using mc::program::exit_incomplete;
using mc::program::exit_ok;
using mc::program::exit_usage;
using mc::program::exit_violation;
using mc::program::say;
using mc::program::say_err;
using mc::program::ProtocolEntry;
using mc::program::Catalog;
using mc::program::CheckArgs;
using mc::program::fault_budget;
using mc::program::interrupted;
using mc::program::open_on_root;
using mc::program::parse_threads;
using mc::program::stop_on_signals;

extern "C" void on_signal(int) { interrupted.store(true); }

void print_list(const Catalog& models, bool as_json) {
  if (as_json) {
    nlohmann::json all = nlohmann::json::array();
    for (const auto& p : models.entries) {
      nlohmann::json params = nlohmann::json::array();
      for (const auto& s : p.params) {
        nlohmann::json pj{{"name", s.name}, {"help", s.help}, {"default", s.default_value}};
        if (s.choices.empty()) pj["min"] = s.min, pj["max"] = s.max;
        else pj["choices"] = s.choices;
        params.push_back(pj);
      }
      if (p.faults) params.push_back({{"name", "faults"}, {"default", p.faults->to_spec()}});
      nlohmann::json props = nlohmann::json::array();
      for (const auto& prop : p.properties(mc::program::parse_params(p.name, p.params, {})))
        props.push_back({{"name", prop.name}, {"kind", prop.kind}});
      nlohmann::json entry{{"name", p.name}, {"summary", p.summary}, {"source", p.source}, {"params", params},
                           {"properties", props}};
      if (p.faults) entry["default_faults"] = p.faults->to_spec();
      all.push_back(std::move(entry));
    }
    std::cout << all.dump(2) << "\n";
    return;
  }
  for (const auto& p : models.entries) {
    say("{}\n  {}\n  source: {}\n", p.name, p.summary, p.source);
    for (const auto& s : p.params) {
      if (s.choices.empty())
        say("  --param {}=N   {} ({}..{}, default {})\n", s.name, s.help, s.min, s.max, s.default_value);
      else
        say("  --param {}=X   {} (one of {}, default {})\n", s.name, s.help, fmt::join(s.choices, ", "),
                   s.default_value);
    }
    if (p.faults) say("  --faults {}   default fault budget\n", p.faults->to_spec());
    for (const auto& prop : p.properties(mc::program::parse_params(p.name, p.params, {})))
      say("  {} {}\n", prop.kind, prop.name);
  }
}



/// `replay FILE`: re-executes a saved trace against the current model. Exit 1: still violated; 0: fixed; 2: mismatch.
int run_replay(const Catalog& models, const std::string& path, bool full) {
  const mc::program::TraceFile t = mc::program::read_trace_file(path);
  if (!t.program.empty() && t.program != models.program &&
      std::none_of(models.entries.begin(), models.entries.end(), [&](const auto& e) { return e.name == t.protocol; }))
    throw UsageError(fmt::format("{}: the trace is of {}, a model of the program {}: replay it with {} replay", path,
                                 t.protocol, t.program, t.program));
  const auto& entry = models.find(t.protocol);
  const mc::Params params = mc::program::parse_params(entry.name, entry.params, t.param_assignments);
  mc::FaultBudget faults{};
  if (entry.faults) {  // the file states the whole budget the trace was found under
    if (!t.faults) faults = *entry.faults;
    else if (auto error = mc::parse_fault_budget(*t.faults, faults)) throw UsageError("trace file faults: " + *error);
  }
  const mc::ReplayResult r = entry.replay(params, faults, t.steps(), t.property, t.cycle_start);
  if (r.status == mc::ReplayResult::Status::mismatch) {
    throw UsageError(r.step ? fmt::format("{}: step {}: {}", path, *r.step, r.reason) : fmt::format("{}: {}", path, r.reason));
  }
  say("Replaying {} against {}: {}\n{}", path, entry.name, mc::program::steps_words(t.steps().size() - 1),
      mc::format_steps(t.steps(), full, t.shape()));
  if (r.diverged_at)
    say("Note: from step {} the model's states differ from the saved ones ({}): the model has changed.\n",
               *r.diverged_at, r.divergence);
  const bool witness = t.doc.value("kind", std::string()) == "sometimes";
  if (r.reproduced()) {
    if (witness) say("Reproduced: the goal {} is still reached.\n", t.property);
    else if (t.lasso)
      say("Reproduced: {} is still violated: every step replays, the cycle closes, it is fair, and the property fails "
          "along it.\n", t.property);
    else say("Reproduced: {} is still violated.\n", t.property);
    return exit_violation;
  }
  if (witness) say("Every step replays, but the goal {} is no longer reached.\n", t.property);
  else say("Every step replays, but {} is no longer violated: the bug is fixed.\n", t.property);
  return exit_ok;
}

/// `show FILE`: the trace as text (default), Mermaid, or a self-contained HTML page.
int run_show(const std::string& path, bool full, bool mermaid, const std::string& html) {
  const mc::program::OutputFile page("--html", html);
  mc::program::refuse_same_file({&page}, path, "trace file");
  const mc::program::TraceFile t = mc::program::read_trace_file(path);
  if (page.wanted()) {
    page.write(mc::program::render_html(t.doc));
    say("Wrote {}\n", html);
  }
  if (mermaid) say("{}", mc::program::render_mermaid(t.doc));
  if (!mermaid && !page.wanted()) {
    say("{}: {} ({}) {}, {}\n{}", t.protocol, t.property, t.doc.value("kind", std::string()),
               t.doc.value("outcome", std::string()), mc::program::steps_words(t.steps().size() - 1),
               mc::program::explained_trace(mc::format_steps(t.steps(), full, t.shape()),
                                            t.doc.value("explanation", std::string())));
  }
  return exit_ok;
}


struct SimulateArgs {
  std::string protocol, threads, walks, depth, seed, time_limit, json, faults, trace;
  std::vector<std::string> params;
  bool swarm = false;
};

/// `simulate`: random walks (swarm walks with --swarm). Exit 1: a walk broke an invariant; 0: none did (which
/// proves nothing: the report says what was sampled).
int run_simulate(const Catalog& models, const SimulateArgs& a, const mc::Cluster* cluster) {
  const auto& entry = models.find(a.protocol);
  const mc::Params params = mc::program::parse_params(entry.name, entry.params, a.params);
  entry.properties(params);  // rejected parameters are reported before any walk
  mc::SimulateOptions o;
  if (!a.walks.empty() && (o.walks = mc::program::parse_count("--walks", a.walks)) == 0)
    throw UsageError("--walks: must be at least 1");
  if (!a.depth.empty() && (o.depth = mc::program::parse_count("--depth", a.depth)) == 0)
    throw UsageError("--depth: must be at least 1");
  if (o.depth > 1000000) throw UsageError("--depth: at most 1000000 steps per walk");
  if (!a.seed.empty()) o.seed = mc::program::parse_count("--seed", a.seed);
  if (!a.time_limit.empty()) o.time_limit = mc::program::parse_seconds("--time-limit", a.time_limit);
  if (!a.threads.empty()) o.threads = parse_threads(a.threads);
  o.swarm = a.swarm;
  const mc::FaultBudget faults = fault_budget(entry, params, a.faults, false, "--faults");
  mc::program::OutputFile json_out, trace_out;
  if (!open_on_root(cluster, {{"--json", a.json, json_out}, {"--trace", a.trace, trace_out}})) return exit_usage;
  o.cluster = cluster;
  o.stop = &interrupted;
  stop_on_signals(/*usr1=*/true);  // what mpirun passes on to every rank: a stop ending in exit 3
  std::string described;
  for (const auto& [k, v] : params.values()) described += (described.empty() ? "" : ", ") + k + "=" + v;
  say("Simulating {}{}: {} {}walks of at most {} steps, seed {}{} (not exhaustive)\n", entry.name,
             described.empty() ? "" : " {" + described + "}", o.walks, o.swarm ? "swarm " : "random ", o.depth, o.seed,
             entry.faults ? ", faults " + faults.to_spec() : "");
  std::fflush(stdout);
  mc::program::SimulationReport s = entry.simulate(params, faults, o);
  s.report.program = models.program;
  s.report.protocol = entry.name;
  s.report.params = params.values();
  if (entry.faults) s.report.faults = faults;
  const std::optional<nlohmann::json> trace_doc = mc::program::trace_document(s.report);
  if (!cluster || cluster->rank == 0) {
    json_out.write(mc::program::simulation_to_json(s).dump(2) + "\n");
    if (trace_doc) trace_out.write(trace_doc->dump(2) + "\n");
  }
  say("{}", mc::program::simulation_to_text(s));
  if (trace_out.wanted()) {
    if (trace_doc) say("Trace written to {}\n", a.trace);
    else say("No trace to write: no violation ({} left as it was)\n", a.trace);
  }
  if (s.report.violation >= 0) return exit_violation;
  return interrupted.load() || (!s.coverage.complete && s.coverage.stop_reason != "violation found") ? exit_incomplete
                                                                                                      : exit_ok;
}

/// `run`: the protocol's actors as a local cluster on loopback (mc/program/run_commands.cpp).
int run_run(const Catalog& models, const mc::program::RunArgs& a) {
  const auto& entry = models.find(a.protocol);
  const mc::Params params = mc::program::parse_params(entry.name, entry.params, a.params);
  entry.properties(params);
  const mc::FaultBudget faults = fault_budget(entry, params, a.faults, false, "--faults");
  stop_on_signals();
  return mc::program::run_cluster(models.program, entry, params, faults, a, interrupted);
}

/// `validate`: a log against the model, with the parameters and faults its header records unless given.
int run_validate(const Catalog& models, const mc::program::ValidateArgs& a) {
  const auto& entry = models.find(a.protocol);
  const std::optional<nlohmann::json> header = mc::program::read_log_header(a.log);
  if (header && header->contains("protocol") && (*header)["protocol"] != entry.name)
    throw UsageError(fmt::format("{} is a log of {}, not of {}", a.log, (*header)["protocol"].dump(), entry.name));
  const std::vector<std::string> assignments =
      a.params.empty() && header ? mc::program::header_params(*header) : a.params;
  const mc::Params params = mc::program::parse_params(entry.name, entry.params, assignments);
  entry.properties(params);
  std::string spec = a.faults;
  if (spec.empty() && header && header->contains("faults") && (*header)["faults"].is_string())
    spec = (*header)["faults"].get<std::string>();
  const mc::FaultBudget faults = fault_budget(entry, params, spec, false, "--faults");
  return mc::program::validate_run(entry, params, faults, a);
}

struct ExploreArgs {
  std::string protocol, faults, port = "0", listen = "127.0.0.1", trace;
  std::vector<std::string> params;
};

/// `explore`: the web explorer on loopback (mc/program/explore_server.cpp) until Ctrl-C; with --trace it opens at
/// the trace's last state, under the parameters and faults the trace records unless given.
int run_explore(const Catalog& models, const ExploreArgs& a) {
  const auto& entry = models.find(a.protocol);
  std::optional<mc::program::TraceFile> trace;
  if (!a.trace.empty()) {
    trace = mc::program::read_trace_file(a.trace);
    if (trace->protocol != entry.name)
      throw UsageError(fmt::format("{} is a trace of {}, not of {}", a.trace, trace->protocol, entry.name));
  }
  const mc::Params params = mc::program::parse_params(entry.name, entry.params,
                                                      a.params.empty() && trace ? trace->param_assignments : a.params);
  entry.properties(params);
  const std::string spec = a.faults.empty() && trace && trace->faults ? *trace->faults : a.faults;
  const mc::FaultBudget faults = fault_budget(entry, params, spec, false, "--faults");
  unsigned port = 0;
  const auto [end, ec] = std::from_chars(a.port.data(), a.port.data() + a.port.size(), port);
  if (ec != std::errc() || end != a.port.data() + a.port.size() || port > 65535)
    throw UsageError(fmt::format("--port: expected a port number from 0 (a free one) to 65535, not '{}'", a.port));
  const auto session = entry.explore(params, faults);
  mc::program::ExploreServerOptions o;
  o.listen = a.listen;
  o.port = static_cast<unsigned short>(port);
  o.model = {{"program", models.program}, {"protocol", entry.name}, {"params", params.values()}};
  if (entry.faults) o.model["faults"] = faults.to_spec();
  if (trace) {
    try {
      o.start = session->path_of_trace(trace->steps());
    } catch (const mc::program::PathError& e) {
      throw UsageError(fmt::format("{}: {}", a.trace, e.what()));
    }
  }
  stop_on_signals();
  mc::program::serve_explorer(*session, o, interrupted, [&](const std::string& url) {
    say("{}\n", url);
    std::fflush(stdout);
    say_err("{}: exploring {} at {} (Ctrl-C stops)\n", models.program, entry.name, url);
  });
  say_err("{}: stopped\n", models.program);
  return exit_ok;
}

/// The program's commands, in the order they were declared.
std::vector<std::string> command_names(const CLI::App& app) {
  std::vector<std::string> out;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) out.push_back(sub->get_name());
  return out;
}

/// A likely-meant command or option for a command line CLI11 rejected: the first word that is neither a known
/// command (in first place) nor an option of the command given, compared with the known ones.
std::string suggestion(const CLI::App& app, int argc, char** argv) {
  const std::vector<std::string> commands = command_names(app);
  if (argc < 2) return "";
  const std::string first = argv[1];
  if (first.empty() || first[0] == '-') return "";
  const CLI::App* sub = nullptr;
  for (const CLI::App* s : app.get_subcommands([](const CLI::App*) { return true; }))
    if (s->get_name() == first) sub = s;
  if (!sub) return mc::program::did_you_mean(first, commands);
  std::vector<std::string> options;
  for (const CLI::Option* o : sub->get_options())
    for (const auto& n : o->get_lnames()) options.push_back("--" + n);
  for (int i = 2; i < argc; ++i) {
    std::string word = argv[i];
    if (!word.starts_with("--")) continue;
    word = word.substr(0, word.find('='));
    if (std::find(options.begin(), options.end(), word) == options.end()) return mc::program::did_you_mean(word, options);
  }
  return "";
}

/// The words every command on one protocol takes: its name, then `--param NAME=VALUE` (repeatable).
void add_protocol_words(CLI::App* command, const Catalog& models, std::string& protocol,
                        std::vector<std::string>& params, const char* params_help = "Protocol parameter NAME=VALUE (repeatable)") {
  command->add_option("protocol", protocol, fmt::format("Protocol name (see `{} list`)", models.program))->required();
  command->add_option("--param", params, params_help)->allow_extra_args(false);
}

int run_command(const Catalog& models, const std::string& summary, const std::string& version, int argc, char** argv,
        const mc::program::MpiSession& mpi) {
  CLI::App app{fmt::format("{}: {}", models.program, summary), models.program};
  app.require_subcommand(1);
  app.set_version_flag("--version", fmt::format("{} {}", models.program, version));

  bool list_json = false;
  auto* list = app.add_subcommand("list", "List the protocols, their parameters and properties");
  list->add_flag("--json", list_json, "Print the list as JSON");

  CheckArgs a;
  auto* check = app.add_subcommand("check", "Explore every reachable state of a protocol and check its properties");
  add_protocol_words(check, models, a.protocol, a.params);
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
  check->add_option("--property", a.properties, "Check only this property (repeatable); the others are not evaluated")
      ->allow_extra_args(false);
  check->add_flag("--coverage", a.coverage,
                  "Count the steps taken per kind (deliveries per actor and message type, timers, faults; a plain "
                  "model's actions) and warn of every kind never taken");
  check->add_flag("--continue", a.keep_going,
                  "Keep searching after a violation, so every property gets its own verdict and shortest trace");
  check->add_option("--json", a.json, "Write a JSON report to FILE");
  check->add_option("--junit", a.junit, "Write a JUnit XML report to FILE (one test case per property)");
  check->add_option("--faults", a.faults, "Fault budget, e.g. loss=1,dup=1,crash=1,restart=1,partition=1");
  check->add_flag("--sweep", a.sweep, "Check every budget from 0 up to --faults, and every value of each --param NAME=LO..HI, as one table");
  check->add_option("--trace", a.trace, "Write the counterexample (or a witness) to FILE.json for replay and show");
  check->add_option("--checkpoint", a.checkpoint,
                    "Save the search to DIR between levels (every --checkpoint-interval s), when stopped, and at the end");
  check->add_option("--progress-interval", a.progress_interval,
                    "When stderr is not a terminal, a timestamped progress line every SEC seconds (default 10; 0: "
                    "none)");
  check->add_flag("--overwrite-checkpoint", a.overwrite_checkpoint,
                  "Let --checkpoint DIR replace the checkpoint DIR holds (without it, that is refused: use --resume)");
  check->add_option("--checkpoint-interval", a.checkpoint_interval, "Seconds between checkpoints (default 60; 0: "
                                                                      "every level)");
  check->add_option("--resume", a.resume, "Continue the search saved in DIR by --checkpoint (same protocol, "
                                          "parameters and faults); checkpoints continue there");
  check->add_flag("--minimise,--minimize", a.minimise,
                  "After a violation, find the counterexample with the fewest fault events, then fewest steps");

  SimulateArgs sa;
  auto* simulate = app.add_subcommand("simulate", "Random walks through a protocol (not exhaustive): for spaces too "
                                                  "big to check; a violation gives a replayable trace");
  add_protocol_words(simulate, models, sa.protocol, sa.params);
  simulate->add_option("--faults", sa.faults, "Fault budget, e.g. loss=1,dup=1,crash=1");
  simulate->add_option("--walks", sa.walks, "Number of walks (default 10000)");
  simulate->add_option("--depth", sa.depth, "Steps per walk at most (default 100)");
  simulate->add_option("--seed", sa.seed, "Seed: the same seed gives the same walks (default 1)");
  simulate->add_option("--time-limit", sa.time_limit, "Stop starting walks after SEC seconds");
  simulate->add_flag("--swarm", sa.swarm, "Give each walk its own configuration: fault kinds on or off, step biases");
  simulate->add_option("--threads", sa.threads, "Worker threads (default: every core); results do not depend on it");
  simulate->add_option("--json", sa.json, "Write a JSON report (with a \"simulation\" coverage section) to FILE");
  simulate->add_option("--trace", sa.trace, "Write the counterexample to FILE.json for replay and show");

  mc::program::RunArgs ra;
  auto* run = app.add_subcommand("run", "Run a protocol's actors for real as a local cluster on 127.0.0.1 (UDP), with "
                                        "seeded faults, checking its invariants on every event");
  add_protocol_words(run, models, ra.protocol, ra.params);
  run->add_option("--faults", ra.faults, "Fault budget the schedule draws from, e.g. loss=2,dup=2,crash=1,restart=1");
  run->add_option("--duration", ra.duration, "Seconds to run (default 5)");
  run->add_option("--tick-ms", ra.tick_ms, "Milliseconds a tick lasts: a timer fires 1-3 ticks after it is set "
                                           "(default 20)");
  run->add_option("--seed", ra.seed, "Seed of the fault schedule: the same seed, the same schedule (default 1)");
  run->add_option("--max-events", ra.max_events, "Stop after this many events (default 200000)");
  run->add_option("--log", ra.log, "Write the event log (JSON lines) to FILE");
  run->add_option("--trace", ra.trace, "Where a broken property's trace goes (default: beside the log, LOG.trace.json)");

  mc::program::ValidateArgs va;
  auto* validate = app.add_subcommand("validate", "Check that an event log is a behaviour of the model (exit 0: it "
                                                  "is, 1: it is not, 2: malformed, 3: inconclusive)");
  add_protocol_words(validate, models, va.protocol, va.params,
                     "Protocol parameter NAME=VALUE (default: those the log's header records)");
  validate->add_option("log", va.log, "Event log (JSON lines) written by run or by any implementation")->required();
  validate->add_option("--faults", va.faults, "Fault budget (default: the log's header, else the protocol's)");
  validate->add_option("--max-candidates", va.max_candidates, "States the log may be in at once (default 256)");
  validate->add_option("--max-interleavings", va.max_interleavings,
                       "Per-node logs: configurations the search may visit (default 200000)");

  ExploreArgs ea;
  auto* explore = app.add_subcommand("explore", "Step through a protocol's states in a browser: a page on "
                                                "127.0.0.1 with every enabled step, fault by fault, and a search");
  add_protocol_words(explore, models, ea.protocol, ea.params,
                     "Protocol parameter NAME=VALUE (default: those the --trace file records)");
  explore->add_option("--faults", ea.faults, "Fault budget the steps offered may use (default: the protocol's)");
  explore->add_option("--port", ea.port, "TCP port (default 0: a free one; the address is printed)");
  explore->add_option("--listen", ea.listen, "Address to listen on (default 127.0.0.1; another exposes the "
                                             "explorer beyond this machine)");
  explore->add_option("--trace", ea.trace, "Open at the last state of this trace file");

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
    if (mpi.rank() == 0) say_err("{}: error: {}\n", models.program, what);
    return exit_usage;
  };
  try {
    const std::vector<std::string> commands = command_names(app);
    if (argc >= 2 && argv[1][0] != '-' && std::find(commands.begin(), commands.end(), argv[1]) == commands.end()) {
      throw UsageError(fmt::format("unknown command '{}'{} (commands: {})", argv[1],
                                   mc::program::did_you_mean(argv[1], commands), fmt::join(commands, ", ")));
    }
    app.parse(argc, argv);
    if (mpi.rank() != 0 && !*check && !*simulate) return exit_ok;  // the other commands run on rank 0 alone
    if (*list) {
      print_list(models, list_json);
      return exit_ok;
    }
    if (*replay) return run_replay(models, replay_file, replay_full);
    if (*show) return run_show(show_file, show_full, show_mermaid, show_html);
    if (*simulate) return run_simulate(models, sa, mpi.cluster());
    if (*run) return run_run(models, ra);
    if (*validate) return run_validate(models, va);
    if (*explore) return run_explore(models, ea);
    return run_check(models, a, mpi.cluster());
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return error(std::string(e.what()) + suggestion(app, argc, argv));
  } catch (const UsageError& e) {
    return error(e.what());
  } catch (const mc::CheckpointError& e) {
    return error(e.what());
  } catch (const mc::UnsupportedCheck& e) {
    return error(e.what());
  } catch (const mc::run::EventLogError& e) {
    return error(e.what());
  } catch (const std::exception& e) {
    if (mpi.size() == 1) {
      say_err("{}: internal error: {}\n", models.program, e.what());
      return 4;
    }
    say_err("{}: internal error on MPI rank {}: {}\n", models.program, mpi.rank(), e.what());
    mpi.abort(4);  // the other ranks may be waiting for this one
  }
}

}  // namespace

std::atomic<bool> mc::program::interrupted{false};

void mc::program::stop_on_signals(bool usr1) {
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  if (usr1) std::signal(SIGUSR1, on_signal);
}

const mc::program::ProtocolEntry& mc::program::Catalog::find(const std::string& name) const {
  for (const auto& p : entries)
    if (p.name == name) return p;
  std::string known;
  std::vector<std::string> names;
  for (const auto& p : entries) known += (known.empty() ? "" : ", ") + p.name, names.push_back(p.name);
  throw UsageError(fmt::format("unknown protocol '{}'{} (known: {})", name, did_you_mean(name, names), known));
}

mc::Program::Program(std::string name, std::string summary, std::string version)
    : name_(std::move(name)), summary_(std::move(summary)), version_(std::move(version)) {
  if (name_.empty()) throw std::invalid_argument("mc::Program: the program needs a name (used in messages and help)");
}

void mc::Program::add_entry(program::ProtocolEntry entry) {
  if (entry.name.empty() || entry.name.find_first_of(" \t\n=,") != std::string::npos || entry.name.front() == '-')
    throw std::invalid_argument(fmt::format("mc::Program::add: '{}' is not a model name (letters, digits, '-', '_')",
                                            entry.name));
  for (const auto& e : entries_)
    if (e.name == entry.name) throw std::invalid_argument(fmt::format("mc::Program::add: '{}' added twice", entry.name));
  std::set<std::string> params;
  for (const auto& p : entry.params) {
    if (!params.insert(p.name).second)
      throw std::invalid_argument(fmt::format("mc::Program::add({}): parameter '{}' declared twice", entry.name, p.name));
    const bool in_choices = std::find(p.choices.begin(), p.choices.end(), p.default_value) != p.choices.end();
    std::int64_t v = 0;
    const bool in_range = p.choices.empty() && std::from_chars(p.default_value.data(), p.default_value.data() +
                                                                                        p.default_value.size(), v).ec ==
                                                   std::errc() && v >= p.min && v <= p.max;
    if (!in_choices && !in_range)
      throw std::invalid_argument(fmt::format("mc::Program::add({}): parameter '{}' has default '{}' outside its "
                                              "declared values", entry.name, p.name, p.default_value));
  }
  entries_.push_back(std::move(entry));
}

int mc::Program::run(int argc, char** argv) const {
  const std::string& program = name_;
  if (mc::program::started_by_mpi_launcher() && !mc::program::built_with_mpi()) {
    say_err("{0}: error: started by mpirun, but {0} was built without MPI (install libopenmpi-dev and "
                       "rebuild), or run it without mpirun\n", program);
    return exit_usage;
  }
  std::optional<mc::program::MpiSession> mpi;
  try {
    mpi.emplace(argc, argv);  // first: MPI may take its own arguments out of argv
  } catch (const std::exception& e) {
    say_err("{}: error: {}\n", program, e.what());
    return exit_usage;
  }
  if (mpi->rank() != 0 && !std::freopen("/dev/null", "w", stdout)) return exit_usage;
  std::signal(SIGPIPE, SIG_IGN);  // a closed pipe on stdout must not end the run before its files are written
  Catalog models{program, entries_};
  std::sort(models.entries.begin(), models.entries.end(), [](const auto& x, const auto& y) { return x.name < y.name; });
  const int code = run_command(models, summary_, version_, argc, argv, *mpi);
  errno = 0;
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
    const int error = errno;
    struct stat st {};  // on a pipe or socket the reader left (EPIPE): not our failure, the exit code stands
    const bool pipe = ::fstat(STDOUT_FILENO, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode));
    if (!pipe) {
      say_err("{}: error: cannot write to standard output: {}\n", program, std::strerror(error ? error : EIO));
      return exit_usage;
    }
  }
  return code;
}
