// The state graph a liveness check needs, recorded during the search: per state its key and the liveness predicates
// it satisfies, per step its source, destination, successor number and fairness classes. Kept on disk until the
// search ends, then loaded as a compact graph of dense state numbers (ordered by key, so independent of threads).
#pragma once

#include "mc/core/fairness.hpp"
#include "mc/core/fingerprint.hpp"
#include "mc/explore/spill_file.hpp"

#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/parallel_sort.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <limits>
#include <mutex>
#include <stdexcept>
#include <tuple>
#include <unordered_map>
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

/// Collects nodes and steps from the explorer's workers (each with its own buffers) into temporary files.
class LivenessRecorder {
 public:
  static constexpr std::size_t flush_words = std::size_t{1} << 16;

  struct Buffers {
    std::vector<std::uint64_t> nodes, steps;
  };

  void node(Buffers& b, const StateKey& key, std::uint64_t labels, std::uint32_t init_index) {
    b.nodes.insert(b.nodes.end(), {key.fp, key.ext, labels, init_index});
    if (b.nodes.size() >= flush_words) flush(b);
  }

  void step(Buffers& b, const StateKey& from, const StateKey& to, std::uint64_t successor,
            const std::vector<std::uint64_t>& classes) {
    if (classes.size() > 255) throw std::invalid_argument("a step belongs to at most 255 fairness classes");
    b.steps.insert(b.steps.end(), {from.fp, from.ext, to.fp, to.ext, successor << 8 | classes.size()});
    b.steps.insert(b.steps.end(), classes.begin(), classes.end());
    if (b.steps.size() >= flush_words) flush(b);
  }

  void flush(Buffers& b) {
    std::lock_guard lock(mutex_);
    nodes_.append(b.nodes);
    steps_.append(b.steps);
    b.nodes.clear();
    b.steps.clear();
  }

  std::size_t node_bytes() const { return nodes_.bytes(); }
  std::size_t step_bytes() const { return steps_.bytes(); }

  /// Builds the graph; `kinds[c]` is fairness condition c's kind.
  LivenessGraph load(const std::vector<FairnessKind>& kinds) const {
    LivenessGraph g;
    struct Node {
      StateKey key;
      std::uint64_t labels;
      std::uint32_t init;
    };
    std::vector<Node> nodes;
    nodes.reserve(nodes_.words() / 4);
    nodes_.for_each_block([&](const std::vector<std::uint64_t>& w) {
      for (std::size_t i = 0; i + 4 <= w.size(); i += 4)
        nodes.push_back({{w[i], w[i + 1]}, w[i + 2], static_cast<std::uint32_t>(w[i + 3])});
    });
    tbb::parallel_sort(nodes.begin(), nodes.end(), [](const Node& a, const Node& b) { return a.key < b.key; });
    for (const Node& n : nodes) {
      g.keys.push_back(n.key);
      g.labels.push_back(n.labels);
      g.init_index.push_back(n.init);
    }
    nodes = {};
    std::vector<std::pair<std::uint32_t, std::uint32_t>> inits;
    for (std::uint32_t s = 0; s < g.states(); ++s)
      if (g.init_index[s] != LivenessGraph::not_initial) inits.push_back({g.init_index[s], s});
    std::sort(inits.begin(), inits.end());
    for (const auto& [index, s] : inits) g.initial.push_back(s);

    // Key -> state number: open addressing on the fingerprint, which is spread uniformly already.
    constexpr std::uint32_t empty = LivenessGraph::not_initial;
    const std::size_t mask = std::bit_ceil(2 * g.states() + 2) - 1;
    std::vector<std::uint32_t> index(mask + 1, empty);
    for (std::uint32_t s = 0; s < g.states(); ++s) {
      std::size_t i = g.keys[s].fp & mask;
      while (index[i] != empty) i = (i + 1) & mask;
      index[i] = s;
    }
    const auto id_of = [&](std::uint64_t fp, std::uint64_t ext) {
      const StateKey k{fp, ext};
      for (std::size_t i = fp & mask;; i = (i + 1) & mask) {
        const std::uint32_t s = index[i];
        if (s == empty) throw std::logic_error("faultline: a recorded step leads to no recorded state");
        if (g.keys[s] == k) return s;
      }
    };
    struct Step {
      std::uint32_t from, to;
      std::uint64_t successor, classes_at;
      std::uint32_t class_count;
    };
    std::vector<Step> steps;
    std::vector<std::uint32_t> codes;  // every step's classes in reading order, numbered as first met
    std::unordered_map<std::uint64_t, std::uint32_t> met;  // code -> that number (classes are few)
    steps_.for_each_batch([&](const std::uint64_t* w, const std::vector<std::size_t>& at) {
      const std::size_t base = steps.size();
      steps.resize(base + at.size());
      // A worker records a state's steps one after another: its source is looked up once.
      StateKey last{0, 0};
      std::uint32_t last_id = empty;
      for (std::size_t k = 0; k < at.size(); ++k) {
        const std::uint64_t* r = w + at[k];
        const auto n = static_cast<std::uint32_t>(r[4] & 0xFF);
        if (last_id == empty || r[0] != last.fp || r[1] != last.ext) last = {r[0], r[1]}, last_id = id_of(r[0], r[1]);
        steps[base + k] = {last_id, 0, r[4] >> 8, codes.size(), n};
        for (std::uint32_t j = 0; j < n; ++j)
          codes.push_back(met.try_emplace(r[5 + j], static_cast<std::uint32_t>(met.size())).first->second);
      }
      tbb::parallel_for(std::size_t{0}, at.size(), [&](std::size_t k) {
        const std::uint64_t* r = w + at[k];
        steps[base + k].to = id_of(r[2], r[3]);
      });
    });
    std::erase_if(steps, [](const Step& s) { return s.from == s.to; });  // stutters
    // Classes numbered in the order of their codes, not of the (thread-dependent) order they were read in.
    for (const auto& [code, first_met] : met) g.class_code.push_back(code);
    std::sort(g.class_code.begin(), g.class_code.end());
    std::vector<std::uint32_t> class_of(met.size());
    for (std::uint32_t c = 0; c < g.class_code.size(); ++c) {
      class_of[met.at(g.class_code[c])] = c;
      const std::size_t condition = fairness_condition(g.class_code[c]);
      g.class_kind.push_back(condition < kinds.size() ? kinds[condition] : FairnessKind::weak);
    }
    // By source (a counting sort: sources are dense), then by successor number within each source.
    g.first.assign(g.states() + 1, 0);
    for (const Step& st : steps) ++g.first[st.from + 1];
    for (std::size_t s = 0; s < g.states(); ++s) g.first[s + 1] += g.first[s];
    std::vector<std::uint32_t> order(steps.size());
    {
      std::vector<std::uint64_t> next(g.first.begin(), g.first.end() - 1);
      for (std::uint32_t i = 0; i < steps.size(); ++i) order[next[steps[i].from]++] = i;
    }
    tbb::parallel_for(std::size_t{0}, g.states(), [&](std::size_t s) {
      std::sort(order.begin() + static_cast<std::ptrdiff_t>(g.first[s]),
                order.begin() + static_cast<std::ptrdiff_t>(g.first[s + 1]),
                [&](std::uint32_t a, std::uint32_t b) { return steps[a].successor < steps[b].successor; });
    });
    g.target.reserve(steps.size());
    g.successor.reserve(steps.size());
    g.class_first.reserve(steps.size() + 1);
    g.classes.reserve(codes.size());
    g.class_first.push_back(0);
    for (std::uint32_t i : order) {
      const Step& st = steps[i];
      g.target.push_back(st.to);
      g.successor.push_back(st.successor);
      for (std::uint32_t k = 0; k < st.class_count; ++k) g.classes.push_back(class_of[codes[st.classes_at + k]]);
      std::sort(g.classes.end() - st.class_count, g.classes.end());
      g.class_first.push_back(g.classes.size());
    }
    g.enabled_first.push_back(0);
    std::vector<std::uint32_t> here;
    for (std::uint32_t s = 0; s < g.states(); ++s) {
      here.clear();
      for (std::uint64_t e = g.first[s]; e < g.first[s + 1]; ++e)
        here.insert(here.end(), g.classes.begin() + static_cast<std::ptrdiff_t>(g.class_first[e]),
                    g.classes.begin() + static_cast<std::ptrdiff_t>(g.class_first[e + 1]));
      std::sort(here.begin(), here.end());
      here.erase(std::unique(here.begin(), here.end()), here.end());
      g.enabled.insert(g.enabled.end(), here.begin(), here.end());
      g.enabled_first.push_back(g.enabled.size());
    }
    return g;
  }

 private:
  /// The step records (5 words and their classes), which a block boundary may split.
  class StepFile : public SpillFile {
   public:
    using SpillFile::SpillFile;
    /// Calls `f(words, offsets)` for batches of whole records: record k starts at words + offsets[k].
    template <class F>
    void for_each_batch(F&& f) const {
      std::vector<std::uint64_t> carry;
      std::vector<std::size_t> offsets;
      for_each_block([&](const std::vector<std::uint64_t>& block) {
        carry.insert(carry.end(), block.begin(), block.end());
        offsets.clear();
        std::size_t at = 0;
        while (at + 5 <= carry.size()) {
          const std::size_t n = carry[at + 4] & 0xFF;
          if (at + 5 + n > carry.size()) break;
          offsets.push_back(at);
          at += 5 + n;
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

}  // namespace mc
