// The definitions below replace glibc's malloc family in this executable; the
// dynamic linker binds every library's calls (libzmq, libstdc++, protobuf) to
// them. They forward to the __libc_* functions glibc exports for exactly this.
#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdlib>

#include "malloc_counter.h"

extern "C" {
void* __libc_malloc(size_t size);
void* __libc_calloc(size_t count, size_t size);
void* __libc_realloc(void* p, size_t size);
void __libc_free(void* p);
void* __libc_memalign(size_t alignment, size_t size);
}

namespace {

// Plain thread_local integers of the executable: static TLS, reading them
// never allocates (no recursion into malloc).
thread_local bool counting = false;
thread_local int64_t allocation_count = 0;
thread_local int64_t free_count = 0;
// Relaxed: a statistic, read once at the end.
std::atomic<int64_t> calls_seen{0};

inline void CountAllocation() {
  calls_seen.fetch_add(1, std::memory_order_relaxed);
  if (counting) ++allocation_count;
}

}  // namespace

extern "C" {

void* malloc(size_t size) noexcept {
  CountAllocation();
  return __libc_malloc(size);
}

void* calloc(size_t count, size_t size) noexcept {
  CountAllocation();
  return __libc_calloc(count, size);
}

void* realloc(void* p, size_t size) noexcept {
  CountAllocation();
  return __libc_realloc(p, size);
}

void free(void* p) noexcept {
  if (p != nullptr && counting) ++free_count;
  __libc_free(p);
}

void* aligned_alloc(size_t alignment, size_t size) noexcept {
  CountAllocation();
  return __libc_memalign(alignment, size);
}

void* memalign(size_t alignment, size_t size) noexcept {
  CountAllocation();
  return __libc_memalign(alignment, size);
}

int posix_memalign(void** out, size_t alignment, size_t size) noexcept {
  CountAllocation();
  if (alignment % sizeof(void*) != 0 || (alignment & (alignment - 1)) != 0) return EINVAL;
  void* p = __libc_memalign(alignment, size);
  if (p == nullptr) return ENOMEM;
  *out = p;
  return 0;
}

}  // extern "C"

namespace tradeplane::bench {

CountMallocs::CountMallocs() {
  allocation_count = 0;
  free_count = 0;
  counting = true;
}
CountMallocs::~CountMallocs() { counting = false; }
int64_t CountMallocs::allocations() const { return allocation_count; }
int64_t CountMallocs::frees() const { return free_count; }

int64_t MallocCallsSeen() { return calls_seen.load(std::memory_order_relaxed); }

}  // namespace tradeplane::bench
