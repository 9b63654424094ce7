// Symmetry reduction: a model whose ids are interchangeable maps each state to one canonical member of its orbit,
// and the explorer stores only that member. Canonical means the same for every member of the orbit, so counts do
// not depend on the order states are visited or on the thread count.
#pragma once

#include "mc/core/encode.hpp"
#include "mc/core/model.hpp"

#include <algorithm>
#include <concepts>
#include <cstdint>
#include <numeric>
#include <vector>

namespace mc {

/// A model that declares symmetry: `m.canonical(s)` returns the representative of s's orbit under the model's
/// symmetry group (properties must be invariant under that group, as with TLC's SYMMETRY).
template <class M>
concept SymmetricModel = Model<M> && requires(const M& m, const typename M::State& s) {
  { m.canonical(s) } -> std::same_as<typename M::State>;
};

/// A permutation of ids 0..n-1: `p[i]` is the new id of id i.
using Permutation = std::vector<std::uint8_t>;

/// Every permutation of n ids (n! of them; keep n small).
inline std::vector<Permutation> all_permutations(std::size_t n) {
  Permutation p(n);
  std::iota(p.begin(), p.end(), std::uint8_t{0});
  std::vector<Permutation> out;
  do out.push_back(p);
  while (std::next_permutation(p.begin(), p.end()));
  return out;
}

/// The direct product of two permutation groups given by their elements (e.g. replicas × values).
inline std::vector<std::pair<Permutation, Permutation>> product(const std::vector<Permutation>& a,
                                                                const std::vector<Permutation>& b) {
  std::vector<std::pair<Permutation, Permutation>> out;
  for (const auto& x : a)
    for (const auto& y : b) out.emplace_back(x, y);
  return out;
}

/// The orbit member with the smallest canonical encoding: canonical by construction, for any group given by all
/// its elements and any `apply(state, element)`. Cost: one apply + encode per element; fine for small groups,
/// and the reference that faster, model-specific canonicalisers are tested against.
template <class State, class Group, class Apply>
State smallest_in_orbit(const State& s, const Group& group, Apply&& apply) {
  State best = s;
  Bytes best_bytes = encode(s), bytes;
  for (const auto& g : group) {
    State t = apply(s, g);
    bytes.clear();
    encode_into(bytes, t);
    if (bytes < best_bytes) {
      best_bytes.swap(bytes);
      best = std::move(t);
    }
  }
  return best;
}

}  // namespace mc
