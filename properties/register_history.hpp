// What clients of a replicated read/write register saw (invocations, replies, timeouts, and where the network was
// split), and the properties read from it: linearizability, sequential consistency, availability in a minority.
#pragma once

#include "mc/core/bitset.hpp"
#include "mc/core/model.hpp"
#include "mc/core/reflect.hpp"
#include "properties/linearizability.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace properties {

/// One entry of a register's client history. Clients are named by node id; `op` counts a client's operations.
struct RegisterEvent {
  enum class Step : std::uint8_t { invoke, ok, timeout, partition, heal };
  enum class Kind : std::uint8_t { read, write };
  BOOST_HANA_DEFINE_STRUCT(RegisterEvent, (Step, step), (std::uint8_t, client), (std::uint8_t, op), (Kind, kind),
                           (std::int8_t, value), (mc::BitSet<32>, side));

  friend std::string_view to_string_view(Kind k) { return k == Kind::read ? "read" : "write"; }
  friend std::string_view to_string_view(Step s) {
    constexpr std::string_view names[] = {"invoke", "ok", "timeout", "partition", "heal"};
    return names[static_cast<int>(s)];
  }

  static RegisterEvent invoke(std::uint8_t client, std::uint8_t op, Kind kind, int value) {
    return {Step::invoke, client, op, kind, static_cast<std::int8_t>(value), {}};
  }
  /// A read's reply carries the value read; a write's, the value written.
  static RegisterEvent ok(std::uint8_t client, std::uint8_t op, Kind kind, int value) {
    return {Step::ok, client, op, kind, static_cast<std::int8_t>(value), {}};
  }
  static RegisterEvent timeout(std::uint8_t client, std::uint8_t op, Kind kind, int value) {
    return {Step::timeout, client, op, kind, static_cast<std::int8_t>(value), {}};
  }
  /// The network split; `side` is the side holding node 0.
  static RegisterEvent partition(const mc::BitSet<32>& side) { return {Step::partition, 0, 0, Kind::read, 0, side}; }
  static RegisterEvent heal() { return {Step::heal, 0, 0, Kind::read, 0, {}}; }

  /// `write(1)` or `read`, the operation as invoked.
  std::string operation() const { return kind == Kind::write ? fmt::format("write({})", value) : "read"; }

  friend std::string describe(const RegisterEvent& e) {
    switch (e.step) {
      case Step::invoke: return fmt::format("n{} invokes {}", e.client, e.operation());
      case Step::ok:
        return e.kind == Kind::read ? fmt::format("n{} read -> {}", e.client, e.value)
                                    : fmt::format("n{} {} ok", e.client, e.operation());
      case Step::timeout: return fmt::format("n{} {} timed out", e.client, e.operation());
      case Step::partition: return fmt::format("partition, n0's side {}", describe(e.side));
      case Step::heal: return "healed";
    }
    return "?";
  }
};

using RegisterOperation = Operation<RegisterSpec::Input, int>;

/// The operations of a history, in order of invocation; an operation's times are the positions of its events.
template <class History>
std::vector<RegisterOperation> register_operations(const History& history) {
  std::vector<RegisterOperation> ops;
  std::vector<std::pair<std::uint8_t, std::uint8_t>> ids;  // (client, op) of each operation
  for (std::size_t i = 0; i < history.size(); ++i) {
    const RegisterEvent& e = history[i];
    if (e.step == RegisterEvent::Step::invoke) {
      const auto kind = e.kind == RegisterEvent::Kind::read ? RegisterSpec::Kind::read : RegisterSpec::Kind::write;
      ops.push_back({e.client, {kind, e.value}, std::nullopt, i, std::nullopt});
      ids.emplace_back(e.client, e.op);
    } else if (e.step == RegisterEvent::Step::ok) {
      const auto it = std::find(ids.rbegin(), ids.rend(), std::pair{e.client, e.op});
      if (it == ids.rend()) continue;  // a reply without an invocation is the client's bug, not a history
      RegisterOperation& op = ops[static_cast<std::size_t>(ids.rend() - it - 1)];
      op.output = e.kind == RegisterEvent::Kind::read ? e.value : 0;
      op.returned = i;
    }
  }
  return ops;
}

/// Whether a write invoked while the network was split completed before it healed, its client on a side holding
/// fewer than a majority of the servers (nodes 0 .. servers-1): a CP design never does that, an AP design does.
template <class History>
bool write_completed_in_minority(const History& history, unsigned servers) {
  bool split = false;
  mc::BitSet<32> side;
  std::vector<std::pair<std::uint8_t, std::uint8_t>> invoked_while_split;
  for (const RegisterEvent& e : history) {
    switch (e.step) {
      case RegisterEvent::Step::partition: split = true, side = e.side, invoked_while_split.clear(); break;
      case RegisterEvent::Step::heal: split = false; break;
      case RegisterEvent::Step::invoke:
        if (split && e.kind == RegisterEvent::Kind::write) invoked_while_split.emplace_back(e.client, e.op);
        break;
      case RegisterEvent::Step::ok: {
        if (!split || e.kind != RegisterEvent::Kind::write) break;
        if (std::find(invoked_while_split.begin(), invoked_while_split.end(), std::pair{e.client, e.op}) ==
            invoked_while_split.end())
          break;
        unsigned with_client = 0;
        for (unsigned n = 0; n < servers; ++n) with_client += side.contains(n) == side.contains(e.client);
        if (with_client < servers / 2 + 1) return true;
        break;
      }
      case RegisterEvent::Step::timeout: break;
    }
  }
  return false;
}

/// The history as a timeline, one row per event and one column per client, with `|` while an operation is in
/// progress and `<-` on the events of `marked` operations (indices into register_operations).
template <class History>
std::string format_timeline(const History& history, const std::vector<std::size_t>& marked = {}) {
  std::vector<std::uint8_t> clients;
  for (const RegisterEvent& e : history)
    if (e.step <= RegisterEvent::Step::timeout && std::find(clients.begin(), clients.end(), e.client) == clients.end())
      clients.push_back(e.client);
  std::sort(clients.begin(), clients.end());
  constexpr std::size_t width = 20;
  std::string out = "  event";
  for (std::size_t c = 0; c < clients.size(); ++c)
    out += c + 1 < clients.size() ? fmt::format("  {:<{}}", fmt::format("n{}", clients[c]), width)
                                  : fmt::format("  n{}", clients[c]);
  out += "\n";
  std::vector<bool> busy(clients.size(), false);
  std::vector<std::pair<std::uint8_t, std::uint8_t>> ids;  // (client, op) per operation, as register_operations
  for (std::size_t i = 0; i < history.size(); ++i) {
    const RegisterEvent& e = history[i];
    if (e.step == RegisterEvent::Step::partition || e.step == RegisterEvent::Step::heal) {
      out += fmt::format("  {:>5}  --- {} ---\n", i + 1, describe(e));
      continue;
    }
    if (e.step == RegisterEvent::Step::invoke) ids.emplace_back(e.client, e.op);
    const auto op = std::find(ids.rbegin(), ids.rend(), std::pair{e.client, e.op});
    const bool mark = op != ids.rend() && std::find(marked.begin(), marked.end(),
                                                    static_cast<std::size_t>(ids.rend() - op - 1)) != marked.end();
    std::string row = fmt::format("  {:>5}", i + 1);
    for (std::size_t c = 0; c < clients.size(); ++c) {
      std::string cell = busy[c] ? "|" : "";
      if (clients[c] == e.client) {
        switch (e.step) {
          case RegisterEvent::Step::invoke: cell = e.operation() + " ..."; break;
          case RegisterEvent::Step::ok:
            cell = e.kind == RegisterEvent::Kind::read ? fmt::format("... read -> {}", e.value)
                                                       : fmt::format("... {} ok", e.operation());
            break;
          default: cell = fmt::format("... {} timed out", e.operation()); break;
        }
        busy[c] = e.step == RegisterEvent::Step::invoke;
        if (mark) cell += " <-";
      }
      row += fmt::format("  {:<{}}", cell, width);
    }
    while (!row.empty() && row.back() == ' ') row.pop_back();
    out += row + "\n";
  }
  return out;
}

namespace detail {

inline std::string name_operation(const RegisterOperation& op) {
  if (op.input.kind == RegisterSpec::Kind::write)
    return fmt::format("n{} write({}){}", op.client, op.input.value, op.determinate() ? "" : " (no reply)");
  return op.output ? fmt::format("n{} read -> {}", op.client, *op.output) : fmt::format("n{} read (no reply)", op.client);
}

/// The timeline and, for a failing history, which operations no valid order can explain.
template <class History>
std::string explain_history(const History& history, Consistency c) {
  const auto ops = register_operations(history);
  const Verdict v = check_history(RegisterSpec{}, ops, c);
  const char* criterion = c == Consistency::linearizable ? "linearizable" : "sequentially consistent";
  // Operations the search tried last that never returned explain nothing about the stuck one: leave them out.
  std::vector<std::size_t> longest = v.longest;
  while (!longest.empty() && !ops[longest.back()].determinate()) longest.pop_back();
  std::vector<std::size_t> involved = longest;
  if (v.stuck) involved.push_back(*v.stuck);
  std::string out = fmt::format("Client history ({} operations; time flows down, | = in progress, <- = involved):\n{}",
                                ops.size(), format_timeline(history, v.ok ? std::vector<std::size_t>{} : involved));
  if (v.ok) return out + fmt::format("The history is {}.\n", criterion);
  std::string order;
  int value = RegisterSpec{}.init();
  for (std::size_t i : longest) {
    order += (order.empty() ? "" : ", ") + name_operation(ops[i]);
    value = RegisterSpec{}.run(value, ops[i].input).first;
  }
  out += fmt::format("Not {}: the longest valid order of operations is [{}]", criterion, order);
  if (v.stuck) {
    const RegisterOperation& s = ops[*v.stuck];
    const auto expected = RegisterSpec{}.run(value, s.input).second;
    if (s.output && *s.output != expected)
      out += fmt::format(", after which {} (events {}-{}) would have returned {}", name_operation(s), s.invoked + 1,
                         *s.returned + 1, expected);
    else
      out += fmt::format(", and {} (events {}-{}) cannot come next", name_operation(s), s.invoked + 1, *s.returned + 1);
  }
  return out + ".\n";
}

}  // namespace detail

/// An invariant: the client history `history_of(state)` is linearizable (or sequentially consistent) for a register
/// that starts at 0. Each distinct history is checked once (the verdicts are shared by all of the model's copies).
template <class State, class HistoryOf>
mc::Property<State> register_consistency(std::string name, Consistency c, HistoryOf history_of) {
  auto cache = std::make_shared<VerdictCache>();
  mc::Property<State> p = mc::always<State>(std::move(name), [cache, c, history_of](const State& s) {
    const auto& history = history_of(s);
    if (history.empty()) return true;
    return cache->get_or_check(history, [&] {
      return check_history(RegisterSpec{}, register_operations(history), c).ok;
    });
  });
  p.explain = [c, history_of](const State& s) { return detail::explain_history(history_of(s), c); };
  return p;
}

}  // namespace properties
