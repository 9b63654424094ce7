// The Actor contract: immutable configuration with const handlers; all mutable data lives in a reflected State.
// Optional members: `Durable` (what survives a crash, written with out.persist), `LogRecord` (the records of a log
// on a disk that may lose unsynced appends, written with out.append and out.fsync), `Timer` (an enum of timers).
#pragma once

#include "mc/actor/out.hpp"
#include "mc/actor/storage.hpp"
#include "mc/core/reflect.hpp"

#include <concepts>
#include <cstdint>
#include <string_view>
#include <type_traits>

namespace mc {

/// The durable record of an actor that keeps nothing across crashes.
struct NoDurable {
  bool operator==(const NoDurable&) const = default;
};

/// The timer enum of an actor without timers, and the history record of a system without history.
enum class NoTimer : std::uint8_t {};
struct NoRecord {
  bool operator==(const NoRecord&) const = default;
};

namespace detail {
template <class A> struct durable_of { using type = NoDurable; };
template <class A> requires requires { typename A::Durable; } struct durable_of<A> { using type = typename A::Durable; };
template <class A> struct timer_of { using type = NoTimer; };
template <class A> requires requires { typename A::Timer; } struct timer_of<A> { using type = typename A::Timer; };
template <class A> struct log_record_of { using type = NoLogRecord; };
template <class A> requires requires { typename A::LogRecord; } struct log_record_of<A> {
  using type = typename A::LogRecord;
};
template <class V> struct record_of { using type = NoRecord; };
template <class V> requires requires { typename V::Record; } struct record_of<V> { using type = typename V::Record; };
}  // namespace detail

template <class A> using DurableOf = typename detail::durable_of<A>::type;
template <class A> using TimerOf = typename detail::timer_of<A>::type;
template <class Vocabulary> using RecordOf = typename detail::record_of<Vocabulary>::type;
template <class A> using LogRecordOf = typename detail::log_record_of<A>::type;
/// Whether nodes running `A` have a log (the actor declares `LogRecord`).
template <class A> inline constexpr bool has_log = !std::is_same_v<LogRecordOf<A>, NoLogRecord>;

template <class A, class Vocabulary>
using OutFor = Out<typename Vocabulary::Msg, DurableOf<A>, RecordOf<Vocabulary>, LogRecordOf<A>>;

/// `State on_start(NodeId self, const Durable&, Out&) const` — or without the Durable argument when there is none.
template <class A, class Vocabulary>
concept StartsWithDurable = requires(const A& a, NodeId self, const DurableOf<A>& d, OutFor<A, Vocabulary>& out) {
  { a.on_start(self, d, out) } -> std::same_as<typename A::State>;
};
/// An actor with a log reads what survived: `State on_start(NodeId self, [const Durable&,] const Log<LogRecord>&,
/// Out&) const`.
template <class A, class Vocabulary>
concept StartsWithLog = has_log<A> && requires(const A& a, NodeId self, const Log<LogRecordOf<A>>& log,
                                               OutFor<A, Vocabulary>& out) {
  { a.on_start(self, log, out) } -> std::same_as<typename A::State>;
};
template <class A, class Vocabulary>
concept StartsWithDurableAndLog = has_log<A> && requires(const A& a, NodeId self, const DurableOf<A>& d,
                                                         const Log<LogRecordOf<A>>& log, OutFor<A, Vocabulary>& out) {
  { a.on_start(self, d, log, out) } -> std::same_as<typename A::State>;
};

template <class A, class Vocabulary>
concept Actor = Reflected<typename A::State> &&
    (StartsWithDurable<A, Vocabulary> || StartsWithLog<A, Vocabulary> || StartsWithDurableAndLog<A, Vocabulary> ||
     requires(const A& a, NodeId self, OutFor<A, Vocabulary>& out) {
       { a.on_start(self, out) } -> std::same_as<typename A::State>;
     }) &&
    requires(const A& a, NodeId self, typename A::State& s, const typename Vocabulary::Msg& m,
             OutFor<A, Vocabulary>& out) {
      a.on_message(self, s, NodeId{}, m, out);
    };

/// An actor may declare which messages it ignores now and in every later state (`ignores(state, from, msg)`), such
/// as replies to a request it has given up on. The system drops those at once: delivering one would change nothing,
/// so the verdicts stay the same while states that differ only by dead messages become one.
template <class A, class Vocabulary>
concept IgnoresStale = requires(const A& a, const typename A::State& s, const typename Vocabulary::Msg& m) {
  { a.ignores(s, NodeId{}, m) } -> std::convertible_to<bool>;
};

/// An actor may declare which messages it does not take in its current state (`accepts(state, from, msg)` false),
/// such as a request reaching a server that is busy: delivering one is then not a step at all, and the message
/// stays in flight until a later state accepts it (or a fault takes it). Without `accepts` every message is taken.
template <class A, class Vocabulary>
concept DefersMessages = requires(const A& a, const typename A::State& s, const typename Vocabulary::Msg& m) {
  { a.accepts(s, NodeId{}, m) } -> std::convertible_to<bool>;
};

/// Actors with timers handle them in `on_timeout(self, state, timer, out)`.
template <class A, class Vocabulary>
concept TimedActor = requires(const A& a, NodeId self, typename A::State& s, TimerOf<A> t, OutFor<A, Vocabulary>& out) {
  a.on_timeout(self, s, t, out);
};

}  // namespace mc
