// Must not compile, and the first error must say what to add: a std::variant message whose alternative has no <=>.
#include "mc/actor/actor_model.hpp"

#include <variant>

struct Ping {
  BOOST_HANA_DEFINE_STRUCT(Ping, (int, n));  // no operator<=>: messages could not be kept in a canonical order
};
struct Pong {
  BOOST_HANA_DEFINE_STRUCT(Pong, (int, n));
  auto operator<=>(const Pong&) const = default;
};
struct Vocabulary {
  using Msg = std::variant<Ping, Pong>;
};
struct Node {
  struct State {
    BOOST_HANA_DEFINE_STRUCT(State, (int, seen));
  };
  template <class Out>
  State on_start(mc::NodeId, Out&) const {
    return {};
  }
  template <class Out>
  void on_message(mc::NodeId, State&, mc::NodeId, const Vocabulary::Msg&, Out&) const {}
};
int main() {
  mc::ActorModel<Vocabulary, Node> m;
  m.add(Node{});
  return static_cast<int>(m.size());
}
