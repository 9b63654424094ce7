// TwoPhase as a user would first write it: the RM states in a boost::container::static_vector instead of
// mc::PackedVector. Same actions (one template, protocols/two_phase.hpp), same state space; explore_bench --natural
// compares the two representations.
#pragma once

#include "protocols/two_phase.hpp"

#include <boost/container/static_vector.hpp>

namespace protocols {

using TwoPhaseNatural = BasicTwoPhase<boost::container::static_vector<RMState, max_rms>>;

}  // namespace protocols
