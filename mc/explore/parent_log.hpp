// The parent link of every state found in fingerprint mode, level by level, kept out of memory in a temporary file
// (as TLC does): the visited set then holds fingerprints only, and a trace is rebuilt by reading the log backwards.
#pragma once

#include "mc/core/fingerprint.hpp"
#include "mc/core/splitmix.hpp"
#include "mc/explore/spill_file.hpp"

#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <stdexcept>
#include <vector>

namespace mc {

class ParentLog {
 public:
  /// Uses an unlinked temporary file in $TMPDIR (else /tmp); falls back to memory where none can be made, or when
  /// writing to it fails (a full disk): the records already written are read back and the log goes on in memory. A record is a
  /// state's fingerprint and its parent's (16 bytes), or with `wide` (128-bit) keys fingerprint, extension, parent
  /// fingerprint, parent extension (32 bytes).
  explicit ParentLog(bool wide = false) : file_(temporary_file()), words_(wide ? 4 : 2), temporary_(true) {}

  /// Words of one record.
  std::size_t record_words() const { return words_; }
  std::size_t record_bytes() const { return words_ * sizeof(std::uint64_t); }

  /// Appends one record's words to `out` (a buffer later passed to `append`).
  void pack(std::vector<std::uint64_t>& out, const StateKey& key, const StateKey& parent) const {
    out.push_back(key.fp);
    if (words_ == 4) out.push_back(key.ext);
    out.push_back(parent.fp);
    if (words_ == 4) out.push_back(parent.ext);
  }

  /// Keeps the log in `file` (a checkpoint's), starting empty.
  void create_in(const std::filesystem::path& file) {
    temporary_ = false;
    file_.reset(std::fopen(file.c_str(), "w+b"));
    if (!file_) throw std::runtime_error("faultline: cannot create '" + file.string() + "'");
    sections_.clear();
    memory_.clear();
    records_ = 0;
  }

  /// Continues the log in `file` from a checkpoint that holds `per_level[l]` records of each level l, whose
  /// checksums are `sums[l]`; whatever follows them (records of a level the checkpoint does not cover) is cut off.
  void reopen(const std::filesystem::path& file, const std::vector<std::size_t>& per_level,
              const std::vector<std::uint64_t>& sums) {
    temporary_ = false;
    file_.reset(std::fopen(file.c_str(), "r+b"));
    if (!file_) throw std::runtime_error("faultline: cannot open '" + file.string() + "'");
    sections_.clear();
    memory_.clear();
    records_ = 0;
    for (std::size_t l = 0; l < per_level.size(); ++l) {
      sections_.push_back({records_, per_level[l], l < sums.size() ? sums[l] : 0});
      records_ += per_level[l];
    }
    std::error_code ec;
    if (std::filesystem::file_size(file, ec) < records_ * record_bytes() || ec)
      throw std::runtime_error("faultline: '" + file.string() + "' is shorter than its checkpoint says");
    if (::ftruncate(::fileno(file_.get()), static_cast<off_t>(records_ * record_bytes())) != 0 ||
        std::fseek(file_.get(), 0, SEEK_END) != 0)
      throw std::runtime_error("faultline: cannot truncate '" + file.string() + "'");
    std::vector<std::uint64_t> buffer((1 << 16) * words_);
    for (const Section& section : sections_) {
      std::uint64_t sum = 0;
      for (std::size_t done = 0; done < section.count;) {
        const std::size_t n = std::min(buffer.size() / words_, section.count - done);
        read_records(buffer.data(), section.first + done, n);
        for (std::size_t i = 0; i < n; ++i) sum += checksum(&buffer[i * words_]);
        done += n;
      }
      if (sum != section.sum) throw std::runtime_error("faultline: '" + file.string() + "' is damaged");
    }
  }

  /// Forces the records written so far to the disk (a checkpoint's manifest may only point at durable records).
  void sync() {
    if (!file_) return;
    if (std::fflush(file_.get()) != 0 || ::fsync(::fileno(file_.get())) != 0)
      throw std::runtime_error("faultline: cannot write the parent log to disk");
  }

  /// Calls `f(key)` for every state in the log, in the order written.
  template <class F>
  void for_each_state(F&& f) const {
    if (!file_) {
      for (std::size_t i = 0; i < records_; ++i) f(key_of(&memory_[i * words_]));
      return;
    }
    std::fflush(file_.get());
    std::vector<std::uint64_t> buffer(std::min<std::size_t>(std::max<std::size_t>(records_, 1), 1 << 16) * words_);
    for (std::size_t done = 0; done < records_;) {
      const std::size_t n = std::min(buffer.size() / words_, records_ - done);
      read_records(buffer.data(), done, n);
      for (std::size_t i = 0; i < n; ++i) f(key_of(&buffer[i * words_]));
      done += n;
    }
  }

  /// Records per level, index = level (0 is the empty root level).
  std::vector<std::size_t> records_per_level() const {
    std::vector<std::size_t> counts;
    for (const Section& s : sections_) counts.push_back(s.count);
    return counts;
  }

  /// Per level, the sum of its records' checksums (order-free, so it does not depend on how appends were split).
  std::vector<std::uint64_t> checksums_per_level() const {
    std::vector<std::uint64_t> sums;
    for (const Section& s : sections_) sums.push_back(s.sum);
    return sums;
  }

  std::size_t records() const { return records_; }

  /// Appends the `n` records of `level` held in `words` (see `pack`); levels are appended in increasing order, a
  /// level in any number of calls.
  void append(std::uint64_t level, const std::uint64_t* words, std::size_t n) {
    while (sections_.size() <= level) sections_.push_back({records_, 0});
    sections_[level].count += n;
    for (std::size_t i = 0; i < n; ++i) sections_[level].sum += checksum(words + i * words_);
    records_ += n;
    if (n == 0) return;  // (an empty slice may come with no buffer at all)
    if (!file_) {
      memory_.insert(memory_.end(), words, words + n * words_);
      return;
    }
    if (std::fwrite(words, record_bytes(), n, file_.get()) == n) return;
    if (!temporary_) throw std::runtime_error("faultline: cannot write the parent log (checkpoint disk full?)");
    // The temporary directory is full: keep the records written so far, and the rest, in memory.
    std::vector<std::uint64_t> kept((records_ - n) * words_);
    std::clearerr(file_.get());
    if (!kept.empty()) read_records(kept.data(), 0, records_ - n);
    file_.reset();
    memory_ = std::move(kept);
    memory_.insert(memory_.end(), words, words + n * words_);
  }

  /// The parent of `key`, a state first found at `level`; nullopt when no such record exists.
  std::optional<StateKey> parent_of(const StateKey& key, std::uint64_t level) const {
    if (level >= sections_.size()) return std::nullopt;
    const Section& s = sections_[level];
    const auto parent_in = [&](const std::uint64_t* r) -> std::optional<StateKey> {
      if (key_of(r) != key) return std::nullopt;
      return words_ == 2 ? StateKey{r[1], 0} : StateKey{r[2], r[3]};
    };
    if (!file_) {
      for (std::size_t i = s.first; i < s.first + s.count; ++i)
        if (auto p = parent_in(&memory_[i * words_])) return p;
      return std::nullopt;
    }
    std::fflush(file_.get());
    // pread leaves the stream's write position (the end) alone.
    std::vector<std::uint64_t> buffer(std::min<std::size_t>(s.count, 1 << 16) * words_);
    for (std::size_t done = 0; done < s.count;) {
      const std::size_t n = std::min(buffer.size() / words_, s.count - done);
      read_records(buffer.data(), s.first + done, n);
      for (std::size_t i = 0; i < n; ++i)
        if (auto p = parent_in(&buffer[i * words_])) return p;
      done += n;
    }
    return std::nullopt;
  }

  /// Bytes of parent links written (on disk, or in memory without a temporary file).
  std::size_t bytes() const { return records_ * record_bytes(); }
  bool in_memory() const { return !file_; }

 private:
  StateKey key_of(const std::uint64_t* record) const { return {record[0], words_ == 2 ? 0 : record[1]}; }

  static std::FILE* temporary_file() { return open_temporary_file("faultline-parents"); }

  void read_records(std::uint64_t* out, std::size_t first, std::size_t n) const {
    const auto want = static_cast<ssize_t>(n * record_bytes());
    if (::pread(::fileno(file_.get()), out, n * record_bytes(), static_cast<off_t>(first * record_bytes())) != want)
      throw std::runtime_error("faultline: cannot read the parent log");
  }

  std::uint64_t checksum(const std::uint64_t* r) const {
    std::uint64_t h = r[0] ^ (r[words_ / 2] * golden_gamma);  // murmur3's finaliser
    if (words_ == 4) h ^= r[1] * 0xff51afd7ed558ccdull + r[3];
    h = (h ^ (h >> 33)) * 0xff51afd7ed558ccdull;
    h = (h ^ (h >> 33)) * 0xc4ceb9fe1a85ec53ull;
    return h ^ (h >> 33);
  }

  struct Section {
    std::size_t first = 0, count = 0;
    std::uint64_t sum = 0;
  };
  std::unique_ptr<std::FILE, CloseFile> file_;
  std::size_t words_ = 2;  ///< per record
  std::vector<Section> sections_;
  std::vector<std::uint64_t> memory_;
  std::size_t records_ = 0;
  bool temporary_ = true;  ///< the file is our own unlinked temporary (not a checkpoint's): memory may replace it
};

}  // namespace mc
