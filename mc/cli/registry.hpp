// The protocols the `faultline` program knows: names, parameters, properties, and how to check each one.
// Each protocol registers from its own translation unit so the heavy template instantiations compile in parallel.
#pragma once

#include "mc/actor/fault_budget.hpp"
#include "mc/core/symmetry.hpp"
#include "mc/cli/params.hpp"
#include "mc/cli/report.hpp"
#include "mc/trace/replay.hpp"

#include <functional>
#include <string>
#include <vector>

namespace mc::cli {

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
  std::function<ReplayResult(const Params&, const FaultBudget&, const nlohmann::json& steps, const std::string& property)>
      replay = {};
  bool symmetry = false;  ///< the model declares interchangeable ids (`--symmetry` may be used)
  std::function<SimulationReport(const Params&, const FaultBudget&, const SimulateOptions&)> simulate = {};
};

/// Every protocol, sorted by name.
const std::vector<ProtocolEntry>& protocols();

/// The protocol called `name`; throws UsageError naming the known ones.
const ProtocolEntry& find_protocol(const std::string& name);

/// Builds an entry's `properties` and `check` from `make(params, faults)`, which builds the model.
template <class MakeModel>
void bind_model(ProtocolEntry& e, MakeModel make) {
  const FaultBudget defaults = e.faults.value_or(FaultBudget{});
  e.symmetry = SymmetricModel<std::invoke_result_t<MakeModel, const Params&, const FaultBudget&>>;
  e.properties = [make, defaults](const Params& p) {
    std::vector<PropertyInfo> out;
    for (const auto& prop : make(p, defaults).properties())
      out.push_back({prop.name, std::string(to_string_view(prop.kind))});
    return out;
  };
  e.check = [make](const Params& p, const ExploreOptions& o, const FaultBudget& faults, bool minimise) {
    const auto model = make(p, faults);
    Report r = make_report(check(model, o), o.exact);
    if (minimise) minimise_report(r, model, o);
    return r;
  };
  e.replay = [make](const Params& p, const FaultBudget& faults, const nlohmann::json& steps, const std::string& prop) {
    return mc::replay(make(p, faults), steps, prop);
  };
  e.simulate = [make](const Params& p, const FaultBudget& faults, const SimulateOptions& o) {
    const auto model = make(p, faults);
    return make_simulation_report(model, mc::simulate(model, o), o);
  };
}

/// The index of a choice parameter's value in `names` (validated by parse_params already).
template <std::size_t N>
std::size_t choice_index(const Params& p, const std::string& name, const std::string_view (&names)[N]) {
  for (std::size_t i = 0; i < N; ++i)
    if (names[i] == p.text(name)) return i;
  throw UsageError("bad value for parameter " + name);
}

/// A `variant` parameter listing a protocol's correct design first, then its known-broken variants.
template <std::size_t N>
ParamSpec variant_param(const std::string_view (&names)[N]) {
  ParamSpec s{"variant", "the design to check: correct, or a known-broken variant", std::string(names[0]), 0, 0, {}};
  for (auto n : names) s.choices.emplace_back(n);
  return s;
}

ProtocolEntry die_hard_protocol();
ProtocolEntry tcommit_protocol();
ProtocolEntry two_phase_protocol();
ProtocolEntry peterson_protocol();
ProtocolEntry two_phase_commit_protocol();
ProtocolEntry alternating_bit_protocol();
ProtocolEntry rpc_retry_protocol();
ProtocolEntry paxos_protocol();
ProtocolEntry raft_election_protocol();
ProtocolEntry fast_paxos_spec_protocol();
ProtocolEntry paxos_commit_protocol();
ProtocolEntry lease_protocol();
ProtocolEntry lww_register_protocol();
ProtocolEntry abd_register_protocol();
ProtocolEntry primary_backup_protocol();
ProtocolEntry ap_register_protocol();

}  // namespace mc::cli
