// Coverage, like TLC's -coverage: how many times each kind of step was taken (successors generated), and the kinds
// a model could take but never did, so that a property cannot hold vacuously without anyone noticing.
#pragma once

#include "mc/core/model.hpp"
#include "mc/core/print.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace mc {

/// A model may name each step's kind itself (`coverage_label(a)`, e.g. "deliver Prepare to Participant"); by
/// default the kind is the step's label up to its first space or parenthesis ("RMPrepare(r1)" → "RMPrepare").
template <class M>
concept LabelsCoverage = Model<M> && requires(const M& m, const typename M::Action& a) {
  { m.coverage_label(a) } -> std::convertible_to<std::string>;
};

/// A model may list the kinds it expects to see taken (`coverage_kinds()`): each one never taken is a warning.
template <class M>
concept DeclaresCoverageKinds = Model<M> && requires(const M& m) {
  { m.coverage_kinds() } -> std::convertible_to<std::vector<std::string>>;
};

/// A model may instead explain its gaps from the counts (`coverage_gaps(counts)`): actor systems name the message
/// types never delivered, the actors that never handled one, timers that never fired, faults never possible.
template <class M>
concept ExplainsCoverageGaps = Model<M> && requires(const M& m, const std::map<std::string, std::uint64_t>& c) {
  { m.coverage_gaps(c) } -> std::convertible_to<std::vector<std::string>>;
};

/// Whether to_text can render a value of T (an action type with no rendering counts as one kind, "step").
template <class T>
concept Renderable = Describable<T> || NamedEnum<T> || Reflected<T> || SelfFormatted<T> || std::is_enum_v<T> ||
                     std::is_arithmetic_v<T>;

template <Model M>
std::string coverage_label(const M& m, const typename M::Action& a) {
  if constexpr (LabelsCoverage<M>) {
    return m.coverage_label(a);
  } else if constexpr (!Renderable<typename M::Action>) {
    return "step";
  } else {
    std::string t = to_text(a);
    t.resize(std::min(t.size(), t.find_first_of(" (")));
    return t;
  }
}

/// The warnings for a finished count: kinds expected but never taken.
template <Model M>
std::vector<std::string> coverage_gaps(const M& m, const std::map<std::string, std::uint64_t>& counts) {
  std::vector<std::string> gaps;
  if constexpr (ExplainsCoverageGaps<M>) {
    gaps = m.coverage_gaps(counts);
  } else if constexpr (DeclaresCoverageKinds<M>) {
    for (const auto& k : m.coverage_kinds())
      if (!counts.count(k)) gaps.push_back("'" + k + "' was never taken");
  }
  return gaps;
}

}  // namespace mc
