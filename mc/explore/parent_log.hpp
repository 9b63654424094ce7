// The parent link of every state found in fingerprint mode, level by level, kept out of memory in a temporary file
// (as TLC does): the visited set then holds fingerprints only, and a trace is rebuilt by reading the log backwards.
#pragma once

#include "mc/core/fingerprint.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <stdexcept>
#include <vector>

namespace mc {

class ParentLog {
 public:
  struct Record {
    Fingerprint fp;
    Fingerprint parent;
  };

  /// Uses an unlinked temporary file; falls back to memory where no temporary file can be made.
  ParentLog() : file_(std::tmpfile()) {}

  /// Appends the records of `level`; levels are appended in increasing order, a level in any number of calls.
  void append(std::uint64_t level, const Record* records, std::size_t n) {
    while (sections_.size() <= level) sections_.push_back({records_, 0});
    sections_[level].count += n;
    records_ += n;
    if (!file_) {
      memory_.insert(memory_.end(), records, records + n);
      return;
    }
    if (std::fwrite(records, sizeof(Record), n, file_.get()) != n)
      throw std::runtime_error("faultline: cannot write the parent log (temporary directory full?)");
  }

  /// The parent of `fp`, a state first found at `level`; nullopt when no such record exists.
  std::optional<Fingerprint> parent_of(Fingerprint fp, std::uint64_t level) const {
    if (level >= sections_.size()) return std::nullopt;
    const Section& s = sections_[level];
    if (!file_) {
      for (std::size_t i = s.first; i < s.first + s.count; ++i)
        if (memory_[i].fp == fp) return memory_[i].parent;
      return std::nullopt;
    }
    std::fflush(file_.get());
    // pread leaves the stream's write position (the end) alone.
    std::vector<Record> buffer(std::min<std::size_t>(s.count, 1 << 16));
    for (std::size_t done = 0; done < s.count;) {
      const std::size_t n = std::min(buffer.size(), s.count - done);
      const auto want = static_cast<ssize_t>(n * sizeof(Record));
      if (::pread(::fileno(file_.get()), buffer.data(), n * sizeof(Record),
                  static_cast<off_t>((s.first + done) * sizeof(Record))) != want)
        throw std::runtime_error("faultline: cannot read the parent log");
      for (std::size_t i = 0; i < n; ++i)
        if (buffer[i].fp == fp) return buffer[i].parent;
      done += n;
    }
    return std::nullopt;
  }

  /// Bytes of parent links written (on disk, or in memory without a temporary file).
  std::size_t bytes() const { return records_ * sizeof(Record); }
  bool in_memory() const { return !file_; }

 private:
  struct Section {
    std::size_t first = 0, count = 0;
  };
  struct Close {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };
  std::unique_ptr<std::FILE, Close> file_;
  std::vector<Section> sections_;
  std::vector<Record> memory_;
  std::size_t records_ = 0;
};

}  // namespace mc
