// The in-flight messages of an actor system, under one of three semantics chosen per model:
// unordered (a multiset: any message may overtake another), per-link FIFO, or duplicating (delivery keeps it).
#pragma once

#include "mc/actor/describe.hpp"
#include "mc/core/reflect.hpp"

#include <boost/container/flat_map.hpp>
#include <boost/container/flat_set.hpp>
#include <boost/container/small_vector.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <compare>
#include <cstdint>
#include <map>
#include <string_view>
#include <utility>
#include <vector>

namespace mc {

using NodeId = std::uint8_t;

enum class NetworkKind : std::uint8_t {
  unordered,    ///< a multiset of envelopes: reordering; copies collapse into counts
  fifo,         ///< per-link queues: messages between two nodes arrive in send order
  duplicating,  ///< a set of envelopes; delivering a message does not consume it
};

inline std::string_view to_string_view(NetworkKind k) {
  switch (k) {
    case NetworkKind::unordered: return "unordered";
    case NetworkKind::fifo: return "fifo";
    case NetworkKind::duplicating: return "duplicating";
  }
  return "?";
}

template <class Msg>
struct Envelope {
  BOOST_HANA_DEFINE_STRUCT(Envelope, (NodeId, src), (NodeId, dst), (Msg, msg));
  friend bool operator==(const Envelope& a, const Envelope& b) {
    return a.src == b.src && a.dst == b.dst && a.msg == b.msg;
  }
  friend bool operator<(const Envelope& a, const Envelope& b) {
    if (a.src != b.src) return a.src < b.src;
    if (a.dst != b.dst) return a.dst < b.dst;
    return a.msg < b.msg;
  }
  /// `Prepare(rm=2) n3→n0`
  friend std::string describe(const Envelope& e) {
    std::string out = describe_message(e.msg);
    out += fmt::format(" n{}→n{}", e.src, e.dst);
    return out;
  }
};

/// One directed link's queue, for FIFO networks.
using Link = std::pair<NodeId, NodeId>;

/// In-flight messages in canonical form: equal contents encode equally, so equivalent networks are one state.
/// Sorted small-buffer containers: copying a network for a successor allocates nothing while it holds few messages.
template <class Msg>
struct Network {
  using Bag = boost::container::flat_multiset<Envelope<Msg>, std::less<Envelope<Msg>>,
                                              boost::container::small_vector<Envelope<Msg>, 8>>;
  using Queue = boost::container::small_vector<Msg, 4>;
  using Queues = boost::container::flat_map<Link, Queue, std::less<Link>,
                                            boost::container::small_vector<std::pair<Link, Queue>, 4>>;
  BOOST_HANA_DEFINE_STRUCT(Network, (Bag, bag), (Queues, links));

  bool empty() const { return bag.empty() && links.empty(); }
  std::size_t size() const {
    std::size_t n = bag.size();
    for (const auto& [l, q] : links) n += q.size();
    return n;
  }

  /// Messages in flight from `src` to `dst`.
  std::size_t on_link(NodeId src, NodeId dst) const {
    if (auto it = links.find({src, dst}); it != links.end()) return it->second.size();
    return static_cast<std::size_t>(std::count_if(bag.begin(), bag.end(), [&](const Envelope<Msg>& e) {
      return e.src == src && e.dst == dst;
    }));
  }

  /// Puts a message in flight; `capacity` > 0 bounds each link like a finite buffer (a send to a full link is lost).
  void send(NetworkKind kind, Envelope<Msg> e, std::size_t capacity = 0) {
    if (capacity && on_link(e.src, e.dst) >= capacity) return;
    if (kind == NetworkKind::fifo) links[{e.src, e.dst}].push_back(std::move(e.msg));
    else if (kind == NetworkKind::duplicating && bag.count(e)) return;  // a set: a resend is the same message
    else bag.insert(std::move(e));
  }

  /// Where a deliverable message sits: the bag position of its first copy, or its link's position in FIFO mode.
  /// The same slot names the same message in every copy of this network, so a successor edits its copy without
  /// searching for the message again.
  using Slot = std::size_t;

  /// Calls f(envelope, slot) once per distinct deliverable message: each distinct envelope, or each link's head.
  template <class F>
  void for_each_deliverable(NetworkKind kind, F&& f) const {
    if (kind == NetworkKind::fifo) {
      Slot i = 0;
      for (const auto& [link, q] : links) f(Envelope<Msg>{link.first, link.second, q.front()}, i++);
    } else {
      const auto e = bag.begin();
      for (Slot i = 0; i < bag.size();) {
        f(e[i], i);
        const Slot first = i;
        while (++i < bag.size() && e[i] == e[first]) {}  // copies sit together: skip them
      }
    }
  }

  /// Removes one copy of the deliverable message at `slot` (the head of its link in FIFO mode).
  void remove_at(NetworkKind kind, Slot slot) {
    if (kind == NetworkKind::fifo) {
      auto it = links.begin() + static_cast<std::ptrdiff_t>(slot);
      it->second.erase(it->second.begin());
      if (it->second.empty()) links.erase(it);  // canonical: no empty queues
    } else {
      bag.erase(bag.begin() + static_cast<std::ptrdiff_t>(slot));
    }
  }

  /// Adds a second copy next to the deliverable message at `slot` (at the head of its link in FIFO mode).
  void duplicate_at(NetworkKind kind, Slot slot) {
    if (kind == NetworkKind::fifo) {
      auto& q = (links.begin() + static_cast<std::ptrdiff_t>(slot))->second;
      q.insert(q.begin(), q.front());
    } else {
      const auto at = bag.begin() + static_cast<std::ptrdiff_t>(slot);
      bag.insert(at, Envelope<Msg>(*at));  // before its equal: the order stays sorted
    }
  }

  /// Drops every message for which `stale(envelope)` holds.
  template <class Stale>
  void drop_if(Stale&& stale) {
    for (auto it = links.begin(); it != links.end();) {
      auto& q = it->second;
      q.erase(std::remove_if(q.begin(), q.end(), [&](const Msg& m) { return stale(Envelope<Msg>{it->first.first, it->first.second, m}); }),
              q.end());
      it = q.empty() ? links.erase(it) : std::next(it);  // canonical: no empty queues
    }
    // Compacted once, in order (the bag stays sorted), rather than erased one by one.
    auto& kept = bag.tree().get_sequence_ref();
    kept.erase(std::remove_if(kept.begin(), kept.end(), [&](const Envelope<Msg>& e) { return stale(e); }), kept.end());
  }

  /// Drops every message whose link satisfies `cut` (used when a partition starts).
  template <class Cut>
  void drop_links(Cut&& cut) {
    for (auto it = links.begin(); it != links.end();) it = cut(it->first.first, it->first.second) ? links.erase(it) : std::next(it);
    Bag kept;
    for (auto& e : bag)
      if (!cut(e.src, e.dst)) kept.insert(kept.end(), e);
    bag = std::move(kept);
  }
};

}  // namespace mc
