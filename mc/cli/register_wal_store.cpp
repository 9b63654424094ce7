// Adds the write-ahead-logged key-value store (storage faults) to the program.
#include "mc/cli/shipped.hpp"
#include "protocols/wal_store.hpp"

namespace mc::cli {

void add_wal_store(Program& program) {
  namespace p = protocols::wal;
  program.add("wal-store", "a key-value store that acknowledges writes after its log is fsynced, on a lying disk",
              {int_param("clients", "clients, each writing its own key", 2, 1, 3),
               int_param("writes", "writes each client makes (values 1, 2, ...)", 2, 1, 3),
               int_param("unsynced", "appends that may wait for fsync on one node", 3, 1, 8),
               choice_param("reorder", "does a crash keep any subset of the unsynced appends (not only a prefix)?",
                            {"no", "yes"}),
               variant_param(p::variant_names)},
              [](const Params& params, const FaultBudget& faults) {
                return p::make_model(static_cast<p::Variant>(choice_index(params, "variant", p::variant_names)),
                                     static_cast<unsigned>(params.integer("clients")),
                                     static_cast<unsigned>(params.integer("writes")), faults,
                                     {static_cast<unsigned>(params.integer("unsynced")),
                                      params.text("reorder") == "yes"});
              },
              {"Pillai et al., All File Systems Are Not Created Equal (OSDI 2014)", p::default_faults});
}

}  // namespace mc::cli
