// Composes actors, a network and a fault model into a Model: every interleaving of deliveries, timeouts and the
// faults the budget allows (loss, duplication, crash — keeping some unsynced appends —, restart, partition, clock
// jump, torn write) becomes a labelled successor.
#pragma once

#include "mc/actor/actor.hpp"
#include "mc/actor/clock.hpp"
#include "mc/actor/event.hpp"
#include "mc/actor/fault_budget.hpp"
#include "mc/actor/network.hpp"
#include "mc/core/assign.hpp"
#include "mc/core/fairness.hpp"
#include "mc/core/fingerprint.hpp"
#include "mc/core/model.hpp"
#include "mc/core/type_name.hpp"

#include <boost/container/small_vector.hpp>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

namespace mc {

/// A vocabulary whose history also marks when a partition began (with the side holding node 0) and healed, so
/// properties can ask what happened while the network was split (e.g. "a write completed in a minority").
template <class Vocabulary>
concept RecordsPartitions = requires(const BitSet<32>& side) {
  { Vocabulary::partition_record(side) } -> std::convertible_to<RecordOf<Vocabulary>>;
  { Vocabulary::heal_record() } -> std::convertible_to<RecordOf<Vocabulary>>;
};

namespace detail {
/// std::variant declares its comparisons whatever its alternatives, so each alternative is asked instead.
template <class Msg>
struct ordered_messages : std::bool_constant<std::totally_ordered<Msg>> {};
template <class... Alternatives>
struct ordered_messages<std::variant<Alternatives...>>
    : std::bool_constant<(std::totally_ordered<Alternatives> && ...)> {};
}  // namespace detail

/// A system of nodes, each running one of `Actors`, exchanging `Vocabulary::Msg` (and recording
/// `Vocabulary::Record` history entries when the vocabulary declares one).
template <class Vocabulary, class... Actors>
class ActorModel {
  static_assert(sizeof...(Actors) >= 1, "an actor system needs at least one actor type");
  static_assert((Actor<Actors, Vocabulary> && ...),
                "each actor needs a reflected State, `State on_start(NodeId, [const Durable&,] Out&) const` and "
                "`void on_message(NodeId, State&, NodeId from, const Msg&, Out&) const`");
  static_assert(detail::ordered_messages<typename Vocabulary::Msg>::value,
                "messages must be totally ordered so equal network contents encode equally: give each message "
                "struct (each alternative of a std::variant Msg) `auto operator<=>(const X&) const = default;`");

 public:
  using Msg = typename Vocabulary::Msg;
  using Record = RecordOf<Vocabulary>;
  using NodeState = std::variant<typename Actors::State...>;
  using Durable = std::variant<DurableOf<Actors>...>;
  /// Whether some actor keeps a log (mc/actor/storage.hpp); systems without one carry no log in their states.
  static constexpr bool keeps_logs = (has_log<Actors> || ...);
  using Logs = std::variant<std::conditional_t<has_log<Actors>, Log<LogRecordOf<Actors>>, NoLog>...>;

  struct PlainNode {
    BOOST_HANA_DEFINE_STRUCT(PlainNode, (NodeState, state), (Durable, durable), (TimerSet, timers), (bool, crashed));
  };
  struct LoggingNode {
    BOOST_HANA_DEFINE_STRUCT(LoggingNode, (NodeState, state), (Durable, durable), (Logs, log), (TimerSet, timers),
                             (bool, crashed));
  };
  using Node = std::conditional_t<keeps_logs, LoggingNode, PlainNode>;
  struct Partition {
    BOOST_HANA_DEFINE_STRUCT(Partition, (bool, active), (BitSet<32>, side));
  };
  using Nodes = boost::container::small_vector<Node, 8>;  // inline storage: copying a state allocates nothing
  using History = boost::container::small_vector<Record, 8>;
  using Clocks = boost::container::small_vector<NodeClock, 8>;  ///< empty in a system without clocks
  struct State {
    BOOST_HANA_DEFINE_STRUCT(State, (Nodes, nodes), (Network<Msg>, network), (Partition, partition),
                             (FaultBudget, faults_used), (History, history), (Clocks, clocks));
  };
  using Action = Event<Msg>;

  explicit ActorModel(NetworkKind network = NetworkKind::unordered, FaultBudget budget = {})
      : kind_(network), budget_(budget) {
    if (kind_ == NetworkKind::duplicating) budget_.dup = 0;  // that network duplicates without a budget
  }

  /// Adds a node running `actor`; returns its id (nodes are numbered in the order they are added).
  template <class A>
  NodeId add(A actor) {
    static_assert((std::is_same_v<A, Actors> || ...), "add() takes one of the system's actor types");
    if (actors_.size() >= 32) throw std::invalid_argument("an actor system has at most 32 nodes");
    actors_.emplace_back(std::in_place_type<A>, std::move(actor));
    const auto id = static_cast<NodeId>(actors_.size() - 1);
    if constexpr (IgnoresStale<A, Vocabulary>) ignoring_.insert(id);
    return id;
  }

  void add_property(Property<State> p) { properties_.push_back(std::move(p)); }

  /// Gives every node a monotonic and a wall clock under `spec`, makes `tick` (true time advancing) an event, and
  /// lets handlers read the clocks and set timers on them. Clock jumps come from the fault budget's `jump`.
  void set_clocks(ClockSpec spec) {
    spec.validate();
    clocks_ = spec;
  }
  const std::optional<ClockSpec>& clocks() const { return clocks_; }

  /// How the nodes' disks treat appends not yet fsynced (systems whose actors keep a log).
  void set_storage(StorageSpec spec) {
    spec.validate();
    storage_ = spec;
  }
  const StorageSpec& storage() const { return storage_; }

  /// In states where `settled` holds, true time no longer advances: no actor will read a clock again, so letting
  /// it run would only age timestamps past the horizon (where two old ones would compare equal).
  void stop_time_when(std::function<bool(const State&)> settled) { settled_ = std::move(settled); }

  /// Node `n`'s clocks (in a system with clocks), for properties that ask what a node believes about time.
  static const NodeClock& clock_of(const State& s, NodeId n) { return s.clocks[n]; }

  /// Whether messages their destination declares it will ignore for good (`ignores`) are dropped at once (the
  /// default). Off, they stay in flight until delivered as no-ops: more states, the same verdicts.
  void set_drop_ignored(bool drop) { drop_ignored_ = drop; }

  /// Bounds every link to `messages` in flight, like a finite buffer: a send to a full link is lost (not counted
  /// as a fault). Retransmitting protocols need it to keep the state space finite. 0: unbounded.
  void set_link_capacity(std::size_t messages) { capacity_ = messages; }

  /// The state of node `n`, which runs actor type `A`.
  template <class A>
  static const typename A::State& state_of(const State& s, NodeId n) {
    return std::get<index_of<A>()>(s.nodes[n].state);
  }

  std::size_t size() const { return actors_.size(); }
  const FaultBudget& budget() const { return budget_; }
  NetworkKind network_kind() const { return kind_; }

  template <class Emit>
  void init(Emit&& emit) const {
    State s{};
    s.nodes.resize(actors_.size());
    if (clocks_) {
      if (actors_.size() > 16) throw std::invalid_argument("an actor system with clocks has at most 16 nodes");
      s.clocks.resize(actors_.size());
    }
    for (std::size_t n = 0; n < actors_.size(); ++n) start(s, static_cast<NodeId>(n), /*restart=*/false);
    emit(s);
  }

  template <class Emit>
  void next(const State& s, Emit&& emit) const {
    // One successor, assigned from `s` for each step (mc/core/assign.hpp): assigning reuses its storage and copies
    // what differs, where a fresh copy per step was built and destroyed whole.
    State t;
    // Deliveries: each distinct deliverable message to a node that is up.
    s.network.for_each_deliverable(kind_, [&](const Envelope<Msg>& e, typename Network<Msg>::Slot slot) {
      if (s.nodes[e.dst].crashed) return;
      if constexpr ((DefersMessages<Actors, Vocabulary> || ...))
        if (!accepts(s, e)) return;  // not taken in this state: it waits in flight
      copy_state(t, s);
      if (kind_ != NetworkKind::duplicating) t.network.remove_at(kind_, slot);
      deliver(t, e);
      emit(Action{EventKind::deliver, e.dst, e, {}, {}, 0}, t);
    });
    // Timeouts fire nondeterministically: any armed timer of a node that is up.
    for (std::size_t n = 0; n < s.nodes.size(); ++n) {
      const Node& node = s.nodes[n];
      if (node.crashed || node.timers.empty()) continue;
      for (unsigned timer = 0; timer < 32; ++timer) {
        if (!node.timers.contains(timer)) continue;
        if (clocks_)  // a timer on the node's clock fires once that clock has run its ticks
          if (const TimerDeadline* d = s.clocks[n].deadline(timer); d && d->remaining > 0) continue;
        copy_state(t, s);
        t.nodes[n].timers.erase(timer);
        if (clocks_) t.clocks[n].forget(timer);
        const std::string_view name = fire_timer(t, static_cast<NodeId>(n), timer);
        emit(Action{EventKind::timeout, static_cast<NodeId>(n), {}, name, {}, 0}, t);
      }
    }
    // Faults, each within its budget.
    if (s.faults_used.loss < budget_.loss) {
      s.network.for_each_deliverable(kind_, [&](const Envelope<Msg>& e, typename Network<Msg>::Slot slot) {
        copy_state(t, s);
        t.network.remove_at(kind_, slot);
        ++t.faults_used.loss;
        emit(Action{EventKind::drop, e.dst, e, {}, {}, 0}, t);
      });
    }
    if (s.faults_used.dup < budget_.dup) {
      s.network.for_each_deliverable(kind_, [&](const Envelope<Msg>& e, typename Network<Msg>::Slot slot) {
        copy_state(t, s);
        t.network.duplicate_at(kind_, slot);
        ++t.faults_used.dup;
        emit(Action{EventKind::duplicate, e.dst, e, {}, {}, 0}, t);
      });
    }
    for (std::size_t n = 0; n < s.nodes.size(); ++n) {
      const NodeId id = static_cast<NodeId>(n);
      if (!s.nodes[n].crashed && s.faults_used.crash < budget_.crash) {
        // With appends pending, each outcome of what reached the disk is its own step.
        const std::size_t unsynced = unsynced_of(s, id);
        for (unsigned outcome = 0; outcome < crash_outcomes(unsynced, storage_.reorder); ++outcome) {
          const std::uint8_t kept = crash_survival(outcome, storage_.reorder);
          for (const bool torn : {false, true}) {
            if (torn && (kept == 0 || s.faults_used.torn >= budget_.torn)) continue;
            copy_state(t, s);
            crash(t, id, kept, torn);
            ++t.faults_used.crash;
            if (torn) ++t.faults_used.torn;
            Action a{EventKind::crash, id, {}, {}, {}, 0};
            a.unsynced = static_cast<std::uint8_t>(unsynced), a.kept = kept, a.torn = torn;
            emit(a, t);
          }
        }
      }
      if (s.nodes[n].crashed && s.faults_used.restart < budget_.restart) {
        copy_state(t, s);
        start(t, id, /*restart=*/true);
        ++t.faults_used.restart;
        emit(Action{EventKind::restart, id, {}, {}, {}, 0}, t);
      }
    }
    if (!s.partition.active && s.faults_used.partition < budget_.partition && s.nodes.size() >= 2) {
      // Each split once: node 0 is always on the first side, the second side is never empty.
      const std::uint32_t others = (std::uint32_t{1} << (s.nodes.size() - 1)) - 1;
      for (std::uint32_t mask = 0; mask < others; ++mask) {
        BitSet<32> side;
        side.insert(0);
        for (unsigned b = 0; b + 1 < s.nodes.size(); ++b)
          if ((mask >> b) & 1u) side.insert(b + 1);
        copy_state(t, s);
        t.partition = {true, side};
        ++t.faults_used.partition;
        t.network.drop_links([&](NodeId a, NodeId b) { return side.contains(a) != side.contains(b); });
        if constexpr (RecordsPartitions<Vocabulary>) t.history.push_back(Vocabulary::partition_record(side));
        emit(Action{EventKind::partition, 0, {}, {}, side, static_cast<std::uint8_t>(s.nodes.size())}, t);
      }
    }
    if (s.partition.active) {
      copy_state(t, s);
      t.partition = {};
      if constexpr (RecordsPartitions<Vocabulary>) t.history.push_back(Vocabulary::heal_record());
      emit(Action{EventKind::heal, 0, {}, {}, {}, 0}, t);
    }
    if (clocks_) {
      if (!settled_ || !settled_(s)) tick(s, emit);
      if (s.faults_used.jump < budget_.jump) {
        for (std::size_t n = 0; n < s.nodes.size(); ++n) {
          if (s.nodes[n].crashed) continue;
          for (int by = -clocks_->max_jump; by <= clocks_->max_jump; ++by) {
            if (by == 0 || std::abs(s.clocks[n].wall_offset + by) > 100) continue;  // stays an int8
            copy_state(t, s);
            t.clocks[n].wall_offset = static_cast<std::int8_t>(t.clocks[n].wall_offset + by);
            ++t.faults_used.jump;
            Action a{EventKind::clock_jump, static_cast<NodeId>(n), {}, {}, {}, 0};
            a.jump = static_cast<std::int8_t>(by);
            emit(a, t);
          }
        }
      }
    }
  }

  std::vector<Property<State>> properties() const { return properties_; }

  /// Which steps a fair behaviour may not neglect, for liveness properties. Fair by default where the network is:
  /// each message in flight to a node that is up (weakly; strongly where an actor may defer messages, as whether
  /// it accepts one comes and goes), each armed timer of a node that is up, and time advancing are weakly fair.
  /// Faults never are, and as their budgets are finite every infinite behaviour ends fault-free: liveness is
  /// checked "once faults stop". Restarts are not fair by default (a crashed node may stay down, the crash-stop
  /// model; budgeted restarts may happen); healing is (a partition is a fault, and faults stop).
  struct Liveness {
    bool fair_restart = false;
    bool fair_heal = true;
  };
  void set_liveness(Liveness l) { liveness_ = l; }
  const Liveness& liveness() const { return liveness_; }

  std::vector<Fairness<Action>> fairness() const {
    constexpr bool defers = (DefersMessages<Actors, Vocabulary> || ...);
    std::vector<Fairness<Action>> out;
    out.push_back({defers ? FairnessKind::strong : FairnessKind::weak, "delivery",
                   [](const Action& a) -> std::optional<std::uint64_t> {
                     if (a.kind != EventKind::deliver) return std::nullopt;
                     return fingerprint(a.envelope);
                   }});
    out.push_back({FairnessKind::weak, "timers", [](const Action& a) -> std::optional<std::uint64_t> {
                     if (a.kind != EventKind::timeout) return std::nullopt;
                     return XXH3_64bits_withSeed(a.timer.data(), a.timer.size(), a.node);
                   }});
    if (clocks_)
      out.push_back(weak_fair<Action>("time", [](const Action& a) { return a.kind == EventKind::tick; }));
    if (liveness_.fair_restart && budget_.restart)
      out.push_back(weak_fair_each<Action>("restart", [](const Action& a) -> std::optional<std::uint64_t> {
        if (a.kind != EventKind::restart) return std::nullopt;
        return a.node;
      }));
    if (liveness_.fair_heal && budget_.partition)
      out.push_back(weak_fair<Action>("heal", [](const Action& a) { return a.kind == EventKind::heal; }));
    return out;
  }

  /// Coverage (mc/explore/coverage.hpp): a step's kind by what it does, not by the nodes it names: "deliver
  /// Prepare to Participant", "timeout retry at Client", "drop Prepare", "crash", "tick".
  std::string coverage_label(const Action& a) const {
    switch (a.kind) {
      case EventKind::deliver:
        return fmt::format("deliver {} to {}", message_name(a.envelope.msg), actor_name(a.envelope.dst));
      case EventKind::timeout: return fmt::format("timeout {} at {}", a.timer, actor_name(a.node));
      case EventKind::drop:
      case EventKind::duplicate:
        return fmt::format("{} {}", to_string_view(a.kind), message_name(a.envelope.msg));
      case EventKind::crash: return a.torn ? "torn write at crash" : "crash";
      default: return std::string(to_string_view(a.kind));
    }
  }

  /// What a complete search never did although the system could name it: message types never delivered, actor
  /// types that never handled a message or whose timers never fired, fault kinds budgeted but never possible.
  std::vector<std::string> coverage_gaps(const std::map<std::string, std::uint64_t>& counts) const {
    const auto seen = [&](const std::string& prefix, const std::string& suffix) {
      for (const auto& [kind, n] : counts)
        if (n && kind.starts_with(prefix) && kind.ends_with(suffix)) return true;
      return false;
    };
    std::vector<std::string> gaps;
    for (const std::string& m : message_names())
      if (!seen("deliver " + m + " to ", "")) gaps.push_back(fmt::format("message {} was never delivered", m));
    std::vector<std::size_t> present;
    for (const auto& actor : actors_) present.push_back(actor.index());
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      const auto check = [&]<std::size_t J>() {
        if (std::find(present.begin(), present.end(), J) == present.end()) return;
        using A = std::tuple_element_t<J, std::tuple<Actors...>>;
        const std::string name(type_name<A>());
        if (!seen("deliver ", " to " + name)) gaps.push_back(fmt::format("{} never handled a message", name));
        if constexpr (TimedActor<A, Vocabulary>)
          if (!seen("timeout ", " at " + name)) gaps.push_back(fmt::format("no timer of {} ever fired", name));
      };
      (check.template operator()<I>(), ...);
    }(std::index_sequence_for<Actors...>{});
    static constexpr std::string_view faults[] = {"drop",      "duplicate",  "crash", "restart",
                                                  "partition", "clock-jump", "torn"};
    for (std::size_t i = 0; i < FaultBudget::names.size(); ++i)
      if (budget_[i] && !seen(std::string(faults[i]), ""))
        gaps.push_back(fmt::format("fault {} (budget {}) was never possible", FaultBudget::names[i], budget_[i]));
    return gaps;
  }

  // Running the actors for real (mc/run/runtime.hpp): one node's part of a step, applied to a state the runtime
  // keeps for that node alone. Effects land in `s` as in a search: sends in s.network, timers, durable, log.
  void start_node(State& s, NodeId n, bool restart) const { start(s, n, restart); }
  void deliver_to(State& s, const Envelope<Msg>& e) const { deliver(s, e); }
  /// Fires armed timer `timer` of node `n`; returns its name.
  std::string_view fire_timeout(State& s, NodeId n, unsigned timer) const {
    s.nodes[n].timers.erase(timer);
    return fire_timer(s, n, timer);
  }
  /// Node `n` crashes with every unsynced append reaching the disk (what a process crash does to written files).
  void crash_node(State& s, NodeId n) const {
    const std::size_t unsynced = unsynced_of(s, n);
    crash(s, n, static_cast<std::uint8_t>((1u << unsynced) - 1), false);
  }
  std::size_t unsynced_appends(const State& s, NodeId n) const { return unsynced_of(s, n); }
  /// The names of the message types (the alternatives of a variant Msg), as traces and logs print them.
  static std::vector<std::string> message_types() { return message_names(); }

  /// Fault events on any path to `s` (losses, duplicates, crashes, restarts, partitions, jumps, torn writes).
  std::size_t fault_count(const State& s) const {
    std::size_t n = 0;
    for (std::size_t i = 0; i < FaultBudget::names.size(); ++i) n += s.faults_used[i];
    return n;
  }

 private:
  using AnyActor = std::variant<Actors...>;

  /// One out-of-line copy for the many steps that start from `s` (inlined at each, `next` grows past what GCC
  /// optimises well).
  [[gnu::noinline]] static void copy_state(State& t, const State& s) { assign(t, s); }

  std::string_view actor_name(NodeId n) const {
    std::string_view name;
    visit_actor(n, [&]<std::size_t I>(const auto& actor) { name = type_name<std::decay_t<decltype(actor)>>(); });
    return name;
  }

  static std::string_view message_name(const Msg& m) {
    if constexpr (requires { std::variant_size<Msg>::value; }) {
      std::string_view name;
      std::visit([&](const auto& alt) { name = type_name<std::decay_t<decltype(alt)>>(); }, m);
      return name;
    } else {
      return type_name<Msg>();
    }
  }

  static std::vector<std::string> message_names() {
    if constexpr (requires { std::variant_size<Msg>::value; }) {
      return [&]<std::size_t... J>(std::index_sequence<J...>) {
        return std::vector<std::string>{std::string(type_name<std::variant_alternative_t<J, Msg>>())...};
      }(std::make_index_sequence<std::variant_size_v<Msg>>{});
    } else {
      return {std::string(type_name<Msg>())};
    }
  }

  /// True time advances one tick: every node's clocks advance by an amount its drift and skew bounds allow (each
  /// combination is a successor), and every Time in the state moves one tick into the past.
  template <class Emit>
  void tick(const State& s, Emit& emit) const {
    const int lo = std::max(0, 1 - clocks_->drift), hi = 1 + clocks_->drift;
    std::uint32_t advances = 0;
    const auto choose = [&](const auto& self, std::size_t n) -> void {
      if (n == s.nodes.size()) {
        State t = s;
        for (std::size_t k = 0; k < t.clocks.size(); ++k) t.clocks[k].advance(static_cast<int>((advances >> (2 * k)) & 3u));
        shift_times(t.nodes, -1, -clocks_->horizon);
        shift_times(t.network, -1, -clocks_->horizon);
        shift_times(t.history, -1, -clocks_->horizon);
        Action a{EventKind::tick, 0, {}, {}, {}, static_cast<std::uint8_t>(s.nodes.size())};
        a.advances = advances;
        emit(a, t);
        return;
      }
      for (int by = lo; by <= hi; ++by) {
        if (!advance_allowed(*clocks_, s.clocks[n], by)) continue;
        advances = (advances & ~(3u << (2 * n))) | (static_cast<std::uint32_t>(by) << (2 * n));
        self(self, n + 1);
      }
    };
    choose(choose, 0);
  }

  std::optional<ClockReadings> readings(const State& s, NodeId n) const {
    if (!clocks_) return std::nullopt;
    return ClockReadings{s.clocks[n].monotonic(), s.clocks[n].wall()};
  }

  template <class A, std::size_t I = 0>
  static constexpr std::size_t index_of() {
    using List = std::tuple<Actors...>;
    if constexpr (std::is_same_v<std::tuple_element_t<I, List>, A>) return I;
    else return index_of<A, I + 1>();
  }

  /// Calls f.template operator()<I>(actor) for the actor type index I of node n.
  template <class F>
  void visit_actor(NodeId n, F&& f) const {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      ((actors_[n].index() == I ? (f.template operator()<I>(std::get<I>(actors_[n])), 0) : 0), ...);
    }(std::index_sequence_for<Actors...>{});
  }

  bool cut(const State& s, NodeId a, NodeId b) const {
    return s.partition.active && s.partition.side.contains(a) != s.partition.side.contains(b);
  }

  /// Applies a handler's effects; `I` is the node's actor type index.
  template <std::size_t I, class O>
  void apply(State& s, NodeId self, O& out) const {
    Node& node = s.nodes[self];
    for (auto& [to, m] : out.sends()) {
      if (to >= s.nodes.size()) throw std::out_of_range("an actor sent to a node that does not exist");
      if (cut(s, self, to)) continue;  // lost to the partition
      s.network.send(kind_, Envelope<Msg>{self, to, std::move(m)}, capacity_);
    }
    node.timers.insert_all(out.timers_set());  // set and cancelled are disjoint (Out keeps the last request)
    node.timers.erase_all(out.timers_cancelled());
    if (clocks_) {
      NodeClock& clock = s.clocks[self];
      for (unsigned t = 0; t < 32; ++t)
        if (out.timers_set().contains(t) || out.timers_cancelled().contains(t)) clock.forget(t);
      for (const TimedTimer& t : out.timed()) clock.set_deadline(t.timer, t.after);
    }
    if (out.durable()) node.durable.template emplace<I>(std::move(*out.durable()));
    if constexpr (has_log<std::tuple_element_t<I, std::tuple<Actors...>>>)
      if (out.fsynced() || !out.appends().empty())
        apply_appends(std::get<I>(node.log), out.appends(), out.synced(), out.fsynced(), storage_.unsynced_limit);
    for (auto& r : out.records()) s.history.push_back(std::move(r));
    if constexpr ((IgnoresStale<Actors, Vocabulary> || ...))
      if (drop_ignored_) drop_stale(s);
  }

  /// Drops the messages their (running) destination declares it will ignore from now on.
  void drop_stale(State& s) const {
    s.network.drop_if([&](const Envelope<Msg>& e) {
      // Most messages go to nodes that ignore nothing (abd's servers): one bit test, not a look at the node.
      if (!ignoring_.contains(e.dst) || s.nodes[e.dst].crashed) return false;
      bool stale = false;
      visit_actor(e.dst, [&]<std::size_t I>(const auto& actor) {
        using A = std::decay_t<decltype(actor)>;
        if constexpr (IgnoresStale<A, Vocabulary>) stale = actor.ignores(std::get<I>(s.nodes[e.dst].state), e.src, e.msg);
      });
      return stale;
    });
  }

  /// Whether the (running) destination takes `e` in its current state.
  bool accepts(const State& s, const Envelope<Msg>& e) const {
    bool taken = true;
    visit_actor(e.dst, [&]<std::size_t I>(const auto& actor) {
      using A = std::decay_t<decltype(actor)>;
      if constexpr (DefersMessages<A, Vocabulary>) taken = actor.accepts(std::get<I>(s.nodes[e.dst].state), e.src, e.msg);
    });
    return taken;
  }

  void start(State& s, NodeId n, bool restart) const {
    visit_actor(n, [&]<std::size_t I>(const auto& actor) {
      using A = std::decay_t<decltype(actor)>;
      Node& node = s.nodes[n];
      node.crashed = false;
      node.timers = {};
      if (!restart) node.durable.template emplace<I>();
      if constexpr (keeps_logs)
        if (!restart) node.log.template emplace<I>();
      OutFor<A, Vocabulary> out(n, s.nodes.size(), readings(s, n));
      if constexpr (StartsWithDurableAndLog<A, Vocabulary>)
        node.state.template emplace<I>(actor.on_start(n, std::get<I>(node.durable), std::get<I>(node.log), out));
      else if constexpr (StartsWithLog<A, Vocabulary>)
        node.state.template emplace<I>(actor.on_start(n, std::get<I>(node.log), out));
      else if constexpr (StartsWithDurable<A, Vocabulary>)
        node.state.template emplace<I>(actor.on_start(n, std::get<I>(node.durable), out));
      else
        node.state.template emplace<I>(actor.on_start(n, out));
      apply<I>(s, n, out);
    });
  }

  /// A node's appends not yet fsynced.
  std::size_t unsynced_of(const State& s, NodeId n) const {
    if constexpr (keeps_logs) {
      std::size_t count = 0;
      visit_actor(n, [&]<std::size_t I>(const auto& actor) {
        if constexpr (has_log<std::decay_t<decltype(actor)>>) count = std::get<I>(s.nodes[n].log).unsynced.size();
      });
      return count;
    }
    return 0;
  }

  /// Node `n` stops; of its unsynced appends those in `kept` reach the disk (the last torn if `torn`).
  void crash(State& s, NodeId n, std::uint8_t kept, bool torn) const {
    visit_actor(n, [&]<std::size_t I>(const auto& actor) {
      Node& node = s.nodes[n];
      if constexpr (has_log<std::decay_t<decltype(actor)>>) survive_crash(std::get<I>(node.log), kept, torn);
      node.crashed = true;
      node.timers = {};
      if (clocks_) s.clocks[n].deadlines.clear();
      node.state.template emplace<I>();  // volatile state is gone: one canonical value for "down"
    });
  }

  void deliver(State& s, const Envelope<Msg>& e) const {
    visit_actor(e.dst, [&]<std::size_t I>(const auto& actor) {
      using A = std::decay_t<decltype(actor)>;
      OutFor<A, Vocabulary> out(e.dst, s.nodes.size(), readings(s, e.dst));
      actor.on_message(e.dst, std::get<I>(s.nodes[e.dst].state), e.src, e.msg, out);
      apply<I>(s, e.dst, out);
    });
  }

  std::string_view fire_timer(State& s, NodeId n, unsigned timer) const {
    std::string_view name = timer_names[timer];
    visit_actor(n, [&]<std::size_t I>(const auto& actor) {
      using A = std::decay_t<decltype(actor)>;
      if constexpr (TimedActor<A, Vocabulary>) {
        const auto t = static_cast<TimerOf<A>>(timer);
        if constexpr (NamedEnum<TimerOf<A>>) name = to_string_view(t);
        OutFor<A, Vocabulary> out(n, s.nodes.size(), readings(s, n));
        actor.on_timeout(n, std::get<I>(s.nodes[n].state), t, out);
        apply<I>(s, n, out);
      }
    });
    return name;
  }

  static constexpr std::array<std::string_view, 32> timer_names{
      "t0",  "t1",  "t2",  "t3",  "t4",  "t5",  "t6",  "t7",  "t8",  "t9",  "t10", "t11", "t12", "t13", "t14", "t15",
      "t16", "t17", "t18", "t19", "t20", "t21", "t22", "t23", "t24", "t25", "t26", "t27", "t28", "t29", "t30", "t31"};

  NetworkKind kind_;
  FaultBudget budget_;
  std::size_t capacity_ = 0;
  Liveness liveness_;
  bool drop_ignored_ = true;
  std::optional<ClockSpec> clocks_;
  StorageSpec storage_;
  std::function<bool(const State&)> settled_;
  std::vector<AnyActor> actors_;
  BitSet<32> ignoring_;  ///< the nodes whose actor type declares `ignores`
  std::vector<Property<State>> properties_;
};

}  // namespace mc
