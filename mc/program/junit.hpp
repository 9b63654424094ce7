// JUnit XML for CI systems: one test suite per check, one test case per property.
// A violated invariant or an unreachable goal is a <failure> holding the shortest trace; an undecided one an <error>.
#pragma once

#include "mc/program/report.hpp"

#include <string>

namespace mc::program {

std::string report_to_junit(const Report& r);

}  // namespace mc::program
