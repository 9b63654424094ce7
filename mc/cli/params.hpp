// Protocol parameters as typed on the command line (`--param rms=3`), validated against each protocol's specs.
// Also parses the sizes and counts of the limit options, so every bad value gets one clear error message.
#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace mc::cli {

/// Bad command-line input: reported as one line, exit code 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// One parameter a protocol accepts: an integer in [min, max], or one of `choices`.
struct ParamSpec {
  std::string name;
  std::string help;
  std::string default_value;
  std::int64_t min = 0;
  std::int64_t max = 0;
  std::vector<std::string> choices;  ///< non-empty: a named choice such as a variant
};

/// Parameter values after validation; every spec has a value (its default when not given).
class Params {
 public:
  Params() = default;
  explicit Params(std::map<std::string, std::string> values) : values_(std::move(values)) {}
  std::int64_t integer(const std::string& name) const;
  const std::string& text(const std::string& name) const;
  const std::map<std::string, std::string>& values() const { return values_; }

 private:
  std::map<std::string, std::string> values_;
};

/// Checks `k=v` assignments against the specs and fills in defaults; throws UsageError.
Params parse_params(const std::string& protocol, const std::vector<ParamSpec>& specs,
                    const std::vector<std::string>& assignments);

/// "1024", "512K", "64M", "2G" (powers of 1024) → bytes; throws UsageError.
std::uint64_t parse_size(const std::string& option, const std::string& text);

/// A non-negative integer, whole text; throws UsageError.
std::uint64_t parse_count(const std::string& option, const std::string& text);

/// Seconds, possibly fractional, > 0; throws UsageError.
double parse_seconds(const std::string& option, const std::string& text);

}  // namespace mc::cli
