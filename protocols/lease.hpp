// lease: a lock service grants time-based leases; the holder acts alone (serves reads locally) until its lease
// expires by *its own* clock, and the service grants the next lease once the last one has expired by *its* clock.
//
// Clocks drift (1−drift … 1+drift ticks per true tick) and stray up to `skew` ticks from true time, so an interval
// measured on one node's clock is off by up to 2·skew on another's. The correct design (`margin`) gives away that
// error on both sides: the client counts its lease from when it *sent* the request and holds it `lease − 2·skew`
// ticks; the service waits `lease + 2·skew` ticks after granting. The broken variant (`no-margin`) trusts the clocks
// to agree: with drift, a slow client clock still believes in its lease after the service has granted the next.
// Leases run on monotonic clocks: wall-clock jumps (budget `jump`) do not affect them.
// Property: at most one client believes it holds the lease at any true time.
// Background: Gray & Cheriton, "Leases" (SOSP 1989); Kleppmann, DDIA ch. 8 ("Process pauses", "Fencing tokens").
#pragma once

#include "mc/actor/actor_model.hpp"

#include <fmt/format.h>

#include <optional>
#include <stdexcept>
#include <string_view>
#include <variant>
#include <vector>

namespace protocols::lease {

struct Request {
  BOOST_HANA_DEFINE_STRUCT(Request, (std::uint8_t, attempt));
  auto operator<=>(const Request&) const = default;
};
struct Grant {
  BOOST_HANA_DEFINE_STRUCT(Grant, (std::uint8_t, attempt));
  auto operator<=>(const Grant&) const = default;
};
struct Deny {
  BOOST_HANA_DEFINE_STRUCT(Deny, (std::uint8_t, attempt));
  auto operator<=>(const Deny&) const = default;
};
using Msg = std::variant<Request, Grant, Deny>;

struct Vocabulary {
  using Msg = lease::Msg;
};

enum class Variant { margin, no_margin };
inline constexpr std::string_view variant_names[] = {"margin", "no-margin"};

struct Timing {
  int lease = 4;  ///< lease duration, ticks
  int skew = 1;   ///< the clocks' declared bound, which the correct design budgets for
  Variant variant = Variant::margin;
  int margin() const { return variant == Variant::margin ? 2 * skew : 0; }
};

/// Asks for the lease (up to `attempts` times), holds it until it expires by its own monotonic clock.
struct Client {
  enum class Timer : std::uint8_t { want, expire };
  friend std::string_view to_string_view(Timer t) { return t == Timer::want ? "want" : "expire"; }

  Timing timing;
  std::uint8_t attempts = 2;

  struct State {
    BOOST_HANA_DEFINE_STRUCT(State, (std::uint8_t, attempt), (std::optional<mc::Time>, requested_at),
                             (std::optional<mc::Time>, expires));
  };

  /// Whether the client believes it holds the lease, reading its clock now.
  static bool believes(const State& s, mc::Time now) { return s.expires && now < *s.expires; }

  template <class Out>
  State on_start(mc::NodeId, Out& out) const {
    out.set_timer(Timer::want);
    return {};
  }
  template <class Out>
  void on_timeout(mc::NodeId, State& s, Timer t, Out& out) const {
    if (t == Timer::expire) {
      s.expires.reset();  // the lease ran out by this node's clock
      if (s.attempt < attempts) out.set_timer(Timer::want);
      return;
    }
    if (s.requested_at || s.expires || s.attempt >= attempts) return;
    ++s.attempt;
    s.requested_at = out.monotonic();  // the lease is counted from here: the grant may arrive late
    out.send(0, Request{s.attempt});
  }
  template <class Out>
  void on_message(mc::NodeId, State& s, mc::NodeId, const Msg& m, Out& out) const {
    if (const auto* g = std::get_if<Grant>(&m); g && s.requested_at && g->attempt == s.attempt) {
      const mc::Time until = *s.requested_at + (timing.lease - timing.margin());
      s.requested_at.reset();
      if (out.monotonic() < until) {
        s.expires = until;
        out.set_timer(Timer::expire, until - out.monotonic());
      } else if (s.attempt < attempts) {
        out.set_timer(Timer::want);  // arrived too late to be of use
      }
    } else if (const auto* d = std::get_if<Deny>(&m); d && s.requested_at && d->attempt == s.attempt) {
      s.requested_at.reset();
      if (s.attempt < attempts) out.set_timer(Timer::want);
    }
  }
};

/// The lock service (node 0): one lease at a time, by its own monotonic clock.
struct Service {
  Timing timing;

  struct State {
    BOOST_HANA_DEFINE_STRUCT(State, (std::optional<mc::Time>, busy_until));
  };

  template <class Out>
  State on_start(mc::NodeId, Out&) const {
    return {};
  }
  template <class Out>
  void on_message(mc::NodeId, State& s, mc::NodeId from, const Msg& m, Out& out) const {
    const auto* r = std::get_if<Request>(&m);
    if (!r) return;
    const mc::Time now = out.monotonic();
    if (s.busy_until && now < *s.busy_until) {
      out.send(from, Deny{r->attempt});
      return;
    }
    s.busy_until = now + (timing.lease + timing.margin());
    out.send(from, Grant{r->attempt});
  }
};

using Model = mc::ActorModel<Vocabulary, Service, Client>;

inline constexpr mc::FaultBudget default_faults{1, 1, 0, 0, 0, 0};

struct Params {
  Variant variant = Variant::margin;
  int clients = 2, lease = 4, drift = 1, skew = 1, max_jump = 2, attempts = 1;
};

inline Model make_model(const Params& p, mc::FaultBudget faults) {
  if (p.clients < 2 || p.clients > 4) throw std::invalid_argument("lease: clients must be in 2..4");
  if (p.variant == Variant::margin && p.lease <= 2 * p.skew)
    throw std::invalid_argument("lease: the margin design needs lease > 2*skew");
  Timing timing{p.lease, p.skew, p.variant};
  Model m(mc::NetworkKind::unordered, faults);
  m.set_clocks(mc::ClockSpec{p.drift, p.skew, p.max_jump, p.lease + p.skew + 1});
  m.set_link_capacity(2);
  m.add(Service{timing});
  for (int c = 0; c < p.clients; ++c) m.add(Client{timing, static_cast<std::uint8_t>(p.attempts)});
  const auto holders = [](const Model::State& s) {
    std::vector<mc::NodeId> out;
    for (mc::NodeId n = 1; n < s.nodes.size(); ++n)
      if (!s.nodes[n].crashed && Client::believes(Model::state_of<Client>(s, n), Model::clock_of(s, n).monotonic()))
        out.push_back(n);
    return out;
  };
  auto one_holder = mc::always<Model::State>("at-most-one-holder",
                                             [holders](const Model::State& s) { return holders(s).size() <= 1; });
  one_holder.explain = [holders](const Model::State& s) -> mc::Explanation {
    const auto h = holders(s);
    if (h.size() < 2) return {};
    return {fmt::format("n{} and n{} both believe they hold the lease, each by its own clock", h[0], h[1]),
            {fmt::format("nodes[{}].state.expires", h[0]), fmt::format("nodes[{}].state.expires", h[1])}};
  };
  m.add_property(std::move(one_holder));
  return m;
}

}  // namespace protocols::lease
