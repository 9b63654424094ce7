// What the program writes on its standard output and error: writes that never end the program, the exit codes,
// and numbers as people read them.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <utility>

namespace mc::program {

/// The program's exit codes (README: "Using the program").
inline constexpr int exit_ok = 0, exit_violation = 1, exit_usage = 2, exit_incomplete = 3;

/// 1234567 -> "1,234,567".
inline std::string with_commas(std::uint64_t v) {
  const std::string digits = std::to_string(v);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

/// Writes to standard output. A failed write is not an error at this point (the reader may have gone on purpose,
/// `| head -1`): the exit code still says what the run found, and any other failure (a full disk) is reported once
/// when the program ends (mc::Program::run).
template <class... T>
void say(fmt::format_string<T...> format, T&&... args) {
  const std::string text = fmt::format(format, std::forward<T>(args)...);
  std::fwrite(text.data(), 1, text.size(), stdout);
}

/// Writes to standard error, which may be closed (`2>&-`): then the message is lost, never the exit code.
template <class... T>
void say_err(fmt::format_string<T...> format, T&&... args) {
  const std::string text = fmt::format(format, std::forward<T>(args)...);
  std::fwrite(text.data(), 1, text.size(), stderr);
}

}  // namespace mc::program
