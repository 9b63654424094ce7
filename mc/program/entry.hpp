// One model a program knows: its name, parameters, properties, and how each command runs it, type-erased so the
// program's commands are compiled once (mc/program/program.cpp) and only the model's own search per model.
#pragma once

#include "mc/actor/fault_budget.hpp"
#include "mc/core/symmetry.hpp"
#include "mc/program/explore_session.hpp"
#include "mc/program/params.hpp"
#include "mc/program/report.hpp"
#include "mc/run/runtime.hpp"
#include "mc/run/validate.hpp"
#include "mc/trace/replay.hpp"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace mc::program {

/// What `run` came to: the log, the counts, and a broken property as a report with its replayable trace.
struct RunReport {
  std::string log;  ///< JSON lines
  std::size_t events = 0, steps = 0;
  double seconds = 0;
  std::vector<std::string> schedule;
  std::map<std::string, unsigned> injected;
  std::string stop_reason;
  std::optional<std::string> left_model;
  std::optional<Report> violation;  ///< status violation, the property and its trace (program fields unset)
};

/// Models `run` can run: actor systems (their nodes stepped one at a time), without clocks.
template <class M>
concept RunnableModel = requires(const M& m, typename M::State& s) {
  m.start_node(s, NodeId{}, false);
  m.clocks();
  M::message_types();
};

struct PropertyInfo {
  std::string name;
  std::string kind;
};

struct ProtocolEntry {
  std::string name;
  std::string summary;
  std::string source;  ///< where the model comes from, e.g. the TLA+ spec it transliterates
  std::vector<ParamSpec> params;
  std::optional<FaultBudget> faults;  ///< actor systems: the default fault budget; none for plain models
  // Filled in by bind_model:
  std::function<std::vector<PropertyInfo>(const Params&)> properties = {};
  std::function<Report(const Params&, const ExploreOptions&, const FaultBudget&, bool minimise)> check = {};
  std::function<ReplayResult(const Params&, const FaultBudget&, const nlohmann::json& steps, const std::string& property,
                             std::optional<std::size_t> cycle_start)>
      replay = {};
  bool symmetry = false;  ///< the model declares interchangeable ids (`--symmetry` may be used)
  std::function<SimulationReport(const Params&, const FaultBudget&, const SimulateOptions&)> simulate = {};
  std::function<std::vector<bool>(const Params&)> fault_kinds = {};  ///< which FaultBudget kinds it can take
  /// `run`: throws UsageError for a model it cannot run (a plain model, a system with clocks).
  std::function<RunReport(const Params&, const FaultBudget&, const run::RunOptions&)> run = {};
  /// `validate`: reads the log (run::EventLogError when malformed) and follows it through the model.
  std::function<run::Validation(const Params&, const FaultBudget&, const std::string& log, const run::ValidateOptions&)>
      validate = {};
  /// `explore`: the model, built once, for the web explorer to walk.
  std::function<std::unique_ptr<ExploreSession>(const Params&, const FaultBudget&)> explore = {};
};

/// Runs a model's actors as a local cluster and turns the outcome into a RunReport.
template <class M>
RunReport run_model(const M& model, const run::RunOptions& o) {
  if constexpr (RunnableModel<M>) {
    if (model.clocks())
      throw UsageError("run: this actor system has clocks; running systems with clocks is not supported yet");
    auto out = run::run_actors(model, o);
    RunReport r{std::move(out.log), out.events, out.steps, out.seconds, std::move(out.schedule),
                std::move(out.injected), std::move(out.stop_reason), std::move(out.left_model), std::nullopt};
    if (out.violated) {
      CheckResult<M> result;
      result.status = RunStatus::violation;
      for (const auto& p : model.properties()) {
        PropertyResult<M> pr;
        pr.name = p.name;
        pr.kind = p.kind;
        if (p.name == *out.violated)
          pr.outcome = Outcome::violated, pr.trace = out.trace, pr.explanation = out.explanation;
        result.properties.push_back(std::move(pr));
      }
      r.violation = make_report(result, false);
    }
    return r;
  } else {
    (void)model, (void)o;
    throw UsageError("run: only actor systems run as a cluster; this model is a plain transition system");
  }
}

/// Follows an event log through a model: its node count and message types check the log's lines first.
template <class M>
run::Validation validate_model(const M& model, const std::string& path, const run::ValidateOptions& o) {
  std::size_t nodes = 0;
  std::vector<std::string> types;
  if constexpr (RunnableModel<M>) nodes = model.size(), types = M::message_types();
  return run::validate_log(model, run::read_event_log(path, nodes, types), o);
}

/// The fault kinds (indices into FaultBudget::names) a model can take: an actor system takes the network and node
/// faults, clock jumps only when it has clocks and torn writes only when its actors keep logs; a plain model none.
template <class M>
std::vector<bool> fault_kinds_of(const M& model) {
  std::vector<bool> kinds(FaultBudget::names.size(), false);
  if constexpr (FaultCountingModel<M>) {
    for (std::size_t i = 0; i < kinds.size(); ++i) {
      if (!FaultBudget::optional_class(i)) kinds[i] = true;
      if constexpr (requires { model.clocks().has_value(); })
        if (FaultBudget::names[i] == "jump") kinds[i] = model.clocks().has_value();
      if constexpr (requires { M::keeps_logs; })
        if (FaultBudget::names[i] == "torn") kinds[i] = M::keeps_logs;
    }
  }
  return kinds;
}

/// Fills in an entry's `properties`, `check`, `replay`, `simulate`, `run`, `validate` and `explore` from
/// `make(params, faults)`, which builds the model: every command of the program then works for it.
template <class MakeModel>
void bind_model(ProtocolEntry& e, MakeModel make) {
  using M = std::decay_t<std::invoke_result_t<MakeModel, const Params&, const FaultBudget&>>;
  static_assert(Model<M>, "a program's model factory must return a Model (see mc/core/model.hpp): an ActorModel "
                          "or a struct with State, Action, init, next and properties");
  if constexpr (FaultCountingModel<M>) {
    if (!e.faults) e.faults = FaultBudget{};
  } else {
    e.faults = std::nullopt;  // a plain transition system has no fault model
  }
  const FaultBudget defaults = e.faults.value_or(FaultBudget{});
  e.symmetry = SymmetricModel<M>;
  e.properties = [make, defaults](const Params& p) {
    std::vector<PropertyInfo> out;
    for (const auto& prop : make(p, defaults).properties())
      out.push_back({prop.name, std::string(to_string_view(prop.kind))});
    return out;
  };
  e.fault_kinds = [make, defaults](const Params& p) { return fault_kinds_of(make(p, defaults)); };
  e.check = [make](const Params& p, const ExploreOptions& o, const FaultBudget& faults, bool minimise) {
    const auto model = make(p, faults);
    Report r = make_report(check(model, o), o.exact);
    if (minimise) minimise_report(r, model, o);
    return r;
  };
  e.replay = [make](const Params& p, const FaultBudget& faults, const nlohmann::json& steps, const std::string& prop,
                    std::optional<std::size_t> cycle_start) { return mc::replay(make(p, faults), steps, prop, cycle_start); };
  e.run = [make](const Params& p, const FaultBudget& faults, const run::RunOptions& o) {
    return run_model(make(p, faults), o);
  };
  e.validate = [make](const Params& p, const FaultBudget& faults, const std::string& log, const run::ValidateOptions& o) {
    return validate_model(make(p, faults), log, o);
  };
  e.explore = [make](const Params& p, const FaultBudget& faults) -> std::unique_ptr<ExploreSession> {
    return std::make_unique<ModelExplorer<M>>(make(p, faults), max_explore_path);
  };
  e.simulate = [make](const Params& p, const FaultBudget& faults, const SimulateOptions& o) {
    const auto model = make(p, faults);
    return make_simulation_report(model, mc::simulate(model, o), o);
  };
}

}  // namespace mc::program
