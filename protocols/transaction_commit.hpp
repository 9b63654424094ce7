// Shared vocabulary of the transaction-commit models: resource-manager and transaction-manager states.
#pragma once

#include "mc/core/model.hpp"
#include "properties/atomic_commit.hpp"

#include <fmt/format.h>

#include <cstdint>
#include <string_view>

namespace protocols {

/// Most resource managers a transaction-commit model accepts (they live in fixed-capacity containers).
inline constexpr unsigned max_rms = 16;

enum class RMState : std::uint8_t { working, prepared, committed, aborted };
inline std::string_view to_string_view(RMState s) {
  constexpr std::string_view names[] = {"working", "prepared", "committed", "aborted"};
  return names[static_cast<int>(s)];
}

enum class TMState : std::uint16_t { init, committed, aborted };
inline std::string_view to_string_view(TMState s) {
  constexpr std::string_view names[] = {"init", "committed", "aborted"};
  return names[static_cast<int>(s)];
}

/// TCommit's invariant TCConsistent over `State::rmState`, explained as "r1 committed while r2 aborted".
template <class State>
mc::Property<State> tc_consistent() {
  auto p = mc::always<State>("TCConsistent", [](const State& s) {
    return properties::atomic_commit(s.rmState, RMState::committed, RMState::aborted);
  });
  p.explain = [](const State& s) {
    return properties::explain_atomic_commit(s.rmState, RMState::committed, RMState::aborted,
                                             [](const auto&, std::size_t i) { return fmt::format("r{}", i + 1); },
                                             "rmState");
  };
  return p;
}

}  // namespace protocols
