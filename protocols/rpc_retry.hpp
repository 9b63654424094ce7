// rpc-retry: a client retries a non-idempotent request ("add 10 to the balance") until it gets a reply.
//
// A timeout does not mean the request failed: the request or its reply may be slow, lost or duplicated, so the
// server may see the same request several times. The correct design gives each request an idempotency key and
// keeps a dedup table of applied keys on the server, durably and atomically with the balance (write-ahead), so a
// retry after a crash is still recognised. Property: at-most-once effect (no key applied twice).
// Broken variants: `no-dedup` applies every copy (double apply under retry or duplication); `volatile-dedup` keeps
// the dedup table in volatile memory only, so a crash and restart of the server forgets it (double apply).
// Liveness (add_liveness): every request is eventually answered once faults stop; the server is restarted after a
// crash (fair restart). Variant `no-retry` (still at most once) sends each request once and waits: one lost request
// or reply and the client waits forever.
// Background: "Distributed systems reality" (expect duplicates, make retries idempotent); Helland, "Idempotence
// Is Not a Medical Condition" (ACM Queue 2012).
#pragma once

#include "mc/actor/actor_model.hpp"
#include "properties/delivery.hpp"

#include <boost/container/flat_set.hpp>

#include <stdexcept>
#include <string_view>
#include <variant>

namespace protocols::rpc {

struct Request {
  BOOST_HANA_DEFINE_STRUCT(Request, (std::uint8_t, key), (std::int16_t, amount));
  auto operator<=>(const Request&) const = default;
};
struct Reply {
  BOOST_HANA_DEFINE_STRUCT(Reply, (std::uint8_t, key));
  auto operator<=>(const Reply&) const = default;
};
using Msg = std::variant<Request, Reply>;

/// History: the server applied request `key` to the balance.
struct Applied {
  BOOST_HANA_DEFINE_STRUCT(Applied, (std::uint8_t, key));
};

struct Vocabulary {
  using Msg = rpc::Msg;
  using Record = Applied;
};

enum class Variant { dedup, no_dedup, volatile_dedup, no_retry };
inline constexpr std::string_view variant_names[] = {"dedup", "no-dedup", "volatile-dedup", "no-retry"};

using Keys = boost::container::flat_set<std::uint8_t>;

/// Issues `requests` requests one after another, each retried on timeout until its reply arrives.
struct Client {
  enum class Timer : std::uint8_t { retry };
  friend std::string_view to_string_view(Timer) { return "retry"; }

  std::uint8_t requests = 1;
  mc::NodeId server = 1;
  bool retry = true;  ///< false: each request is sent once (variant no-retry)

  struct State {
    BOOST_HANA_DEFINE_STRUCT(State, (std::uint8_t, next), (bool, done));
  };

  template <class Out>
  State on_start(mc::NodeId, Out& out) const {
    out.send(server, Request{0, 10});
    if (retry) out.set_timer(Timer::retry);
    return {0, false};
  }
  template <class Out>
  void on_message(mc::NodeId, State& s, mc::NodeId, const Msg& m, Out& out) const {
    const auto* reply = std::get_if<Reply>(&m);
    if (!reply || s.done || reply->key != s.next) return;  // a late reply to an earlier request: ignore
    if (++s.next == requests) {
      s.done = true;
      out.cancel_timer(Timer::retry);
    } else {
      out.send(server, Request{s.next, 10});
      if (retry) out.set_timer(Timer::retry);
    }
  }
  template <class Out>
  void on_timeout(mc::NodeId, State& s, Timer, Out& out) const {
    if (s.done) return;
    out.send(server, Request{s.next, 10});  // same key: a retry, not a new request
    out.set_timer(Timer::retry);
  }
};

struct Server {
  Variant variant = Variant::dedup;

  struct Durable {
    BOOST_HANA_DEFINE_STRUCT(Durable, (std::int16_t, balance), (Keys, applied));
    bool operator==(const Durable&) const = default;
  };
  struct State {
    BOOST_HANA_DEFINE_STRUCT(State, (std::int16_t, balance), (Keys, applied));
  };

  template <class Out>
  State on_start(mc::NodeId, const Durable& d, Out&) const {
    if (variant == Variant::volatile_dedup) return {d.balance, {}};  // the bug: the dedup table did not survive
    return {d.balance, d.applied};
  }
  template <class Out>
  void on_message(mc::NodeId, State& s, mc::NodeId from, const Msg& m, Out& out) const {
    const auto* req = std::get_if<Request>(&m);
    if (!req) return;
    if (variant == Variant::no_dedup || !s.applied.count(req->key)) {
      s.balance = static_cast<std::int16_t>(s.balance + req->amount);
      s.applied.insert(req->key);
      out.record(Applied{req->key});
      // Balance and dedup table are written together; the volatile variant persists only the balance.
      out.persist(Durable{s.balance, variant == Variant::volatile_dedup ? Keys{} : s.applied});
    }
    out.send(from, Reply{req->key});  // reply again to a retry: the first reply may have been lost
  }
};

using Model = mc::ActorModel<Vocabulary, Client, Server>;

inline constexpr mc::FaultBudget default_faults{1, 1, 1, 1, 0, 0};

inline Model make_model(Variant variant, unsigned requests, mc::FaultBudget faults) {
  if (requests < 1 || requests > 4) throw std::invalid_argument("rpc-retry: requests must be in 1..4");
  Model m(mc::NetworkKind::unordered, faults);
  m.set_link_capacity(2);  // retries are unbounded in time, the buffers are not
  m.add(Client{static_cast<std::uint8_t>(requests), 1, variant != Variant::no_retry});
  m.add(Server{variant});
  auto once = mc::always<Model::State>("at-most-once", [](const Model::State& s) {
    return properties::at_most_once(s.history, &Applied::key);
  });
  once.explain = [](const Model::State& s) { return properties::explain_at_most_once(s.history, &Applied::key); };
  m.add_property(std::move(once));
  return m;
}

/// Every request is eventually answered: the client ends done. A crashed node is eventually restarted.
inline void add_liveness(Model& m) {
  m.set_liveness({true, true});
  m.add_property(mc::eventually<Model::State>("eventually-answered",
                                              [](const Model::State& s) { return Model::state_of<Client>(s, 0).done; }));
}

}  // namespace protocols::rpc
