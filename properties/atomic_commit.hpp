// Atomic commit (TCommit's TCConsistent): no participant has committed while another has aborted.
// Written once for every commit protocol: pass the participants' states and the values meaning each decision.
#pragma once

#include <algorithm>

namespace properties {

template <class Range, class Value>
bool atomic_commit(const Range& participants, const Value& committed, const Value& aborted) {
  const bool any_committed = std::find(std::begin(participants), std::end(participants), committed) != std::end(participants);
  const bool any_aborted = std::find(std::begin(participants), std::end(participants), aborted) != std::end(participants);
  return !(any_committed && any_aborted);
}

}  // namespace properties
