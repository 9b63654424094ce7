// A node's append-only log on a disk that lies: appends are pending until fsync, and a crash keeps only some of
// the pending ones (a prefix, or any subset where the file system reorders) — the last kept may be torn.
#pragma once

#include "mc/core/reflect.hpp"

#include <boost/container/small_vector.hpp>

#include <cstdint>
#include <stdexcept>

namespace mc {

/// The log of a node whose actor keeps none.
struct NoLog {
  bool operator==(const NoLog&) const = default;
};

/// One record as it lies on disk. A torn record (half written when the node crashed) reads back as zeros — a
/// value-initialised record — with `intact` false: what a per-record checksum tells the reader. A design that
/// stores no checksum cannot tell, and reads the zeros as data.
template <class Record>
struct Stored {
  BOOST_HANA_DEFINE_STRUCT(Stored, (Record, record), (bool, intact));
  bool operator==(const Stored&) const = default;
};

/// The log of one node: what reached the platter (`records`, read back by `on_start` after a restart) and the
/// appends since the last fsync (`unsynced`, which a crash may lose).
template <class Record>
struct Log {
  BOOST_HANA_DEFINE_STRUCT(Log, (boost::container::small_vector<Stored<Record>, 4>, records),
                           (boost::container::small_vector<Record, 4>, unsynced));
  bool operator==(const Log&) const = default;
};

/// How the disks of an actor system lose what was not synced.
struct StorageSpec {
  /// At most this many appends wait for fsync on one node; the next one writes the oldest back first (as a page
  /// cache flushes under pressure). This bound keeps the number of crash outcomes, and the state space, finite.
  unsigned unsynced_limit = 3;
  /// false: a crash keeps a prefix of the unsynced appends (|P|+1 outcomes), as a file system that writes back in
  /// order. true: any subset (2^|P| outcomes), as one that reorders writes without barriers.
  bool reorder = false;

  void validate() const {
    if (unsynced_limit < 1 || unsynced_limit > 8)
      throw std::invalid_argument("storage: unsynced_limit must be in 1..8");
  }
};

/// How many outcomes a crash of a node with `unsynced` pending appends has: a prefix of them (|P|+1), or, where
/// the file system reorders, any subset (2^|P|).
inline unsigned crash_outcomes(std::size_t unsynced, bool reorder) {
  return reorder ? 1u << unsynced : static_cast<unsigned>(unsynced) + 1;
}
/// Which unsynced appends the crash outcome `outcome` keeps: bit i for the i-th pending append (oldest first).
/// Prefix mode gives 0, 1, 11, 111 …; reorder mode every subset.
inline std::uint8_t crash_survival(unsigned outcome, bool reorder) {
  return static_cast<std::uint8_t>(reorder ? outcome : (1u << outcome) - 1);
}

/// Applies one handler's appends (`synced` of which came before its last fsync, or none when it did not call
/// fsync) to `log`: an fsync makes everything pending before it durable.
template <class Record, class Appends>
void apply_appends(Log<Record>& log, Appends& appends, std::size_t synced, bool fsynced, unsigned limit) {
  const auto write_back = [&](Record r) { log.records.push_back(Stored<Record>{std::move(r), true}); };
  std::size_t i = 0;
  if (fsynced) {
    for (auto& r : log.unsynced) write_back(std::move(r));
    log.unsynced.clear();
    for (; i < synced; ++i) write_back(std::move(appends[i]));
  }
  for (; i < appends.size(); ++i) {
    if (log.unsynced.size() == limit) {  // the oldest pending append is written back to make room
      write_back(std::move(log.unsynced.front()));
      log.unsynced.erase(log.unsynced.begin());
    }
    log.unsynced.push_back(std::move(appends[i]));
  }
}

/// A crash: the unsynced appends in `kept` reach the disk in order, the last of them torn if `torn`; the rest are
/// lost.
template <class Record>
void survive_crash(Log<Record>& log, std::uint8_t kept, bool torn) {
  std::size_t last = log.unsynced.size();
  for (std::size_t i = 0; i < log.unsynced.size(); ++i)
    if ((kept >> i) & 1u) last = i;
  for (std::size_t i = 0; i < log.unsynced.size(); ++i) {
    if (!((kept >> i) & 1u)) continue;
    if (torn && i == last) log.records.push_back(Stored<Record>{Record{}, false});
    else log.records.push_back(Stored<Record>{std::move(log.unsynced[i]), true});
  }
  log.unsynced.clear();
}

}  // namespace mc
