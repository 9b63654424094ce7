// Adds Lamport's live hour clock to the program.
#include "mc/cli/shipped.hpp"
#include "protocols/hour_clock.hpp"

namespace mc::cli {

void add_hour_clock(Program& program) {
  program.add("live-hour-clock", "Lamport's hour clock with WF_hr(HCnxt): every hour recurs forever (liveness)",
              {choice_param("fairness", "liveness: WF_hr(HCnxt) as in LSpec, or none (HC alone)", {"weak", "none"})},
              [](const Params& params, const FaultBudget&) {
                protocols::HourClock c;
                c.weak_fairness = params.text("fairness") == "weak";
                return c;
              },
              {"tlaplus/Examples specifications/SpecifyingSystems/Liveness/LiveHourClock.tla"});
}

}  // namespace mc::cli
