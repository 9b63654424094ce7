// The state graph a liveness check needs, recorded during the search: per state its key and the liveness predicates
// it satisfies, per step its source, destination, successor number and fairness classes. Kept on disk until the
// search ends, then loaded as a compact graph of dense state numbers (ordered by key, so independent of threads).
#pragma once

#include "mc/core/fairness.hpp"
#include "mc/core/fingerprint.hpp"
#include "mc/core/splitmix.hpp"
#include "mc/explore/spill_file.hpp"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/parallel_sort.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <limits>
#include <mutex>
#include <stdexcept>
#include <tuple>
#include <utility>
#include <vector>

namespace mc {

/// The graph of a complete search, with every step that changes the state (steps to the same state are stutters,
/// which fairness ignores and which every state allows anyway).
struct LivenessGraph {
  static constexpr std::uint32_t not_initial = std::numeric_limits<std::uint32_t>::max();

  std::vector<StateKey> keys;             ///< per state, sorted: a state's number is its index
  std::vector<std::uint64_t> labels;      ///< per state: bit 2j is property j's p, bit 2j+1 its q
  std::vector<std::uint32_t> init_index;  ///< per state: its place among the model's initial states, or not_initial
  std::vector<std::uint32_t> initial;     ///< the initial states, in the model's order
  // Steps by source, in the order the model emits them.
  std::vector<std::uint64_t> first;       ///< per state, its first step; one entry more at the end
  std::vector<std::uint32_t> target;      ///< per step, the destination state
  std::vector<std::uint64_t> successor;   ///< per step, its number among the source's successors
  std::vector<std::uint64_t> class_first; ///< per step, its first class; one entry more at the end
  std::vector<std::uint32_t> classes;     ///< class numbers (indices into class_kind)
  std::vector<FairnessKind> class_kind;   ///< per class
  std::vector<std::uint64_t> class_code;  ///< per class, its code (fairness_class); codes ascend with the index
  // Per state, the classes of its steps: the classes enabled there.
  std::vector<std::uint64_t> enabled_first;
  std::vector<std::uint32_t> enabled;

  std::size_t states() const { return keys.size(); }
  std::size_t steps() const { return target.size(); }
  bool label(std::uint32_t s, unsigned bit) const { return (labels[s] >> bit) & 1u; }
};

/// Collects nodes and steps from the explorer's workers (each with its own buffers) into temporary files. A state's
/// steps are written together, once, behind one record of their source (a state is expanded once): the graph is
/// then built without sorting steps, its source looked up once per state.
class LivenessRecorder {
 public:
  static constexpr std::size_t flush_words = std::size_t{1} << 16;

  struct Buffers {
    std::vector<std::uint64_t> nodes, steps;
    std::size_t group = 0;  ///< in `steps`, where the open group's step count is (its source is the two words before)
    bool open = false;
  };

  void node(Buffers& b, const StateKey& key, std::uint64_t labels, std::uint32_t init_index) {
    b.nodes.insert(b.nodes.end(), {key.fp, key.ext, labels, init_index});
    if (b.nodes.size() >= flush_words) {
      std::lock_guard lock(mutex_);
      nodes_.append(b.nodes);
      b.nodes.clear();
    }
  }

  /// A step from `from` (a state's steps come one after another, in the order of their successor numbers). A step
  /// to its own source is a stutter, which fairness ignores: it is not kept.
  void step(Buffers& b, const StateKey& from, const StateKey& to, std::uint64_t successor,
            const std::vector<std::uint64_t>& classes) {
    if (classes.size() > 255) throw std::invalid_argument("a step belongs to at most 255 fairness classes");
    if (to == from) return;
    if (!b.open || b.steps[b.group - 2] != from.fp || b.steps[b.group - 1] != from.ext) {
      if (b.steps.size() >= flush_words) flush_steps(b);  // between groups only: a group is written whole
      b.steps.insert(b.steps.end(), {from.fp, from.ext, 0});
      b.group = b.steps.size() - 1;
      b.open = true;
    }
    ++b.steps[b.group];
    b.steps.insert(b.steps.end(), {to.fp, to.ext, successor << 8 | classes.size()});
    b.steps.insert(b.steps.end(), classes.begin(), classes.end());
  }

  void flush(Buffers& b) {
    std::lock_guard lock(mutex_);
    nodes_.append(b.nodes);
    b.nodes.clear();
    steps_.append(b.steps);
    b.steps.clear();
    b.open = false;
  }

  std::size_t node_bytes() const { return nodes_.bytes(); }
  std::size_t step_bytes() const { return steps_.bytes(); }

  /// Builds the graph; `kinds[c]` is fairness condition c's kind.
  LivenessGraph load(const std::vector<FairnessKind>& kinds) const;

 private:
  void flush_steps(Buffers& b) {
    std::lock_guard lock(mutex_);
    steps_.append(b.steps);
    b.steps.clear();
    b.open = false;
  }

  /// The groups of step records (a source, a count, the steps with their classes), which a block boundary may
  /// split.
  class StepFile : public SpillFile {
   public:
    using SpillFile::SpillFile;
    /// Calls `f(words, offsets)` for batches of whole groups: group k starts at words + offsets[k].
    template <class F>
    void for_each_batch(F&& f) const {
      std::vector<std::uint64_t> carry;
      std::vector<std::size_t> offsets;
      for_each_block([&](const std::vector<std::uint64_t>& block) {
        carry.insert(carry.end(), block.begin(), block.end());
        offsets.clear();
        std::size_t at = 0;
        while (at + 3 <= carry.size()) {
          std::size_t end = at + 3;
          for (std::uint64_t k = 0; k < carry[at + 2] && end != 0; ++k)
            end = end + 3 <= carry.size() ? end + 3 + (carry[end + 2] & 0xFF) : 0;
          if (end == 0 || end > carry.size()) break;
          offsets.push_back(at);
          at = end;
        }
        f(carry.data(), offsets);
        carry.erase(carry.begin(), carry.begin() + static_cast<std::ptrdiff_t>(at));
      });
    }
  };

  std::mutex mutex_;
  SpillFile nodes_{"faultline-states"};
  StepFile steps_{"faultline-steps"};
};

namespace detail {

/// Key -> state number over the sorted keys: open addressing on the fingerprint, which is spread uniformly already;
/// lookups in batches prefetch their slots first (they are random accesses into tables far larger than a cache).
class KeyIndex {
 public:
  static constexpr std::uint32_t empty = std::numeric_limits<std::uint32_t>::max();

  explicit KeyIndex(const std::vector<StateKey>& keys)
      : keys_(keys), mask_(std::bit_ceil(2 * keys.size() + 2) - 1), slots_(mask_ + 1, empty) {
    for (std::uint32_t s = 0; s < keys.size(); ++s) {
      std::size_t i = keys[s].fp & mask_;
      while (slots_[i] != empty) i = (i + 1) & mask_;
      slots_[i] = s;
    }
  }

  std::uint32_t find(std::uint64_t fp, std::uint64_t ext) const {
    const StateKey k{fp, ext};
    for (std::size_t i = fp & mask_;; i = (i + 1) & mask_) {
      const std::uint32_t s = slots_[i];
      if (s == empty) throw std::logic_error("faultline: a recorded step leads to no recorded state");
      if (keys_[s] == k) return s;
    }
  }

  /// out[k] = the number of the state whose key is the two words at w + at[k].
  void find_all(const std::uint64_t* w, const std::vector<std::size_t>& at, std::uint32_t* out) const {
    constexpr std::size_t batch = 16;
    tbb::parallel_for(std::size_t{0}, (at.size() + batch - 1) / batch, [&](std::size_t b) {
      const std::size_t lo = b * batch, hi = std::min(at.size(), lo + batch);
      for (std::size_t k = lo; k < hi; ++k) __builtin_prefetch(&slots_[w[at[k]] & mask_]);
      for (std::size_t k = lo; k < hi; ++k)
        if (const std::uint32_t s = slots_[w[at[k]] & mask_]; s != empty) __builtin_prefetch(&keys_[s]);
      for (std::size_t k = lo; k < hi; ++k) out[k] = find(w[at[k]], w[at[k] + 1]);
    });
  }

 private:
  const std::vector<StateKey>& keys_;
  std::size_t mask_;
  std::vector<std::uint32_t> slots_;
};

/// Fairness class codes -> their numbers, which ascend with the codes. Classes are few beside the steps that name
/// them, so the table stays in cache while every step's classes are looked up.
class ClassNumbers {
 public:
  explicit ClassNumbers(const std::vector<std::uint64_t>& codes) {
    std::size_t distinct = 0;
    for (const std::uint64_t c : codes) {
      if (2 * (distinct + 1) > slots_.size()) grow();
      if (Slot& slot = slots_[find(c)]; !slot.used) slot = {c, 0, true}, ++distinct;
    }
    for (const Slot& slot : slots_)
      if (slot.used) codes_.push_back(slot.code);
    std::sort(codes_.begin(), codes_.end());
    for (std::uint32_t i = 0; i < codes_.size(); ++i) slots_[find(codes_[i])].number = i;
  }

  const std::vector<std::uint64_t>& codes() const { return codes_; }
  std::uint32_t number(std::uint64_t code) const { return slots_[find(code)].number; }

 private:
  struct Slot {
    std::uint64_t code = 0;
    std::uint32_t number = 0;
    bool used = false;
  };
  /// The slot holding `code`, or the empty one where it would go.
  std::size_t find(std::uint64_t code) const {
    const std::size_t mask = slots_.size() - 1;  // codes may be small numbers (a node's): mixed before use
    for (std::size_t i = (code * golden_gamma) >> 20 & mask;; i = (i + 1) & mask)
      if (!slots_[i].used || slots_[i].code == code) return i;
  }
  void grow() {
    std::vector<Slot> old = std::exchange(slots_, std::vector<Slot>(std::max<std::size_t>(64, 2 * slots_.size())));
    for (const Slot& slot : old)
      if (slot.used) slots_[find(slot.code)] = slot;
  }

  std::vector<Slot> slots_;
  std::vector<std::uint64_t> codes_;
};

}  // namespace detail

inline LivenessGraph LivenessRecorder::load(const std::vector<FairnessKind>& kinds) const {
  LivenessGraph g;
  struct Node {
    StateKey key;
    std::uint64_t labels;
    std::uint32_t init;
  };
  {
    std::vector<Node> nodes;
    nodes.reserve(nodes_.words() / 4);
    nodes_.for_each_block([&](const std::vector<std::uint64_t>& w) {
      for (std::size_t i = 0; i + 4 <= w.size(); i += 4)
        nodes.push_back({{w[i], w[i + 1]}, w[i + 2], static_cast<std::uint32_t>(w[i + 3])});
    });
    tbb::parallel_sort(nodes.begin(), nodes.end(), [](const Node& a, const Node& b) { return a.key < b.key; });
    g.keys.resize(nodes.size());
    g.labels.resize(nodes.size());
    g.init_index.resize(nodes.size());
    tbb::parallel_for(std::size_t{0}, nodes.size(), [&](std::size_t s) {
      g.keys[s] = nodes[s].key;
      g.labels[s] = nodes[s].labels;
      g.init_index[s] = nodes[s].init;
    });
  }
  std::vector<std::pair<std::uint32_t, std::uint32_t>> inits;
  for (std::uint32_t s = 0; s < g.states(); ++s)
    if (g.init_index[s] != LivenessGraph::not_initial) inits.push_back({g.init_index[s], s});
  std::sort(inits.begin(), inits.end());
  for (const auto& [index, s] : inits) g.initial.push_back(s);
  const detail::KeyIndex index(g.keys);

  // The steps in the order they were read, a group (one source's steps, in successor order) after another.
  std::vector<std::uint32_t> read_target, read_count;      // per step: its destination, its number of classes
  std::vector<std::uint64_t> read_successor, read_codes;   // per step: its successor number; its classes' codes
  std::vector<std::uint32_t> group_source;                 // per group: its source
  std::vector<std::uint64_t> group_begin, group_codes;     // per group: its first step, its first class code
  std::vector<std::size_t> starts;
  std::vector<std::uint32_t> ids;
  read_target.reserve(steps_.words() / 3);
  steps_.for_each_batch([&](const std::uint64_t* w, const std::vector<std::size_t>& at) {
    starts.clear();
    for (const std::size_t g0 : at) {
      group_begin.push_back(read_successor.size());
      group_codes.push_back(read_codes.size());
      std::size_t e = g0 + 3;
      for (std::uint64_t j = 0; j < w[g0 + 2]; ++j) {
        starts.push_back(e);
        const auto n = static_cast<std::uint32_t>(w[e + 2] & 0xFF);
        read_successor.push_back(w[e + 2] >> 8);
        read_count.push_back(n);
        read_codes.insert(read_codes.end(), w + e + 3, w + e + 3 + n);
        e += 3 + n;
      }
    }
    ids.resize(at.size());
    index.find_all(w, at, ids.data());
    group_source.insert(group_source.end(), ids.begin(), ids.end());
    const std::size_t base = read_target.size();
    read_target.resize(base + starts.size());
    index.find_all(w, starts, read_target.data() + base);
  });
  group_begin.push_back(read_successor.size());
  group_codes.push_back(read_codes.size());

  // Classes numbered in the order of their codes, not of the (thread-dependent) order they were read in.
  const detail::ClassNumbers class_of(read_codes);
  g.class_code = class_of.codes();
  for (const std::uint64_t code : g.class_code) {
    const std::size_t condition = fairness_condition(code);
    g.class_kind.push_back(condition < kinds.size() ? kinds[condition] : FairnessKind::weak);
  }

  // By source: each state's group (a state is expanded once) moved to its place, its classes renumbered.
  constexpr std::uint32_t no_group = LivenessGraph::not_initial;
  std::vector<std::uint32_t> group_of(g.states(), no_group);
  for (std::uint32_t k = 0; k < group_source.size(); ++k) {
    if (group_of[group_source[k]] != no_group) throw std::logic_error("faultline: a state was expanded twice");
    group_of[group_source[k]] = k;
  }
  g.first.assign(g.states() + 1, 0);
  std::vector<std::uint64_t> class_base(g.states() + 1, 0);
  for (std::size_t s = 0; s < g.states(); ++s) {
    const std::uint32_t k = group_of[s];
    g.first[s + 1] = g.first[s] + (k == no_group ? 0 : group_begin[k + 1] - group_begin[k]);
    class_base[s + 1] = class_base[s] + (k == no_group ? 0 : group_codes[k + 1] - group_codes[k]);
  }
  group_of = {};
  g.target.resize(g.first.back());
  g.successor.resize(g.first.back());
  g.class_first.resize(g.first.back() + 1);
  g.classes.resize(class_base.back());
  g.class_first.back() = class_base.back();
  // Group by group as read (reads in order, each group's writes together), its enabled classes counted too.
  std::vector<std::uint64_t> enabled_count(g.states() + 1, 0);
  const auto enabled_at = [&](std::size_t s, std::vector<std::uint32_t>& here) {
    here.assign(g.classes.begin() + static_cast<std::ptrdiff_t>(class_base[s]),
                g.classes.begin() + static_cast<std::ptrdiff_t>(class_base[s + 1]));
    std::sort(here.begin(), here.end());
    here.erase(std::unique(here.begin(), here.end()), here.end());
  };
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, group_source.size()),
                    [&](const tbb::blocked_range<std::size_t>& r) {
    std::vector<std::uint32_t> here;
    for (std::size_t k = r.begin(); k != r.end(); ++k) {
      const std::uint32_t s = group_source[k];
      std::uint64_t c = class_base[s], code = group_codes[k];
      for (std::uint64_t j = group_begin[k], e = g.first[s]; j < group_begin[k + 1]; ++j, ++e) {
        g.target[e] = read_target[j];
        g.successor[e] = read_successor[j];
        g.class_first[e] = c;
        for (std::uint32_t t = 0; t < read_count[j]; ++t, ++c, ++code) g.classes[c] = class_of.number(read_codes[code]);
        if (read_count[j] > 1)
          std::sort(g.classes.begin() + static_cast<std::ptrdiff_t>(g.class_first[e]),
                    g.classes.begin() + static_cast<std::ptrdiff_t>(c));
      }
      enabled_at(s, here);
      enabled_count[s + 1] = here.size();
    }
  });
  read_target = {}, read_count = {}, read_successor = {}, read_codes = {};

  // Per state, the classes of its steps: the classes enabled there (counted above, written in parallel).
  for (std::size_t s = 0; s < g.states(); ++s) enabled_count[s + 1] += enabled_count[s];
  g.enabled_first = std::move(enabled_count);
  g.enabled.resize(g.enabled_first.back());
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, g.states()), [&](const tbb::blocked_range<std::size_t>& r) {
    std::vector<std::uint32_t> here;
    for (std::size_t s = r.begin(); s != r.end(); ++s) {
      enabled_at(s, here);
      std::copy(here.begin(), here.end(), g.enabled.begin() + static_cast<std::ptrdiff_t>(g.enabled_first[s]));
    }
  });
  return g;
}

}  // namespace mc
