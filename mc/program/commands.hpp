// What the program's commands share: the catalog of models, option parsers that more than one command uses, the
// check of the report files asked for, and the stop flag that Ctrl-C sets.
#pragma once

#include "mc/program/entry.hpp"
#include "mc/program/output_file.hpp"
#include "mc/program/params.hpp"
#include "mc/explore/cluster.hpp"

#include <atomic>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace mc::program {

/// The models a program was given, and its name for messages.
struct Catalog {
  std::string program;
  std::vector<ProtocolEntry> entries;  ///< sorted by name

  /// The entry of that name; an unknown name is a usage error with a "did you mean".
  const ProtocolEntry& find(const std::string& name) const;
};

/// Set by Ctrl-C, SIGTERM and (for `check`) SIGUSR1 once `stop_on_signals` was called: the one piece of
/// process-wide state, because signals are process-wide. A search stops on it and reports what it found.
extern std::atomic<bool> interrupted;

/// From now on SIGINT and SIGTERM set `interrupted`; with `usr1`, SIGUSR1 too (what mpirun passes on to every rank
/// unchanged). Called once a command's arguments are checked, so bad input still ends with its one error line.
void stop_on_signals(bool usr1 = false);

/// The words of `check`, as typed (each checked and parsed by run_check).
struct CheckArgs {
  std::string protocol;
  std::vector<std::string> params, properties;
  std::string threads, max_depth, max_states, time_limit, memory_limit, json, junit, faults, trace;
  std::string checkpoint, checkpoint_interval, resume, fingerprint, progress_interval;
  bool exact = false, deadlock = false, sweep = false, minimise = false, symmetry = false, overwrite_checkpoint = false;
  bool keep_going = false, coverage = false;
};

/// `--threads N`, within 1..1024.
unsigned parse_threads(const std::string& text);

/// The budget to explore under: what `--faults` names (kinds it does not name are 0), else the protocol's declared
/// default. A protocol without a fault model takes no fault options, and none takes a kind it cannot suffer.
FaultBudget fault_budget(const ProtocolEntry& entry, const Params& params, const std::string& text,
                         bool asked_for_faults, std::string_view options);

/// A report file asked for: the option that named it, its path (empty: none) and the file to check it into.
struct Output {
  const char* option;
  const std::string& path;
  OutputFile& file;
};

/// Checks the report files on rank 0 alone (each writable, no two the same). Under MPI the ranks agree on whether
/// they are: there rank 0 throws the usage error and the others return false (exit 2 without a word), so that none
/// waits for it for ever.
bool open_on_root(const Cluster* cluster, std::initializer_list<Output> outputs);

/// `check`. Under mpirun every rank runs this with the same arguments; rank 0 alone prints and writes files.
int run_check(const Catalog& models, const CheckArgs& a, const Cluster* cluster);

}  // namespace mc::program
