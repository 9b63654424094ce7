// Sequential specifications the linearizability checker compares histories against: what one object does when its
// operations run one at a time. Each is deterministic: `run(state, input)` gives the next state and the output.
#pragma once

#include <boost/container/static_vector.hpp>

#include <compare>
#include <concepts>
#include <cstdint>
#include <optional>
#include <utility>

namespace properties {

template <class S>
concept SequentialSpec = requires(const S& spec, const typename S::State& st, const typename S::Input& in) {
  { spec.init() } -> std::same_as<typename S::State>;
  { spec.run(st, in) } -> std::same_as<std::pair<typename S::State, typename S::Output>>;
  requires std::equality_comparable<typename S::Output>;
};

/// A read/write register holding an integer (initially 0). A write's output is 0.
struct RegisterSpec {
  enum class Kind : std::uint8_t { read, write };
  struct Input {
    Kind kind = Kind::read;
    int value = 0;
    auto operator<=>(const Input&) const = default;
  };
  using Output = int;
  using State = int;
  State init() const { return 0; }
  std::pair<State, Output> run(State s, const Input& in) const {
    return in.kind == Kind::read ? std::pair{s, s} : std::pair{in.value, 0};
  }
};

/// A register with compare-and-set: `cas(expected, value)` outputs 1 when it swapped, else 0.
struct CasRegisterSpec {
  enum class Kind : std::uint8_t { read, write, cas };
  struct Input {
    Kind kind = Kind::read;
    int value = 0, expected = 0;
    auto operator<=>(const Input&) const = default;
  };
  using Output = int;
  using State = int;
  State init() const { return 0; }
  std::pair<State, Output> run(State s, const Input& in) const {
    switch (in.kind) {
      case Kind::read: return {s, s};
      case Kind::write: return {in.value, 0};
      case Kind::cas: return s == in.expected ? std::pair{in.value, 1} : std::pair{s, 0};
    }
    return {s, 0};
  }
};

/// A counter: `add(n)` outputs 0, `read` the sum so far.
struct CounterSpec {
  struct Input {
    bool read = true;
    int add = 0;
    auto operator<=>(const Input&) const = default;
  };
  using Output = long;
  using State = long;
  State init() const { return 0; }
  std::pair<State, Output> run(State s, const Input& in) const {
    return in.read ? std::pair{s, s} : std::pair{s + in.add, 0L};
  }
};

/// A FIFO queue of up to 64 integers: `enqueue(v)` outputs 0; `dequeue` the head, or -1 when empty.
struct QueueSpec {
  struct Input {
    bool enqueue = false;
    int value = 0;
    auto operator<=>(const Input&) const = default;
  };
  using Output = int;
  using State = boost::container::static_vector<int, 64>;
  State init() const { return {}; }
  std::pair<State, Output> run(State s, const Input& in) const {
    if (in.enqueue) {
      if (s.size() < s.capacity()) s.push_back(in.value);
      return {std::move(s), 0};
    }
    if (s.empty()) return {std::move(s), -1};
    const int head = s.front();
    s.erase(s.begin());
    return {std::move(s), head};
  }
};

/// A key-value map of registers: its operations on different keys commute, so a history is checked key by key
/// (P-compositionality, Horn & Kroening 2015) with `key_of` and the per-key RegisterSpec.
struct KeyValueSpec {
  struct Input {
    int key = 0;
    RegisterSpec::Input op;
    auto operator<=>(const Input&) const = default;
  };
  using PerKey = RegisterSpec;
  static int key_of(const Input& in) { return in.key; }
  static const RegisterSpec::Input& per_key(const Input& in) { return in.op; }
};

}  // namespace properties
