// Level-synchronous parallel breadth-first search over any Model (oneTBB).
// Finds the shortest path to every property discovery; counts and discoveries do not depend on the thread count.
//
// Fingerprint mode keeps three structures: the VisitedSet (8-byte fingerprints of the finished levels, 16-byte keys
// with `fingerprint_bits` 128, read-only while a level is expanded), the LevelTable (the level being built, with
// minimum parents) and the ParentLog (parent links on disk). Successors are encoded into a per-thread buffer in
// batches, their fingerprints prefetched, and only then looked up, so the cache misses of a batch overlap.
//
// Distributed (a Cluster of several ranks, e.g. under MPI): each rank stores the states it owns (owner_of) and
// expands them; successors owned elsewhere are sent to their owner in bounded rounds per level, and the ranks agree
// on counts, stops and discoveries between levels, so the answers are those of one process.
#pragma once

#include "mc/core/fairness.hpp"
#include "mc/core/model.hpp"
#include "mc/core/symmetry.hpp"
#include "mc/explore/checkpoint.hpp"
#include "mc/explore/coverage.hpp"
#include "mc/explore/cluster.hpp"
#include "mc/explore/exact_store.hpp"
#include "mc/explore/frontier.hpp"
#include "mc/explore/level_table.hpp"
#include "mc/explore/liveness.hpp"
#include "mc/explore/memory.hpp"
#include "mc/explore/options.hpp"
#include "mc/explore/parent_log.hpp"
#include "mc/explore/visited_set.hpp"

#include <oneapi/tbb/concurrent_vector.h>
#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace mc {

/// A state reached first at `level` that decides a property (or is a deadlock), with the path of keys to it.
struct Discovery {
  std::uint64_t level = 0;
  std::vector<ExactKey> path;  ///< from an initial state to the discovered one; bytes are empty in fingerprint mode
};

template <Model M>
class Bfs {
 public:
  using State = typename M::State;
  using Action = typename M::Action;

  Bfs(const M& model, ExploreOptions options)
      : model_(model), options_(std::move(options)), properties_(selected_properties(model, options_.only_properties)) {
    threads_ = options_.threads ? options_.threads : static_cast<unsigned>(tbb::info::default_concurrency());
    discoveries_.resize(properties_.size());
    if (options_.symmetry && !SymmetricModel<M>)
      throw std::invalid_argument("symmetry reduction asked for, but the model declares no symmetry");
    if (options_.exact && checkpointing())
      throw std::invalid_argument("checkpoints are taken in fingerprint mode only, not with exact storage");
    if (options_.fingerprint_bits != 64 && options_.fingerprint_bits != 128)
      throw std::invalid_argument("fingerprints are of 64 or 128 bits");
    if (options_.exact && wide())
      throw std::invalid_argument("exact storage keeps whole states: 128-bit fingerprints are for fingerprint mode");
    if (options_.cluster && options_.cluster->size > 1) {
      cluster_ = options_.cluster;
      if (options_.exact) throw std::invalid_argument("a distributed search stores fingerprints, not exact states");
      if (checkpointing()) throw std::invalid_argument("a distributed search takes no checkpoints");
    }
    for (std::size_t i = 0; i < properties_.size(); ++i)
      if (is_liveness(properties_[i].kind)) live_.push_back(i);
    if (!live_.empty()) refuse_unsupported_liveness();
    lassos_.resize(live_.size());
    check_on_expansion_ = !recording() && !options_.coverage && !distributed();
  }

  /// Explores until the state space is exhausted, an invariant fails, or a limit is hit.
  void run() {
    start_ = Clock::now();
    // Allow more workers than cores when asked (TBB caps at the core count otherwise), for the scope of the run.
    tbb::global_control parallelism(tbb::global_control::max_allowed_parallelism, threads_);
    tbb::task_arena arena(static_cast<int>(threads_));
    arena.execute([&] { search(); });
    stats_.seconds = seconds_since_start();
    stats_.threads = threads_;
    stats_.distinct = total_distinct_;
    stats_.generated = total_generated_;
    stats_.peak_memory = peak_resident_bytes();
    stats_.store_bytes = options_.exact ? exact_.bytes() : visited_.bytes();
    stats_.parent_log_bytes = options_.exact ? 0 : log_.bytes();
    stats_.symmetry = options_.symmetry;
    if (distributed()) share_rank_stats();
    if (options_.coverage) collect_coverage();
    if (recording()) decide_liveness();
    if (!options_.exact) {
      // TLC's estimate, over the key's free bits: 63, or 63 + 64 with the extension word.
      const double n = static_cast<double>(stats_.distinct);
      const double g = static_cast<double>(stats_.generated);
      stats_.fingerprint_bits = options_.fingerprint_bits;
      stats_.collision_probability = n * std::max(0.0, g - n) / std::ldexp(1.0, wide() ? 127 : 63);
    }
  }

  const Stats& stats() const { return stats_; }
  const std::vector<Property<State>>& properties() const { return properties_; }
  /// Per property, the first discovery: a counterexample for `always`, a witness for `sometimes`.
  const std::vector<std::optional<Discovery>>& discoveries() const { return discoveries_; }
  const std::optional<Discovery>& deadlock() const { return deadlock_; }
  /// Per property, when it is a liveness property the complete search found broken, its lasso.
  std::optional<Lasso> lasso(std::size_t property) const {
    for (std::size_t j = 0; j < live_.size(); ++j)
      if (live_[j] == property) return lassos_[j];
    return std::nullopt;
  }

 private:
  using Clock = std::chrono::steady_clock;
  static constexpr std::size_t deadlock_index = std::numeric_limits<std::size_t>::max();
  static constexpr std::uint64_t flush_every = 256;
  /// Successors looked up together: enough to overlap their cache misses, few enough to stay in L1.
  static constexpr std::size_t batch_size = 64;
  /// Distributed: parents expanded per exchange round at most, and the successor bytes aimed at per round.
  static constexpr std::size_t round_states = std::size_t{1} << 17;
  static constexpr double round_bytes = 32.0 * (1 << 20);

  struct Candidate {
    std::size_t property;
    std::uint64_t level;
    ExactKey key;
  };

  /// A successor encoded into the worker's batch buffer, waiting for its lookup.
  struct Pending {
    Fingerprint fp;  ///< a 128-bit key's extension is computed only for the lookup
    std::uint32_t offset, size;
    std::size_t parent;  ///< index in the chunk's frontier block
  };

  struct Worker {
    State current{}, scratch{};
    EncodeBuffer encoding;
    std::vector<Pending> batch;
    std::vector<std::uint64_t> extensions;  ///< 128-bit keys: of the batch's successors not yet visited
    FrontierBlock next;
    std::vector<Candidate> candidates;
    std::vector<std::vector<std::uint8_t>> outbox;  ///< distributed: successors owned by each other rank
    std::uint64_t inserted = 0;  ///< not yet added to distinct_
    std::uint64_t visited_hits = 0, level_hits = 0;  ///< successors found already, by table (choose_lookup_order)
    std::map<std::string, std::uint64_t> coverage;  ///< with options.coverage: successors per kind of step
    LivenessRecorder::Buffers live;                  ///< with liveness properties: states and steps to record
    std::vector<std::uint64_t> classes;
  };

  struct Chunk {
    const FrontierBlock* block;
    std::size_t begin, end;
  };

  enum class Stop { none, time, states, memory, request, depth, storage };

  double seconds_since_start() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

  void search() {
    std::vector<FrontierBlock> frontier;
    std::uint64_t level = 1;
    bool violated = false;
    if (options_.resume) {
      frontier = restore_checkpoint(level);
    } else {
      if (checkpointing()) start_checkpoints();
      frontier = explore_initial_states();
      share_level(frontier);
      if (frontier_states_ > 0) stats_.depth = 1;
      violated = resolve_candidates();
    }
    last_checkpoint_ = Clock::now();
    if (options_.on_search_start) options_.on_search_start();

    while (frontier_states_ > 0 && !violated && stop_ == Stop::none) {
      if (options_.max_depth && level >= options_.max_depth) {
        if (check_on_expansion_) {  // the last level is checked, not expanded
          check_level(frontier, level);
          if ((violated = resolve_candidates())) break;
        }
        request_stop(Stop::depth);
        if (checkpointing()) save_checkpoint(frontier, mark(level));
        break;
      }
      const LevelMark start = mark(level);
      if (checkpointing() && std::chrono::duration<double>(Clock::now() - last_checkpoint_).count() >=
                                 options_.checkpoint_interval)
        save_checkpoint(frontier, start);
      const std::uint64_t distinct_before = total_distinct_;
      expand_level(frontier, level);
      // Stopped within the level: the checkpoint is of its start, and a resumed run expands it again whole.
      if (stop_ != Stop::none && checkpointing()) save_checkpoint(frontier, start);
      std::vector<FrontierBlock> next;
      const AfterLevel after = check_on_expansion_ ? check_expanded_level(next, level) : AfterLevel::go_on;
      if (after == AfterLevel::stop) {
        violated = true;
        break;  // the counts stay those shared after the level before: up to this one
      }
      for (auto& b : frontier) spare_.push_back(std::move(b));  // its pages serve the level after next
      frontier = after == AfterLevel::stop_after_next ? std::move(next) : take_next_level();
      share_level(frontier);
      if (total_distinct_ > distinct_before) stats_.depth = level + 1;
      // A level cut short was seen in part only, and which part depends on the threads' timing: what it found is
      // not decided (the next run with the same limits could see another part), so only whole levels decide.
      if (stop_ != Stop::none) discard_candidates();
      violated = resolve_candidates() || after == AfterLevel::stop_after_next;
      ++level;
    }
    stats_.complete = frontier_states_ == 0 && stop_ == Stop::none && !violated;
    stats_.stop_reason = stop_reason();
    if (stats_.complete && checkpointing()) save_checkpoint({}, mark(level));  // a resume then reports at once
  }

  /// Level 1: the initial states, each a child of the root marker.
  std::vector<FrontierBlock> explore_initial_states() {
    Worker& w = workers_.local();
    std::uint32_t index = 0;
    model_.init([&](const State& s) {
      if (!distributed() || cluster_->rank == 0) generated_.fetch_add(1, std::memory_order_relaxed);
      init_index_ = index++;
      if (!within_constraint(model_, s)) return outside_constraint();
      w.encoding.clear();
      encode_stored(w, s);
      const StateKey key = state_key(w.encoding.data(), w.encoding.size(), wide());
      if (!owns(key.fp)) return;
      if (options_.exact && !exact_.fits(distinct_.load() + 1)) exact_.grow(distinct_.load() + 1);
      const bool fresh =
          options_.exact ? exact_.insert(key.fp, view(w.encoding.data(), w.encoding.size()), root_fingerprint, {}, 1)
                         : level_.insert(key, root_key);
      if (fresh) {
        distinct_.fetch_add(1, std::memory_order_relaxed);
        on_new_state(w, key, w.encoding.data(), w.encoding.size(), 1);
      }
    });
    end_level(1);
    generated_initially_ = generated_.load();
    return take_next_level();
  }

  // --- Checkpoints (fingerprint mode) ---

  /// The counters at the start of expanding `level`: what a checkpoint taken then records.
  struct LevelMark {
    std::uint64_t level, distinct, generated, depth, max_branching;
    std::vector<std::size_t> records_per_level;
    std::vector<std::uint64_t> checksums;
  };

  bool checkpointing() const { return !options_.checkpoint_dir.empty(); }

  LevelMark mark(std::uint64_t level) const {
    LevelMark m{level, distinct_.load(), generated_.load(), stats_.depth, max_branching_.load(),
                log_.records_per_level(), log_.checksums_per_level()};
    m.records_per_level.resize(level + 1, 0);  // levels past `level` are not covered
    m.checksums.resize(level + 1, 0);
    return m;
  }

  /// A fresh run: the folder's earlier checkpoint (if any) goes first, so a crash cannot leave it pointing at the
  /// new parent log.
  void start_checkpoints() {
    const std::filesystem::path dir = options_.checkpoint_dir;
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec || !std::filesystem::is_directory(dir))
      throw CheckpointError("--checkpoint: cannot create the folder '" + dir.string() + "'");
    std::filesystem::remove(dir / checkpoint_files::manifest, ec);
    remove_frontier_files("");
    log_.create_in(dir / checkpoint_files::parent_log);
  }

  void remove_frontier_files(const std::string& except) const {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(options_.checkpoint_dir, ec)) {
      const std::string name = entry.path().filename().string();
      if (name.starts_with("frontier-") && name != except) std::filesystem::remove(entry.path(), ec);
    }
  }

  /// A checkpoint (or the parent log it keeps) could not be written, a full disk say: the search stops at the end
  /// of this level with what it found, and the last checkpoint written stays the one to resume from.
  void storage_failed(const std::string& why) {
    if (stats_.checkpoint_error.empty()) stats_.checkpoint_error = why.starts_with("faultline: ") ? why.substr(11) : why;
    request_stop(Stop::storage);
  }

  void save_checkpoint(const std::vector<FrontierBlock>& frontier, const LevelMark& m) {
    if (!stats_.checkpoint_error.empty()) return;  // the disk refused already: keep the last good checkpoint
    try {
      write_checkpoint(frontier, m);
    } catch (const std::exception& e) {
      storage_failed(e.what());
    }
  }

  /// Parent log first (forced to disk), then the frontier, then the manifest that names both: a crash at any point
  /// leaves the previous checkpoint intact.
  void write_checkpoint(const std::vector<FrontierBlock>& frontier, const LevelMark& m) {
    if (stats_.checkpoint_level == m.level && stats_.checkpoint_level != 0 && !frontier.empty()) return;
    const std::filesystem::path dir = options_.checkpoint_dir;
    log_.sync();
    CheckpointManifest manifest;
    manifest.configuration = options_.configuration;
    manifest.fingerprint_bits = options_.fingerprint_bits;
    manifest.level = m.level;
    manifest.distinct = m.distinct;
    manifest.generated = m.generated;
    manifest.depth = m.depth;
    manifest.max_branching = m.max_branching;
    manifest.records_per_level = m.records_per_level;
    manifest.checksums = m.checksums;
    manifest.frontier_file = "frontier-" + std::to_string(m.level) + ".bin";
    for (std::size_t i = 0; i < discoveries_.size(); ++i) {
      if (!discoveries_[i]) continue;
      CheckpointManifest::Found f{i, discoveries_[i]->level, {}};
      for (const ExactKey& k : discoveries_[i]->path) f.path.push_back({k.fp, k.ext});
      manifest.found.push_back(std::move(f));
    }
    write_frontier(dir / manifest.frontier_file, frontier);
    write_manifest(dir, manifest);
    remove_frontier_files(manifest.frontier_file);
    stats_.checkpoint_level = m.level;
    last_checkpoint_ = Clock::now();
  }

  /// Rebuilds the visited set from the checkpoint's parent log and returns its frontier; `level` is set to the
  /// frontier's level. Counters and earlier discoveries continue from the checkpoint.
  std::vector<FrontierBlock> restore_checkpoint(std::uint64_t& level) {
    const std::filesystem::path dir = options_.checkpoint_dir;
    const CheckpointManifest m = read_manifest(dir);
    if (m.configuration != options_.configuration)
      throw CheckpointError("'" + dir.string() + "' holds a checkpoint of another check (" + m.configuration +
                            "), not of this one (" + options_.configuration + ")");
    if (m.fingerprint_bits != options_.fingerprint_bits)
      throw CheckpointError("'" + dir.string() + "' holds a checkpoint taken with " +
                            std::to_string(m.fingerprint_bits) + "-bit fingerprints, not " +
                            std::to_string(options_.fingerprint_bits));
    if (!regular_file(dir / checkpoint_files::parent_log))
      throw CheckpointError("the checkpoint in '" + dir.string() + "' has no regular parent log");
    try {
      log_.reopen(dir / checkpoint_files::parent_log, m.records_per_level, m.checksums);
    } catch (const std::runtime_error& e) {
      const std::string_view what = e.what();
      throw CheckpointError(std::string(what.starts_with("faultline: ") ? what.substr(11) : what));
    }
    visited_.reserve(m.distinct);
    std::size_t restored = 0;
    log_.for_each_state([&](const StateKey& key) { restored += visited_.insert(key); });
    visited_.added(restored);
    FrontierBlock block = read_frontier(dir / m.frontier_file);
    if (visited_.size() != m.distinct || block.size() != m.records_per_level[m.level])
      throw CheckpointError("the checkpoint in '" + dir.string() + "' is damaged (its parent log and frontier disagree)");
    for (const auto& f : m.found) {
      if (f.property >= properties_.size() || f.path.empty())
        throw CheckpointError("the checkpoint in '" + dir.string() + "' names an unknown property");
      Discovery d{f.level, {}};
      for (const StateKey& k : f.path) d.path.push_back(ExactKey{k.fp, {}, k.ext});
      discoveries_[f.property] = std::move(d);
      resolved_[f.property] = true;
    }
    distinct_ = total_distinct_ = m.distinct;
    generated_ = total_generated_ = m.generated;
    max_branching_ = m.max_branching;
    level_start_ = m.distinct;
    stats_.depth = m.depth;
    stats_.resumed_from_level = stats_.checkpoint_level = m.level;
    level_.clear(std::bit_ceil(block.size() + block.size() / 2 + 1024));
    level = m.level;
    frontier_states_ = block.size();
    std::vector<FrontierBlock> frontier;
    if (!block.empty()) frontier.push_back(std::move(block));
    return frontier;
  }

  std::string stop_reason() const {
    switch (stop_.load()) {
      case Stop::none: return "";
      case Stop::time: return "time limit reached";
      case Stop::states: return "state limit reached";
      case Stop::memory: return "memory limit reached";
      case Stop::request: return "stopped on request";
      case Stop::depth: return "depth limit reached";
      case Stop::storage: return "the checkpoint could not be written: " + stats_.checkpoint_error;
    }
    return "";
  }

  /// Appends the bytes the explorer stores for `s`: its canonical orbit member under symmetry reduction.
  void encode_stored(Worker& w, const State& s) const {
    if constexpr (SymmetricModel<M>) {
      if (options_.symmetry) {
        encode_into(w.encoding, model_.canonical(s));
        return;
      }
    }
    encode_into(w.encoding, s);
  }

  static std::string_view view(const std::uint8_t* p, std::size_t n) { return {reinterpret_cast<const char*>(p), n}; }

  ExactKey key_of(const StateKey& key, std::string_view bytes) const {
    return options_.exact ? ExactKey{key.fp, std::string(bytes)} : ExactKey{key.fp, {}, key.ext};
  }

  bool has_unresolved() const {
    return std::find(resolved_.begin(), resolved_.end(), 0) != resolved_.end();
  }

  void on_new_state(Worker& w, const StateKey& key, const std::uint8_t* bytes, std::size_t size, std::uint64_t level) {
    w.next.push(key, bytes, size);
    if (check_on_expansion_ || !has_unresolved()) return;
    // Liveness, coverage or MPI ranks: checked when found, decoded again from its bytes (see check_on_expansion_).
    detail::Reader in{bytes, bytes + size};
    decode_from(in, w.scratch);
    check_state(w, w.scratch, key, bytes, size, level);
  }

  /// Checks the properties not yet resolved on `s` (found at `level`, stored as `bytes`); with liveness properties,
  /// records it and its labels in the graph. True when an invariant fails there.
  bool check_state(Worker& w, const State& s, const StateKey& key, const std::uint8_t* bytes, std::size_t size,
                   std::uint64_t level) {
    std::uint64_t labels = 0;
    bool broken = false;
    for (std::size_t i = 0, j = 0; i < properties_.size(); ++i) {
      const Property<State>& p = properties_[i];
      if (is_liveness(p.kind)) {
        labels |= std::uint64_t{p.holds(s)} << (2 * j);
        if (p.then) labels |= std::uint64_t{p.then(s)} << (2 * j + 1);
        ++j;
        continue;
      }
      if (resolved_[i]) continue;
      const bool holds = p.holds(s);
      if ((p.kind == PropertyKind::always) != holds) {
        w.candidates.push_back({i, level, key_of(key, view(bytes, size))});
        broken |= p.kind == PropertyKind::always;
      }
    }
    if (recording())
      recorder_->node(w.live, live_key(key, bytes, size), labels, level == 1 ? init_index_ : LivenessGraph::not_initial);
    return broken;
  }

  /// Checking on expansion: the states [begin, end) of a block, checked and not expanded.
  void check_only(const FrontierBlock& block, std::size_t begin, std::size_t end, std::uint64_t level) {
    Worker& w = workers_.local();
    for (std::size_t i = begin; i < end; ++i) {
      const std::string_view bytes = block.state(i);
      const auto* p = reinterpret_cast<const std::uint8_t*>(bytes.data());
      detail::Reader in{p, p + bytes.size()};
      decode_from(in, w.current);
      if (check_state(w, w.current, block.key(i), p, bytes.size(), level) && !options_.keep_going)
        level_violated_.store(true, std::memory_order_relaxed);
    }
  }

  /// Checking on expansion: a whole level checked and not expanded (the last one, at the depth limit).
  void check_level(const std::vector<FrontierBlock>& frontier, std::uint64_t level) {
    if (!has_unresolved()) return;
    tbb::parallel_for(std::size_t{0}, frontier.size(), [&](std::size_t b) {
      tbb::parallel_for(tbb::blocked_range<std::size_t>(0, frontier[b].size(), 512),
                        [&](const auto& r) { check_only(frontier[b], r.begin(), r.end(), level); });
    });
  }

  enum class AfterLevel {
    go_on,
    stop,             ///< an invariant fails in the level: the search ends there, the level it was building uncounted
    stop_after_next,  ///< a deadlock: the level built is counted and its invariants checked (`next`), then it ends
  };

  /// Checking on expansion, after a level was expanded (or, once it stopped, only checked): the verdicts a search
  /// that checks states as it finds them would give, on the same states, and what the search does next. Deadlocks
  /// of a level cut short are not decided, nor those of a level where an invariant fails (that search would have
  /// stopped before expanding it).
  AfterLevel check_expanded_level(std::vector<FrontierBlock>& next, std::uint64_t level) {
    if (stop_ != Stop::none || level_violated_) {
      for (Worker& w : workers_)
        std::erase_if(w.candidates, [](const Candidate& c) { return c.property == deadlock_index; });
    }
    if (!resolve_candidates()) return AfterLevel::go_on;
    if (level_violated_) return AfterLevel::stop;
    next = take_next_level();
    check_level(next, level + 1);
    resolve_candidates();
    return AfterLevel::stop_after_next;
  }

  // --- Liveness: the graph recorded during the search, decided after it ---

  bool recording() const { return !live_.empty(); }

  /// A state's key in the liveness graph: the search's own key, widened to 128 bits in exact mode.
  StateKey live_key(const StateKey& key, const std::uint8_t* bytes, std::size_t size) const {
    return options_.exact ? StateKey{key.fp, fingerprint_extension(bytes, size)} : key;
  }

  void refuse_unsupported_liveness() {
    if (live_.size() > 32) throw UnsupportedCheck("at most 32 liveness properties are checked in one run");
    if (options_.symmetry)
      throw UnsupportedCheck("liveness is not checked under --symmetry (a lasso of orbits need not be one of "
                                  "states): check it without symmetry reduction");
    if (distributed()) throw UnsupportedCheck("liveness is not checked across MPI ranks: run it in one process");
    if (checkpointing())
      throw UnsupportedCheck("liveness is not checked with --checkpoint (the recorded graph is not saved)");
    fairness_ = fairness_of(model_);
    if (fairness_.size() >= (std::size_t{1} << 16)) throw UnsupportedCheck("too many fairness conditions");
    recorder_ = std::make_unique<LivenessRecorder>();
  }

  /// A state outside the model's `within` constraint: behaviours through it would be cut short, which a liveness
  /// verdict cannot account for.
  void outside_constraint() {
    if (recording()) constraint_cut_.store(true, std::memory_order_relaxed);
  }

  void decide_liveness() {
    for (Worker& w : workers_) recorder_->flush(w.live);
    stats_.liveness_state_bytes = recorder_->node_bytes();
    stats_.liveness_step_bytes = recorder_->step_bytes();
    if (constraint_cut_)
      throw UnsupportedCheck("liveness is not checked under a state constraint that excludes states (`within`): "
                                  "behaviours leaving it would be cut short");
    if (!stats_.complete) return;  // a partial graph decides nothing
    const auto start = Clock::now();
    std::vector<FairnessKind> kinds;
    for (const auto& f : fairness_) kinds.push_back(f.kind);
    const LivenessGraph graph = recorder_->load(kinds);
    stats_.liveness_steps = graph.steps();
    for (std::size_t j = 0; j < live_.size(); ++j)
      lassos_[j] = find_lasso(graph, properties_[live_[j]].kind, static_cast<unsigned>(2 * j),
                              static_cast<unsigned>(2 * j + 1));
    stats_.liveness_seconds = std::chrono::duration<double>(Clock::now() - start).count();
    stats_.liveness_checked = true;
  }

  /// Expands every state of the frontier (level `level`), producing level + 1 in the workers' blocks.
  void expand_level(const std::vector<FrontierBlock>& frontier, std::uint64_t level) {
    std::size_t total = 0;
    for (const auto& b : frontier) total += b.size();
    queue_.store(total);
    level_start_ = distinct_.load();
    generated_at_level_start_ = generated_.load();
    level_violated_ = false;
    choose_lookup_order();
    const std::size_t per_chunk = std::clamp<std::size_t>(total / (threads_ * 16 + 1), 8, 512);
    std::vector<Chunk> chunks;
    for (const auto& b : frontier)
      for (std::size_t i = 0; i < b.size(); i += per_chunk) chunks.push_back({&b, i, std::min(b.size(), i + per_chunk)});

    if (!distributed()) {
      expand_chunks(std::move(chunks), level);
    } else {
      // In rounds, so the successors bound for other ranks never pile up: at most round_states parents, and about
      // round_bytes of successors at the branching seen so far. Every rank takes part in every round (the busiest
      // decides how many), also once it has stopped expanding.
      std::uint64_t payload = 0;
      for (const auto& b : frontier) payload += b.payload_bytes();
      const double branching = expanded_ ? static_cast<double>(generated_.load() - generated_initially_) /
                                               static_cast<double>(expanded_)
                                         : 1.0;
      std::vector<std::uint64_t> rounds{std::max<std::uint64_t>(
          (total + round_states - 1) / round_states,
          static_cast<std::uint64_t>(std::ceil(static_cast<double>(payload) * branching / round_bytes)))};
      cluster_->max(rounds);
      const std::uint64_t per_round = rounds[0] ? (total + rounds[0] - 1) / rounds[0] : total;
      expanded_ += total;
      std::size_t next = 0;
      for (std::uint64_t r = 0; r < rounds[0]; ++r) {
        std::vector<Chunk> round;
        for (std::size_t states = 0; next < chunks.size() && states < per_round; ++next) {
          states += chunks[next].end - chunks[next].begin;
          round.push_back(chunks[next]);
        }
        expand_chunks(std::move(round), level);
        receive_successors(level + 1);
      }
    }
    if (!level_violated_) end_level(level + 1);  // else the search ends before that level, which is not kept
  }

  void expand_chunks(std::vector<Chunk> chunks, std::uint64_t level) {
    // Checking on expansion, chunks put off for room are still checked once the search stops (never put off then).
    while (!chunks.empty() && (stop_ == Stop::none || check_on_expansion_)) {
      tbb::concurrent_vector<Chunk> deferred;
      tbb::parallel_for(tbb::blocked_range<std::size_t>(0, chunks.size(), 1), [&](const auto& r) {
        for (std::size_t c = r.begin(); c != r.end(); ++c) expand_chunk(chunks[c], level, deferred);
      });
      chunks.assign(deferred.begin(), deferred.end());
      if (!chunks.empty() && stop_ == Stop::none && !level_violated_)
        options_.exact ? grow_exact_store() : grow_level_table();
    }
  }

  // --- Distributed search ---

  bool distributed() const { return cluster_ != nullptr; }
  bool owns(Fingerprint fp) const { return !distributed() || owner_of(fp, cluster_->size) == cluster_->rank; }
  bool wide() const { return options_.fingerprint_bits == 128; }

  /// Words of a key in a message: the fingerprint, and the extension word of a 128-bit key.
  std::size_t key_words() const { return wide() ? 2 : 1; }
  /// Bytes before a successor's canonical bytes in a message: its key, its parent's key, its length.
  std::size_t message_header() const { return 2 * key_words() * sizeof(std::uint64_t) + sizeof(std::uint32_t); }

  /// Queues a successor for the rank that owns it: key, parent key, length, canonical bytes.
  void send_to_owner(Worker& w, const StateKey& key, const StateKey& parent, const std::uint8_t* bytes,
                     std::uint32_t size) {
    w.outbox.resize(static_cast<std::size_t>(cluster_->size));
    auto& out = w.outbox[static_cast<std::size_t>(owner_of(key.fp, cluster_->size))];
    const std::uint64_t words[] = {key.fp, parent.fp, key.ext, parent.ext};
    std::uint8_t header[sizeof words + sizeof size];
    std::memcpy(header, words, 2 * key_words() * sizeof(std::uint64_t));
    std::memcpy(header + 2 * key_words() * sizeof(std::uint64_t), &size, sizeof size);
    out.insert(out.end(), header, header + message_header());
    out.insert(out.end(), bytes, bytes + size);
  }

  /// A message's successor key and parent key.
  std::pair<StateKey, StateKey> message_keys(const std::uint8_t* p) const {
    std::uint64_t words[4] = {0, 0, 0, 0};
    std::memcpy(words, p, 2 * key_words() * sizeof(std::uint64_t));
    return {{words[0], words[2]}, {words[1], words[3]}};
  }

  /// One exchange round: sends every worker's outboxes, then looks up and inserts what the other ranks sent here.
  void receive_successors(std::uint64_t level) {
    const auto ranks = static_cast<std::size_t>(cluster_->size);
    std::vector<std::uint64_t> counts(ranks, 0);
    for (Worker& w : workers_)
      for (std::size_t r = 0; r < w.outbox.size(); ++r) counts[r] += w.outbox[r].size();
    std::vector<std::uint8_t> outgoing;
    outgoing.reserve(std::accumulate(counts.begin(), counts.end(), std::size_t{0}));
    for (std::size_t r = 0; r < ranks; ++r) {
      for (Worker& w : workers_) {
        if (r >= w.outbox.size()) continue;
        outgoing.insert(outgoing.end(), w.outbox[r].begin(), w.outbox[r].end());
        w.outbox[r].clear();
      }
    }
    const std::vector<std::uint8_t> incoming = cluster_->exchange(outgoing, counts);
    outgoing = {};  // the round's peak: give the sent bytes back before inserting what came
    const std::size_t header = message_header();
    std::vector<std::size_t> at;
    for (std::size_t pos = 0; pos + header <= incoming.size();) {
      std::uint32_t size;
      std::memcpy(&size, incoming.data() + pos + header - sizeof size, sizeof size);
      at.push_back(pos);
      pos += header + size;
    }
    if (at.empty() || !make_room(at.size())) return;
    const auto fp_at = [&](std::size_t pos) {
      Fingerprint fp;
      std::memcpy(&fp, incoming.data() + pos, sizeof fp);
      return fp;
    };
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, at.size(), 1024), [&](const auto& r) {
      Worker& w = workers_.local();
      constexpr std::size_t ahead = 8;
      for (std::size_t i = r.begin(); i != r.end(); ++i) {
        if (i + ahead < r.end()) visited_.prefetch(fp_at(at[i + ahead]));
        const std::uint8_t* p = incoming.data() + at[i];
        const auto [key, parent] = message_keys(p);
        std::uint32_t size;
        std::memcpy(&size, p + header - sizeof size, sizeof size);
        if (visited_.contains(key)) continue;
        if (level_.insert(key, parent)) note_inserted(w, key, p + header, size, level);
      }
      distinct_.fetch_add(w.inserted, std::memory_order_relaxed);
      w.inserted = 0;
    });
  }

  /// Grows the level table, if needed, so that `incoming` more states fit; false when the memory limit forbids it.
  bool make_room(std::uint64_t incoming) {
    const auto fits = [&] { return distinct_.load() - level_start_ + incoming < level_.capacity() / 4 * 3; };
    if (fits()) return true;
    if (stop_ == Stop::none) grow_level_table(incoming);
    return fits();
  }

  /// Between levels: sums the ranks' counters and frontiers, and agrees on stopping (for a reason one rank gave).
  void share_level(const std::vector<FrontierBlock>& frontier) {
    std::uint64_t states = 0;
    for (const auto& b : frontier) states += b.size();
    if (!distributed()) {
      total_distinct_ = distinct_.load();
      total_generated_ = generated_.load();
      frontier_states_ = states;
      return;
    }
    std::vector<std::uint64_t> sums{distinct_.load(), generated_.load(), states};
    cluster_->sum(sums);
    total_distinct_ = sums[0];
    total_generated_ = sums[1];
    frontier_states_ = sums[2];
    std::vector<std::uint64_t> why{static_cast<std::uint64_t>(stop_.load())};
    cluster_->max(why);
    if (why[0] != 0) request_stop(static_cast<Stop>(why[0]));
  }

  /// The run's counts, estimated within a level of a distributed run (this rank's progress times the ranks).
  std::uint64_t estimated_distinct() const {
    if (!distributed()) return distinct_.load(std::memory_order_relaxed);
    return total_distinct_ + (distinct_.load(std::memory_order_relaxed) - level_start_) * cluster_->size;
  }
  std::uint64_t estimated_generated() const {
    if (!distributed()) return generated_.load(std::memory_order_relaxed);
    return total_generated_ + (generated_.load(std::memory_order_relaxed) - generated_at_level_start_) * cluster_->size;
  }

  void share_rank_stats() {
    const std::uint64_t mine[] = {distinct_.load(), generated_.load(), stats_.peak_memory, stats_.store_bytes,
                                  stats_.parent_log_bytes};
    std::vector<std::uint8_t> bytes(sizeof mine);
    std::memcpy(bytes.data(), mine, sizeof mine);
    const std::vector<std::uint8_t> all = cluster_->gather(bytes);
    stats_.ranks.clear();
    stats_.store_bytes = stats_.parent_log_bytes = 0;
    for (std::size_t pos = 0; pos + sizeof mine <= all.size(); pos += sizeof mine) {
      std::uint64_t v[std::size(mine)];
      std::memcpy(v, all.data() + pos, sizeof v);
      stats_.ranks.push_back({v[0], v[1], v[2]});
      stats_.peak_memory = std::max(stats_.peak_memory, v[2]);
      stats_.store_bytes += v[3];
      stats_.parent_log_bytes += v[4];
    }
  }

  void expand_chunk(const Chunk& chunk, std::uint64_t level, tbb::concurrent_vector<Chunk>& deferred) {
    Worker& w = workers_.local();
    std::uint64_t generated = 0;
    const bool coverage = options_.coverage;
    const bool check = check_on_expansion_ && has_unresolved();
    std::size_t i = chunk.begin;
    for (; i < chunk.end; ++i) {
      if (stop_.load(std::memory_order_relaxed) != Stop::none || level_violated_.load(std::memory_order_relaxed)) {
        if (check) {  // the rest is only checked: every state of a level is, however its expansion ends
          check_only(*chunk.block, i, chunk.end, level);
          i = chunk.end;
        }
        break;
      }
      if (!has_headroom()) {
        deferred.push_back({chunk.block, i, chunk.end});
        break;
      }
      const std::string_view parent_bytes = chunk.block->state(i);
      const auto* parent = reinterpret_cast<const std::uint8_t*>(parent_bytes.data());
      detail::Reader in{parent, parent + parent_bytes.size()};
      decode_from(in, w.current);
      // Checked here, decoded once for both, rather than when found (decoded again then, on_new_state).
      if (check && check_state(w, w.current, chunk.block->key(i), parent, parent_bytes.size(), level) &&
          !options_.keep_going) {
        level_violated_.store(true, std::memory_order_relaxed);
        continue;  // the search stops after this level: its successors would not be counted
      }
      std::uint64_t successors = 0;
      model_.next(w.current, [&](const Action& a, const State& s) {
        ++successors;
        if (coverage) ++w.coverage[coverage_label(model_, a)];
        if (!within_constraint(model_, s)) return outside_constraint();
        // A step back to its parent (a self-loop: in TwoPhase, a message received again) leads to a visited state,
        // since a level moves into the visited set before it is expanded: no hash, no lookup. A flat state is its
        // own encoding, and the parent is canonical when stored so: it is compared before encoding.
        if constexpr (detail::FlatImage<State>)
          if (!recording() && std::memcmp(&s, &w.current, sizeof(State)) == 0) return;
        const std::size_t offset = w.encoding.size();
        encode_stored(w, s);
        const std::size_t size = w.encoding.size() - offset;
        if constexpr (!detail::FlatImage<State>) {
          if (!recording() && size == parent_bytes.size() &&
              std::memcmp(w.encoding.data() + offset, parent, size) == 0) {
            w.encoding.resize_down(offset);
            return;
          }
        }
        Fingerprint fp;
        if constexpr (detail::FlatImage<State>) fp = fingerprint_fixed<sizeof(State)>(w.encoding.data() + offset);
        else fp = fingerprint_bytes(w.encoding.data() + offset, size);
        if (recording()) record_step(w, chunk.block->key(i), parent_bytes, a, fp, offset, size, successors - 1);
        if (options_.exact) {
          exact_.prefetch(fp);
        } else if (owns(fp)) {
          if (level_first_) level_.prefetch(fp);
          else visited_.prefetch(fp);
        }
        w.batch.push_back({fp, static_cast<std::uint32_t>(offset), static_cast<std::uint32_t>(size), i});
      });
      generated += successors;
      note_branching(successors);
      if (successors == 0 && options_.check_deadlock && !deadlock_)
        w.candidates.push_back({deadlock_index, level, key_of(chunk.block->key(i), parent_bytes)});
      if (w.batch.size() >= batch_size) flush_batch(w, *chunk.block, level + 1);
    }
    flush_batch(w, *chunk.block, level + 1);
    distinct_.fetch_add(w.inserted, std::memory_order_relaxed);
    w.inserted = 0;
    generated_.fetch_add(generated, std::memory_order_relaxed);
    queue_.fetch_sub(i - chunk.begin, std::memory_order_relaxed);
    check_limits(level);
  }

  void record_step(Worker& w, const StateKey& parent, std::string_view parent_bytes, const Action& a, Fingerprint fp,
                   std::size_t offset, std::size_t size, std::uint64_t successor) {
    const auto* p = reinterpret_cast<const std::uint8_t*>(parent_bytes.data());
    const std::uint8_t* bytes = w.encoding.data() + offset;
    const StateKey to = options_.exact || wide() ? StateKey{fp, fingerprint_extension(bytes, size)} : StateKey{fp, 0};
    w.classes.clear();
    fairness_classes(fairness_, a, w.classes);
    recorder_->step(w.live, live_key(parent, p, parent_bytes.size()), to, successor, w.classes);
  }

  /// Looks up the batch's successors (the lines of the table asked first were prefetched when they were encoded).
  void flush_batch(Worker& w, const FrontierBlock& parents, std::uint64_t level) {
    if (options_.exact) {
      std::optional<ExactStore::Parent> parent;
      for (std::size_t k = 0; k < w.batch.size(); ++k) {
        const Pending& p = w.batch[k];
        if (k == 0 || p.parent != w.batch[k - 1].parent) parent.emplace(parents.key(p.parent).fp, parents.state(p.parent));
        const std::uint8_t* bytes = w.encoding.data() + p.offset;
        if (exact_.insert(p.fp, view(bytes, p.size), *parent, static_cast<std::uint32_t>(level)))
          note_inserted(w, StateKey{p.fp, 0}, bytes, p.size, level);
      }
    } else if (wide()) {
      look_up_batch<true>(w, parents, level);
    } else {
      look_up_batch<false>(w, parents, level);
    }
    w.batch.clear();
    w.encoding.clear();
  }

  /// Fingerprint mode: the batch's successors not yet visited go into the level table (or to their owner). The
  /// table whose lines were prefetched (see choose_lookup_order) is asked first; the other, prefetched here, next.
  template <bool Wide>
  void look_up_batch(Worker& w, const FrontierBlock& parents, std::uint64_t level) {
    if (Wide) w.extensions.resize(w.batch.size());
    std::size_t misses = 0;
    for (const Pending& p : w.batch) {
      const std::uint8_t* bytes = w.encoding.data() + p.offset;
      const StateKey key{p.fp, Wide ? fingerprint_extension(bytes, p.size) : 0};
      if (!owns(p.fp)) {
        send_to_owner(w, key, parents.key(p.parent), bytes, p.size);
        continue;
      }
      if (level_first_) {
        if (level_.lower_if_present<Wide>(key, parents.key(p.parent))) {
          ++w.level_hits;
          continue;
        }
        visited_.prefetch(p.fp);
      } else {
        if (visited_.contains<Wide>(key)) {
          ++w.visited_hits;
          continue;
        }
        level_.prefetch(p.fp);
      }
      if (Wide) w.extensions[misses] = key.ext;
      w.batch[misses++] = p;
    }
    for (std::size_t k = 0; k < misses; ++k) {
      const Pending& p = w.batch[k];
      const StateKey key{p.fp, Wide ? w.extensions[k] : 0};
      if (level_first_ && visited_.contains<Wide>(key)) ++w.visited_hits;
      else if (level_.insert<Wide>(key, parents.key(p.parent)))
        note_inserted(w, key, w.encoding.data() + p.offset, p.size, level);
      else ++w.level_hits;
    }
  }

  /// Looks successors up first in the table that answered more of them in the level before: mostly the visited
  /// set, but in a model that never steps back to an earlier level (TwoPhase) nearly every successor was already
  /// found in this one, and asking the visited set first costs a second random cache line for each. Either order
  /// finds the same states with the same parents; only the speed differs.
  void choose_lookup_order() {
    std::uint64_t visited = 0, level = 0;
    for (Worker& w : workers_) {
      visited += w.visited_hits;
      level += w.level_hits;
      w.visited_hits = w.level_hits = 0;
    }
    if (visited + level > 0) level_first_ = level > visited;
  }

  void note_inserted(Worker& w, const StateKey& key, const std::uint8_t* bytes, std::size_t size,
                     std::uint64_t level) {
    if (++w.inserted == flush_every) {
      distinct_.fetch_add(w.inserted, std::memory_order_relaxed);
      w.inserted = 0;
    }
    on_new_state(w, key, bytes, size, level);
  }

  void note_branching(std::uint64_t successors) {
    std::uint64_t seen = max_branching_.load(std::memory_order_relaxed);
    while (successors > seen && !max_branching_.compare_exchange_weak(seen, successors)) {
    }
  }

  /// Whether one more state can be expanded without risking a full level table (checked before each expansion).
  bool has_headroom() const {
    const std::uint64_t margin =
        threads_ * (flush_every + batch_size + 2 * max_branching_.load(std::memory_order_relaxed) + 1);
    if (options_.exact) return exact_.fits(distinct_.load(std::memory_order_relaxed) + margin);
    return distinct_.load(std::memory_order_relaxed) - level_start_ + margin < level_.capacity() / 4 * 3;
  }

  /// Exact mode's counterpart of grow_level_table: the exact store, doubled at least, between parallel phases.
  void grow_exact_store(std::uint64_t incoming = 0) {
    if (options_.memory_limit && resident_bytes() + exact_.growth_bytes() > options_.memory_limit) {
      request_stop(Stop::memory);
      return;
    }
    exact_.grow(distinct_.load() + incoming + 4 * threads_ * (flush_every + batch_size + 2 * max_branching_.load() + 1));
  }

  /// Doubles the level table at least, enough for the states found so far and `incoming` more.
  void grow_level_table(std::uint64_t incoming = 0) {
    std::size_t cap = level_.capacity() * 2;
    const std::uint64_t margin = 4 * threads_ * (flush_every + batch_size + 2 * max_branching_.load() + 1);
    while (distinct_.load() - level_start_ + incoming + margin > cap / 2) cap *= 2;
    // The new table is written whole while the old one still holds the level.
    if (options_.memory_limit && resident_bytes() + level_.bytes_for(cap) > options_.memory_limit) {
      request_stop(Stop::memory);
      return;
    }
    level_.grow(cap);
  }

  /// Moves the level just built (`level`) from the level table into the visited set and the parent log.
  void end_level(std::uint64_t level) {
    if (options_.exact) return;
    const std::size_t found = distinct_.load() - level_start_;
    const std::size_t staged = found * log_.record_bytes();  // the level's parent links, before the log
    const std::size_t next_capacity = found + found / 2 + 1024;  // the level table's, for the next level
    if (options_.memory_limit && stop_ == Stop::none) {
      const std::size_t growth = visited_.reserve(found, false) + level_.growth_of_clear(next_capacity);
      if (resident_bytes() + growth + staged > options_.memory_limit) request_stop(Stop::memory);
    }
    const bool expanding_on = stop_ == Stop::none;
    // Fixed slices (not TBB's adaptive ones), so the parent log's layout does not depend on scheduling.
    const std::size_t slices = std::min<std::size_t>(level_.capacity(), 64);
    const auto slice = [&](std::size_t k, std::vector<std::uint64_t>& out) {
      const std::size_t begin = level_.capacity() * k / slices, end = level_.capacity() * (k + 1) / slices;
      if (wide()) move_slice<true>(begin, end, expanding_on, out);
      else move_slice<false>(begin, end, expanding_on, out);
    };
    const auto append = [&](const std::vector<std::uint64_t>& words) {
      if (!stats_.checkpoint_error.empty()) return;  // the log is cut: this level's links cannot be kept
      try {
        log_.append(level, words.data(), words.size() / log_.record_words());
      } catch (const std::exception& e) {  // only a checkpoint's log fails so: a temporary one moves to memory
        storage_failed(e.what());
      }
    };
    if (!expanding_on) {
      // Stopping (perhaps for the memory limit): only the parent links are written, a slice at a time through one
      // small buffer, so that what was found can still be traced.
      std::vector<std::uint64_t> buffer;
      for (std::size_t k = 0; k < slices; ++k) {
        buffer.clear();
        slice(k, buffer);
        append(buffer);
      }
      level_start_ = distinct_.load();
      return;  // no next level: the level table is not reallocated either
    }
    visited_.reserve(found);
    std::vector<std::vector<std::uint64_t>> records(slices);
    tbb::parallel_for(std::size_t{0}, slices, [&](std::size_t k) {
      records[k].reserve((found / slices + 64) * log_.record_words());
      slice(k, records[k]);
    });
    for (const auto& r : records) append(r);
    level_start_ = distinct_.load();
    level_.clear(next_capacity);
  }

  /// Slots [begin, end) of the level table: into the visited set (when `to_visited`) and as parent-log records.
  template <bool Wide>
  void move_slice(std::size_t begin, std::size_t end, bool to_visited, std::vector<std::uint64_t>& out) {
    constexpr std::size_t ahead = 16;  // the visited set's buckets are random: fetch a few entries early
    std::size_t fresh = 0;  // counted here and added once: see VisitedSet::insert
    for (std::size_t i = begin; i != end; ++i) {
      if (to_visited && i + ahead < end && level_.occupied(i + ahead))
        visited_.prefetch(level_.fingerprint_at(i + ahead));
      if (!level_.occupied(i)) continue;
      const LevelTable::Entry e = level_.entry<Wide>(i);
      if (to_visited) fresh += visited_.insert<Wide>(e.key);
      log_.pack(out, e.key, e.parent);
    }
    visited_.added(fresh);
  }

  void request_stop(Stop why) {
    Stop none = Stop::none;
    stop_.compare_exchange_strong(none, why);
  }

  void check_limits(std::uint64_t level) {
    if (options_.stop && options_.stop->load(std::memory_order_relaxed)) request_stop(Stop::request);
    if (options_.max_states && estimated_distinct() >= options_.max_states)
      request_stop(Stop::states);
    const auto now = Clock::now();
    const auto since = std::chrono::duration<double>(now - start_).count();
    if (options_.time_limit > 0 && since >= options_.time_limit) request_stop(Stop::time);
    // Sample memory and report progress at most every 10 ms / 1 s, from whichever worker gets there first.
    const std::int64_t tick = std::chrono::duration_cast<std::chrono::milliseconds>(now - start_).count();
    std::int64_t next_sample = next_sample_ms_.load(std::memory_order_relaxed);
    if (tick >= next_sample && next_sample_ms_.compare_exchange_strong(next_sample, tick + 10)) {
      // Stop with a sixth of the limit to spare: the frontier keeps growing until the workers notice, and the
      // level must still be moved into the visited set and its parent links written.
      if (options_.memory_limit && resident_bytes() + options_.memory_limit / 6 > options_.memory_limit)
        request_stop(Stop::memory);
      if (options_.on_progress && tick >= next_progress_ms_) {
        next_progress_ms_ = tick + 1000;
        Progress p;
        p.depth = level + 1;
        p.distinct = estimated_distinct();
        p.generated = estimated_generated();
        p.queue = queue_.load(std::memory_order_relaxed);
        p.seconds = since;
        p.states_per_second = since > 0 ? static_cast<double>(p.distinct) / since : 0;
        options_.on_progress(p);
      }
    }
  }

  std::vector<FrontierBlock> take_next_level() {
    std::vector<FrontierBlock> blocks;
    for (Worker& w : workers_) {
      if (w.next.empty()) continue;
      blocks.push_back(std::move(w.next));
      w.next = FrontierBlock{};
      if (!spare_.empty()) {
        w.next = std::move(spare_.back());
        w.next.clear();
        spare_.pop_back();
      }
    }
    spare_.clear();
    return blocks;
  }

  /// Every worker's (and under MPI every rank's) coverage counts, summed, and the model's reading of the gaps.
  void collect_coverage() {
    std::map<std::string, std::uint64_t> all;
    for (const Worker& w : workers_)
      for (const auto& [kind, n] : w.coverage) all[kind] += n;
    if (distributed()) {
      std::string mine;
      for (const auto& [kind, n] : all) mine += kind + '\t' + std::to_string(n) + '\n';
      const std::vector<std::uint8_t> gathered = cluster_->gather(std::vector<std::uint8_t>(mine.begin(), mine.end()));
      all.clear();
      std::size_t pos = 0;
      const std::string text(gathered.begin(), gathered.end());
      while (pos < text.size()) {
        const std::size_t tab = text.find('\t', pos), end = text.find('\n', tab);
        all[text.substr(pos, tab - pos)] += std::stoull(text.substr(tab + 1, end - tab - 1));
        pos = end + 1;
      }
    }
    stats_.coverage = std::move(all);
    if (stats_.complete) stats_.coverage_gaps = coverage_gaps(model_, stats_.coverage);  // only then "never"
    stats_.coverage_measured = true;
  }

  void discard_candidates() {
    for (Worker& w : workers_) w.candidates.clear();
  }

  /// Picks, per property, the smallest discovery of the level just finished; true when the search must stop.
  bool resolve_candidates() {
    std::vector<Candidate> all;
    for (Worker& w : workers_) {
      for (auto& c : w.candidates) all.push_back(std::move(c));
      w.candidates.clear();
    }
    if (distributed()) all = gather_candidates(all);
    std::sort(all.begin(), all.end(), [](const Candidate& a, const Candidate& b) {
      return std::tie(a.property, a.level, a.key) < std::tie(b.property, b.level, b.key);
    });
    bool stop = false;
    for (std::size_t i = 0; i < all.size(); ++i) {
      if (i > 0 && all[i].property == all[i - 1].property) continue;  // keep the smallest per property
      const Candidate& c = all[i];
      Discovery d{c.level, path_to(c.key, c.level)};
      if (c.property == deadlock_index) {
        deadlock_ = std::move(d);
        stop = !options_.keep_going;
      } else {
        discoveries_[c.property] = std::move(d);
        resolved_[c.property] = true;
        if (properties_[c.property].kind == PropertyKind::always && !options_.keep_going) stop = true;
      }
    }
    return stop;
  }

  /// Every rank's candidates (fingerprint mode: the key is the fingerprint alone), on every rank.
  std::vector<Candidate> gather_candidates(const std::vector<Candidate>& mine) const {
    std::vector<std::uint64_t> words;
    for (const Candidate& c : mine) words.insert(words.end(), {c.property, c.level, c.key.fp, c.key.ext});
    std::vector<std::uint8_t> bytes(words.size() * sizeof(std::uint64_t));
    if (!words.empty()) std::memcpy(bytes.data(), words.data(), bytes.size());
    const std::vector<std::uint8_t> all = cluster_->gather(bytes);
    std::vector<Candidate> out;
    for (std::size_t pos = 0; pos + 4 * sizeof(std::uint64_t) <= all.size(); pos += 4 * sizeof(std::uint64_t)) {
      std::uint64_t w[4];
      std::memcpy(w, all.data() + pos, sizeof w);
      out.push_back({static_cast<std::size_t>(w[0]), w[1], ExactKey{w[2], {}, w[3]}});
    }
    return out;
  }

  /// Distributed: the parent of `key` (first found at `level`) is in its owner's log; the owner tells every rank.
  std::optional<StateKey> shared_parent_of(const StateKey& key, std::uint64_t level) const {
    const int owner = owner_of(key.fp, cluster_->size);
    StateKey parent;  // fingerprint 0: no parent found (never a fingerprint)
    if (owner == cluster_->rank) parent = log_.parent_of(key, level).value_or(StateKey{});
    parent.fp = cluster_->broadcast(parent.fp, owner);
    if (wide()) parent.ext = cluster_->broadcast(parent.ext, owner);
    if (parent.fp == 0) return std::nullopt;
    return parent;
  }

  /// Follows parent links back to an initial state; a state first found at `level` has exactly `level` ancestors.
  std::vector<ExactKey> path_to(ExactKey key, std::uint64_t level) const {
    std::vector<ExactKey> path;
    for (std::uint64_t l = level; key.fp != root_fingerprint; --l) {
      if (path.size() == level) throw std::logic_error("faultline: parent links form a cycle");
      path.push_back(key);
      if (options_.exact) {
        auto parent = exact_.parent_of(key);
        if (!parent) break;
        key = std::move(*parent);
      } else {
        const StateKey stored{key.fp, key.ext};
        auto parent = distributed() ? shared_parent_of(stored, l) : log_.parent_of(stored, l);
        if (!parent) break;
        key = ExactKey{parent->fp, {}, parent->ext};
      }
    }
    std::reverse(path.begin(), path.end());
    return path;
  }

  /// The model's properties, or those named (in the model's order); a name the model lacks is an error.
  static std::vector<Property<State>> selected_properties(const M& model, const std::vector<std::string>& names) {
    std::vector<Property<State>> all = model.properties(), out;
    if (names.empty()) return all;
    for (const std::string& n : names)
      if (std::none_of(all.begin(), all.end(), [&](const auto& p) { return p.name == n; }))
        throw std::invalid_argument("the model has no property '" + n + "'");
    for (auto& p : all)
      if (std::find(names.begin(), names.end(), p.name) != names.end()) out.push_back(std::move(p));
    return out;
  }

  const M& model_;
  ExploreOptions options_;
  std::vector<Property<State>> properties_;
  std::vector<char> resolved_ = std::vector<char>(properties_.size(), 0);
  unsigned threads_ = 1;
  VisitedSet visited_{1024, wide()};
  LevelTable level_{std::size_t{1} << 12, wide()};
  ParentLog log_{wide()};
  ExactStore exact_;
  tbb::enumerable_thread_specific<Worker> workers_;
  std::vector<FrontierBlock> spare_;  ///< expanded blocks whose memory the next level reuses
  std::atomic<std::uint64_t> distinct_{0}, generated_{0}, queue_{0}, max_branching_{1};
  std::uint64_t level_start_ = 0, generated_at_level_start_ = 0;
  std::uint64_t expanded_ = 0, generated_initially_ = 0;  ///< distributed: for the branching factor seen so far
  const Cluster* cluster_ = nullptr;  ///< null: this process alone
  /// All ranks' counts at the end of the last level, and the states in the next level's frontier.
  std::uint64_t total_distinct_ = 0, total_generated_ = 0, frontier_states_ = 0;
  std::atomic<Stop> stop_{Stop::none};
  /// Properties are checked on a state when it is expanded, decoded once for both, not when it is found (decoded
  /// a second time then: a tenth of paxos's instructions). Verdicts, counts and traces are the same (see
  /// check_expanded_level). Not with liveness (the graph records each state's labels as it is found), coverage
  /// (its counts would include the expansion an invariant's failure cuts short) or MPI ranks (whose rounds send
  /// states on as they are found).
  bool check_on_expansion_ = false;
  bool level_first_ = false;  ///< see choose_lookup_order
  /// Set once an invariant fails in the level being expanded: its other states are only checked, not expanded.
  std::atomic<bool> level_violated_{false};
  std::atomic<std::int64_t> next_sample_ms_{0};
  std::int64_t next_progress_ms_ = 1000;
  Clock::time_point start_, last_checkpoint_;
  Stats stats_;
  std::vector<std::optional<Discovery>> discoveries_;
  std::optional<Discovery> deadlock_;
  std::vector<std::size_t> live_;  ///< the liveness properties' indices in properties_
  std::vector<Fairness<Action>> fairness_;
  std::unique_ptr<LivenessRecorder> recorder_;
  std::vector<std::optional<Lasso>> lassos_;
  std::uint32_t init_index_ = 0;  ///< the initial state being stored: its place in the model's order
  std::atomic<bool> constraint_cut_{false};
};

}  // namespace mc
