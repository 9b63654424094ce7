// Shared vocabulary of the transaction-commit models: resource-manager and transaction-manager states.
#pragma once

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

}  // namespace protocols
