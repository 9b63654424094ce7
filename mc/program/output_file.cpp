// Checked, atomic writing of report files.
#include "mc/program/output_file.hpp"

#include "mc/program/params.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

namespace mc::program {

namespace fs = std::filesystem;

namespace {

fs::path folder_of(const std::string& path) {
  const fs::path parent = fs::path(path).parent_path();
  return parent.empty() ? fs::path(".") : parent;
}

// The temporary beside the target keeps a bounded part of its name, so that any name the folder accepts works.
fs::path temporary_for(const std::string& path) {
  const std::string name = fs::path(path).filename().string();
  return folder_of(path) / fmt::format(".{}.tmp-{}", name.substr(0, 160), ::getpid());
}

}  // namespace

OutputFile::OutputFile(std::string option, std::string path) : option_(std::move(option)), path_(std::move(path)) {
  if (path_.empty()) return;
  struct stat st {};
  if (::stat(path_.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
    throw UsageError(fmt::format("{}: '{}' is a folder, not a file", option_, path_));
  const fs::path folder = folder_of(path_);
  if (::stat(folder.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    throw UsageError(fmt::format("{}: cannot write '{}': no folder '{}'", option_, path_, folder.string()));
  if (::access(folder.c_str(), W_OK) != 0)
    throw UsageError(fmt::format("{}: cannot write '{}': {}", option_, path_, std::strerror(errno)));
  // Whatever else the folder refuses (a name too long, a read-only disk) is found now by creating the temporary,
  // before the run, not after it has printed its report.
  const long name_max = ::pathconf(folder.c_str(), _PC_NAME_MAX);
  if (name_max > 0 && fs::path(path_).filename().string().size() > static_cast<std::size_t>(name_max))
    throw UsageError(fmt::format("{}: cannot write '{}': {}", option_, path_, std::strerror(ENAMETOOLONG)));
  const fs::path temp = temporary_for(path_);
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) throw UsageError(fmt::format("{}: cannot write '{}': {}", option_, path_, std::strerror(errno)));
  ::close(fd);
  ::unlink(temp.c_str());
}

void OutputFile::write(const std::string& content) const {
  if (path_.empty()) return;
  const fs::path target(path_);
  const fs::path temp = temporary_for(path_);
  const auto fail = [&](const char* what) {
    const int error = errno;
    ::unlink(temp.c_str());
    throw UsageError(fmt::format("{}: cannot write '{}' ({}: {})", option_, path_, what, std::strerror(error)));
  };
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) fail("create");
  for (std::size_t done = 0; done < content.size();) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      fail("write");
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    ::close(fd);
    fail("sync");
  }
  if (::close(fd) != 0) fail("close");
  if (::rename(temp.c_str(), target.c_str()) != 0) fail("rename");
}

void refuse_same_file(const std::vector<const OutputFile*>& files, const std::string& input,
                      const std::string& input_option) {
  const auto key = [](const std::string& p) {
    std::error_code ec;
    const fs::path c = fs::weakly_canonical(fs::absolute(p), ec);
    return ec ? fs::absolute(p).lexically_normal().string() : c.string();
  };
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (!files[i]->wanted()) continue;
    if (!input.empty() && key(files[i]->path()) == key(input))
      throw UsageError(fmt::format("{} would overwrite the {} it reads ('{}')", files[i]->option_name(),
                                   input_option, input));
    for (std::size_t j = i + 1; j < files.size(); ++j)
      if (files[j]->wanted() && key(files[i]->path()) == key(files[j]->path()))
        throw UsageError(fmt::format("{} and {} name the same file '{}'", files[i]->option_name(),
                                     files[j]->option_name(), files[i]->path()));
  }
}

}  // namespace mc::program
