// The sweep's table: one exhaustive check per combination.
#include "mc/program/sweep.hpp"

#include "mc/program/console.hpp"

#include <fmt/format.h>

#include <cstdio>

namespace mc::program {

std::vector<SweptParam> take_ranges(std::vector<std::string>& params) {
  std::vector<SweptParam> ranges;
  std::vector<std::string> rest;
  for (const auto& p : params) {
    const auto eq = p.find('='), dots = p.find("..");
    if (eq == std::string::npos || dots == std::string::npos || dots < eq) {
      rest.push_back(p);
      continue;
    }
    const std::string name = p.substr(0, eq);
    SweptParam r{name, parse_count("--param " + name, p.substr(eq + 1, dots - eq - 1)),
                 parse_count("--param " + name, p.substr(dots + 2))};
    if (r.lo > r.hi) throw UsageError(fmt::format("--param {}: empty range {}", name, p.substr(eq + 1)));
    if (r.hi - r.lo > 64) throw UsageError(fmt::format("--param {}: a range of at most 65 values", name));
    ranges.push_back(std::move(r));
    rest.push_back(name + "=" + std::to_string(ranges.back().lo));  // validated like any value
  }
  params = std::move(rest);
  return ranges;
}

int run_sweep(const ProtocolEntry& entry, std::vector<std::string> fixed, const std::vector<SweptParam>& ranges,
              const ExploreOptions& o, const FaultBudget& max, const OutputFile& json_out,
              const std::atomic<bool>& stop) {
  std::vector<std::size_t> classes;
  for (std::size_t i = 0; i < FaultBudget::names.size(); ++i)
    if (entry.faults && max[i] > 0) classes.push_back(i);
  std::string header;
  for (const auto& r : ranges) header += fmt::format("{:>10}", r.name);
  for (auto i : classes) header += fmt::format("{:>10}", FaultBudget::names[i]);
  say("{} profile of {} (each combination checked exhaustively)\n{}  {:<52} {:>12}\n",
             classes.empty() ? "Parameter" : "Fault-tolerance", entry.name, header, "result", "distinct");
  nlohmann::json rows = nlohmann::json::array();
  bool violated = false, incomplete = false;
  std::vector<std::uint64_t> values;
  for (const auto& r : ranges) values.push_back(r.lo);
  FaultBudget b{};
  while (true) {
    std::vector<std::string> assignments = fixed;
    for (std::size_t k = 0; k < ranges.size(); ++k) assignments.push_back(ranges[k].name + "=" + std::to_string(values[k]));
    const Params params = parse_params(entry.name, entry.params, assignments);
    std::string cells, result;
    for (auto v : values) cells += fmt::format("{:>10}", v);
    for (auto i : classes) cells += fmt::format("{:>10}", b[i]);
    nlohmann::json row;
    try {
      const Report r = entry.check(params, o, entry.faults ? b : FaultBudget{}, false);
      if (r.violation >= 0) {
        const auto& v = r.properties[static_cast<std::size_t>(r.violation)];
        result = v.outcome == "not found" ? fmt::format("{} not reachable", v.name)
                                          : fmt::format("{} violated, shortest trace {} steps", v.name, v.trace_length - 1);
        violated = true;
      } else if (r.status == RunStatus::ok) {
        result = "safe";
      } else {
        result = fmt::format("incomplete ({})", r.stats.stop_reason);
        incomplete = true;
      }
      row = {{"result", std::string(to_string_view(r.status))}, {"distinct_states", r.stats.distinct}};
      if (r.violation >= 0) {
        row["property"] = r.properties[static_cast<std::size_t>(r.violation)].name;
        row["trace_steps"] = r.properties[static_cast<std::size_t>(r.violation)].trace_length - 1;
      }
      say("{}  {:<52} {:>12}\n", cells, result, r.stats.distinct);
    } catch (const std::invalid_argument& e) {  // a combination the protocol rejects: a row, not the end
      row = {{"result", "invalid"}, {"reason", e.what()}};
      say("{}  {:<52} {:>12}\n", cells, "not a valid combination", "-");
    } catch (const UsageError& e) {
      row = {{"result", "invalid"}, {"reason", e.what()}};
      say("{}  {:<52} {:>12}\n", cells, "not a valid combination", "-");
    }
    std::fflush(stdout);
    if (entry.faults) row["faults"] = b.to_spec();
    row["params"] = params.values();
    rows.push_back(std::move(row));
    if (stop.load()) break;
    // Next combination, the last fault class varying fastest, then the last swept parameter.
    std::size_t k = classes.size();
    while (k > 0 && b[classes[k - 1]] == max[classes[k - 1]]) b[classes[--k]] = 0;
    if (k > 0) {
      ++b[classes[k - 1]];
      continue;
    }
    std::size_t j = ranges.size();
    while (j > 0 && values[j - 1] == ranges[j - 1].hi) values[j - 1] = ranges[j - 1].lo, --j;
    if (j == 0) break;
    ++values[j - 1];
  }
  json_out.write(nlohmann::json{{"protocol", entry.name}, {"sweep", rows}}.dump(2) + "\n");
  return violated ? exit_violation : (incomplete || stop.load()) ? exit_incomplete : exit_ok;
}

}  // namespace mc::program
