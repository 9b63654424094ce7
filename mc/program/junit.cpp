// JUnit XML rendering of a report (the schema Jenkins, GitLab and GitHub test reporters read).
#include "mc/program/junit.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace mc::program {
namespace {

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        // XML 1.0 forbids most control characters, even escaped.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r') out += ' ';
        else out += c;
    }
  }
  return out;
}

}  // namespace

std::string report_to_junit(const Report& r) {
  std::string suite_name = "faultline." + r.protocol;
  for (const auto& [k, v] : r.params) suite_name += fmt::format(".{}={}", k, v);
  // Jenkins splits a class name at its last '.', so the class name has none: `faultline:two-phase[rms=4]`.
  std::string class_name = "faultline:" + r.protocol;
  for (auto it = r.params.begin(); it != r.params.end(); ++it)
    class_name += fmt::format("{}{}={}", it == r.params.begin() ? "[" : ",", it->first, it->second);
  if (!r.params.empty()) class_name += "]";
  std::replace(class_name.begin(), class_name.end(), '.', '_');
  const auto steps = [](const PropertyReport& p) { return steps_words(p.trace_length ? p.trace_length - 1 : 0); };
  std::size_t failures = 0, errors = 0, skipped = 0;
  std::string cases;
  for (const auto& p : r.properties) {
    cases += fmt::format("    <testcase classname=\"{}\" name=\"{} ({})\" time=\"{:.3f}\">\n", escape(class_name),
                         escape(p.name), escape(p.kind), r.stats.seconds);
    if (p.outcome == "violated") {
      ++failures;
      cases += fmt::format("      <failure type=\"violation\" message=\"{} violated: {}, {}\">{}</failure>\n",
                           escape(p.name), p.lasso ? "a fair lasso" : "shortest counterexample", steps(p),
                           escape(explained_trace(p.trace_text, p.explanation)));
    } else if (p.outcome == "not found") {
      ++failures;
      cases += fmt::format("      <failure type=\"unreachable\" message=\"goal {} is not reachable (search complete)\"/>\n",
                           escape(p.name));
    } else if (p.outcome == "unknown" && r.status == RunStatus::violation && r.stats.stop_reason.empty()) {
      ++skipped;  // the search stopped at another property's violation: a failure is already reported
      cases += "      <skipped message=\"undecided: the search stopped at the first violation\"/>\n";
    } else if (p.outcome == "unknown") {
      ++errors;
      cases += fmt::format("      <error type=\"incomplete\" message=\"undecided: search incomplete ({})\"/>\n",
                           escape(r.stats.stop_reason));
    } else if (p.outcome == "found") {
      cases += fmt::format("      <system-out>witness, {}:\n{}</system-out>\n", steps(p), escape(p.trace_text));
    }
    cases += "    </testcase>\n";
  }
  std::string props = fmt::format(
      "      <property name=\"distinct_states\" value=\"{}\"/>\n"
      "      <property name=\"generated_states\" value=\"{}\"/>\n"
      "      <property name=\"depth\" value=\"{}\"/>\n"
      "      <property name=\"complete\" value=\"{}\"/>\n"
      "      <property name=\"mode\" value=\"{}\"/>\n",
      r.stats.distinct, r.stats.generated, r.stats.depth, r.stats.complete, r.exact ? "exact" : "fingerprint");
  if (r.faults) props += fmt::format("      <property name=\"faults\" value=\"{}\"/>\n", escape(r.faults->to_spec()));
  const std::size_t tests = r.properties.size();
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<testsuites name=\"faultline\" tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"{:.3f}\">\n"
      "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{:.3f}\">\n"
      "    <properties>\n{}    </properties>\n{}"
      "  </testsuite>\n"
      "</testsuites>\n",
      tests, failures, errors, r.stats.seconds, escape(suite_name), tests, failures, errors, skipped, r.stats.seconds, props,
      cases);
}

}  // namespace mc::program
