// Records written once and read back whole, kept out of memory in an unlinked temporary file: the parent log's and
// the liveness graph's storage. Where no file can be made, or the disk fills, the records stay in memory instead.
#pragma once

#include <sys/types.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace mc {

/// An unlinked, unbuffered file in $TMPDIR (or /tmp) named after `prefix`: nothing is left behind however the run
/// ends, and when a write fails every earlier record is in the file. Null if none can be made.
inline std::FILE* open_temporary_file(const std::string& prefix) {
  const char* dir = std::getenv("TMPDIR");
  std::string name = std::string(dir && *dir ? dir : "/tmp") + "/" + prefix + "-XXXXXX";
  const int fd = ::mkstemp(name.data());
  if (fd < 0) return nullptr;
  ::unlink(name.c_str());
  std::FILE* f = ::fdopen(fd, "w+b");
  if (!f) ::close(fd);
  else std::setvbuf(f, nullptr, _IONBF, 0);
  return f;
}

struct CloseFile {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

/// 64-bit words appended in blocks and read back in order.
class SpillFile {
 public:
  explicit SpillFile(const std::string& prefix) : file_(open_temporary_file(prefix)) {}

  void append(const std::vector<std::uint64_t>& words) {
    if (words.empty()) return;
    size_ += words.size();
    if (file_ && std::fwrite(words.data(), sizeof(std::uint64_t), words.size(), file_.get()) == words.size()) return;
    if (file_) {  // the temporary directory is full: what was written comes back into memory
      std::clearerr(file_.get());
      std::vector<std::uint64_t> kept = read(0, size_ - words.size());
      file_.reset();
      memory_ = std::move(kept);
    }
    memory_.insert(memory_.end(), words.begin(), words.end());
  }

  std::size_t words() const { return size_; }
  std::size_t bytes() const { return size_ * sizeof(std::uint64_t); }

  /// Calls `f(block)` for consecutive blocks of the words written, in order.
  template <class F>
  void for_each_block(F&& f) const {
    if (!file_) {
      f(memory_);
      return;
    }
    constexpr std::size_t block = std::size_t{1} << 20;
    for (std::size_t done = 0; done < size_; done += block) f(read(done, std::min(block, size_ - done)));
  }

 private:
  std::vector<std::uint64_t> read(std::size_t first, std::size_t n) const {
    std::vector<std::uint64_t> out(n);
    const auto want = static_cast<ssize_t>(n * sizeof(std::uint64_t));
    if (n && ::pread(::fileno(file_.get()), out.data(), n * sizeof(std::uint64_t),
                     static_cast<off_t>(first * sizeof(std::uint64_t))) != want)
      throw std::runtime_error("faultline: cannot read back a temporary file");
    return out;
  }

  std::unique_ptr<std::FILE, CloseFile> file_;
  std::vector<std::uint64_t> memory_;
  std::size_t size_ = 0;
};

}  // namespace mc
