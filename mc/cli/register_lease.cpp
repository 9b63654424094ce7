// Adds the time-based lease (clocks with drift, skew and wall-clock jumps) to the program.
#include "mc/cli/shipped.hpp"
#include "protocols/lease.hpp"

namespace mc::cli {

void add_lease(Program& program) {
  namespace p = protocols::lease;
  program.add("lease", "a lock service grants time-based leases; clocks drift, stray and jump",
              {int_param("clients", "clients competing for the lease", 2, 2, 4),
               int_param("lease", "lease duration in ticks", 4, 1, 20),
               int_param("drift", "clock drift: per true tick a clock advances 1-drift..1+drift ticks", 1, 0, 2),
               int_param("skew", "how far a monotonic clock may stray from true time, in ticks", 1, 0, 5),
               int_param("max_jump", "how far one clock-jump fault steps a wall clock, in ticks", 2, 1, 5),
               int_param("attempts", "lease requests per client; 0: until granted, again after each lease (liveness)",
                         1, 0, 3),
               choice_param("delay", "message delay: any, or bounded (delivered or lost before time advances)",
                            {std::begin(p::delay_names), std::end(p::delay_names)}),
               variant_param(p::variant_names)},
              [](const Params& params, const FaultBudget& faults) {
                p::Params q;
                q.variant = static_cast<p::Variant>(choice_index(params, "variant", p::variant_names));
                q.clients = static_cast<int>(params.integer("clients"));
                q.lease = static_cast<int>(params.integer("lease"));
                q.drift = static_cast<int>(params.integer("drift"));
                q.skew = static_cast<int>(params.integer("skew"));
                q.max_jump = static_cast<int>(params.integer("max_jump"));
                q.attempts = static_cast<int>(params.integer("attempts"));
                q.delay = static_cast<p::Delay>(choice_index(params, "delay", p::delay_names));
                if (q.variant == p::Variant::margin && q.lease <= 2 * q.skew)
                  throw UsageError("lease: the margin design needs lease > 2*skew (raise --param lease)");
                return p::make_model(q, faults);
              },
              {"Gray & Cheriton, Leases (SOSP 1989); Kleppmann, DDIA ch. 8", p::default_faults});
}

}  // namespace mc::cli
