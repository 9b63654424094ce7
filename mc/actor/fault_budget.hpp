// How many faults of each class an exploration may inject: the bound that keeps a faulty state space finite.
// Parsed from `--faults loss=1,dup=1,crash=1,restart=1,partition=1,torn=1` and stated in reports ("safe under any").
#pragma once

#include "mc/core/reflect.hpp"

#include <boost/hana/adapt_struct.hpp>

#include <fmt/format.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mc {

struct FaultBudget {
  // Defaults (adapted below rather than defined by the macro) let a budget be written without the later classes.
  std::uint8_t loss = 0, dup = 0, crash = 0, restart = 0, partition = 0, jump = 0, torn = 0;
  bool operator==(const FaultBudget&) const = default;

  /// `jump` (a wall-clock step) only applies to actor systems with clocks; `torn` (the last record a crash keeps
  /// of a node's unsynced appends is half written) to those whose actors keep a log.
  static constexpr std::array<std::string_view, 7> names{"loss",      "dup",  "crash", "restart",
                                                         "partition", "jump", "torn"};
  /// Classes named in a budget's text only when used, so budgets without them read as before.
  static constexpr bool optional_class(std::size_t i) { return names[i] == "jump" || names[i] == "torn"; }

  std::uint8_t& operator[](std::size_t i) {
    std::uint8_t* f[] = {&loss, &dup, &crash, &restart, &partition, &jump, &torn};
    return *f[i];
  }
  std::uint8_t operator[](std::size_t i) const { return const_cast<FaultBudget&>(*this)[i]; }

  /// `loss=1,dup=0,crash=1,restart=1,partition=0`
  std::string to_spec() const {
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i)
      if (!optional_class(i) || (*this)[i]) out += fmt::format("{}{}={}", i ? "," : "", names[i], (*this)[i]);
    return out;
  }

  /// "any 1 loss, 1 duplicate and 1 crash", or "no faults".
  std::string describe() const {
    static constexpr std::array<std::string_view, 7> one{"loss",      "duplicate",  "crash",     "restart",
                                                         "partition", "clock jump", "torn write"};
    static constexpr std::array<std::string_view, 7> many{"losses",     "duplicates",  "crashes",    "restarts",
                                                          "partitions", "clock jumps", "torn writes"};
    std::vector<std::string> parts;
    for (std::size_t i = 0; i < names.size(); ++i)
      if ((*this)[i]) parts.push_back(fmt::format("{} {}", (*this)[i], (*this)[i] == 1 ? one[i] : many[i]));
    if (parts.empty()) return "no faults";
    std::string out = "any ";
    for (std::size_t i = 0; i < parts.size(); ++i)
      out += (i == 0 ? "" : i + 1 == parts.size() ? " and " : ", ") + parts[i];
    return out;
  }
};

}  // namespace mc

BOOST_HANA_ADAPT_STRUCT(mc::FaultBudget, loss, dup, crash, restart, partition, jump, torn);

namespace mc {

/// Parses `loss=1,dup=2` onto `base` (classes not named keep base's value). Returns an error message on failure.
inline std::optional<std::string> parse_fault_budget(std::string_view text, FaultBudget& base) {
  if (text.empty()) return "expected CLASS=N[,CLASS=N...] with CLASS one of loss, dup, crash, restart, partition, jump, torn";
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const std::size_t comma = std::min(text.find(',', pos), text.size());
    const std::string_view item = text.substr(pos, comma - pos);
    const std::size_t eq = item.find('=');
    if (eq == std::string_view::npos) return fmt::format("malformed fault budget '{}': expected CLASS=N", item);
    const std::string_view name = item.substr(0, eq), value = item.substr(eq + 1);
    std::size_t idx = FaultBudget::names.size();
    for (std::size_t i = 0; i < FaultBudget::names.size(); ++i)
      if (FaultBudget::names[i] == name) idx = i;
    if (idx == FaultBudget::names.size())
      return fmt::format("unknown fault class '{}' (known: loss, dup, crash, restart, partition, jump, torn)", name);
    unsigned v = 0;
    if (value.empty() || value.size() > 2 || value.find_first_not_of("0123456789") != std::string_view::npos ||
        (v = static_cast<unsigned>(std::stoul(std::string(value)))) > 9)
      return fmt::format("bad budget '{}' for {}: expected 0..9", value, name);
    base[idx] = static_cast<std::uint8_t>(v);
    pos = comma + 1;
  }
  return std::nullopt;
}

}  // namespace mc
