// The text and JSON renderings of check and simulation reports, shared by every model.
#include "mc/program/report.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace mc::program {

namespace {

bool is_liveness_kind(const std::string& kind) {
  return kind == "eventually" || kind == "leads_to" || kind == "eventually_always";
}

bool has_liveness(const Report& r) {
  return std::any_of(r.properties.begin(), r.properties.end(), [](const auto& p) { return is_liveness_kind(p.kind); });
}

/// "once faults stop, under any 1 loss and 1 crash": what a liveness verdict of an actor system is relative to.
std::string once_faults_stop(const Report& r) {
  if (!r.faults) return "";
  return r.faults->describe() == "no faults" ? " (no faults)" : " once faults stop, under " + r.faults->describe();
}

void lasso_json(nlohmann::json& j, const PropertyReport& p) {
  if (!p.lasso) return;
  j["cycle_start"] = p.cycle_start ? nlohmann::json(*p.cycle_start) : nlohmann::json(nullptr);
  j["fairness"] = p.fairness;
}

std::string trace_words(const Report& r, const PropertyReport& p) {
  return steps_words(p.trace_length ? p.trace_length - 1 : 0,
                     r.faults ? std::optional<std::size_t>(p.fault_events) : std::nullopt);
}

std::string explained_trace(const PropertyReport& p) {
  return mc::program::explained_trace(p.trace_text, p.explanation);
}

/// The lines under a lasso: how its cycle is fair.
std::string fairness_text(const PropertyReport& p) {
  if (!p.lasso || p.fairness.empty()) return "";
  std::string out = p.cycle_start ? "  The cycle is fair:\n" : "  Staying in the last state is fair:\n";
  for (const auto& f : p.fairness) out += "    " + f + "\n";
  return out;
}

}  // namespace

std::string explained_trace(const std::string& trace_text, const std::string& e) {
  std::size_t end = e.size();
  while (end > 0 && e[end - 1] == '\n') --end;
  if (end == 0) return trace_text;
  const std::size_t from = e.rfind('\n', end - 1);
  const std::string reason = e.substr(from == std::string::npos ? 0 : from + 1, end - (from == std::string::npos ? 0 : from + 1));
  const std::string why = fmt::format("  Why it fails: {}\n", reason);
  // A one-line reason stands alone; a longer account (its last line the reason) follows the steps it refers to.
  return from == std::string::npos ? why + trace_text : why + trace_text + e;
}

std::string steps_words(std::size_t steps, std::optional<std::size_t> faults) {
  std::string out = fmt::format("{} step{}", steps, steps == 1 ? "" : "s");
  if (faults) out += fmt::format(" with {} fault event{}", *faults, *faults == 1 ? "" : "s");
  return out;
}

nlohmann::json report_to_json(const Report& r) {
  nlohmann::json j;
  j["protocol"] = r.protocol;
  j["params"] = r.params;
  j["result"] = std::string(to_string_view(r.status));
  j["distinct_states"] = r.stats.distinct;
  j["generated_states"] = r.stats.generated;
  j["depth"] = r.stats.depth;
  j["seconds"] = r.stats.seconds;
  j["threads"] = r.stats.threads;
  j["complete"] = r.stats.complete;
  if (!r.stats.stop_reason.empty()) j["stop_reason"] = r.stats.stop_reason;
  j["mode"] = r.exact ? "exact" : "fingerprint";
  if (!r.exact) j["fingerprint_bits"] = r.stats.fingerprint_bits;
  j["symmetry"] = r.stats.symmetry;
  j["visited_bytes_per_state"] =
      r.stats.distinct ? static_cast<double>(r.stats.store_bytes) / static_cast<double>(r.stats.distinct) : 0.0;
  if (r.faults) {
    j["faults"] = r.faults->to_spec();
    if (r.status == RunStatus::ok) j["safe_under"] = r.faults->describe();
  }
  if (r.stats.resumed_from_level) j["resumed_from_level"] = r.stats.resumed_from_level;
  if (r.stats.checkpoint_level) j["checkpoint_level"] = r.stats.checkpoint_level;
  j["collision_probability"] = r.stats.collision_probability;
  j["peak_memory_bytes"] = r.stats.peak_memory;
  j["states_per_second"] = r.stats.seconds > 0 ? static_cast<double>(r.stats.distinct) / r.stats.seconds : 0.0;
  if (!r.stats.ranks.empty()) {
    nlohmann::json ranks = nlohmann::json::array();
    for (std::size_t i = 0; i < r.stats.ranks.size(); ++i) {
      const RankStats& k = r.stats.ranks[i];
      ranks.push_back({{"rank", i}, {"distinct_states", k.distinct}, {"generated_states", k.generated},
                       {"peak_memory_bytes", k.peak_memory}});
    }
    j["ranks"] = std::move(ranks);
    j["load_imbalance"] = load_imbalance(r.stats);
  }
  nlohmann::json props = nlohmann::json::array();
  for (const auto& p : r.properties) {
    nlohmann::json pj{{"name", p.name}, {"kind", p.kind}, {"outcome", p.outcome}};
    if (!p.trace_json.is_null()) pj["trace"] = p.trace_json;
    if (!p.explanation.empty()) pj["explanation"] = p.explanation;
    if (!p.explanation_fields.empty()) pj["explanation_fields"] = p.explanation_fields;
    lasso_json(pj, p);
    props.push_back(std::move(pj));
  }
  j["properties"] = std::move(props);
  if (!r.only_properties.empty()) j["properties_checked"] = r.only_properties;
  if (r.stats.coverage_measured)
    j["coverage"] = {{"complete", r.stats.complete}, {"steps", r.stats.coverage}, {"never_taken", r.stats.coverage_gaps}};
  if (r.keep_going) j["continued"] = true;
  if (!r.liveness_left_out.empty()) j["liveness_left_out"] = r.liveness_left_out;
  if (has_liveness(r)) {
    j["liveness"] = {{"decided", r.stats.liveness_checked}};
    if (r.stats.liveness_checked) {  // a partial search's recording depends on the threads' timing: not shown
      j["liveness"]["seconds"] = r.stats.liveness_seconds;
      j["liveness"]["state_bytes"] = r.stats.liveness_state_bytes;
      j["liveness"]["step_bytes"] = r.stats.liveness_step_bytes;
      j["liveness"]["steps"] = r.stats.liveness_steps;
    }
    if (r.faults) j["liveness"]["once_faults_stop"] = r.faults->describe();
  }
  if (r.minimised) {
    j["minimised"] = {{"original_steps", r.minimised->original_steps},
                      {"original_fault_events", r.minimised->original_faults},
                      {"steps", r.minimised->steps},
                      {"fault_events", r.minimised->faults},
                      {"proven_minimal", r.minimised->proven}};
    if (!r.minimised->proven) {
      j["minimised"]["stop_reason"] = r.minimised->stop_reason;
      j["stop_reason"] = "minimisation: " + r.minimised->stop_reason;
    }
  }
  if (r.violation >= 0) {
    const auto& v = r.properties[static_cast<std::size_t>(r.violation)];
    j["property"] = v.name;
    j["trace"] = v.trace_json.is_null() ? nlohmann::json::array() : v.trace_json;
    if (!v.explanation.empty()) j["explanation"] = v.explanation;
    if (!v.explanation_fields.empty()) j["explanation_fields"] = v.explanation_fields;
    lasso_json(j, v);
  }
  return j;
}

std::string report_to_text(const Report& r) {
  std::string out;
  const double rate = r.stats.seconds > 0 ? static_cast<double>(r.stats.distinct) / r.stats.seconds : 0.0;
  if (r.violation >= 0) {
    const auto& v = r.properties[static_cast<std::size_t>(r.violation)];
    if (v.outcome == "not found")
      out += fmt::format("Result: violation: the goal {} ({}) is not reachable\n", v.name, v.kind);
    else if (v.lasso)
      out += fmt::format("Result: violation of {} ({}){}: a fair behaviour that breaks it, {}{}:\n{}", v.name,
                         v.kind, once_faults_stop(r), trace_words(r, v),
                         v.cycle_start ? fmt::format(", then steps {}..{} forever", *v.cycle_start + 1, v.trace_length - 1)
                                       : ", then its last state forever",
                         explained_trace(v));
    else if (r.minimised && !r.minimised->proven)
      out += fmt::format("Result: violation of {} ({}); counterexample, {}, NOT proven minimal: the minimisation was "
                         "stopped ({}) before fewer faults were ruled out:\n{}",
                         v.name, v.kind, steps_words(r.minimised->steps, r.minimised->faults), r.minimised->stop_reason,
                         explained_trace(v));
    else if (r.minimised)
      out += fmt::format("Result: violation of {} ({}); minimised counterexample, {} (fewest fault events; the "
                         "shortest, found first, had {}):\n{}",
                         v.name, v.kind, steps_words(r.minimised->steps, r.minimised->faults),
                         steps_words(r.minimised->original_steps, r.minimised->original_faults), explained_trace(v));
    else
      out += fmt::format("Result: violation of {} ({}); shortest counterexample, {}:\n{}", v.name, v.kind,
                         trace_words(r, v), explained_trace(v));
    out += fairness_text(v);
  } else if (r.status == RunStatus::ok) {
    out += "Result: ok, every property holds (search complete)\n";
    if (r.faults) out += fmt::format("Safe under {}\n", r.faults->describe());
    for (const auto& p : r.properties)
      if (is_liveness_kind(p.kind) && p.outcome == "holds")
        out += fmt::format("Live: {} holds on every fair behaviour{}\n", p.name, once_faults_stop(r));
  } else {
    out += fmt::format("Result: incomplete ({}); nothing violated so far\n", r.stats.stop_reason);
  }
  if (r.faults && r.status != RunStatus::ok) out += fmt::format("Fault budget: {}\n", r.faults->describe());
  out += fmt::format("{} distinct states, {} generated, depth {}, {:.2f} s ({:.0f} states/s), {} thread{}, "
                     "peak memory {:.1f} MiB\n",
                     r.stats.distinct, r.stats.generated, r.stats.depth, r.stats.seconds, rate, r.stats.threads,
                     r.stats.threads == 1 ? "" : "s", static_cast<double>(r.stats.peak_memory) / (1 << 20));
  if (!r.stats.ranks.empty()) {
    std::string states, memory;
    for (const RankStats& k : r.stats.ranks) {
      states += fmt::format("{}{}", states.empty() ? "" : " / ", k.distinct);
      memory += fmt::format("{}{:.1f}", memory.empty() ? "" : " / ", static_cast<double>(k.peak_memory) / (1 << 20));
    }
    out += fmt::format("MPI: {} ranks of {} thread{}; states per rank {} (load imbalance {:.3f}); peak memory per "
                       "rank {} MiB\n",
                       r.stats.ranks.size(), r.stats.threads, r.stats.threads == 1 ? "" : "s", states,
                       load_imbalance(r.stats), memory);
  }
  if (r.stats.resumed_from_level)
    out += fmt::format("Resumed from the checkpoint at level {}: counts include the run before it\n",
                       r.stats.resumed_from_level);
  if (!r.only_properties.empty())
    out += fmt::format("Checked only {} (--property); the model's other properties were not evaluated\n",
                       fmt::join(r.only_properties, ", "));
  std::size_t kind_width = 10;
  for (const auto& p : r.properties) kind_width = std::max(kind_width, p.kind.size());
  for (std::size_t i = 0; i < r.properties.size(); ++i) {
    const auto& p = r.properties[i];
    out += fmt::format("  {:<{}} {:<24} {}\n", p.kind, kind_width, p.name, p.outcome);
    if (p.outcome == "found") out += fmt::format("    witness, {}:\n{}", trace_words(r, p), p.trace_text);
    else if (p.outcome == "violated" && static_cast<int>(i) != r.violation)  // --continue: each its own trace
      out += fmt::format("    {}, {}:\n{}{}", p.lasso ? "fair lasso" : "shortest counterexample", trace_words(r, p),
                         explained_trace(p), fairness_text(p));
  }
  if (r.stats.coverage_measured) {
    out += fmt::format("Coverage: successors generated per kind of step{}\n",
                       r.stats.complete ? "" : " (search incomplete: counts so far, nothing claimed never taken)");
    std::size_t width = 0;
    for (const auto& [kind, n] : r.stats.coverage) width = std::max(width, kind.size());
    for (const auto& [kind, n] : r.stats.coverage) out += fmt::format("  {:<{}}  {:>12}\n", kind, width, n);
    for (const auto& gap : r.stats.coverage_gaps) out += fmt::format("Warning: never taken: {}\n", gap);
  }
  if (!r.liveness_left_out.empty()) out += r.liveness_left_out + "\n";
  if (has_liveness(r) && r.stats.liveness_checked)
    out += fmt::format("Liveness: a graph of {} steps ({:.1f} MiB recorded on disk), decided in {:.2f} s after the "
                       "search\n", r.stats.liveness_steps,
                       static_cast<double>(r.stats.liveness_state_bytes + r.stats.liveness_step_bytes) / (1 << 20),
                       r.stats.liveness_seconds);
  else if (has_liveness(r))
    out += "Liveness: not decided (a verdict needs the whole state graph, and the search stopped before it)\n";
  if (r.stats.symmetry) out += "Symmetry reduction on: counts are of orbits, one canonical state per orbit\n";
  if (r.exact) out += "Exact mode: full states stored, no fingerprint collisions possible\n";
  else if (r.stats.fingerprint_bits == 128)
    out += fmt::format("Fingerprint collision probability (128-bit fingerprints): {:.2g}\n",
                       r.stats.collision_probability);
  else out += fmt::format("Fingerprint collision probability: {:.2g}\n", r.stats.collision_probability);
  return out;
}

}  // namespace mc::program

namespace mc::program {

std::string simulation_to_text(const SimulationReport& s) {
  const Report& r = s.report;
  const Coverage& c = s.coverage;
  std::string out;
  if (r.violation >= 0) {
    const auto& v = r.properties[static_cast<std::size_t>(r.violation)];
    out += fmt::format("Result: violation of {} ({}) in walk {}; its trace, {}:\n{}", v.name, v.kind, s.walk,
                       trace_words(r, v), explained_trace(v));
  } else {
    out += fmt::format("Result: no violation in {} walks ({}) — not exhaustive: a sample, not a proof\n", c.walks,
                       c.complete ? "all asked for" : c.stop_reason);
  }
  if (r.faults) out += fmt::format("Fault budget: {}\n", r.faults->describe());
  out += fmt::format("Coverage (not exhaustive): {} walks, {} steps, {} distinct states seen, {:.2f} s, {}{} thread{}\n",
                     c.walks, c.steps, c.distinct, r.stats.seconds,
                     s.ranks > 1 ? fmt::format("{} MPI ranks of ", s.ranks) : "", r.stats.threads,
                     r.stats.threads == 1 ? "" : "s");
  out += fmt::format("  walk lengths by tenth of --depth {}:", s.options.depth);
  for (std::size_t i = 0; i < c.lengths.size(); ++i) out += fmt::format(" {}", c.lengths[i]);
  out += "\n  steps by kind:";
  for (const auto& [k, n] : c.actions) out += fmt::format(" {} {},", k, n);
  if (!c.actions.empty()) out.pop_back();
  out += "\n";
  if (!c.fault_pairs.empty()) {
    out += "  fault pairs taken in one walk:";
    for (const auto& [k, n] : c.fault_pairs) out += fmt::format(" {}+{} {},", k.first, k.second, n);
    out.pop_back();
    out += "\n";
  }
  out += "  new distinct states per 1000 walks (falling: saturating):";
  for (auto n : c.new_per_thousand) out += fmt::format(" {}", n);
  out += "\n";
  for (const auto& p : r.properties)
    if (p.kind == "sometimes")
      out += fmt::format("  goal {}: {}\n", p.name,
                         c.goals.count(p.name) ? fmt::format("reached in {} walks", c.goals.at(p.name))
                                               : std::string("not reached by these walks"));
  return out;
}

nlohmann::json simulation_to_json(const SimulationReport& s) {
  nlohmann::json j = report_to_json(s.report);
  const Coverage& c = s.coverage;
  nlohmann::json pairs = nlohmann::json::object();
  for (const auto& [k, n] : c.fault_pairs) pairs[k.first + "+" + k.second] = n;
  j["simulation"] = {{"exhaustive", false},
                     {"walks", c.walks},
                     {"steps", c.steps},
                     {"distinct_states_seen", c.distinct},
                     {"seed", s.options.seed},
                     {"depth", s.options.depth},
                     {"swarm", s.options.swarm},
                     {"walk_lengths_by_tenth", c.lengths},
                     {"steps_by_kind", c.actions},
                     {"fault_pairs", pairs},
                     {"new_states_per_1000_walks", c.new_per_thousand},
                     {"goals_reached", c.goals}};
  if (s.report.violation >= 0) j["simulation"]["walk"] = s.walk;
  if (s.ranks > 1) j["simulation"]["ranks"] = s.ranks;
  return j;
}

}  // namespace mc::program
