// The folder `--checkpoint DIR` / `--resume DIR` writes into: locked for the whole run (one process at a time),
// and refused when it holds a user's files, or a checkpoint that `--checkpoint` without `--resume` would wipe.
#pragma once

#include <string>

namespace mc::program {

class CheckpointFolder {
 public:
  CheckpointFolder() = default;
  /// Takes the folder for a fresh run (`resume` false) or a resumed one; throws UsageError naming why it cannot:
  /// another process holds it ("in use by pid N"), it holds files that are not a checkpoint's, it holds a
  /// checkpoint and neither `resume` nor `overwrite` was asked for, or (resuming) it holds no regular manifest.
  CheckpointFolder(const std::string& dir, bool resume, bool overwrite);
  ~CheckpointFolder();
  CheckpointFolder(CheckpointFolder&& other) noexcept;
  CheckpointFolder& operator=(CheckpointFolder&& other) noexcept;

 private:
  int lock_fd_ = -1;  ///< flock'ed while the run lasts; released (closed) when the folder is let go
};

}  // namespace mc::program
