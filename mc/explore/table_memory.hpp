// Zeroed, cache-line-aligned memory for the explorer's hash tables (on huge pages where it is large), its pages
// faulted in by writes at allocation.
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
#include <memory>
#include <new>

#include <sys/mman.h>

namespace mc {

class TableMemory {
 public:
  TableMemory() = default;

  explicit TableMemory(std::size_t bytes) {
    unsigned char* first = nullptr;
    if (bytes >= huge_page) {
      // Lookups land on random lines of tables of many megabytes: with 4 KiB pages nearly every one also misses the
      // TLB. Mapped on a 2 MiB boundary and advised so, the table gets huge pages where the kernel grants them
      // (THP "madvise", Debian's default); elsewhere the advice is ignored and the table works as before.
      const std::size_t mapped = (bytes + huge_page - 1) / huge_page * huge_page + huge_page;
      void* p = mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (p == MAP_FAILED) throw std::bad_alloc();
      memory_ = {p, Release{mapped}};
      const auto at = reinterpret_cast<std::uintptr_t>(p);
      first = static_cast<unsigned char*>(p) + ((at + huge_page - 1) / huge_page * huge_page - at);
#ifdef MADV_HUGEPAGE
      madvise(first, bytes, MADV_HUGEPAGE);
#endif
    } else {
      memory_ = {std::calloc(bytes + line, 1), Release{}};
      if (!memory_) throw std::bad_alloc();
      const auto at = reinterpret_cast<std::uintptr_t>(memory_.get());
      first = static_cast<unsigned char*>(memory_.get()) + ((at + line - 1) / line * line - at);
    }
    data_ = first;
    if (bytes == 0) return;
    const std::size_t pages = (bytes + page - 1) / page;
    // A relaxed atomic store of the zero already there: a write the compiler may not drop.
    const auto touch = [first](std::size_t at) { std::atomic_ref<unsigned char>(first[at]).store(0, std::memory_order_relaxed); };
    const auto touch_pages = [&](std::size_t begin, std::size_t end) {
      for (std::size_t p = begin; p < end; ++p) touch(p * page);
    };
    if (pages < 1024) touch_pages(0, pages);
    else tbb::parallel_for(tbb::blocked_range<std::size_t>(0, pages, 256), [&](const auto& r) { touch_pages(r.begin(), r.end()); });
    touch(bytes - 1);  // the last page, when the block does not start on a page boundary
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
  std::unique_ptr<void, Release> memory_{nullptr, Release{}};
  void* data_ = nullptr;
};

}  // namespace mc
