// Writing and reading trace files.
#include "mc/program/trace_file.hpp"

#include "mc/program/output_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sys/stat.h>

namespace mc::program {

std::optional<nlohmann::json> trace_document(const Report& r) {
  const PropertyReport* p = nullptr;
  if (r.violation >= 0 && !r.properties[static_cast<std::size_t>(r.violation)].trace_json.is_null())
    p = &r.properties[static_cast<std::size_t>(r.violation)];
  for (const auto& q : r.properties)
    if (!p && q.outcome == "found" && !q.trace_json.is_null()) p = &q;
  if (!p) return std::nullopt;
  nlohmann::json doc{{"format", "faultline-trace"},
                     {"version", trace_format_version},
                     {"protocol", r.protocol},
                     {"params", r.params},
                     {"property", p->name},
                     {"kind", p->kind},
                     {"outcome", p->outcome},
                     {"fault_events", p->fault_events},
                     {"steps", p->trace_json}};
  if (!r.program.empty()) doc["program"] = r.program;  // the program that knows the model, for replay
  doc["faults"] = r.faults ? nlohmann::json(r.faults->to_spec()) : nlohmann::json(nullptr);
  if (!p->explanation.empty()) doc["explanation"] = p->explanation;
  if (!p->explanation_fields.empty()) doc["explanation_fields"] = p->explanation_fields;
  if (p->lasso) {
    doc["cycle_start"] = p->cycle_start ? nlohmann::json(*p->cycle_start) : nlohmann::json(nullptr);
    doc["fairness"] = p->fairness;
  }
  if (r.minimised && p == &r.properties[static_cast<std::size_t>(r.violation)]) {
    if (r.minimised->proven)
      doc["minimised_from"] = {{"steps", r.minimised->original_steps}, {"fault_events", r.minimised->original_faults}};
    else
      doc["minimisation"] = "stopped (" + r.minimised->stop_reason + "): not proven minimal";
  }
  return doc;
}

bool write_trace_document(const std::string& path, const Report& r) {
  const auto doc = trace_document(r);
  if (!doc) return false;
  OutputFile("trace file", path).write(doc->dump(2) + "\n");
  return true;
}

TraceFile read_trace_file(const std::string& path) {
  // Only a regular file: a folder cannot be read, a FIFO or device could block or never end.
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    throw UsageError(fmt::format("cannot read trace file '{}': {}", path, std::strerror(errno)));
  if (!S_ISREG(st.st_mode)) throw UsageError(fmt::format("cannot read trace file '{}': not a regular file", path));
  if (static_cast<std::uint64_t>(st.st_size) > max_trace_file_bytes)
    throw UsageError(fmt::format("trace file '{}' is {} MiB: more than the {} MiB a trace file may hold", path,
                                 st.st_size >> 20, max_trace_file_bytes >> 20));
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError(fmt::format("cannot read trace file '{}'", path));
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw UsageError(fmt::format("cannot read trace file '{}'", path));
  return parse_trace_file(text, path);
}

TraceFile parse_trace_file(const std::string& text, const std::string& path) {
  TraceFile t;
  // Nesting is bounded while parsing: every later reader walks the document recursively.
  bool too_deep = false;
  const nlohmann::json::parser_callback_t bounded = [&](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
    if (depth > max_trace_nesting) too_deep = true;
    return !too_deep;
  };
  t.doc = nlohmann::json::parse(text, bounded, /*allow_exceptions=*/false);
  if (too_deep)
    throw UsageError(fmt::format("'{}': JSON nested deeper than {} levels is not a trace file", path, max_trace_nesting));
  if (t.doc.is_discarded()) throw UsageError(fmt::format("'{}' is not valid JSON", path));
  if (!t.doc.is_object() || !t.doc.contains("format") || t.doc["format"] != "faultline-trace")
    throw UsageError(fmt::format("'{}' is not a faultline trace file (no \"format\": \"faultline-trace\")", path));
  const auto& version = t.doc["version"];
  if (!version.is_number_integer() || version.get<int>() < 1 || version.get<int>() > trace_format_version)
    throw UsageError(fmt::format("'{}': unsupported trace format version {} (this faultline reads 1 to {})", path,
                                 version.dump(), trace_format_version));
  for (const char* key : {"protocol", "property"})
    if (!t.doc.contains(key) || !t.doc[key].is_string()) throw UsageError(fmt::format("'{}': missing \"{}\"", path, key));
  for (const char* key : {"kind", "outcome", "program"})
    if (t.doc.contains(key) && !t.doc[key].is_string())
      throw UsageError(fmt::format("'{}': \"{}\" must be text", path, key));
  if (t.doc.contains("fault_events") && !t.doc["fault_events"].is_number_unsigned())
    throw UsageError(fmt::format("'{}': \"fault_events\" must be a count", path));
  if (t.doc.contains("minimised_from") && !t.doc["minimised_from"].is_object())
    throw UsageError(fmt::format("'{}': \"minimised_from\" must be an object", path));
  t.protocol = t.doc["protocol"].get<std::string>();
  t.property = t.doc["property"].get<std::string>();
  if (t.doc.contains("program")) {
    if (!t.doc["program"].is_string()) throw UsageError(fmt::format("'{}': \"program\" must be text", path));
    t.program = t.doc["program"].get<std::string>();
  }
  if (!t.doc.contains("steps") || !t.doc["steps"].is_array() || t.doc["steps"].empty())
    throw UsageError(fmt::format("'{}': missing or empty \"steps\"", path));
  // Every reader (text, Mermaid, HTML, replay) may then index steps without checking again.
  const auto& steps = t.doc["steps"];
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const auto& step = steps[i];
    const auto bad = [&](const std::string& why) {
      return UsageError(fmt::format("'{}': step {} {}", path, i, why));
    };
    if (!step.is_object()) throw bad("is not an object");
    if (!step.contains("action") || !step["action"].is_string()) throw bad("has no \"action\" text");
    if (!step.contains("state")) throw bad("has no \"state\"");
    if (step.contains("changes")) {
      const auto& changes = step["changes"];
      if (!changes.is_array()) throw bad("has \"changes\" that are not a list");
      for (const auto& c : changes) {
        const auto text = [&](const char* key) { return c.contains(key) && c[key].is_string(); };
        if (!c.is_object() || !text("path") || !(text("added") || text("removed") || (text("before") && text("after"))))
          throw bad("has a change that is not {\"path\", \"before\", \"after\"}, {\"path\", \"added\"} or "
                    "{\"path\", \"removed\"} (all text)");
      }
    }
    if (!step.contains("event")) continue;
    const auto& e = step["event"];
    if (!e.is_object()) throw bad("has an \"event\" that is not an object");
    for (const char* key : {"kind", "message", "timer"})
      if (e.contains(key) && !e[key].is_string()) throw bad(fmt::format("has an event whose \"{}\" is not text", key));
    for (const char* key : {"src", "dst", "node"})
      if (e.contains(key) && (!e[key].is_number_unsigned() || e[key].get<std::uint64_t>() > 255))
        throw bad(fmt::format("has an event whose \"{}\" is not a node id", key));
  }
  if (t.doc.contains("cycle_start")) {
    const auto& c = t.doc["cycle_start"];
    if (!c.is_null() && (!c.is_number_unsigned() || c.get<std::uint64_t>() + 1 >= steps.size()))
      throw UsageError(fmt::format("'{}': \"cycle_start\" must be null or a step before the last", path));
    t.lasso = true;
    if (!c.is_null()) t.cycle_start = c.get<std::size_t>();
  }
  if (t.doc.contains("fairness") && (!t.doc["fairness"].is_array() ||
                                     std::any_of(t.doc["fairness"].begin(), t.doc["fairness"].end(),
                                                 [](const auto& f) { return !f.is_string(); })))
    throw UsageError(fmt::format("'{}': \"fairness\" must be a list of text", path));
  if (t.doc.contains("explanation") && !t.doc["explanation"].is_string())
    throw UsageError(fmt::format("'{}': \"explanation\" must be text", path));
  if (t.doc.contains("explanation_fields") &&
      (!t.doc["explanation_fields"].is_array() ||
       std::any_of(t.doc["explanation_fields"].begin(), t.doc["explanation_fields"].end(),
                   [](const auto& f) { return !f.is_string(); })))
    throw UsageError(fmt::format("'{}': \"explanation_fields\" must be a list of text", path));
  if (t.doc.contains("params")) {
    if (!t.doc["params"].is_object()) throw UsageError(fmt::format("'{}': \"params\" must be an object", path));
    for (auto it = t.doc["params"].begin(); it != t.doc["params"].end(); ++it) {
      if (!it.value().is_string()) throw UsageError(fmt::format("'{}': parameter {} must be a string", path, it.key()));
      t.param_assignments.push_back(it.key() + "=" + it.value().get<std::string>());
    }
  }
  if (t.doc.contains("faults") && !t.doc["faults"].is_null()) {
    if (!t.doc["faults"].is_string()) throw UsageError(fmt::format("'{}': \"faults\" must be a string", path));
    t.faults = t.doc["faults"].get<std::string>();
  }
  return t;
}

}  // namespace mc::program
