// Report files (--json, --junit, --trace, --html): checked when asked for, written whole at the end to a temporary
// beside the target and renamed into place, so a file is never left empty, truncated or half-written.
#pragma once

#include <string>
#include <vector>

namespace mc::program {

/// One output file a command was asked to write. `path` empty: none was asked for.
class OutputFile {
 public:
  OutputFile() = default;
  /// Refuses (UsageError) a path whose folder is missing or not writable, or that names a folder.
  OutputFile(std::string option, std::string path);

  bool wanted() const { return !path_.empty(); }
  const std::string& path() const { return path_; }
  const std::string& option_name() const { return option_; }

  /// Writes `content` to a temporary in the same folder, forces it to disk and renames it over the path; throws
  /// UsageError naming the file and the reason when any step fails (the old file, if any, is then untouched).
  void write(const std::string& content) const;

 private:
  std::string option_, path_;
};

/// Refuses (UsageError) two options naming the same file: one would overwrite the other.
void refuse_same_file(const std::vector<const OutputFile*>& files, const std::string& input = {},
                      const std::string& input_option = {});

}  // namespace mc::program
