// Counts the heap allocations made through operator new on this thread while
// a CountAllocations object lives, so that a test can prove a hot path
// allocates nothing after warm-up. Linking `tradeplane_allocation_counter`
// replaces the global operator new and delete of the whole test binary: give
// such tests a binary of their own.
#ifndef TRADEPLANE_TESTING_ALLOCATION_COUNTER_H_
#define TRADEPLANE_TESTING_ALLOCATION_COUNTER_H_

#include <cstdint>

namespace tradeplane::testing {

class CountAllocations {
 public:
  CountAllocations();  // starts counting from zero
  ~CountAllocations();
  CountAllocations(const CountAllocations&) = delete;
  CountAllocations& operator=(const CountAllocations&) = delete;

  int64_t count() const;
};

}  // namespace tradeplane::testing

#endif  // TRADEPLANE_TESTING_ALLOCATION_COUNTER_H_
