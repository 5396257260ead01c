// Time comes in from the edge: pure code takes a Clock& and never reads the
// system clock itself, so the backtest and the tests can drive it.
#ifndef TRADEPLANE_CORE_CLOCK_H_
#define TRADEPLANE_CORE_CLOCK_H_

#include <atomic>

#include "tradeplane/core/timestamp.h"

namespace tradeplane {

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock time, UTC.
  virtual Timestamp Now() const = 0;
};

// CLOCK_REALTIME. Thread-safe.
class SystemClock final : public Clock {
 public:
  static SystemClock& Instance();
  Timestamp Now() const override;
};

// A clock that moves only when told. Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Timestamp start = Timestamp::FromSeconds(0)) : now_ns_(start.nanos()) {}
  Timestamp Now() const override { return Timestamp::FromNanos(now_ns_.load()); }
  void Set(Timestamp t) { now_ns_.store(t.nanos()); }
  void Advance(Duration d) { now_ns_.fetch_add(d.count()); }

 private:
  std::atomic<int64_t> now_ns_;
};

// CLOCK_MONOTONIC nanoseconds, for measuring latencies within one process.
int64_t MonotonicNanos();

}  // namespace tradeplane

#endif  // TRADEPLANE_CORE_CLOCK_H_
