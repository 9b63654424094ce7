// Fairness conditions for liveness checking: named classes of actions that a fair behaviour may not neglect forever.
// Weak (WF): a class enabled without pause from some point on is eventually taken; strong (SF): one enabled again and
// again is taken again and again. As in TLA+, a step that leaves the state unchanged neither enables nor takes a class.
#pragma once

#include "mc/core/model.hpp"
#include "mc/core/splitmix.hpp"

#include <concepts>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace mc {

enum class FairnessKind { weak, strong };

inline std::string_view to_string_view(FairnessKind k) { return k == FairnessKind::weak ? "weak" : "strong"; }

/// One fairness condition. `instance(a)` says whether action `a` belongs to the class and, if so, to which instance
/// of it: a condition over a family of actions (TLA+'s `\A m : WF(Deliver(m))`) gives each member its own number,
/// and each instance is then fair on its own. A condition on a plain predicate has the single instance 0.
template <class Action>
struct Fairness {
  FairnessKind kind;
  std::string name;
  std::function<std::optional<std::uint64_t>(const Action&)> instance;
};

namespace detail {
template <class Action, class Pred>
std::function<std::optional<std::uint64_t>(const Action&)> single_instance(Pred pred) {
  return [pred = std::move(pred)](const Action& a) -> std::optional<std::uint64_t> {
    if (pred(a)) return std::uint64_t{0};
    return std::nullopt;
  };
}
}  // namespace detail

/// WF: the actions satisfying `pred`, as one class.
template <class Action, class Pred>
Fairness<Action> weak_fair(std::string name, Pred pred) {
  return {FairnessKind::weak, std::move(name), detail::single_instance<Action>(std::move(pred))};
}

/// SF: the actions satisfying `pred`, as one class.
template <class Action, class Pred>
Fairness<Action> strong_fair(std::string name, Pred pred) {
  return {FairnessKind::strong, std::move(name), detail::single_instance<Action>(std::move(pred))};
}

/// WF for each instance `instance(a)` names (nullopt: not in the family), e.g. one per process.
template <class Action, class Instance>
Fairness<Action> weak_fair_each(std::string name, Instance instance) {
  return {FairnessKind::weak, std::move(name), std::move(instance)};
}

/// SF for each instance `instance(a)` names.
template <class Action, class Instance>
Fairness<Action> strong_fair_each(std::string name, Instance instance) {
  return {FairnessKind::strong, std::move(name), std::move(instance)};
}

/// A model that declares fairness. Without a declaration a behaviour may stop (stutter) anywhere, as a TLA+ spec
/// without WF or SF: then `eventually p` fails in any state where p does not hold yet.
template <class M>
concept FairModel = Model<M> && requires(const M& m) {
  { m.fairness() } -> std::convertible_to<std::vector<Fairness<typename M::Action>>>;
};

template <Model M>
std::vector<Fairness<typename M::Action>> fairness_of(const M& m) {
  if constexpr (FairModel<M>) return m.fairness();
  else return {};
}

/// A class's number: the condition's index in the top 16 bits, the instance mixed into the bits below.
inline std::uint64_t fairness_class(std::size_t condition, std::uint64_t instance) {
  std::uint64_t x = instance * golden_gamma + condition;
  x ^= x >> 31;
  x *= 0xBF58476D1CE4E5B9ull;
  x ^= x >> 29;
  return (x & ~(std::uint64_t{0xFFFF} << 48)) | (static_cast<std::uint64_t>(condition) << 48);
}

inline std::size_t fairness_condition(std::uint64_t cls) { return static_cast<std::size_t>(cls >> 48); }

/// Appends the classes of every condition that `a` belongs to.
template <class Action>
void fairness_classes(const std::vector<Fairness<Action>>& conditions, const Action& a, std::vector<std::uint64_t>& out) {
  for (std::size_t c = 0; c < conditions.size(); ++c)
    if (const auto i = conditions[c].instance(a)) out.push_back(fairness_class(c, *i));
}

}  // namespace mc
