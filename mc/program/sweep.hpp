// `check --sweep`: a design's fault-tolerance (and parameter) profile — every combination of swept parameter values
// and fault budgets from 0 up to `--faults`, each checked exhaustively, as one table.
#pragma once

#include "mc/program/entry.hpp"
#include "mc/program/output_file.hpp"

#include <atomic>
#include <string>
#include <vector>

namespace mc::program {

/// A parameter swept by `--sweep`: `--param NAME=LO..HI`.
struct SweptParam {
  std::string name;
  std::uint64_t lo, hi;
};

/// Splits `NAME=LO..HI` assignments off `params` (the rest stay as they are; each range's LO takes its place, so
/// it is validated like any value).
std::vector<SweptParam> take_ranges(std::vector<std::string>& params);

/// Runs the sweep and prints its table; exit code 1 if any row is violated, 3 if any is incomplete or `stop` was
/// set (the rows so far are kept), else 0. `fixed` are the parameter assignments that are not swept.
int run_sweep(const ProtocolEntry& entry, std::vector<std::string> fixed, const std::vector<SweptParam>& ranges,
              const ExploreOptions& o, const FaultBudget& max, const OutputFile& json_out,
              const std::atomic<bool>& stop);

}  // namespace mc::program
