// Zeroed, cache-line-aligned memory for the explorer's hash tables (on huge pages where it is large), its pages
// faulted in by writes at allocation; a table that grows keeps its pages, and only the new ones are faulted in.
// Left to fault lazily, a lookup that reads a never-written page maps the kernel's shared zero page; the first
// write to it then swaps the mapping, and the kernel must flush the TLB of every other core running the search
// (an interrupt each time: three quarters of the system time of a 2-thread run). Written first, a page faults once.
#pragma once

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <utility>

#include <sys/mman.h>

namespace mc {

class TableMemory {
 public:
  TableMemory() = default;
  TableMemory(TableMemory&& o) noexcept
      : memory_(std::move(o.memory_)), data_(std::exchange(o.data_, nullptr)), span_(std::exchange(o.span_, 0)) {}
  TableMemory& operator=(TableMemory&& o) noexcept {
    memory_ = std::move(o.memory_);
    data_ = std::exchange(o.data_, nullptr);
    span_ = std::exchange(o.span_, 0);
    return *this;
  }

  explicit TableMemory(std::size_t bytes) {
    if (bytes >= huge_page) {
      // Lookups land on random lines of tables of many megabytes: with 4 KiB pages nearly every one also misses the
      // TLB. Mapped on a 2 MiB boundary and advised so, the table gets huge pages where the kernel grants them
      // (THP "madvise", Debian's default); elsewhere the advice is ignored and the table works as before.
      if (!map(bytes, PROT_READ | PROT_WRITE)) throw std::bad_alloc();
      advise_huge();
    } else {
      memory_ = {std::calloc(bytes + line, 1), Release{}};
      if (!memory_) throw std::bad_alloc();
      const auto at = reinterpret_cast<std::uintptr_t>(memory_.get());
      data_ = static_cast<unsigned char*>(memory_.get()) + ((at + line - 1) / line * line - at);
    }
    touch(0, bytes);
  }

  /// Makes the table `bytes` long, from its `old_bytes` (fewer): what they held stays at the start, the rest is zero.
  /// A mapped table's pages are moved by the kernel, not copied, into a mapping as large as the new table, so
  /// growth faults in only the new pages and needs no second table beside the first. Pages new to the process are
  /// dear (the kernel clears each; under a hypervisor that reclaims freed memory each is first faulted in from the
  /// host): making each larger table anew was a tenth of a one-thread TwoPhase search on the development VM.
  void grow(std::size_t old_bytes, std::size_t bytes) {
    if (span_ != 0 && bytes >= huge_page) {
      TableMemory bigger;
      // Both starts are on 2 MiB boundaries, so huge pages move whole.
      if (bigger.map(bytes, PROT_NONE) &&
          mremap(data_, span_, bigger.span_, MREMAP_MAYMOVE | MREMAP_FIXED, bigger.data_) != MAP_FAILED) {
        const std::size_t kept = span_;
        release_around();
        bigger.advise_huge();
        bigger.touch(kept, bytes);
        *this = std::move(bigger);
        return;
      }
    }
    TableMemory bigger(bytes);  // small, or the kernel would not move the pages: copied
    if (old_bytes) std::memcpy(bigger.data_, data_, old_bytes);
    *this = std::move(bigger);
  }

  /// The first byte, aligned to a cache line.
  void* data() const { return data_; }

 private:
  static constexpr std::size_t line = 64, page = 4096, huge_page = std::size_t{2} << 20;
  /// Frees calloc'd memory, or unmaps `mapped` bytes.
  struct Release {
    std::size_t mapped = 0;
    void operator()(void* p) const {
      if (mapped) munmap(p, mapped);
      else std::free(p);
    }
  };

  /// Maps room for `bytes` plus a huge page, so that `data_` can start on a 2 MiB boundary; false when it cannot.
  bool map(std::size_t bytes, int protection) {
    const std::size_t mapped = (bytes + huge_page - 1) / huge_page * huge_page + huge_page;
    void* p = mmap(nullptr, mapped, protection, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return false;
    memory_ = {p, Release{mapped}};
    const auto at = reinterpret_cast<std::uintptr_t>(p);
    data_ = static_cast<unsigned char*>(p) + ((at + huge_page - 1) / huge_page * huge_page - at);
    span_ = (bytes + page - 1) / page * page;
    return true;
  }

  /// Unmaps what is left of the mapping once its table has moved: only the parts before and after the table, as
  /// another thread may already have a mapping where the table was.
  void release_around() {
    auto* base = static_cast<unsigned char*>(memory_.get());
    const std::size_t mapped = memory_.get_deleter().mapped;
    if (data_ > base) munmap(base, static_cast<std::size_t>(data_ - base));
    if (base + mapped > data_ + span_) munmap(data_ + span_, static_cast<std::size_t>(base + mapped - (data_ + span_)));
    (void)memory_.release();
    data_ = nullptr;
    span_ = 0;
  }

  /// Advises huge pages for the span and no more, so that it stays one mapping `grow` can move.
  void advise_huge() {
#ifdef MADV_HUGEPAGE
    madvise(data_, span_, MADV_HUGEPAGE);
#endif
  }

  /// Writes the zero already there in every page of [begin, end), so that each faults now, once.
  void touch(std::size_t begin, std::size_t end) {
    if (begin >= end) return;
    unsigned char* first = data_;
    // A relaxed atomic store of the zero: a write the compiler may not drop.
    const auto write = [first](std::size_t at) { std::atomic_ref<unsigned char>(first[at]).store(0, std::memory_order_relaxed); };
    const auto write_pages = [&](std::size_t b, std::size_t e) {
      for (std::size_t p = b; p < e; ++p) write(p * page);
    };
    const std::size_t from = (begin + page - 1) / page, to = (end + page - 1) / page;
    if (to - from < 1024) write_pages(from, to);
    else tbb::parallel_for(tbb::blocked_range<std::size_t>(from, to, 256), [&](const auto& r) { write_pages(r.begin(), r.end()); });
    write(end - 1);  // the last page, when the block does not start on a page boundary
  }

  std::unique_ptr<void, Release> memory_{nullptr, Release{}};
  unsigned char* data_ = nullptr;
  std::size_t span_ = 0;  ///< mapped tables: the bytes from `data_` rounded up to pages, one mapping (0: calloc'd or none)
};

}  // namespace mc
