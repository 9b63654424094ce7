// The protocols the `faultline` program knows: names, parameters, properties, and how to check each one.
// Each protocol registers from its own translation unit so the heavy template instantiations compile in parallel.
#pragma once

#include "mc/cli/params.hpp"
#include "mc/cli/report.hpp"

#include <functional>
#include <string>
#include <vector>

namespace mc::cli {

struct PropertyInfo {
  std::string name;
  std::string kind;
};

struct ProtocolEntry {
  std::string name;
  std::string summary;
  std::string source;  ///< where the model comes from, e.g. the TLA+ spec it transliterates
  std::vector<ParamSpec> params;
  std::function<std::vector<PropertyInfo>(const Params&)> properties;
  std::function<Report(const Params&, const ExploreOptions&)> check;
};

/// Every protocol, sorted by name.
const std::vector<ProtocolEntry>& protocols();

/// The protocol called `name`; throws UsageError naming the known ones.
const ProtocolEntry& find_protocol(const std::string& name);

/// Builds an entry's `properties` and `check` from a function making the model from parameters.
template <class MakeModel>
void bind_model(ProtocolEntry& e, MakeModel make) {
  e.properties = [make](const Params& p) {
    std::vector<PropertyInfo> out;
    for (const auto& prop : make(p).properties())
      out.push_back({prop.name, std::string(to_string_view(prop.kind))});
    return out;
  };
  e.check = [make](const Params& p, const ExploreOptions& o) {
    const auto model = make(p);
    return make_report(check(model, o), o.exact);
  };
}

ProtocolEntry die_hard_protocol();
ProtocolEntry tcommit_protocol();
ProtocolEntry two_phase_protocol();
ProtocolEntry peterson_protocol();

}  // namespace mc::cli
