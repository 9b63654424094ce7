// lease-lock: a lock server grants leases that expire; clients write to a storage service while they hold one.
//
// A lease that expires while its holder is paused (or its messages are slow) lets the server grant the lock to
// the next client, and the old holder, not knowing, still writes. The storage service must therefore reject writes
// made under an older lease: the server hands out an increasing *fencing token* with each grant, every write
// carries it, and storage refuses a token lower than one it has already accepted. Property: accepted writes are in
// token order (no stale holder overwrites a newer one). Broken variant `unfenced`: storage accepts every write.
// Liveness (add_liveness): every waiting client is eventually granted a lease, once faults stop. It holds without
// loss; one lost Acquire or Grant and that client waits forever, as it never asks again.
// Background: Kleppmann, "How to do distributed locking" (2016); DDIA ch. 8, "Fencing tokens".
//
// This is a user's own design, written against the installed Faultline package only: see main.cpp for the
// program around it and CMakeLists.txt for its checks in CTest.
#pragma once

#include <mc/actor/actor_model.hpp>

#include <boost/container/static_vector.hpp>
#include <fmt/format.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <variant>

namespace lease_lock {

struct Acquire {
  BOOST_HANA_DEFINE_STRUCT(Acquire, (std::uint8_t, unused));
  auto operator<=>(const Acquire&) const = default;
};
struct Grant {
  BOOST_HANA_DEFINE_STRUCT(Grant, (std::uint8_t, token));
  auto operator<=>(const Grant&) const = default;
};
struct Write {
  BOOST_HANA_DEFINE_STRUCT(Write, (std::uint8_t, token));
  auto operator<=>(const Write&) const = default;
};
struct Written {
  BOOST_HANA_DEFINE_STRUCT(Written, (std::uint8_t, token));
  auto operator<=>(const Written&) const = default;
};
struct Release {
  BOOST_HANA_DEFINE_STRUCT(Release, (std::uint8_t, token));
  auto operator<=>(const Release&) const = default;
};
using Msg = std::variant<Acquire, Grant, Write, Written, Release>;

/// History: storage accepted a write made under lease `token`.
struct Accepted {
  BOOST_HANA_DEFINE_STRUCT(Accepted, (std::uint8_t, token));
};

struct Vocabulary {
  using Msg = lease_lock::Msg;
  using Record = Accepted;
};

enum class Variant { fenced, unfenced };

inline constexpr mc::NodeId server = 0, storage = 1;
inline constexpr std::uint8_t nobody = 255;

/// Grants the lock to one client at a time, in request order; a lease ends on release or when it expires.
struct LockServer {
  enum class Timer : std::uint8_t { lease };
  friend std::string_view to_string_view(Timer) { return "lease-expiry"; }

  struct State {
    BOOST_HANA_DEFINE_STRUCT(State, (std::uint8_t, holder), (std::uint8_t, token),
                             (boost::container::static_vector<std::uint8_t, 4>, waiting));
  };

  template <class Out>
  State on_start(mc::NodeId, Out&) const {
    return {nobody, 0, {}};
  }
  template <class Out>
  void on_message(mc::NodeId, State& s, mc::NodeId from, const Msg& m, Out& out) const {
    if (std::holds_alternative<Acquire>(m)) {
      s.waiting.push_back(static_cast<std::uint8_t>(from));
      if (s.holder == nobody) grant_next(s, out);
    } else if (const auto* r = std::get_if<Release>(&m); r && r->token == s.token && s.holder == from) {
      out.cancel_timer(Timer::lease);
      grant_next(s, out);
    }
  }
  /// The lease runs out: the server stops waiting for the holder, whatever the holder believes.
  template <class Out>
  void on_timeout(mc::NodeId, State& s, Timer, Out& out) const {
    grant_next(s, out);
  }

 private:
  template <class Out>
  static void grant_next(State& s, Out& out) {
    s.holder = nobody;
    if (s.waiting.empty()) return;
    s.holder = s.waiting.front();
    s.waiting.erase(s.waiting.begin());
    ++s.token;
    out.send(s.holder, Grant{s.token});
    out.set_timer(Timer::lease);
  }
};

/// Keeps the data; the fenced design refuses a write whose token is older than one it accepted.
struct Storage {
  Variant variant = Variant::fenced;

  struct State {
    BOOST_HANA_DEFINE_STRUCT(State, (std::uint8_t, highest));
  };

  template <class Out>
  State on_start(mc::NodeId, Out&) const {
    return {0};
  }
  template <class Out>
  void on_message(mc::NodeId, State& s, mc::NodeId from, const Msg& m, Out& out) const {
    const auto* w = std::get_if<Write>(&m);
    if (!w) return;
    if (variant == Variant::fenced && w->token < s.highest) return;  // a stale lease: refused
    if (w->token > s.highest) s.highest = w->token;
    out.record(Accepted{w->token});
    out.send(from, Written{w->token});
  }
};

/// Asks for the lock once, writes under the lease it is granted, then releases it.
struct Client {
  struct State {
    BOOST_HANA_DEFINE_STRUCT(State, (std::uint8_t, token), (bool, done));
  };

  template <class Out>
  State on_start(mc::NodeId, Out& out) const {
    out.send(server, Acquire{0});
    return {0, false};
  }
  template <class Out>
  void on_message(mc::NodeId, State& s, mc::NodeId, const Msg& m, Out& out) const {
    if (const auto* g = std::get_if<Grant>(&m)) {
      s.token = g->token;
      out.send(storage, Write{g->token});
    } else if (const auto* w = std::get_if<Written>(&m); w && w->token == s.token && !s.done) {
      s.done = true;
      out.send(server, Release{s.token});
    }
  }
};

using Model = mc::ActorModel<Vocabulary, LockServer, Storage, Client>;

/// Accepted writes carry non-decreasing tokens: no holder of an expired lease overwrote a newer holder's data.
inline bool writes_in_token_order(const Model::State& s) {
  for (std::size_t i = 1; i < s.history.size(); ++i)
    if (s.history[i].token < s.history[i - 1].token) return false;
  return true;
}

inline Model make_model(Variant variant, unsigned clients, mc::FaultBudget faults) {
  if (clients < 1 || clients > 4) throw std::invalid_argument("lease-lock: clients must be in 1..4");
  Model m(mc::NetworkKind::unordered, faults);
  m.add(LockServer{});
  m.add(Storage{variant});
  for (unsigned c = 0; c < clients; ++c) m.add(Client{});
  auto in_order = mc::always<Model::State>("writes-in-token-order", writes_in_token_order);
  // Why it fails, in the design's words, in every report; the HTML view highlights the two history entries.
  in_order.explain = [](const Model::State& s) -> mc::Explanation {
    for (std::size_t i = 1; i < s.history.size(); ++i)
      if (s.history[i].token < s.history[i - 1].token)
        return {fmt::format("the storage accepted token {} after token {}: an expired holder overwrote newer data",
                            s.history[i].token, s.history[i - 1].token),
                {fmt::format("history[{}]", i - 1), fmt::format("history[{}]", i)}};
    return {};
  };
  m.add_property(std::move(in_order));
  m.add_property(mc::sometimes<Model::State>("every-client-wrote", [clients](const Model::State& s) {
    return s.history.size() == clients;
  }));
  return m;
}

/// Every client is eventually granted a lease (its token is set by its first Grant).
inline void add_liveness(Model& m) {
  m.add_property(mc::eventually<Model::State>("every-client-granted", [](const Model::State& s) {
    for (std::size_t n = 2; n < s.nodes.size(); ++n)
      if (Model::state_of<Client>(s, static_cast<mc::NodeId>(n)).token == 0) return false;
    return true;
  }));
}

}  // namespace lease_lock
