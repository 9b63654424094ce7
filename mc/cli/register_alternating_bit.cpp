// Registers the alternating-bit protocol with the program.
#include "mc/cli/registry.hpp"
#include "protocols/alternating_bit.hpp"

namespace mc::cli {

ProtocolEntry alternating_bit_protocol() {
  namespace p = protocols::abp;
  ProtocolEntry e{"alternating-bit", "sender and receiver over lossy, duplicating FIFO links with retransmission",
                  "Bartlett, Scantlebury & Wilkinson, CACM 12(5), 1969",
                  {{"messages", "data messages to transfer", "3", 1, 8, {}}, variant_param(p::variant_names)},
                  p::default_faults, {}, {}};
  bind_model(e, [](const Params& params, const FaultBudget& faults) {
    return p::make_model(static_cast<p::Variant>(choice_index(params, "variant", p::variant_names)),
                         static_cast<unsigned>(params.integer("messages")), faults);
  });
  return e;
}

}  // namespace mc::cli
