// Seeded fault schedules: splitmix64 draws, so a seed means the same schedule on every platform.
#include "mc/run/fault_schedule.hpp"

#include "mc/core/splitmix.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace mc::run {

namespace {
std::string seconds(std::chrono::milliseconds t) {
  return fmt::format("{:.2f} s", static_cast<double>(t.count()) / 1000);
}

bool listed(const std::vector<FaultSchedule::SendFault>& faults, std::size_t node, std::size_t send) {
  return std::any_of(faults.begin(), faults.end(), [&](const auto& f) { return f.node == node && f.send == send; });
}
}  // namespace

bool FaultSchedule::loses(std::size_t node, std::size_t send) const { return listed(losses, node, send); }
bool FaultSchedule::duplicates_send(std::size_t node, std::size_t send) const { return listed(duplicates, node, send); }

std::vector<std::string> FaultSchedule::describe() const {
  std::vector<std::string> out;
  for (const auto& f : losses) out.push_back(fmt::format("n{}'s send {} lost", f.node, f.send + 1));
  for (const auto& f : duplicates) out.push_back(fmt::format("n{}'s send {} duplicated", f.node, f.send + 1));
  for (const auto& f : crashes) out.push_back(fmt::format("crash n{} at {}", f.node, seconds(f.at)));
  for (const auto& f : restarts) out.push_back(fmt::format("restart n{} at {}", f.node, seconds(f.at)));
  for (const auto& p : partitions) {
    std::string side;
    for (auto n : p.side) side += fmt::format("{}n{}", side.empty() ? "" : ",", n);
    out.push_back(fmt::format("partition {{{}}} at {}, heal at {}", side, seconds(p.at), seconds(p.heal_at)));
  }
  return out;
}

FaultSchedule draw_schedule(const FaultBudget& budget, std::size_t nodes, std::chrono::milliseconds duration,
                            std::uint64_t seed, std::size_t sends_window) {
  FaultSchedule s;
  SplitMix64 d{seed * 0x2545f4914f6cdd1dull + 1};
  const auto send_fault = [&](std::vector<FaultSchedule::SendFault>& into) {
    for (int tries = 0; tries < 100; ++tries) {  // distinct sends: one fault of a kind per send
      FaultSchedule::SendFault f{d.below(nodes), d.below(sends_window)};
      if (!listed(into, f.node, f.send)) return into.push_back(f);
    }
  };
  for (unsigned i = 0; i < budget.loss; ++i) send_fault(s.losses);
  for (unsigned i = 0; i < budget.dup; ++i) send_fault(s.duplicates);
  const auto span = static_cast<std::uint64_t>(std::max<std::int64_t>(duration.count(), 10));
  const auto at = [&](std::uint64_t lo_percent, std::uint64_t hi_percent) {
    return std::chrono::milliseconds(span * lo_percent / 100 + d.below(span * (hi_percent - lo_percent) / 100 + 1));
  };
  // Faults early in the run, so the system is seen recovering within it.
  for (unsigned i = 0; i < budget.crash; ++i) {
    const std::size_t node = d.below(nodes);
    const auto when = at(5 + 20 * i, 20 + 20 * i);
    s.crashes.push_back({node, when});
    if (i < budget.restart) s.restarts.push_back({node, when + at(5, 15)});
  }
  for (unsigned i = 0; i < budget.partition && nodes >= 2; ++i) {
    FaultSchedule::Split p;
    p.side.push_back(0);
    const std::uint64_t mask = d.below((std::uint64_t{1} << std::min<std::size_t>(nodes - 1, 20)) - 1);
    for (std::size_t n = 1; n < nodes; ++n)
      if ((mask >> (n - 1)) & 1u) p.side.push_back(n);
    p.at = at(10 + 30 * i, 25 + 30 * i);
    p.heal_at = p.at + at(5, 15);
    s.partitions.push_back(p);
  }
  return s;
}

}  // namespace mc::run
