// Level-synchronous parallel breadth-first search over any Model (oneTBB), with a lock-free visited table.
// Finds the shortest path to every property discovery; counts and discoveries do not depend on the thread count.
#pragma once

#include "mc/core/model.hpp"
#include "mc/explore/exact_store.hpp"
#include "mc/explore/fingerprint_table.hpp"
#include "mc/explore/frontier.hpp"
#include "mc/explore/memory.hpp"
#include "mc/explore/options.hpp"

#include <oneapi/tbb/concurrent_vector.h>
#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <limits>
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
      : model_(model), options_(std::move(options)), properties_(model.properties()) {
    threads_ = options_.threads ? options_.threads : static_cast<unsigned>(tbb::info::default_concurrency());
    discoveries_.resize(properties_.size());
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
    stats_.distinct = distinct_.load();
    stats_.generated = generated_.load();
    stats_.peak_memory = peak_resident_bytes();
    stats_.store_bytes = options_.exact ? exact_.bytes() : table_.bytes();
    if (!options_.exact) {
      const double n = static_cast<double>(stats_.distinct);
      const double g = static_cast<double>(stats_.generated);
      stats_.collision_probability = n * std::max(0.0, g - n) / std::ldexp(1.0, 63);
    }
  }

  const Stats& stats() const { return stats_; }
  const std::vector<Property<State>>& properties() const { return properties_; }
  /// Per property, the first discovery: a counterexample for `always`, a witness for `sometimes`.
  const std::vector<std::optional<Discovery>>& discoveries() const { return discoveries_; }
  const std::optional<Discovery>& deadlock() const { return deadlock_; }

 private:
  using Clock = std::chrono::steady_clock;
  static constexpr std::size_t deadlock_index = std::numeric_limits<std::size_t>::max();
  static constexpr std::uint64_t flush_every = 256;

  struct Candidate {
    std::size_t property;
    std::uint64_t level;
    ExactKey key;
  };

  struct Worker {
    State current{};
    Bytes encoding;
    FrontierBlock next;
    std::vector<Candidate> candidates;
  };

  struct Chunk {
    const FrontierBlock* block;
    std::size_t begin, end;
  };

  enum class Stop { none, time, states, memory, request, depth };

  double seconds_since_start() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

  void search() {
    Worker& w = workers_.local();
    model_.init([&](const State& s) {
      generated_.fetch_add(1, std::memory_order_relaxed);
      if (!within_constraint(model_, s)) return;
      w.encoding.clear();
      encode_into(w.encoding, s);
      const Fingerprint fp = fingerprint_bytes(w.encoding);
      if (store(fp, w.encoding, ExactKey{root_fingerprint, {}}, 1)) {
        distinct_.fetch_add(1, std::memory_order_relaxed);
        on_new_state(w, s, fp, 1);
      }
    });
    if (!options_.exact) settle_new_states();
    std::vector<FrontierBlock> frontier = take_next_level();
    std::uint64_t level = 1;
    if (!frontier.empty()) stats_.depth = 1;
    bool violated = resolve_candidates();

    while (!frontier.empty() && !violated && stop_ == Stop::none) {
      if (options_.max_depth && level >= options_.max_depth) {
        request_stop(Stop::depth);
        break;
      }
      const std::uint64_t distinct_before = distinct_.load();
      expand_level(frontier, level);
      frontier = take_next_level();
      if (distinct_.load() > distinct_before) stats_.depth = level + 1;
      violated = resolve_candidates();
      ++level;
    }
    stats_.complete = frontier.empty() && stop_ == Stop::none && !violated;
    if (stop_ == Stop::none && violated) stats_.complete = false;
    stats_.stop_reason = stop_reason();
  }

  std::string stop_reason() const {
    switch (stop_.load()) {
      case Stop::none: return "";
      case Stop::time: return "time limit reached";
      case Stop::states: return "state limit reached";
      case Stop::memory: return "memory limit reached";
      case Stop::request: return "stopped on request";
      case Stop::depth: return "depth limit reached";
    }
    return "";
  }

  bool store(Fingerprint fp, const Bytes& enc, const ExactKey& parent, std::uint64_t level) {
    if (!options_.exact) return table_.insert(fp, parent.fp);
    return exact_.insert(fp, {reinterpret_cast<const char*>(enc.data()), enc.size()}, parent.fp, parent.bytes,
                         static_cast<std::uint32_t>(level));
  }

  ExactKey key_of(Fingerprint fp, std::string_view bytes) const {
    return options_.exact ? ExactKey{fp, std::string(bytes)} : ExactKey{fp, {}};
  }

  void on_new_state(Worker& w, const State& s, Fingerprint fp, std::uint64_t level) {
    w.next.push(fp, w.encoding.data(), w.encoding.size());
    for (std::size_t i = 0; i < properties_.size(); ++i) {
      if (resolved_[i]) continue;
      const bool holds = properties_[i].holds(s);
      if ((properties_[i].kind == PropertyKind::always) != holds) {
        w.candidates.push_back({i, level, key_of(fp, {reinterpret_cast<const char*>(w.encoding.data()),
                                                      w.encoding.size()})});
      }
    }
  }

  /// Expands every state of the frontier (level `level`), producing level + 1 in the workers' blocks.
  void expand_level(const std::vector<FrontierBlock>& frontier, std::uint64_t level) {
    std::size_t total = 0;
    for (const auto& b : frontier) total += b.size();
    queue_.store(total);
    const std::size_t per_chunk = std::clamp<std::size_t>(total / (threads_ * 16 + 1), 8, 512);
    std::vector<Chunk> chunks;
    for (const auto& b : frontier)
      for (std::size_t i = 0; i < b.size(); i += per_chunk) chunks.push_back({&b, i, std::min(b.size(), i + per_chunk)});

    while (!chunks.empty() && stop_ == Stop::none) {
      tbb::concurrent_vector<Chunk> deferred;
      tbb::parallel_for(tbb::blocked_range<std::size_t>(0, chunks.size(), 1), [&](const auto& r) {
        for (std::size_t c = r.begin(); c != r.end(); ++c) expand_chunk(chunks[c], level, deferred);
      });
      chunks.assign(deferred.begin(), deferred.end());
      if (!chunks.empty() && stop_ == Stop::none) grow_table();
    }
    if (!options_.exact) settle_new_states();
  }

  void expand_chunk(const Chunk& chunk, std::uint64_t level, tbb::concurrent_vector<Chunk>& deferred) {
    Worker& w = workers_.local();
    std::uint64_t generated = 0, inserted = 0, unflushed = 0;
    std::size_t i = chunk.begin;
    for (; i < chunk.end; ++i) {
      if (stop_.load(std::memory_order_relaxed) != Stop::none) break;
      if (!options_.exact && !has_headroom()) {
        deferred.push_back({chunk.block, i, chunk.end});
        break;
      }
      const Fingerprint parent_fp = chunk.block->fp(i);
      const std::string_view parent_bytes = chunk.block->state(i);
      detail::Reader in{reinterpret_cast<const std::uint8_t*>(parent_bytes.data()),
                        reinterpret_cast<const std::uint8_t*>(parent_bytes.data()) + parent_bytes.size()};
      decode_from(in, w.current);
      const ExactKey parent = key_of(parent_fp, parent_bytes);
      std::uint64_t successors = 0;
      model_.next(w.current, [&](const Action&, const State& s) {
        ++successors;
        if (!within_constraint(model_, s)) return;
        w.encoding.clear();
        encode_into(w.encoding, s);
        const Fingerprint fp = fingerprint_bytes(w.encoding);
        if (store(fp, w.encoding, parent, level + 1)) {
          ++inserted;
          if (++unflushed == flush_every) {
            distinct_.fetch_add(unflushed, std::memory_order_relaxed);
            unflushed = 0;
          }
          on_new_state(w, s, fp, level + 1);
        }
      });
      generated += successors;
      note_branching(successors);
      if (successors == 0 && options_.check_deadlock) w.candidates.push_back({deadlock_index, level, parent});
    }
    distinct_.fetch_add(unflushed, std::memory_order_relaxed);
    generated_.fetch_add(generated, std::memory_order_relaxed);
    queue_.fetch_sub(i - chunk.begin, std::memory_order_relaxed);
    (void)inserted;
    check_limits(level);
  }

  void note_branching(std::uint64_t successors) {
    std::uint64_t seen = max_branching_.load(std::memory_order_relaxed);
    while (successors > seen && !max_branching_.compare_exchange_weak(seen, successors)) {
    }
  }

  /// Whether one more state can be expanded without risking a full table (checked before each expansion).
  bool has_headroom() const {
    const std::uint64_t margin = threads_ * (flush_every + max_branching_.load(std::memory_order_relaxed) + 1);
    return distinct_.load(std::memory_order_relaxed) + margin < table_.capacity() / 4 * 3;
  }

  void grow_table() {
    const std::uint64_t needed = table_.bytes() * 2;
    if (options_.memory_limit && resident_bytes() + needed > options_.memory_limit) {
      request_stop(Stop::memory);
      return;
    }
    std::size_t cap = table_.capacity() * 2;
    while (distinct_.load() + 4 * threads_ * (flush_every + max_branching_.load() + 1) > cap / 2) cap *= 2;
    table_.grow(cap);
  }

  void settle_new_states() {
    std::vector<const FrontierBlock*> blocks;
    workers_.combine_each([&](Worker& w) {
      if (!w.next.empty()) blocks.push_back(&w.next);
    });
    for (const FrontierBlock* b : blocks) {
      tbb::parallel_for(tbb::blocked_range<std::size_t>(0, b->size(), 4096), [&](const auto& r) {
        for (std::size_t i = r.begin(); i != r.end(); ++i) table_.settle(b->fp(i));
      });
    }
  }

  void request_stop(Stop why) {
    Stop none = Stop::none;
    stop_.compare_exchange_strong(none, why);
  }

  void check_limits(std::uint64_t level) {
    if (options_.stop && options_.stop->load(std::memory_order_relaxed)) request_stop(Stop::request);
    if (options_.max_states && distinct_.load(std::memory_order_relaxed) >= options_.max_states)
      request_stop(Stop::states);
    const auto now = Clock::now();
    const auto since = std::chrono::duration<double>(now - start_).count();
    if (options_.time_limit > 0 && since >= options_.time_limit) request_stop(Stop::time);
    // Sample memory and report progress at most every 100 ms / 1 s, from whichever worker gets there first.
    const std::int64_t tick = std::chrono::duration_cast<std::chrono::milliseconds>(now - start_).count();
    std::int64_t next_sample = next_sample_ms_.load(std::memory_order_relaxed);
    if (tick >= next_sample && next_sample_ms_.compare_exchange_strong(next_sample, tick + 100)) {
      if (options_.memory_limit && resident_bytes() > options_.memory_limit) request_stop(Stop::memory);
      if (options_.on_progress && tick >= next_progress_ms_) {
        next_progress_ms_ = tick + 1000;
        Progress p;
        p.depth = level + 1;
        p.distinct = distinct_.load(std::memory_order_relaxed);
        p.generated = generated_.load(std::memory_order_relaxed);
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
      if (!w.next.empty()) blocks.push_back(std::move(w.next));
      w.next = FrontierBlock{};
    }
    return blocks;
  }

  /// Picks, per property, the smallest discovery of the level just finished; true when the search must stop.
  bool resolve_candidates() {
    std::vector<Candidate> all;
    for (Worker& w : workers_) {
      for (auto& c : w.candidates) all.push_back(std::move(c));
      w.candidates.clear();
    }
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
        stop = true;
      } else {
        discoveries_[c.property] = std::move(d);
        resolved_[c.property] = true;
        if (properties_[c.property].kind == PropertyKind::always) stop = true;
      }
    }
    return stop;
  }

  /// Follows parent links back to an initial state; a state first found at `level` has exactly `level` ancestors.
  std::vector<ExactKey> path_to(ExactKey key, std::uint64_t level) const {
    std::vector<ExactKey> path;
    while (key.fp != root_fingerprint) {
      if (path.size() == level) throw std::logic_error("faultline: parent links form a cycle");
      path.push_back(key);
      if (options_.exact) {
        auto parent = exact_.parent_of(key);
        if (!parent) break;
        key = std::move(*parent);
      } else {
        auto parent = table_.parent_of(key.fp);
        if (!parent) break;
        key = ExactKey{*parent, {}};
      }
    }
    std::reverse(path.begin(), path.end());
    return path;
  }

  const M& model_;
  ExploreOptions options_;
  std::vector<Property<State>> properties_;
  std::vector<char> resolved_ = std::vector<char>(properties_.size(), 0);
  unsigned threads_ = 1;
  FingerprintTable table_;
  ExactStore exact_;
  tbb::enumerable_thread_specific<Worker> workers_;
  std::atomic<std::uint64_t> distinct_{0}, generated_{0}, queue_{0}, max_branching_{1};
  std::atomic<Stop> stop_{Stop::none};
  std::atomic<std::int64_t> next_sample_ms_{0};
  std::int64_t next_progress_ms_ = 1000;
  Clock::time_point start_;
  Stats stats_;
  std::vector<std::optional<Discovery>> discoveries_;
  std::optional<Discovery> deadlock_;
};

}  // namespace mc
