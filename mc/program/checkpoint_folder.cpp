// Locking and vetting of checkpoint folders.
#include "mc/program/checkpoint_folder.hpp"

#include "mc/explore/checkpoint.hpp"
#include "mc/program/params.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mc::program {

namespace fs = std::filesystem;

namespace {

constexpr const char* lock_name = "lock";

/// A file a checkpoint (or its lock, or a write aside of one of its parts) consists of.
bool checkpoint_part(const std::string& name) {
  return name == checkpoint_files::manifest || name == checkpoint_files::parent_log || name == lock_name ||
         name.starts_with("frontier-") || name.ends_with(".tmp");
}

}  // namespace

CheckpointFolder::CheckpointFolder(const std::string& dir, bool resume, bool overwrite) {
  const char* option = resume ? "--resume" : "--checkpoint";
  std::error_code ec;
  if (!resume) fs::create_directories(dir, ec);
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    if (resume) throw UsageError(fmt::format("--resume: no checkpoint in '{}' (no such folder)", dir));
    throw UsageError(fmt::format("--checkpoint: '{}' is not a folder and cannot be made one", dir));
  }
  bool foreign = false, checkpoint = false;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (!checkpoint_part(name)) foreign = true;
    if (name == checkpoint_files::manifest) checkpoint = true;
  }
  if (ec) throw UsageError(fmt::format("{}: cannot read the folder '{}': {}", option, dir, ec.message()));
  if (foreign)
    throw UsageError(fmt::format("{}: '{}' holds files that are not a checkpoint's: give an empty or new folder",
                                 option, dir));
  // Lock before anything is read or truncated: a second process must never touch a folder in use.
  const fs::path lock = fs::path(dir) / lock_name;
  lock_fd_ = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0644);
  if (lock_fd_ < 0 || !regular_file(lock))
    throw UsageError(fmt::format("{}: cannot write in '{}': {}", option, dir, std::strerror(errno ? errno : EPERM)));
  if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    char pid[32] = {};
    const ssize_t n = ::pread(lock_fd_, pid, sizeof pid - 1, 0);
    ::close(lock_fd_);
    lock_fd_ = -1;
    throw UsageError(fmt::format("{}: '{}' is in use by pid {}", option, dir,
                                 n > 0 ? std::string(pid, static_cast<std::size_t>(n)) : std::string("(unknown)")));
  }
  const std::string me = std::to_string(::getpid());
  if (::ftruncate(lock_fd_, 0) != 0 || ::pwrite(lock_fd_, me.data(), me.size(), 0) != static_cast<ssize_t>(me.size()))
    throw UsageError(fmt::format("{}: cannot write in '{}': {}", option, dir, std::strerror(errno)));
  if (resume) {
    for (const char* part : {checkpoint_files::manifest, checkpoint_files::parent_log})
      if (!regular_file(fs::path(dir) / part))
        throw UsageError(fmt::format("--resume: no checkpoint in '{}' (no regular file '{}')", dir, part));
  } else if (checkpoint && !overwrite) {
    throw UsageError(fmt::format("--checkpoint: '{}' holds a checkpoint: continue it with --resume {}, or start over "
                                 "with --overwrite-checkpoint",
                                 dir, dir));
  }
}

CheckpointFolder::~CheckpointFolder() {
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

CheckpointFolder::CheckpointFolder(CheckpointFolder&& other) noexcept : lock_fd_(other.lock_fd_) { other.lock_fd_ = -1; }

CheckpointFolder& CheckpointFolder::operator=(CheckpointFolder&& other) noexcept {
  if (this != &other) {
    if (lock_fd_ >= 0) ::close(lock_fd_);
    lock_fd_ = other.lock_fd_;
    other.lock_fd_ = -1;
  }
  return *this;
}

}  // namespace mc::program
