// Reading event logs: one clear error per malformed line, so `validate` exits 2 instead of guessing.
#include "mc/run/event_log.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <set>

namespace mc::run {

namespace {
const std::set<std::string> step_kinds{"deliver", "timeout",   "drop", "duplicate", "crash",      "restart",
                                       "partition", "heal",    "tick", "clock-jump", "step"};
const std::set<std::string> note_kinds{"send", "start"};

bool is_index(const nlohmann::json& j) {
  return j.is_number_unsigned() || (j.is_number_integer() && j.get<long long>() >= 0);
}
}  // namespace

EventLog read_event_log(const std::string& path, std::size_t nodes, const std::vector<std::string>& message_types) {
  std::ifstream in(path);
  if (!in) throw EventLogError(fmt::format("cannot read the event log '{}'", path));
  EventLog log;
  std::string line;
  std::size_t number = 0, with_seq = 0;
  std::set<std::uint64_t> seqs;
  while (std::getline(in, line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const auto where = [&](const std::string& what) {
      return EventLogError(fmt::format("{}:{}: {}", path, number, what));
    };
    nlohmann::json ev = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (ev.is_discarded()) throw where("not a JSON value");
    if (!ev.is_object()) throw where("an event is a JSON object");
    if (number == 1 && ev.contains("format")) {
      if (ev["format"] != event_log_format) throw where(fmt::format("not a {} log", event_log_format));
      log.header = std::move(ev);
      continue;
    }
    if (!ev.contains("kind") || !ev["kind"].is_string()) throw where("the event has no \"kind\"");
    const std::string kind = ev["kind"];
    if (!step_kinds.count(kind) && !note_kinds.count(kind)) throw where(fmt::format("unknown event kind '{}'", kind));
    for (const char* key : {"node", "src", "dst"}) {
      if (!ev.contains(key)) continue;
      if (!is_index(ev[key])) throw where(fmt::format("\"{}\" is a node number", key));
      if (ev[key].get<std::uint64_t>() >= nodes)
        throw where(fmt::format("unknown node n{} (the model has {} nodes)", ev[key].get<std::uint64_t>(), nodes));
    }
    for (const char* key : {"seq", "node_seq"})
      if (ev.contains(key) && !is_index(ev[key])) throw where(fmt::format("\"{}\" is a count", key));
    const bool message = kind == "deliver" || kind == "drop" || kind == "duplicate" || kind == "send";
    if (message) {
      if (!ev.contains("src") || !ev.contains("dst")) throw where(fmt::format("a {} names \"src\" and \"dst\"", kind));
      if (!ev.contains("message") || !ev["message"].is_string())
        throw where(fmt::format("a {} carries its \"message\"", kind));
      const std::string& text = ev["message"].get_ref<const std::string&>();
      const std::string type = text.substr(0, text.find('('));
      if (!message_types.empty() && std::find(message_types.begin(), message_types.end(), type) == message_types.end())
        throw where(fmt::format("unknown message type '{}' (the model's: {})", type, fmt::join(message_types, ", ")));
    }
    if ((kind == "timeout" || kind == "crash" || kind == "restart" || kind == "start") && !ev.contains("node"))
      throw where(fmt::format("a {} names its \"node\"", kind));
    if (kind == "timeout" && (!ev.contains("timer") || !ev["timer"].is_string()))
      throw where("a timeout names its \"timer\"");
    if (ev.contains("seq")) {
      ++with_seq;
      if (!seqs.insert(ev["seq"].get<std::uint64_t>()).second) throw where("\"seq\" repeats an earlier event's");
    }
    log.events.push_back(std::move(ev));
    log.lines.push_back(number);
  }
  if (in.bad()) throw EventLogError(fmt::format("cannot read the event log '{}'", path));
  if (log.events.empty()) throw EventLogError(fmt::format("{}: the log has no events", path));
  if (with_seq != 0 && with_seq != log.events.size())
    throw EventLogError(fmt::format("{}: some events carry \"seq\" and some do not", path));
  log.global_order = with_seq != 0;
  if (!log.global_order) return log;
  std::vector<std::uint64_t> seq(log.events.size());
  for (std::size_t i = 0; i < seq.size(); ++i) seq[i] = log.events[i]["seq"].get<std::uint64_t>();
  if (std::is_sorted(seq.begin(), seq.end())) return log;  // as `run` writes it
  std::vector<std::size_t> order(log.events.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return seq[a] < seq[b]; });
  EventLog sorted;
  sorted.header = std::move(log.header);
  sorted.global_order = true;
  for (std::size_t i : order) sorted.events.push_back(std::move(log.events[i])), sorted.lines.push_back(log.lines[i]);
  return sorted;
}

std::string describe_event(const nlohmann::json& ev) {
  const std::string kind = ev.value("kind", std::string("?"));
  const auto node = [&](const char* key) {
    return ev.contains(key) ? fmt::format("n{}", ev[key].dump()) : std::string("?");
  };
  if (kind == "deliver" || kind == "drop" || kind == "duplicate" || kind == "send")
    return fmt::format("{} {} {}→{}", kind, ev.value("message", std::string("?")), node("src"), node("dst"));
  if (kind == "timeout") return fmt::format("timeout {} {}", node("node"), ev.value("timer", std::string("?")));
  if (kind == "crash" || kind == "restart" || kind == "start") return fmt::format("{} {}", kind, node("node"));
  if (kind == "partition" && ev.contains("sides")) return fmt::format("partition {}", ev["sides"].dump());
  if (kind == "step") return ev.value("action", std::string("step"));
  return kind;
}

}  // namespace mc::run
