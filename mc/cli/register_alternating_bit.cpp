// Adds the alternating-bit protocol to the program.
#include "mc/cli/shipped.hpp"
#include "protocols/alternating_bit.hpp"

namespace mc::cli {

void add_alternating_bit(Program& program) {
  namespace p = protocols::abp;
  program.add("alternating-bit", "sender and receiver over lossy, duplicating FIFO links with retransmission",
              {int_param("messages", "data messages to transfer", 3, 1, 8), variant_param(p::variant_names)},
              [](const Params& params, const FaultBudget& faults) {
                const auto messages = static_cast<unsigned>(params.integer("messages"));
                auto m = p::make_model(static_cast<p::Variant>(choice_index(params, "variant", p::variant_names)),
                                       messages, faults);
                p::add_liveness(m, messages);
                return m;
              },
              {"Bartlett, Scantlebury & Wilkinson, CACM 12(5), 1969", p::default_faults});
}

}  // namespace mc::cli
