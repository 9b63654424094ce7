// The README tutorial: two processes increment a shared counter with a non-atomic read-then-write.
// Faultline finds the lost update and prints the shortest interleaving that shows it.
#include "mc/check.hpp"
#include "mc/trace/text.hpp"

#include <fmt/format.h>

#include <array>

struct LostUpdate {
  enum class Pc : std::uint8_t { read, write, done };
  friend std::string_view to_string_view(Pc pc) {
    return pc == Pc::read ? "read" : pc == Pc::write ? "write" : "done";
  }

  struct State {
    BOOST_HANA_DEFINE_STRUCT(State, (int, counter), (std::array<Pc, 2>, pc), (std::array<int, 2>, local));
  };

  struct Action {
    int process;
    Pc step;
    friend std::string describe(const Action& a) {
      return fmt::format("p{} {}", a.process, to_string_view(a.step));
    }
  };

  template <class Emit>
  void init(Emit&& emit) const {
    emit(State{0, {Pc::read, Pc::read}, {0, 0}});
  }

  template <class Emit>
  void next(const State& s, Emit&& emit) const {
    for (int p = 0; p < 2; ++p) {
      State t = s;
      if (s.pc[p] == Pc::read) {
        t.local[p] = s.counter;  // read the shared counter into a local register
        t.pc[p] = Pc::write;
      } else if (s.pc[p] == Pc::write) {
        t.counter = s.local[p] + 1;  // write back the incremented copy
        t.pc[p] = Pc::done;
      } else {
        continue;  // done: no step
      }
      emit(Action{p, s.pc[p]}, t);
    }
  }

  std::vector<mc::Property<State>> properties() const {
    return {
        mc::always<State>("NoLostUpdate",
                          [](const State& s) {
                            const bool finished = s.pc[0] == Pc::done && s.pc[1] == Pc::done;
                            return !finished || s.counter == 2;
                          }),
        mc::sometimes<State>("BothFinish", [](const State& s) { return s.pc[0] == Pc::done && s.pc[1] == Pc::done; }),
    };
  }
};

int main() {
  const auto result = mc::check(LostUpdate{});
  fmt::print("{} distinct states, {} generated, depth {}\n", result.stats.distinct, result.stats.generated,
             result.stats.depth);
  if (const auto* v = result.violation()) fmt::print("{} violated:\n{}", v->name, mc::format_trace(*v->trace));
  return result.ok() ? 0 : 1;
}
