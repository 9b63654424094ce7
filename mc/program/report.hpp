// The outcome of one `faultline check`, with traces already rendered: what the screen and JSON report show.
// `make_report` is the only place a typed CheckResult is turned into text, so protocols stay screen-agnostic.
#pragma once

#include "mc/actor/fault_budget.hpp"
#include "mc/check.hpp"
#include "mc/simulate.hpp"
#include "mc/core/json.hpp"
#include "mc/trace/json.hpp"
#include "mc/trace/minimise.hpp"
#include "mc/trace/text.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace mc::program {

struct PropertyReport {
  std::string name;
  std::string kind;
  std::string outcome;
  std::string trace_text;        ///< empty when there is no trace
  nlohmann::json trace_json;     ///< [{action, state}], null when there is no trace
  std::size_t trace_length = 0;  ///< states in the trace
  std::size_t fault_events = 0;  ///< losses, duplicates, crashes, restarts and partitions in the trace
  std::string explanation;       ///< the property's account of why the trace's last state breaks it, if any
  std::vector<std::string> explanation_fields;  ///< the fields of that state the account is about
  bool lasso = false;            ///< a liveness counterexample: a path, then a cycle (or stuttering) forever
  std::optional<std::size_t> cycle_start;  ///< lasso: the step (0-based) the last step returns to; none: stutters
  std::vector<std::string> fairness;       ///< lasso: how its cycle meets each fairness condition
};

/// Lengths before and after `--minimise` (steps = states - 1). `proven` is false when the minimisation was cut
/// short (a limit, Ctrl-C) before fewer faults were ruled out: the trace is then the best found, `stop_reason` why.
struct Minimised {
  std::size_t original_steps = 0, original_faults = 0, steps = 0, faults = 0;
  bool proven = true;
  std::string stop_reason;
};

struct Report {
  std::string program;   ///< the program that ran the check, e.g. "faultline"
  std::string protocol;
  std::map<std::string, std::string> params;
  RunStatus status = RunStatus::incomplete;
  Stats stats;
  bool exact = false;
  std::optional<FaultBudget> faults;  ///< the budget an actor system was explored under
  std::vector<PropertyReport> properties;
  int violation = -1;  ///< index into properties of the failure to lead with, or -1
  std::optional<Minimised> minimised;
  std::vector<std::string> only_properties;  ///< `--property`: the properties checked (empty: all)
  bool keep_going = false;                   ///< `--continue`: every property has its own verdict and trace
  std::string liveness_left_out;             ///< why the model's liveness properties were not checked, if so
};


template <Model M>
Report make_report(const CheckResult<M>& result, bool exact) {
  Report r;
  r.status = result.status;
  r.stats = result.stats;
  r.exact = exact;
  const auto* lead = result.violation();
  for (const auto& p : result.properties) {
    PropertyReport pr;
    pr.name = p.name;
    pr.kind = to_string_view(p.kind);
    pr.outcome = to_string_view(p.outcome);
    if (p.trace) {
      pr.trace_text = format_trace(*p.trace);
      pr.trace_json = trace_to_json(*p.trace);
      pr.trace_length = p.trace->size();
      pr.fault_events = fault_events(*p.trace);
      pr.explanation = p.explanation;
      pr.explanation_fields = p.explanation_fields;
      pr.lasso = p.trace->lasso;
      pr.cycle_start = p.trace->cycle_start;
      pr.fairness = p.fairness;
    }
    if (&p == lead) r.violation = static_cast<int>(r.properties.size());
    r.properties.push_back(std::move(pr));
  }
  return r;
}

/// Replaces the leading violation's trace by the one with the fewest fault events (then steps), when shorter.
template <Model M>
void minimise_report(Report& r, const M& model, const ExploreOptions& options) {
  if constexpr (FaultCountingModel<M>) {
    if (r.violation < 0) return;
    auto& p = r.properties[static_cast<std::size_t>(r.violation)];
    if (p.outcome != "violated" || p.lasso) return;  // a lasso is not minimised (yet): its prefix is shortest
    Minimised m{p.trace_length - 1, p.fault_events, p.trace_length - 1, p.fault_events, true, {}};
    ExploreOptions rest = options;  // --time-limit bounds the whole run: the minimisation gets what is left
    rest.on_search_start = {};
    if (rest.time_limit > 0) rest.time_limit = std::max(1e-3, rest.time_limit - r.stats.seconds);
    MinimiseResult info;
    if (auto t = minimise(model, p.name, p.fault_events, rest, &info)) {
      p.trace_text = format_trace(*t);
      p.trace_json = trace_to_json(*t);
      p.trace_length = t->size();
      p.fault_events = fault_events(*t);
      for (const auto& prop : model.properties())
        if (prop.name == p.name && prop.explain) {
          Explanation e = prop.explain(t->steps.back().state);
          p.explanation = std::move(e.text);
          p.explanation_fields = std::move(e.fields);
        }
      m.steps = t->size() - 1;
      m.faults = p.fault_events;
    }
    m.proven = info.proven;
    m.stop_reason = info.stop_reason;
    r.minimised = m;
  } else {
    if (r.violation >= 0) {
      const auto& p = r.properties[static_cast<std::size_t>(r.violation)];
      if (p.outcome == "violated" && !p.lasso) r.minimised = Minimised{p.trace_length - 1, 0, p.trace_length - 1, 0, true, {}};
    }
  }
}

/// The outcome of `faultline simulate`: a Report (its violation and trace, as a check would give them) plus what
/// the walks sampled. Never "ok": without a violation the result says what was sampled, not that the design is safe.
struct SimulationReport {
  Report report;
  Coverage coverage;
  std::uint64_t walk = 0;  ///< the walk that found the violation
  SimulateOptions options;
  unsigned ranks = 1;      ///< processes that shared the walks (under MPI)
};

template <Model M>
SimulationReport make_simulation_report(const M& model, const SimulationResult<M>& r, const SimulateOptions& o) {
  SimulationReport out{{}, r.coverage, r.walk, o, r.ranks};
  Report& rep = out.report;
  rep.status = r.property ? RunStatus::violation : RunStatus::incomplete;
  rep.stats.distinct = r.coverage.distinct;
  rep.stats.generated = r.coverage.steps;
  rep.stats.seconds = r.seconds;
  rep.stats.threads = r.threads;
  rep.stats.complete = false;
  rep.stats.stop_reason = r.coverage.stop_reason.empty() ? "simulation: not exhaustive" : r.coverage.stop_reason;
  const auto props = model.properties();
  for (std::size_t i = 0; i < props.size(); ++i) {
    PropertyReport pr;
    pr.name = props[i].name;
    pr.kind = to_string_view(props[i].kind);
    pr.outcome = "not decided";
    if (props[i].kind == PropertyKind::sometimes && r.coverage.goals.count(props[i].name)) pr.outcome = "found";
    if (r.property == i) {
      pr.outcome = "violated";
      pr.trace_text = format_trace(*r.trace);
      pr.trace_json = trace_to_json(*r.trace);
      pr.trace_length = r.trace->size();
      pr.fault_events = fault_events(*r.trace);
      if (props[i].explain) {
        Explanation e = props[i].explain(r.trace->last());
        pr.explanation = std::move(e.text);
        pr.explanation_fields = std::move(e.fields);
      }
      rep.violation = static_cast<int>(i);
    }
    rep.properties.push_back(std::move(pr));
  }
  return out;
}

/// "3 steps", "1 step with 1 fault event": a trace's length in the one vocabulary of every report. Steps are the
/// transitions after the initial state (step 0), numbered from 1; fault events are said for actor systems only.
std::string steps_words(std::size_t steps, std::optional<std::size_t> faults = std::nullopt);

/// A trace with its property's account of it: the reason ("n0 decided 1, n1 decided 2"; of a longer account, its
/// last line) first, where a reader looks; a longer account (a client history as a timeline) after the steps.
std::string explained_trace(const std::string& trace_text, const std::string& explanation);

/// The JSON report CI tools read: protocol, params, result, distinct_states, generated_states, depth, seconds,
/// threads, and on a violation property and trace.
nlohmann::json report_to_json(const Report& r);

/// The final summary printed after a run.
std::string report_to_text(const Report& r);

/// A simulation's result and coverage, as text and as JSON (the check report's keys plus "simulation").
std::string simulation_to_text(const SimulationReport& r);
nlohmann::json simulation_to_json(const SimulationReport& r);

}  // namespace mc::program
