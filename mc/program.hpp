// The whole program as a library: a user's `main` registers its models and gets every command of `faultline`
// (list, check, simulate, show, replay, reports, traces, sweeps, minimisation, checkpoints, MPI, exit codes).
#pragma once

#include "mc/actor/fault_budget.hpp"
#include "mc/program/entry.hpp"
#include "mc/program/params.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mc {

/// What a model declares beside its name, summary and parameters; every field may be left out.
struct ModelInfo {
  ModelInfo() = default;
  ModelInfo(std::string source, std::optional<FaultBudget> faults = std::nullopt)  // NOLINT: {"source"} reads well
      : source(std::move(source)), faults(faults) {}

  std::string source;                 ///< where the design comes from (a paper, the TLA+ spec it transliterates)
  std::optional<FaultBudget> faults;  ///< an actor system's budget when `--faults` is not given (default: none)
};

/// A model-checking program. Add each model with a factory `make(const Params&, const FaultBudget&)` that builds
/// it (throw mc::UsageError for parameter combinations it rejects), then hand `run` the command line:
///
///   mc::Program program{"lock-checks", "checks of our lock service"};
///   program.add("lease-lock", "…", {mc::int_param("clients", "clients competing", 2, 1, 4)}, make_lease_lock);
///   return program.run(argc, argv);
class Program {
 public:
  Program(std::string name, std::string summary, std::string version = "0.1.0");

  template <class MakeModel>
  Program& add(std::string name, std::string summary, std::vector<ParamSpec> params, MakeModel make,
               ModelInfo info = {}) {
    static_assert(std::is_invocable_v<const MakeModel&, const Params&, const FaultBudget&>,
                  "a model factory is called as make(const mc::Params&, const mc::FaultBudget&) and returns the "
                  "model: take both arguments, even one you do not use");
    program::ProtocolEntry e{std::move(name), std::move(summary), std::move(info.source), std::move(params),
                             info.faults};
    program::bind_model(e, std::move(make));
    add_entry(std::move(e));
    return *this;
  }

  /// Parses the command line, runs the command and returns the process's exit code (0 ok, 1 violation, 2 bad
  /// usage or input, 3 incomplete). Under `mpirun` every rank calls it; rank 0 alone prints and writes files.
  int run(int argc, char** argv) const;

  const std::vector<program::ProtocolEntry>& models() const { return entries_; }

 private:
  void add_entry(program::ProtocolEntry entry);

  std::string name_, summary_, version_;
  std::vector<program::ProtocolEntry> entries_;
};

}  // namespace mc
