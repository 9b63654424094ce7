// The parameters the replicated-register protocols share: servers, and the clients' workload.
// abd-register, primary-backup and ap-register take them under the same names.
#pragma once

#include "mc/cli/shipped.hpp"
#include "protocols/register_client.hpp"

#include <string>
#include <vector>

namespace mc::cli {

/// `servers` (with the protocol's default and range), then clients, writes, reads and give_ups.
inline std::vector<ParamSpec> register_params(const std::string& servers_help, std::int64_t servers,
                                              std::int64_t min_servers, std::int64_t max_servers,
                                              std::int64_t writes, std::int64_t give_ups) {
  return {int_param("servers", servers_help, servers, min_servers, max_servers),
          int_param("clients", "clients: the first writes, the others read", 2, 2, 3),
          int_param("writes", "writes the first client makes (values 1, 2, ...)", writes, 1, 3),
          int_param("reads", "reads each other client makes", 2, 1, 3),
          int_param("give_ups", "operations each client may give up on (timeout at any moment: indeterminate)",
                    give_ups, 0, 2)};
}

inline protocols::registers::Workload register_workload(const Params& p) {
  protocols::registers::Workload w;
  w.clients = static_cast<unsigned>(p.integer("clients"));
  w.writes = static_cast<unsigned>(p.integer("writes"));
  w.reads = static_cast<unsigned>(p.integer("reads"));
  w.give_ups = static_cast<unsigned>(p.integer("give_ups"));
  return w;
}

/// Adds a register protocol with design variants: `make(variant, servers, workload, faults)` builds its model.
template <class Variant, std::size_t N, class Make>
void add_register_model(Program& program, std::string name, std::string summary, std::vector<ParamSpec> params,
                        const std::string_view (&variants)[N], Make make, ModelInfo info) {
  params.push_back(variant_param(variants));
  program.add(std::move(name), std::move(summary), std::move(params),
              [&variants, make](const Params& p, const FaultBudget& faults) {
                return make(static_cast<Variant>(mc::choice_index(p, "variant", variants)),
                            static_cast<unsigned>(p.integer("servers")), register_workload(p), faults);
              },
              std::move(info));
}

}  // namespace mc::cli
