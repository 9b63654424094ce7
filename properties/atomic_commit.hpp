// Atomic commit (TCommit's TCConsistent): no participant has committed while another has aborted.
// Written once for every commit protocol: pass the participants' states or decisions and the values meaning each.
#pragma once

#include "mc/core/model.hpp"
#include "mc/core/print.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace properties {

template <class Range, class Value, class Projection = std::identity>
bool atomic_commit(const Range& decisions, const Value& committed, const Value& aborted, Projection proj = {}) {
  return !(std::ranges::find(decisions, committed, proj) != std::ranges::end(decisions) &&
           std::ranges::find(decisions, aborted, proj) != std::ranges::end(decisions));
}

/// Why atomic commit fails: "n1 committed while n2 aborted"; `who(element, index)` names a participant, `path`
/// the range in the state (its two entries are what the account is about).
template <class Range, class Value, class Who, class Projection = std::identity>
mc::Explanation explain_atomic_commit(const Range& decisions, const Value& committed, const Value& aborted, Who who,
                                      std::string_view path, Projection proj = {}) {
  std::string c, a;
  std::size_t ci = 0, ai = 0, i = 0;
  for (const auto& d : decisions) {
    if (c.empty() && std::invoke(proj, d) == committed) c = who(d, i), ci = i;
    if (a.empty() && std::invoke(proj, d) == aborted) a = who(d, i), ai = i;
    ++i;
  }
  if (c.empty() || a.empty()) return {};
  return {fmt::format("{} committed while {} aborted", c, a),
          {fmt::format("{}[{}]", path, ci), fmt::format("{}[{}]", path, ai)}};
}

}  // namespace properties
