// Counts the C heap calls (malloc, calloc, realloc, the aligned forms and
// free) made on this thread while a CountMallocs object lives, wherever they
// come from: this program, libstdc++'s operator new, protobuf, libzmq.
// Linking malloc_interposer.cpp replaces those functions in the whole
// executable (they forward to glibc's __libc_* entry points): give it a binary
// of its own, and never combine it with a sanitizer.
#ifndef TRADEPLANE_BENCH_BUS_MALLOC_COUNTER_H_
#define TRADEPLANE_BENCH_BUS_MALLOC_COUNTER_H_

#include <cstdint>

namespace tradeplane::bench {

class CountMallocs {
 public:
  CountMallocs();  // starts counting from zero
  ~CountMallocs();
  CountMallocs(const CountMallocs&) = delete;
  CountMallocs& operator=(const CountMallocs&) = delete;

  int64_t allocations() const;  // malloc, calloc, realloc and aligned calls
  int64_t frees() const;        // free of a non-null pointer
};

// Allocation calls the interposer saw on any thread since the start, counted
// or not: 0 means the interposition is not in effect.
int64_t MallocCallsSeen();

}  // namespace tradeplane::bench

#endif  // TRADEPLANE_BENCH_BUS_MALLOC_COUNTER_H_
