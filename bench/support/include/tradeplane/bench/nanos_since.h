// The timed span of the process-level benchmarks: steady_clock, read right
// before the operation and right after it.
#ifndef TRADEPLANE_BENCH_NANOS_SINCE_H_
#define TRADEPLANE_BENCH_NANOS_SINCE_H_

#include <chrono>
#include <cstdint>

namespace tradeplane::bench {

using BenchClock = std::chrono::steady_clock;

inline int64_t NanosSince(BenchClock::time_point start) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(BenchClock::now() - start).count();
}

}  // namespace tradeplane::bench

#endif  // TRADEPLANE_BENCH_NANOS_SINCE_H_
