// alternating-bit: reliable, in-order, exactly-once delivery over links that lose and duplicate messages.
//
// The sender tags each data message with one bit and retransmits it on timeout until an acknowledgement with
// the same bit arrives; then it flips the bit and sends the next message. The receiver delivers a data message
// only if its bit is the one it expects, then flips its expected bit; it acknowledges every data message with
// that message's bit, so a lost acknowledgement is repaired by the retransmission. Links are FIFO and bounded.
// Properties: exactly-once, in-order delivery of 0, 1, 2, ... to the receiving application.
// Liveness (add_liveness): every message is eventually delivered (in order, by the invariant), once faults stop:
// retransmission on timeout repairs every loss.
// Broken variant `no-bit`: the receiver delivers every data message it gets (no alternating bit), so a duplicate
// or a retransmission is delivered twice.
// Source: Bartlett, Scantlebury & Wilkinson, "A note on reliable full-duplex transmission over half-duplex links"
// (CACM 12(5), 1969); Lynch, "Distributed Algorithms" (1996), section 22.3.
#pragma once

#include "mc/actor/actor_model.hpp"
#include "properties/delivery.hpp"

#include <stdexcept>
#include <string_view>
#include <variant>

namespace protocols::abp {

struct Data {
  BOOST_HANA_DEFINE_STRUCT(Data, (bool, bit), (std::uint8_t, value));
  auto operator<=>(const Data&) const = default;
};
struct Ack {
  BOOST_HANA_DEFINE_STRUCT(Ack, (bool, bit));
  auto operator<=>(const Ack&) const = default;
};
using Msg = std::variant<Data, Ack>;

/// History: the receiver handed `value` to its application.
struct Delivered {
  BOOST_HANA_DEFINE_STRUCT(Delivered, (std::uint8_t, value));
};

struct Vocabulary {
  using Msg = abp::Msg;
  using Record = Delivered;
};

enum class Variant { correct, no_bit };
inline constexpr std::string_view variant_names[] = {"correct", "no-bit"};

struct Sender {
  enum class Timer : std::uint8_t { retransmit };
  friend std::string_view to_string_view(Timer) { return "retransmit"; }

  std::uint8_t messages = 2;
  mc::NodeId receiver = 1;

  struct State {
    BOOST_HANA_DEFINE_STRUCT(State, (std::uint8_t, next), (bool, bit));
  };

  template <class Out>
  State on_start(mc::NodeId, Out& out) const {
    out.send(receiver, Data{false, 0});
    out.set_timer(Timer::retransmit);
    return {0, false};
  }
  template <class Out>
  void on_message(mc::NodeId, State& s, mc::NodeId, const Msg& m, Out& out) const {
    const auto* ack = std::get_if<Ack>(&m);
    if (!ack || ack->bit != s.bit || s.next == messages) return;  // stale or duplicate acknowledgement
    ++s.next;
    s.bit = !s.bit;
    if (s.next == messages) {
      out.cancel_timer(Timer::retransmit);
    } else {
      out.send(receiver, Data{s.bit, s.next});
      out.set_timer(Timer::retransmit);
    }
  }
  template <class Out>
  void on_timeout(mc::NodeId, State& s, Timer, Out& out) const {
    if (s.next == messages) return;
    out.send(receiver, Data{s.bit, s.next});
    out.set_timer(Timer::retransmit);
  }
};

struct Receiver {
  Variant variant = Variant::correct;

  struct State {
    BOOST_HANA_DEFINE_STRUCT(State, (bool, expected));
  };

  template <class Out>
  State on_start(mc::NodeId, Out&) const {
    return {false};
  }
  template <class Out>
  void on_message(mc::NodeId, State& s, mc::NodeId from, const Msg& m, Out& out) const {
    const auto* data = std::get_if<Data>(&m);
    if (!data) return;
    if (variant == Variant::no_bit || data->bit == s.expected) {
      out.record(Delivered{data->value});
      s.expected = !s.expected;
    }
    out.send(from, Ack{data->bit});
  }
};

using Model = mc::ActorModel<Vocabulary, Sender, Receiver>;

inline constexpr mc::FaultBudget default_faults{1, 1, 0, 0, 0, 0};

inline Model make_model(Variant variant, unsigned messages, mc::FaultBudget faults) {
  if (messages < 1 || messages > 8) throw std::invalid_argument("alternating-bit: messages must be in 1..8");
  Model m(mc::NetworkKind::fifo, faults);
  m.set_link_capacity(2);
  m.add(Sender{static_cast<std::uint8_t>(messages), 1});
  m.add(Receiver{variant});
  auto in_order = mc::always<Model::State>("exactly-once-in-order", [](const Model::State& s) {
    return properties::in_order_exactly_once(s.history, &Delivered::value);
  });
  in_order.explain = [](const Model::State& s) {
    return properties::explain_in_order_exactly_once(s.history, &Delivered::value);
  };
  m.add_property(std::move(in_order));
  return m;
}

/// Every one of the `messages` is eventually delivered.
inline void add_liveness(Model& m, unsigned messages) {
  m.add_property(mc::eventually<Model::State>("all-delivered",
                                              [messages](const Model::State& s) { return s.history.size() >= messages; }));
}

}  // namespace protocols::abp
