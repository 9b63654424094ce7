// Zeroed, cache-line-aligned memory for the explorer's hash tables, its pages faulted in by writes at allocation.
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

namespace mc {

class TableMemory {
 public:
  TableMemory() = default;

  explicit TableMemory(std::size_t bytes) : memory_(std::calloc(bytes + line, 1)) {
    if (!memory_) throw std::bad_alloc();
    auto* first = static_cast<unsigned char*>(memory_.get());
    data_ = reinterpret_cast<void*>((reinterpret_cast<std::uintptr_t>(first) + line - 1) & ~std::uintptr_t{line - 1});
    const std::size_t total = bytes + line, pages = (total + page - 1) / page;
    // A relaxed atomic store of the zero already there: a write the compiler may not drop.
    const auto touch = [first](std::size_t at) { std::atomic_ref<unsigned char>(first[at]).store(0, std::memory_order_relaxed); };
    const auto touch_pages = [&](std::size_t begin, std::size_t end) {
      for (std::size_t p = begin; p < end; ++p) touch(p * page);
    };
    if (pages < 1024) touch_pages(0, pages);
    else tbb::parallel_for(tbb::blocked_range<std::size_t>(0, pages, 256), [&](const auto& r) { touch_pages(r.begin(), r.end()); });
    touch(total - 1);  // the last page, when the block does not start on a page boundary
  }

  /// The first byte, aligned to a cache line.
  void* data() const { return data_; }

 private:
  static constexpr std::size_t line = 64, page = 4096;
  struct Free {
    void operator()(void* p) const { std::free(p); }
  };
  std::unique_ptr<void, Free> memory_;
  void* data_ = nullptr;
};

}  // namespace mc
