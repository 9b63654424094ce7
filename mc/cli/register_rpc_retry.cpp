// Registers the retried non-idempotent RPC with the program.
#include "mc/cli/registry.hpp"
#include "protocols/rpc_retry.hpp"

namespace mc::cli {

ProtocolEntry rpc_retry_protocol() {
  namespace p = protocols::rpc;
  ProtocolEntry e{"rpc-retry", "a client retries a non-idempotent request; the server dedups by idempotency key",
                  "Helland, Idempotence Is Not a Medical Condition (ACM Queue, 2012)",
                  {{"requests", "requests the client issues, one after another", "1", 1, 4, {}},
                   variant_param(p::variant_names)},
                  p::default_faults, {}, {}};
  bind_model(e, [](const Params& params, const FaultBudget& faults) {
    return p::make_model(static_cast<p::Variant>(choice_index(params, "variant", p::variant_names)),
                         static_cast<unsigned>(params.integer("requests")), faults);
  });
  return e;
}

}  // namespace mc::cli
