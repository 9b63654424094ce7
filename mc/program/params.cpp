// Validation of protocol parameters and limit values.
#include "mc/program/params.hpp"
#include "mc/program/suggest.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace mc {

namespace {

bool parse_int(const std::string& text, std::int64_t& out) {
  const char* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && p == end && !text.empty();
}

}  // namespace

std::int64_t Params::integer(const std::string& name) const {
  std::int64_t v = 0;
  auto it = values_.find(name);
  if (it == values_.end() || !parse_int(it->second, v)) throw UsageError("no integer parameter '" + name + "'");
  return v;
}

const std::string& Params::text(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) throw UsageError("no parameter '" + name + "'");
  return it->second;
}

}  // namespace mc

namespace mc::program {

Params parse_params(const std::string& protocol, const std::vector<ParamSpec>& specs,
                    const std::vector<std::string>& assignments) {
  std::map<std::string, std::string> values;
  for (const auto& s : specs) values[s.name] = s.default_value;
  std::map<std::string, bool> seen;
  for (const auto& a : assignments) {
    const auto eq = a.find('=');
    if (eq == std::string::npos || eq == 0)
      throw UsageError(fmt::format("malformed parameter '{}': expected NAME=VALUE", a));
    const std::string name = a.substr(0, eq), value = a.substr(eq + 1);
    auto spec = std::find_if(specs.begin(), specs.end(), [&](const ParamSpec& s) { return s.name == name; });
    if (spec == specs.end()) {
      std::string known;
      std::vector<std::string> names;
      for (const auto& s : specs) known += (known.empty() ? "" : ", ") + s.name, names.push_back(s.name);
      throw UsageError(fmt::format("unknown parameter '{}' for protocol {}{} (it takes: {})", name, protocol,
                                   did_you_mean(name, names), known.empty() ? "no parameters" : known));
    }
    if (seen[name]) throw UsageError(fmt::format("parameter '{}' given twice", name));
    seen[name] = true;
    if (!spec->choices.empty()) {
      if (std::find(spec->choices.begin(), spec->choices.end(), value) == spec->choices.end()) {
        std::string known;
        for (const auto& c : spec->choices) known += (known.empty() ? "" : ", ") + c;
        throw UsageError(fmt::format("bad value '{}' for parameter {}{}: expected one of {}", value, name,
                                     did_you_mean(value, spec->choices), known));
      }
    } else {
      std::int64_t v = 0;
      const bool digits = !value.empty() && value.find_first_not_of("-0123456789") == std::string::npos;
      if (!parse_int(value, v) && digits)
        throw UsageError(fmt::format("parameter {}={} is out of range {}..{}", name, value, spec->min, spec->max));
      if (!parse_int(value, v))
        throw UsageError(fmt::format("bad value '{}' for parameter {}: expected an integer", value, name));
      if (v < spec->min || v > spec->max)
        throw UsageError(fmt::format("parameter {}={} is out of range {}..{}", name, v, spec->min, spec->max));
    }
    values[name] = value;
  }
  return Params(std::move(values));
}

std::uint64_t parse_count(const std::string& option, const std::string& text) {
  std::uint64_t v = 0;
  const char* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, v);
  if (ec != std::errc() || p != end || text.empty())
    throw UsageError(fmt::format("{}: expected a non-negative integer, got '{}'", option, text));
  return v;
}

std::uint64_t parse_size(const std::string& option, const std::string& text) {
  std::uint64_t v = 0;
  const char* begin = text.data();
  const char* end = begin + text.size();
  auto [p, ec] = std::from_chars(begin, end, v);
  if (ec != std::errc() || p == begin)
    throw UsageError(fmt::format("{}: expected a size such as 512M or 2G, got '{}'", option, text));
  std::string unit(p, end);
  if (!unit.empty() && (unit.back() == 'B' || unit.back() == 'b')) unit.pop_back();
  int shift = 0;
  if (unit.empty()) shift = 0;
  else if (unit == "K" || unit == "k" || unit == "Ki") shift = 10;
  else if (unit == "M" || unit == "m" || unit == "Mi") shift = 20;
  else if (unit == "G" || unit == "g" || unit == "Gi") shift = 30;
  else if (unit == "T" || unit == "t" || unit == "Ti") shift = 40;
  else throw UsageError(fmt::format("{}: unknown size unit in '{}' (use K, M, G or T)", option, text));
  if (shift && v > (std::uint64_t{1} << (63 - shift)))
    throw UsageError(fmt::format("{}: size '{}' is too large", option, text));
  v <<= shift;
  if (v == 0) throw UsageError(fmt::format("{}: must be greater than zero", option));
  return v;
}

double parse_seconds(const std::string& option, const std::string& text) {
  double v = 0;
  const char* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, v);
  if (ec != std::errc() || p != end || text.empty() || !std::isfinite(v) || v <= 0)
    throw UsageError(fmt::format("{}: expected a positive number of seconds, got '{}'", option, text));
  return v;
}

}  // namespace mc::program
