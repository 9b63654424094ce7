// The progress of a check on stderr: on a terminal one line refreshed in place and cut to its width; in a log (CI)
// a timestamped line every few seconds, like TLC's.
#pragma once

#include "mc/explore/options.hpp"

#include <functional>

namespace mc::program {

/// The reporter to set as ExploreOptions::on_progress: `tty` for a terminal, else a line every `every` seconds.
std::function<void(const Progress&)> progress_reporter(bool tty, double every);

}  // namespace mc::program
