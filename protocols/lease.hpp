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
// Liveness (with `attempts = 0`: clients ask until granted, and again after each lease ends): every client up and
// without the lease eventually holds it (or is down), once faults stop. A lease's progress needs what its safety
// must not assume, a bound on message delay: with `delay = any` a grant may always arrive after its client's
// window, and one delayed past four attempts is taken for a fresh one (attempts are numbered modulo 4: two
// holders); with `delay = bounded` a message in flight is delivered (or lost) before time advances, and the
// service remembers one denied client and keeps the next lease for it, so no client starves another.
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
enum class Delay { any, bounded };
inline constexpr std::string_view delay_names[] = {"any", "bounded"};

struct Timing {
  int lease = 4;  ///< lease duration, ticks
  int skew = 1;   ///< the clocks' declared bound, which the correct design budgets for
  Variant variant = Variant::margin;
  int margin() const { return variant == Variant::margin ? 2 * skew : 0; }
};

/// Attempt numbers of a client that asks forever wrap here (a reply to an older attempt is then told apart as long
/// as fewer than this many attempts are in flight).
inline constexpr std::uint8_t forever_attempt_wrap = 4;

/// Asks for the lease (up to `attempts` times; 0: until granted, and again after each lease ends), holds it until
/// it expires by its own monotonic clock. Asking forever, it asks again one tick after a request went unanswered or
/// was denied (a reply takes less than a tick when delay is bounded).
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

  bool forever() const { return attempts == 0; }
  bool may_ask_again(const State& s) const { return forever() || s.attempt < attempts; }
  /// Asks again: at once (a bounded number of attempts), or one tick on (asking forever).
  template <class Out>
  void ask_again(Out& out) const {
    if (forever())
      out.set_timer(Timer::want, 1);
    else
      out.set_timer(Timer::want);
  }

  template <class Out>
  State on_start(mc::NodeId, Out& out) const {
    out.set_timer(Timer::want);
    return {};
  }
  template <class Out>
  void on_timeout(mc::NodeId, State& s, Timer t, Out& out) const {
    if (t == Timer::expire) {
      s.expires.reset();  // the lease ran out by this node's clock
      if (may_ask_again(s)) ask_again(out);
      return;
    }
    if (s.expires || !may_ask_again(s)) return;
    if (s.requested_at) {
      if (!forever()) return;
      s.requested_at.reset();  // asking forever: no reply within a tick, the request or its reply was lost
    }
    s.attempt = static_cast<std::uint8_t>(forever() ? s.attempt % forever_attempt_wrap + 1 : s.attempt + 1);
    if (forever()) out.set_timer(Timer::want, 1);
    s.requested_at = out.monotonic();  // the lease is counted from here: the grant may arrive late
    out.send(0, Request{s.attempt});
  }
  template <class Out>
  void on_message(mc::NodeId, State& s, mc::NodeId, const Msg& m, Out& out) const {
    if (const auto* g = std::get_if<Grant>(&m); g && s.requested_at && g->attempt == s.attempt) {
      const mc::Time until = *s.requested_at + (timing.lease - timing.margin());
      s.requested_at.reset();
      if (forever()) out.cancel_timer(Timer::want);  // answered: no retry
      if (out.monotonic() < until) {
        s.expires = until;
        out.set_timer(Timer::expire, until - out.monotonic());
      } else if (may_ask_again(s)) {
        ask_again(out);  // arrived too late to be of use
      }
    } else if (const auto* d = std::get_if<Deny>(&m); d && s.requested_at && d->attempt == s.attempt) {
      s.requested_at.reset();
      if (may_ask_again(s)) ask_again(out);  // asking forever: re-arms the retry a tick on
    }
  }
};

/// The lock service (node 0): one lease at a time, by its own monotonic clock. With `keeps_turn`, the first other
/// client denied while a lease is out is remembered and the next lease is kept for it (so nobody starves).
struct Service {
  Timing timing;
  bool keeps_turn = false;

  struct State {
    BOOST_HANA_DEFINE_STRUCT(State, (std::optional<mc::Time>, busy_until), (std::uint8_t, last),
                             (std::uint8_t, turn));
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
    const bool busy = s.busy_until && now < *s.busy_until;
    if (busy || (s.turn != 0 && s.turn != from)) {
      if (keeps_turn && s.turn == 0 && from != s.last) s.turn = static_cast<std::uint8_t>(from);
      out.send(from, Deny{r->attempt});
      return;
    }
    if (keeps_turn) s.last = static_cast<std::uint8_t>(from), s.turn = 0;
    s.busy_until = now + (timing.lease + timing.margin());
    out.send(from, Grant{r->attempt});
  }
};

using Model = mc::ActorModel<Vocabulary, Service, Client>;

inline constexpr mc::FaultBudget default_faults{1, 1, 0, 0, 0, 0};

struct Params {
  Variant variant = Variant::margin;
  int clients = 2, lease = 4, drift = 1, skew = 1, max_jump = 2, attempts = 1;
  Delay delay = Delay::any;
};

/// Every client up and without the lease eventually holds it, or is down (clients asking forever), once faults stop.
inline void add_liveness(Model& m, int clients) {
  for (mc::NodeId c = 1; c <= static_cast<mc::NodeId>(clients); ++c) {
    const auto holds = [c](const Model::State& s) {
      return Client::believes(Model::state_of<Client>(s, c), Model::clock_of(s, c).monotonic());
    };
    const auto waits = [c, holds](const Model::State& s) { return !s.nodes[c].crashed && !holds(s); };
    const auto served = [c, holds](const Model::State& s) { return s.nodes[c].crashed || holds(s); };
    m.add_property(mc::leads_to<Model::State>(fmt::format("n{}-gets-the-lease", c), waits, served));
  }
}

inline Model make_model(const Params& p, mc::FaultBudget faults) {
  if (p.clients < 2 || p.clients > 4) throw std::invalid_argument("lease: clients must be in 2..4");
  if (p.variant == Variant::margin && p.lease <= 2 * p.skew)
    throw std::invalid_argument("lease: the margin design needs lease > 2*skew");
  Timing timing{p.lease, p.skew, p.variant};
  Model m(mc::NetworkKind::unordered, faults);
  m.set_clocks(mc::ClockSpec{p.drift, p.skew, p.max_jump, p.lease + p.skew + 1});
  m.set_link_capacity(2);
  if (p.delay == Delay::bounded)  // the network delivers (or loses) what is in flight before time advances
    m.stop_time_when([](const Model::State& s) {
      for (const auto& e : s.network.bag)
        if (!s.nodes[e.dst].crashed) return true;
      return false;
    });
  m.add(Service{timing, p.attempts == 0});
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
  if (p.attempts == 0) add_liveness(m, p.clients);
  return m;
}

}  // namespace protocols::lease
