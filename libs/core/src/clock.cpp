#include "tradeplane/core/clock.h"

#include <time.h>

namespace tradeplane {

SystemClock& SystemClock::Instance() {
  static SystemClock clock;
  return clock;
}

Timestamp SystemClock::Now() const {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return Timestamp::FromNanos(static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec);
}

int64_t MonotonicNanos() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

}  // namespace tradeplane
