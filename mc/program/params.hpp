// Model parameters: declared once (`int_param`, `choice_param`, `variant_param`), typed on the command line
// (`--param rms=3`), validated against their declarations. Also parses limit values, each bad one with one clear line.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace mc {

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

/// The position of a choice parameter's value among `names` (validated already); throws UsageError.
template <std::size_t N>
std::size_t choice_index(const Params& p, const std::string& name, const std::string_view (&names)[N]) {
  for (std::size_t i = 0; i < N; ++i)
    if (names[i] == p.text(name)) return i;
  throw UsageError("bad value for parameter " + name);
}

/// An integer parameter in [min, max] with its default.
inline ParamSpec int_param(std::string name, std::string help, std::int64_t default_value, std::int64_t min,
                           std::int64_t max) {
  return {std::move(name), std::move(help), std::to_string(default_value), min, max, {}};
}

/// A parameter naming one of `choices`; the first is the default.
inline ParamSpec choice_param(std::string name, std::string help, std::vector<std::string> choices) {
  std::string first = choices.empty() ? std::string() : choices.front();
  return {std::move(name), std::move(help), std::move(first), 0, 0, std::move(choices)};
}

/// The `variant` parameter: a design's correct version first, then its known-broken variants.
inline ParamSpec variant_param(std::vector<std::string> names) {
  return choice_param("variant", "the design to check: correct, or a known-broken variant", std::move(names));
}
inline ParamSpec variant_param(std::initializer_list<std::string_view> names) {
  return variant_param(std::vector<std::string>(names.begin(), names.end()));
}
template <std::size_t N>
ParamSpec variant_param(const std::string_view (&names)[N]) {
  return variant_param(std::vector<std::string>(std::begin(names), std::end(names)));
}

}  // namespace mc

namespace mc::program {

/// Checks `k=v` assignments against the specs and fills in defaults; throws UsageError.
Params parse_params(const std::string& protocol, const std::vector<ParamSpec>& specs,
                    const std::vector<std::string>& assignments);

/// "1024", "512K", "64M", "2G" (powers of 1024) → bytes; throws UsageError.
std::uint64_t parse_size(const std::string& option, const std::string& text);

/// A non-negative integer, whole text; throws UsageError.
std::uint64_t parse_count(const std::string& option, const std::string& text);

/// Seconds, possibly fractional, > 0; throws UsageError.
double parse_seconds(const std::string& option, const std::string& text);

}  // namespace mc::program
