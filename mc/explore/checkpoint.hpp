// Checkpoints of a fingerprint-mode search, taken between BFS levels: enough to continue it later and end with the
// counts of an uninterrupted run. The parent log lives in the checkpoint folder and is only ever appended to; a
// frontier file and a manifest, each written aside and renamed into place, say how much of the log is covered.
#pragma once

#include "mc/core/fingerprint.hpp"
#include "mc/core/splitmix.hpp"
#include "mc/explore/frontier.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace mc {

/// A checkpoint folder that cannot be used: missing, damaged, or of another check. The message is for the user.
class CheckpointError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// What a checkpoint records besides the parent log and the frontier.
struct CheckpointManifest {
  static constexpr int format_version = 1;

  /// A property decided before the checkpoint (a `sometimes` witness): its path of keys.
  struct Found {
    std::size_t property = 0;
    std::uint64_t level = 0;
    std::vector<StateKey> path;
  };

  std::string configuration;   ///< what was checked (model, parameters, faults, modes); a resume must match it
  unsigned fingerprint_bits = 64;  ///< of the keys in the parent log, frontier and paths
  std::uint64_t level = 0;     ///< the BFS level of the frontier, the next to expand
  std::uint64_t distinct = 0, generated = 0, depth = 0, max_branching = 1;
  std::vector<std::size_t> records_per_level;  ///< parent-log records of each level up to `level`
  std::vector<std::uint64_t> checksums;        ///< of each level's parent-log records
  std::vector<Found> found;
  std::string frontier_file;   ///< in the folder, beside the manifest
};

namespace checkpoint_files {
inline constexpr const char* manifest = "manifest";
inline constexpr const char* parent_log = "parents.bin";
inline constexpr char frontier_magic[8] = {'F', 'L', 'F', 'R', 'O', 'N', 'T', '1'};
}  // namespace checkpoint_files

/// In a frontier file, the top bit of a state's length: a 128-bit key's extension word follows the length.
inline constexpr std::uint32_t frontier_extended = std::uint32_t{1} << 31;

namespace detail {
struct CloseFile {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, CloseFile>;

/// Writes `file` through a temporary beside it, forced to disk, then renamed over it: readers see old or new, whole.
template <class Write>
void write_atomically(const std::filesystem::path& file, Write&& write) {
  const std::filesystem::path tmp = file.string() + ".tmp";
  {
    File f(std::fopen(tmp.c_str(), "wb"));
    if (!f) throw CheckpointError("cannot write the checkpoint file '" + tmp.string() + "'");
    write(f.get());
    if (std::ferror(f.get()) || std::fflush(f.get()) != 0 || ::fsync(::fileno(f.get())) != 0) {
      f.reset();
      std::error_code ignored;
      std::filesystem::remove(tmp, ignored);  // no half-written part is left behind
      throw CheckpointError("cannot write the checkpoint file '" + tmp.string() + "' (disk full?)");
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, file, ec);
  if (ec) throw CheckpointError("cannot rename '" + tmp.string() + "': " + ec.message());
  // The rename itself must reach the disk before anything that relies on it.
  if (const int dir = ::open(file.parent_path().c_str(), O_RDONLY | O_DIRECTORY); dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

inline void put(std::FILE* f, const void* p, std::size_t n) { std::fwrite(p, 1, n, f); }
}  // namespace detail

/// The frontier's states (fingerprint and bytes), with a trailing fingerprint of the whole to detect damage.
inline void write_frontier(const std::filesystem::path& file, const std::vector<FrontierBlock>& blocks) {
  detail::write_atomically(file, [&](std::FILE* f) {
    std::uint64_t count = 0;
    for (const auto& b : blocks) count += b.size();
    detail::put(f, checkpoint_files::frontier_magic, sizeof checkpoint_files::frontier_magic);
    detail::put(f, &count, sizeof count);
    Fingerprint sum = 0;
    for (const auto& b : blocks)
      for (std::size_t i = 0; i < b.size(); ++i) {
        const StateKey key = b.key(i);
        const std::string_view bytes = b.state(i);
        // As in memory: the length's top bit says a 128-bit key's extension word follows it.
        const auto len = static_cast<std::uint32_t>(bytes.size()) | (key.ext ? frontier_extended : 0);
        detail::put(f, &key.fp, sizeof key.fp);
        detail::put(f, &len, sizeof len);
        if (key.ext) detail::put(f, &key.ext, sizeof key.ext);
        detail::put(f, bytes.data(), bytes.size());
        sum = sum * golden_gamma + key.fp + key.ext;
      }
    detail::put(f, &sum, sizeof sum);
  });
}

/// Reads a frontier file back; every state's fingerprint is checked against its bytes.
/// Whether `file` is a regular file (not a link, folder, FIFO or device): only those are opened, since opening a
/// FIFO blocks until a writer comes, and reading a device may never end.
inline bool regular_file(const std::filesystem::path& file) {
  std::error_code ec;
  return std::filesystem::symlink_status(file, ec).type() == std::filesystem::file_type::regular;
}

inline FrontierBlock read_frontier(const std::filesystem::path& file) {
  if (!regular_file(file)) throw CheckpointError("the checkpoint's frontier file '" + file.string() + "' is missing");
  std::ifstream in(file, std::ios::binary);
  if (!in) throw CheckpointError("the checkpoint's frontier file '" + file.string() + "' is missing");
  const auto damaged = [&] { return CheckpointError("the checkpoint's frontier file '" + file.string() + "' is damaged"); };
  char magic[sizeof checkpoint_files::frontier_magic];
  std::uint64_t count = 0;
  if (!in.read(magic, sizeof magic) || std::string_view(magic, sizeof magic) !=
                                           std::string_view(checkpoint_files::frontier_magic, sizeof magic) ||
      !in.read(reinterpret_cast<char*>(&count), sizeof count))
    throw damaged();
  FrontierBlock block;
  std::vector<std::uint8_t> bytes;
  Fingerprint sum = 0;
  for (std::uint64_t i = 0; i < count; ++i) {
    StateKey key;
    std::uint32_t len;
    if (!in.read(reinterpret_cast<char*>(&key.fp), sizeof key.fp) ||
        !in.read(reinterpret_cast<char*>(&len), sizeof len))
      throw damaged();
    const bool wide = len & frontier_extended;
    len &= ~frontier_extended;
    if (len > (1u << 30) || (wide && !in.read(reinterpret_cast<char*>(&key.ext), sizeof key.ext))) throw damaged();
    bytes.resize(len);
    if (!in.read(reinterpret_cast<char*>(bytes.data()), len) || state_key(bytes.data(), len, wide) != key)
      throw damaged();
    block.push(key, bytes.data(), len);
    sum = sum * golden_gamma + key.fp + key.ext;
  }
  Fingerprint stored;
  if (!in.read(reinterpret_cast<char*>(&stored), sizeof stored) || stored != sum || in.peek() != EOF) throw damaged();
  return block;
}

/// The manifest as lines of `key value…`, so a person can read what a checkpoint holds.
inline void write_manifest(const std::filesystem::path& dir, const CheckpointManifest& m) {
  std::ostringstream out;
  out << "faultline-checkpoint " << CheckpointManifest::format_version << "\n"
      << "configuration " << m.configuration << "\n";
  if (m.fingerprint_bits != 64) out << "fingerprint_bits " << m.fingerprint_bits << "\n";
  out << "level " << m.level << "\n"
      << "distinct " << m.distinct << "\n"
      << "generated " << m.generated << "\n"
      << "depth " << m.depth << "\n"
      << "max_branching " << m.max_branching << "\n"
      << "frontier " << m.frontier_file << "\n"
      << "records";
  for (std::size_t n : m.records_per_level) out << ' ' << n;
  out << "\nchecksums";
  for (std::uint64_t n : m.checksums) out << ' ' << n;
  out << "\n";
  for (const auto& f : m.found) {
    out << "found " << f.property << ' ' << f.level;
    for (const StateKey& k : f.path) {
      out << ' ' << k.fp;
      if (k.ext) out << ':' << k.ext;
    }
    out << "\n";
  }
  std::string text = out.str();
  text += "check " + std::to_string(fingerprint_bytes(reinterpret_cast<const std::uint8_t*>(text.data()), text.size())) + "\n";
  detail::write_atomically(dir / checkpoint_files::manifest, [&](std::FILE* f) { detail::put(f, text.data(), text.size()); });
}

inline CheckpointManifest read_manifest(const std::filesystem::path& dir) {
  const std::filesystem::path file = dir / checkpoint_files::manifest;
  if (!regular_file(file))
    throw CheckpointError("no checkpoint in '" + dir.string() + "' (no regular file " + file.filename().string() + ")");
  std::ifstream in(file);
  if (!in) throw CheckpointError("no checkpoint in '" + dir.string() + "' (missing " + file.filename().string() + ")");
  CheckpointManifest m;
  std::string line, key, text;
  int version = 0, line_no = 0;
  bool have_level = false, have_frontier = false, checked = false;
  while (std::getline(in, line)) {
    if (checked) throw CheckpointError("'" + file.string() + "' has lines after its check line");
    ++line_no;
    std::istringstream fields(line);
    key.clear();
    fields >> key;
    const auto bad = [&] {
      return CheckpointError("'" + file.string() + "' line " + std::to_string(line_no) + " is malformed");
    };
    if (line_no == 1) {
      if (key != "faultline-checkpoint" || !(fields >> version)) throw bad();
      if (version != CheckpointManifest::format_version)
        throw CheckpointError("'" + file.string() + "' is of checkpoint format " + std::to_string(version) +
                              "; this faultline reads format " + std::to_string(CheckpointManifest::format_version));
      text += line + "\n";
      continue;
    }
    if (key == "configuration") {
      std::getline(fields >> std::ws, m.configuration);
    } else if (key == "fingerprint_bits") {
      if (!(fields >> m.fingerprint_bits) || m.fingerprint_bits != 128) throw bad();
    } else if (key == "level") {
      have_level = static_cast<bool>(fields >> m.level);
      if (!have_level) throw bad();
    } else if (key == "distinct" || key == "generated" || key == "depth" || key == "max_branching") {
      std::uint64_t& v = key == "distinct" ? m.distinct : key == "generated" ? m.generated
                         : key == "depth"  ? m.depth    : m.max_branching;
      if (!(fields >> v)) throw bad();
    } else if (key == "frontier") {
      have_frontier = static_cast<bool>(fields >> m.frontier_file);
      if (!have_frontier || m.frontier_file.find('/') != std::string::npos) throw bad();
    } else if (key == "check") {
      Fingerprint sum = 0;
      if (!(fields >> sum)) throw bad();
      if (sum != fingerprint_bytes(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()))
        throw CheckpointError("'" + file.string() + "' is damaged (its check line does not match)");
      checked = true;
    } else if (key == "checksums") {
      for (std::uint64_t n; fields >> n;) m.checksums.push_back(n);
    } else if (key == "records") {
      for (std::size_t n; fields >> n;) m.records_per_level.push_back(n);
    } else if (key == "found") {
      CheckpointManifest::Found f;
      if (!(fields >> f.property >> f.level)) throw bad();
      for (std::string word; fields >> word;) {
        StateKey k;
        char colon = 0;
        std::istringstream parts(word);
        if (!(parts >> k.fp) || (parts >> colon && (colon != ':' || !(parts >> k.ext))) || !parts.eof()) throw bad();
        f.path.push_back(k);
      }
      m.found.push_back(std::move(f));
    } else {
      throw bad();
    }
    if (!fields.eof() && key != "configuration") throw bad();
    text += line + "\n";
  }
  if (!checked) throw CheckpointError("'" + file.string() + "' is incomplete (no check line)");
  if (version == 0 || !have_level || !have_frontier || m.records_per_level.size() != m.level + 1 ||
      m.checksums.size() != m.records_per_level.size())
    throw CheckpointError("'" + file.string() + "' is incomplete");
  std::size_t total = 0;
  for (std::size_t n : m.records_per_level) total += n;
  if (total != m.distinct) throw CheckpointError("'" + file.string() + "' is inconsistent (records vs distinct states)");
  return m;
}

}  // namespace mc
