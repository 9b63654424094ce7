// Process memory readings for limits and reports (Linux /proc and getrusage).
#pragma once

#include <cstdint>
#include <cstdio>
#include <sys/resource.h>
#include <unistd.h>

namespace mc {

/// Bytes resident now.
inline std::uint64_t resident_bytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (!f) return 0;
  unsigned long long size = 0, resident = 0;
  const int n = std::fscanf(f, "%llu %llu", &size, &resident);
  std::fclose(f);
  return n == 2 ? resident * static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE)) : 0;
}

/// Peak bytes resident over the life of the process.
inline std::uint64_t peak_resident_bytes() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<std::uint64_t>(u.ru_maxrss) * 1024;
}

}  // namespace mc
