// Atomic commit (TCommit's TCConsistent): no participant has committed while another has aborted.
// Written once for every commit protocol: pass the participants' states or decisions and the values meaning each.
#pragma once

#include <algorithm>
#include <functional>

namespace properties {

template <class Range, class Value, class Projection = std::identity>
bool atomic_commit(const Range& decisions, const Value& committed, const Value& aborted, Projection proj = {}) {
  return !(std::ranges::find(decisions, committed, proj) != std::ranges::end(decisions) &&
           std::ranges::find(decisions, aborted, proj) != std::ranges::end(decisions));
}

}  // namespace properties
