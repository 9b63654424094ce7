// Adds the last-writer-wins register (wall-clock, Lamport and hybrid logical timestamps) to the program.
#include "mc/cli/shipped.hpp"
#include "protocols/lww_register.hpp"

namespace mc::cli {

void add_lww_register(Program& program) {
  namespace p = protocols::lww;
  program.add("lww-register", "two replicas resolve writes by last-writer-wins; is a causally later write ever lost?",
              {int_param("drift", "clock drift: per true tick a clock advances 1-drift..1+drift ticks", 0, 0, 2),
               int_param("skew", "how far a clock may stray from true time, in ticks", 0, 0, 3),
               int_param("max_jump", "how far one clock-jump fault steps a wall clock, in ticks", 2, 1, 4),
               variant_param(p::variant_names)},
              [](const Params& params, const FaultBudget& faults) {
                p::Params q;
                q.variant = static_cast<p::Variant>(choice_index(params, "variant", p::variant_names));
                q.drift = static_cast<int>(params.integer("drift"));
                q.skew = static_cast<int>(params.integer("skew"));
                q.max_jump = static_cast<int>(params.integer("max_jump"));
                return p::make_model(q, faults);
              },
              {"Kulkarni et al., Logical Physical Clocks (OPODIS 2014); Kleppmann, DDIA ch. 8", p::default_faults});
}

}  // namespace mc::cli
