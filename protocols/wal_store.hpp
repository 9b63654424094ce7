// wal-store: a single-node key-value store with a write-ahead log on a disk that loses what was not fsynced.
//
// Clients each write values 1, 2, … to their own key, one at a time, waiting for the acknowledgement. The store
// appends each write to its log, applies it in memory, and acknowledges it only once the log is forced: writes
// are batched, one fsync (a `flush` timer) acknowledges every write appended before it — group commit. After a
// restart it rebuilds its table by replaying the log, skipping a torn last record by its checksum.
// Property: every acknowledged write survives — while the store is up, each key holds at least the last value
// acknowledged for it (a write acknowledged and then lost is the bug).
// Broken variants: `ack-before-fsync` acknowledges at once and forces the log later, so a crash before the flush
// loses an acknowledged write; `no-checksum` stores no checksum, so a record torn by the crash replays as zeros
// (key 0, value 0) and clobbers an acknowledged write to key 0.
// Clients keep the number of their acknowledged writes durably (persist), so a restarted client resumes, not
// rewinds; a write it sends again may arrive after a newer one, so the store applies only newer values per key. Source: Pillai et al., "All File Systems Are Not Created Equal" (OSDI 2014); Mohan et al., "ARIES"
// (TODS 1992) for the write-ahead rule.
#pragma once

#include "mc/actor/actor_model.hpp"

#include <fmt/format.h>

#include <optional>
#include <stdexcept>
#include <string_view>
#include <variant>

namespace protocols::wal {

struct Put {
  BOOST_HANA_DEFINE_STRUCT(Put, (std::uint8_t, key), (std::uint8_t, value));
  auto operator<=>(const Put&) const = default;
};
struct PutAck {
  BOOST_HANA_DEFINE_STRUCT(PutAck, (std::uint8_t, key), (std::uint8_t, value));
  auto operator<=>(const PutAck&) const = default;
};
using Msg = std::variant<Put, PutAck>;

/// History: a client saw its write of `value` to `key` acknowledged.
struct Acked {
  BOOST_HANA_DEFINE_STRUCT(Acked, (std::uint8_t, key), (std::uint8_t, value));
};

struct Vocabulary {
  using Msg = wal::Msg;
  using Record = Acked;
};

enum class Variant { correct, ack_before_fsync, no_checksum };
inline constexpr std::string_view variant_names[] = {"correct", "ack-before-fsync", "no-checksum"};

/// One logged write. A torn one reads back as {key 0, value 0}.
struct Entry {
  BOOST_HANA_DEFINE_STRUCT(Entry, (std::uint8_t, key), (std::uint8_t, value));
  bool operator==(const Entry&) const = default;
};

/// A write appended but not yet acknowledged (it waits for the next fsync).
struct Waiting {
  BOOST_HANA_DEFINE_STRUCT(Waiting, (std::uint8_t, client), (std::uint8_t, key), (std::uint8_t, value));
};

using Values = boost::container::small_vector<std::uint8_t, 4>;

struct Store {
  enum class Timer : std::uint8_t { flush };
  friend std::string_view to_string_view(Timer) { return "flush"; }
  using LogRecord = Entry;

  Variant variant = Variant::correct;
  std::uint8_t keys = 2;

  struct State {
    BOOST_HANA_DEFINE_STRUCT(State, (Values, values), (boost::container::small_vector<Waiting, 2>, waiting));
  };

  template <class Out>
  State on_start(mc::NodeId, const mc::Log<Entry>& log, Out&) const {
    State s{Values(keys, 0), {}};
    for (const auto& stored : log.records) {
      if (!stored.intact && variant != Variant::no_checksum) continue;  // the checksum fails: not a write
      if (stored.record.key < keys) s.values[stored.record.key] = stored.record.value;
    }
    return s;
  }

  template <class Out>
  void on_message(mc::NodeId, State& s, mc::NodeId from, const Msg& m, Out& out) const {
    const auto* put = std::get_if<Put>(&m);
    if (!put || put->key >= keys) return;
    // A write at or below the key's value is a copy a restarted client sent again, arriving late: applying it
    // would undo a newer write. It is acknowledged again, as durably as the write it repeats.
    if (put->value > s.values[put->key]) {
      out.append(Entry{put->key, put->value});
      s.values[put->key] = put->value;
    }
    if (variant == Variant::ack_before_fsync)
      out.send(from, PutAck{put->key, put->value});  // the bug: acknowledged before it is durable
    else
      s.waiting.push_back({static_cast<std::uint8_t>(from), put->key, put->value});
    out.set_timer(Timer::flush);
  }

  template <class Out>
  void on_timeout(mc::NodeId, State& s, Timer, Out& out) const {
    out.fsync();  // group commit: one fsync makes every write appended so far durable
    for (const Waiting& w : s.waiting) out.send(w.client, PutAck{w.key, w.value});
    s.waiting.clear();
  }
};

/// Writes `writes` increasing values to its own key, each after the previous one was acknowledged.
struct Client {
  std::uint8_t key = 0, writes = 2;
  mc::NodeId store = 0;

  struct Durable {
    BOOST_HANA_DEFINE_STRUCT(Durable, (std::uint8_t, acked));
    bool operator==(const Durable&) const = default;
  };
  struct State {
    BOOST_HANA_DEFINE_STRUCT(State, (std::uint8_t, acked));
  };

  template <class Out>
  State on_start(mc::NodeId, const Durable& d, Out& out) const {
    if (d.acked < writes) out.send(store, Put{key, static_cast<std::uint8_t>(d.acked + 1)});
    return {d.acked};
  }

  template <class Out>
  void on_message(mc::NodeId, State& s, mc::NodeId, const Msg& m, Out& out) const {
    const auto* ack = std::get_if<PutAck>(&m);
    if (!ack || ack->key != key || ack->value != s.acked + 1) return;  // a duplicate or stale acknowledgement
    ++s.acked;
    out.persist(Durable{s.acked});
    out.record(Acked{key, ack->value});
    if (s.acked < writes) out.send(store, Put{key, static_cast<std::uint8_t>(s.acked + 1)});
  }
};

using Model = mc::ActorModel<Vocabulary, Store, Client>;

inline constexpr mc::FaultBudget default_faults{0, 0, 1, 1, 0, 0, 1};

/// The first acknowledged write the store no longer holds while up, as (history index, key), if any.
inline std::optional<std::pair<std::size_t, std::uint8_t>> lost_write(const Model::State& s) {
  if (s.nodes[0].crashed) return std::nullopt;
  const auto& values = Model::state_of<Store>(s, 0).values;
  for (std::size_t i = 0; i < s.history.size(); ++i) {
    const Acked& a = s.history[i];
    if (a.key < values.size() && values[a.key] < a.value) return std::pair{i, a.key};
  }
  return std::nullopt;
}

inline Model make_model(Variant variant, unsigned clients, unsigned writes, mc::FaultBudget faults,
                        mc::StorageSpec storage = {}) {
  if (clients < 1 || clients > 3) throw std::invalid_argument("wal-store: clients must be in 1..3");
  if (writes < 1 || writes > 3) throw std::invalid_argument("wal-store: writes must be in 1..3");
  Model m(mc::NetworkKind::unordered, faults);
  m.set_storage(storage);
  m.add(Store{variant, static_cast<std::uint8_t>(clients)});
  for (unsigned c = 0; c < clients; ++c) m.add(Client{static_cast<std::uint8_t>(c), static_cast<std::uint8_t>(writes), 0});
  auto survive = mc::always<Model::State>("acknowledged-writes-survive",
                                          [](const Model::State& s) { return !lost_write(s); });
  survive.explain = [](const Model::State& s) -> mc::Explanation {
    const auto lost = lost_write(s);
    if (!lost) return {};
    const auto [i, key] = *lost;
    return {fmt::format("write {}={} was acknowledged, but n0 holds {}={}", key, s.history[i].value, key,
                        Model::state_of<Store>(s, 0).values[key]),
            {fmt::format("history[{}]", i), fmt::format("nodes[0].state.values[{}]", key)}};
  };
  m.add_property(std::move(survive));
  return m;
}

}  // namespace protocols::wal
