// Registers the last-writer-wins register (wall-clock, Lamport and hybrid logical timestamps) with the program.
#include "mc/cli/registry.hpp"
#include "protocols/lww_register.hpp"

namespace mc::cli {

ProtocolEntry lww_register_protocol() {
  namespace p = protocols::lww;
  ProtocolEntry e{"lww-register",
                  "two replicas resolve writes by last-writer-wins; is a causally later write ever lost?",
                  "Kulkarni et al., Logical Physical Clocks (OPODIS 2014); Kleppmann, DDIA ch. 8",
                  {{"drift", "clock drift: per true tick a clock advances 1-drift..1+drift ticks", "0", 0, 2, {}},
                   {"skew", "how far a clock may stray from true time, in ticks", "0", 0, 3, {}},
                   {"max_jump", "how far one clock-jump fault steps a wall clock, in ticks", "2", 1, 4, {}},
                   variant_param(p::variant_names)},
                  p::default_faults, {}, {}};
  bind_model(e, [](const Params& params, const FaultBudget& faults) {
    p::Params q;
    q.variant = static_cast<p::Variant>(choice_index(params, "variant", p::variant_names));
    q.drift = static_cast<int>(params.integer("drift"));
    q.skew = static_cast<int>(params.integer("skew"));
    q.max_jump = static_cast<int>(params.integer("max_jump"));
    return p::make_model(q, faults);
  });
  return e;
}

}  // namespace mc::cli
