// Adds the retried non-idempotent RPC to the program.
#include "mc/cli/shipped.hpp"
#include "protocols/rpc_retry.hpp"

namespace mc::cli {

void add_rpc_retry(Program& program) {
  namespace p = protocols::rpc;
  program.add("rpc-retry", "a client retries a non-idempotent request; the server dedups by idempotency key",
              {int_param("requests", "requests the client issues, one after another", 1, 1, 4),
               variant_param(p::variant_names)},
              [](const Params& params, const FaultBudget& faults) {
                auto m = p::make_model(static_cast<p::Variant>(choice_index(params, "variant", p::variant_names)),
                                       static_cast<unsigned>(params.integer("requests")), faults);
                p::add_liveness(m);
                return m;
              },
              {"Helland, Idempotence Is Not a Medical Condition (ACM Queue, 2012)", p::default_faults});
}

}  // namespace mc::cli
