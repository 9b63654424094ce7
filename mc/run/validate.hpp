// `validate`: whether a logged run is a behaviour of the model. With a global order the log is followed as
// written; with per-node orders only, the interleavings consistent with them are searched (bounded).
#pragma once

#include "mc/run/event_log.hpp"
#include "mc/run/monitor.hpp"

#include <chrono>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace mc::run {

struct ValidateOptions {
  std::size_t max_candidates = 256;        ///< states the log may be in at once (more: inconclusive if it fails)
  std::size_t max_interleavings = 200000;  ///< configurations a per-node search may visit
};

struct Validation {
  enum class Status { behaviour, not_behaviour, inconclusive };
  Status status = Status::behaviour;
  std::size_t events = 0, steps = 0;
  double seconds = 0;
  bool searched = false;                ///< per-node orders: interleavings were searched
  std::size_t interleavings = 0;        ///< configurations visited by that search
  // not_behaviour / inconclusive:
  std::optional<std::size_t> event;     ///< the first event that cannot be taken (index into the log's events)
  std::size_t line = 0;                 ///< its line in the file
  std::string event_text, reason, state;
  std::vector<std::string> possible;
  std::vector<std::string> blocked;     ///< per-node search: each node's next event and why it cannot be taken
  // behaviour: an `always` property the run breaks, if any
  std::optional<std::string> violated;
  std::size_t violated_after = 0;       ///< events taken when it broke
  std::string explanation;
};

template <Model M>
Validation validate_log(const M& model, const EventLog& log, const ValidateOptions& o = {}) {
  const auto start = std::chrono::steady_clock::now();
  Validation v;
  v.events = log.events.size();
  const auto fail_at = [&](std::size_t i, const Verdict& why) {
    v.status = Validation::Status::not_behaviour;
    v.event = i;
    v.line = log.lines[i];
    v.event_text = describe_event(log.events[i]);
    v.reason = why.reason;
    v.state = why.state;
    v.possible = why.possible;
  };
  const auto done = [&] {
    v.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return v;
  };
  if (log.global_order) {
    Monitor<M> monitor(model, o.max_candidates);
    for (std::size_t i = 0; i < log.events.size(); ++i) {
      const Verdict why = monitor.take(log.events[i]);
      if (!why.ok) {
        fail_at(i, why);
        if (monitor.truncated()) v.status = Validation::Status::inconclusive;
        return done();
      }
      if (monitor.violated() && !v.violated) v.violated = monitor.violated(), v.violated_after = i + 1,
                                             v.explanation = monitor.explanation();
    }
    if (const Verdict end = monitor.finish(); !end.ok) {
      v.status = Validation::Status::not_behaviour;
      v.reason = end.reason;
      v.event_text = "the end of the log";
    }
    v.steps = monitor.steps();
    return done();
  }

  // Per-node orders: lanes of events (a node's, by node_seq or file order; events naming no node in their own).
  v.searched = true;
  std::map<long long, std::vector<std::size_t>> by_lane;
  for (std::size_t i = 0; i < log.events.size(); ++i) {
    const auto& ev = log.events[i];
    by_lane[ev.contains("node") ? ev["node"].get<long long>() : -1].push_back(i);
  }
  std::vector<std::vector<std::size_t>> lanes;
  for (auto& [lane, events] : by_lane) {
    std::stable_sort(events.begin(), events.end(), [&](std::size_t a, std::size_t b) {
      return log.events[a].value("node_seq", std::uint64_t{0}) < log.events[b].value("node_seq", std::uint64_t{0});
    });
    lanes.push_back(events);
  }
  struct Config {
    std::vector<std::size_t> at;
    Monitor<M> monitor;
    std::size_t taken;
  };
  std::deque<Config> frontier;
  frontier.push_back({std::vector<std::size_t>(lanes.size(), 0), Monitor<M>(model, o.max_candidates), 0});
  std::set<std::string> seen;
  std::size_t furthest = 0;
  std::vector<std::string> blocked;
  bool truncated = false;
  while (!frontier.empty()) {
    Config c = std::move(frontier.front());
    frontier.pop_front();
    if (c.taken == log.events.size()) {
      if (c.monitor.finish().ok) {
        v.steps = c.monitor.steps();
        if (c.monitor.violated()) v.violated = c.monitor.violated(), v.explanation = c.monitor.explanation();
        v.interleavings = seen.size();
        return done();
      }
      continue;
    }
    std::vector<std::string> why_not;
    for (std::size_t l = 0; l < lanes.size(); ++l) {
      if (c.at[l] == lanes[l].size()) continue;
      const std::size_t i = lanes[l][c.at[l]];
      Config n{c.at, c.monitor, c.taken + 1};
      const Verdict why = n.monitor.take(log.events[i]);
      if (!why.ok) {
        why_not.push_back(fmt::format("line {}: {}: {}", log.lines[i], describe_event(log.events[i]), why.reason));
        truncated = truncated || n.monitor.truncated();
        continue;
      }
      ++n.at[l];
      std::string key(reinterpret_cast<const char*>(n.at.data()), n.at.size() * sizeof(std::size_t));
      key += n.monitor.key();
      if (!seen.insert(std::move(key)).second) continue;
      if (seen.size() > o.max_interleavings) {
        v.status = Validation::Status::inconclusive;
        v.reason = fmt::format("more than {} interleavings of the per-node orders to try", o.max_interleavings);
        v.interleavings = seen.size();
        return done();
      }
      frontier.push_back(std::move(n));
    }
    if (c.taken >= furthest && !why_not.empty()) furthest = c.taken, blocked = why_not;
  }
  v.status = truncated ? Validation::Status::inconclusive : Validation::Status::not_behaviour;
  v.reason = fmt::format("no interleaving of the per-node orders is a behaviour of the model; the furthest takes {} "
                         "of {} events, then no node's next event is a step",
                         furthest, log.events.size());
  v.blocked = blocked;
  v.interleavings = seen.size();
  return done();
}

}  // namespace mc::run
