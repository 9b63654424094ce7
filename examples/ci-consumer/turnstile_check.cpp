// A coin-operated turnstile written against the installed framework: two visitors, each inserts a coin then pushes.
// Exits 0 when every property holds and the state count is the hand-counted 9 (3 phases per visitor, squared).
#include <mc/check.hpp>

#include <cstdio>

namespace {

enum class Phase : std::uint8_t { outside, paid, through };

struct Turnstile {
  struct State {
    BOOST_HANA_DEFINE_STRUCT(State, (std::array<Phase, 2>, visitor), (std::uint8_t, coins));
  };
  struct Action {
    int visitor;
  };

  template <class Emit>
  void init(Emit&& emit) const {
    emit(State{});
  }
  template <class Emit>
  void next(const State& s, Emit&& emit) const {
    for (int v = 0; v < 2; ++v) {
      State t = s;
      if (s.visitor[v] == Phase::outside) {
        t.visitor[v] = Phase::paid;
        ++t.coins;
      } else if (s.visitor[v] == Phase::paid) {
        t.visitor[v] = Phase::through;
      } else {
        continue;
      }
      emit(Action{v}, t);
    }
  }
  std::vector<mc::Property<State>> properties() const {
    return {mc::always<State>("OneCoinPerVisitor", [](const State& s) {
              int paid = 0;
              for (Phase p : s.visitor) paid += p != Phase::outside;
              return s.coins == paid;
            }),
            mc::sometimes<State>("EveryoneThrough", [](const State& s) {
              return s.visitor[0] == Phase::through && s.visitor[1] == Phase::through;
            })};
  }
};

}  // namespace

int main() {
  const auto result = mc::check(Turnstile{});
  std::printf("%llu distinct states\n", static_cast<unsigned long long>(result.stats.distinct));
  return result.ok() && result.stats.distinct == 9 ? 0 : 1;
}
