// Counts heap allocations made through operator new on this thread while a
// CountAllocations object lives: the test binary replaces the global
// operator new (allocation_counter.cpp) to prove hot paths allocate nothing.
#ifndef TRADEPLANE_TESTS_UNIT_STRATEGY_ALLOCATION_COUNTER_H_
#define TRADEPLANE_TESTS_UNIT_STRATEGY_ALLOCATION_COUNTER_H_

#include <cstdint>

namespace tradeplane::strategy::testing {

class CountAllocations {
 public:
  CountAllocations();
  ~CountAllocations();
  CountAllocations(const CountAllocations&) = delete;
  CountAllocations& operator=(const CountAllocations&) = delete;

  int64_t count() const;
};

}  // namespace tradeplane::strategy::testing

#endif  // TRADEPLANE_TESTS_UNIT_STRATEGY_ALLOCATION_COUNTER_H_
