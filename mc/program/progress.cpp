// Progress lines.
#include "mc/program/progress.hpp"

#include "mc/explore/memory.hpp"
#include "mc/program/console.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <ctime>
#include <memory>
#include <string>
#include <sys/ioctl.h>
#include <unistd.h>

namespace mc::program {

std::function<void(const Progress&)> progress_reporter(bool tty, double every) {
  auto last = std::make_shared<double>(0);
  return [tty, every, last](const Progress& p) {
    const double mib = static_cast<double>(resident_bytes()) / (1 << 20);
    std::string line = fmt::format("depth {}  distinct {}  generated {}  queue {}  {:.0f} states/s  {:.0f} s  {:.0f} MiB",
                                   p.depth, with_commas(p.distinct), with_commas(p.generated), with_commas(p.queue),
                                   p.states_per_second, p.seconds, mib);
    if (tty) {
      winsize w{};
      const std::size_t width = ::ioctl(STDERR_FILENO, TIOCGWINSZ, &w) == 0 && w.ws_col > 1 ? w.ws_col - 1 : 79;
      if (line.size() > width) line.resize(width);
      say_err("\r{}\033[K", line);
      std::fflush(stderr);
      return;
    }
    if (p.seconds - *last < every) return;
    *last = p.seconds;
    char stamp[32] = "";
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    if (::localtime_r(&now, &local)) std::strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &local);
    say_err("{} progress: {}\n", stamp, line);
    std::fflush(stderr);
  };
}

}  // namespace mc::program
