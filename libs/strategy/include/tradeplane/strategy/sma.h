// Simple moving average (TA-Lib SMA).
//
//   SMA_t = (x_t + x_{t-1} + ... + x_{t-N+1}) / N
//
// Warm-up: the first value comes with the N-th input (lookback N - 1).
// O(1) per update: a running sum over a ring of N values, re-summed exactly
// from the ring once every N updates so rounding cannot accumulate.
// Period 1 is the identity, as TA-Lib's TA_MA with period 1.
#ifndef TRADEPLANE_STRATEGY_SMA_H_
#define TRADEPLANE_STRATEGY_SMA_H_

#include <cmath>
#include <cstdint>
#include <limits>

#include "tradeplane/strategy/indicator_params.h"
#include "tradeplane/strategy/ring_buffer.h"

#include "absl/status/statusor.h"

namespace tradeplane::strategy {

class Sma {
 public:
  static absl::StatusOr<Sma> Create(int period) {
    if (absl::Status s = CheckPeriod("SMA", "period", period, 1); !s.ok()) return s;
    return Sma(period);
  }

  // False (and nothing changes) when the input is NaN or infinite.
  bool Update(double x) {
    if (!std::isfinite(x)) return false;
    if (window_.full()) sum_ -= window_.oldest();
    window_.Push(x);
    sum_ += x;
    ++count_;
    if (window_.full()) {
      if (count_ % period_ == 0) {
        double exact = 0;
        for (int i = 0; i < period_; ++i) exact += window_.at(i);
        sum_ = exact;
      }
      value_ = sum_ / period_;
    }
    return true;
  }

  bool Ready() const { return window_.full(); }
  bool Valid() const { return Ready() && std::isfinite(value_); }
  double value() const { return value_; }  // NaN until Ready()
  int period() const { return period_; }
  int lookback() const { return period_ - 1; }
  int64_t count() const { return count_; }

  void Reset() {
    window_.Clear();
    sum_ = 0;
    count_ = 0;
    value_ = std::numeric_limits<double>::quiet_NaN();
  }

 private:
  explicit Sma(int period) : period_(period), window_(period) {}

  int period_;
  RingBuffer window_;
  double sum_ = 0;
  int64_t count_ = 0;
  double value_ = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace tradeplane::strategy

#endif  // TRADEPLANE_STRATEGY_SMA_H_
