// Weighted moving average with linear weights (TA-Lib WMA).
//
//   WMA_t = (N*x_t + (N-1)*x_{t-1} + ... + 1*x_{t-N+1}) / (N(N+1)/2)
//
// Warm-up: lookback N - 1. O(1) per update with TA-Lib's two running sums
// (the weighted sum, and the plain sum that shifts every weight down by one),
// re-summed exactly from the ring once every N updates.
#ifndef TRADEPLANE_STRATEGY_WMA_H_
#define TRADEPLANE_STRATEGY_WMA_H_

#include <cmath>
#include <cstdint>
#include <limits>

#include "tradeplane/strategy/indicator_params.h"
#include "tradeplane/strategy/ring_buffer.h"

#include "absl/status/statusor.h"

namespace tradeplane::strategy {

class Wma {
 public:
  static absl::StatusOr<Wma> Create(int period) {
    if (absl::Status s = CheckPeriod("WMA", "period", period, 2); !s.ok()) return s;
    return Wma(period);
  }

  bool Update(double x) {
    if (!std::isfinite(x)) return false;
    const double evicted = window_.full() ? window_.oldest() : 0;
    window_.Push(x);
    ++count_;
    if (count_ <= period_) {
      plain_sum_ += x;
      weighted_sum_ += x * static_cast<double>(count_);
    } else {
      plain_sum_ += x;
      plain_sum_ -= evicted;
      weighted_sum_ += x * period_;
    }
    if (count_ >= period_) {
      if (count_ % period_ == 0) {
        double plain = 0;
        double weighted = 0;
        for (int i = 0; i < period_; ++i) {
          plain += window_.at(i);
          weighted += window_.at(i) * (i + 1);
        }
        plain_sum_ = plain;
        weighted_sum_ = weighted;
      }
      value_ = weighted_sum_ / divider_;
      weighted_sum_ -= plain_sum_;  // every weight drops by one for the next input
    }
    return true;
  }

  bool Ready() const { return count_ >= period_; }
  bool Valid() const { return Ready() && std::isfinite(value_); }
  double value() const { return value_; }
  int period() const { return period_; }
  int lookback() const { return period_ - 1; }

  void Reset() {
    window_.Clear();
    count_ = 0;
    plain_sum_ = 0;
    weighted_sum_ = 0;
    value_ = std::numeric_limits<double>::quiet_NaN();
  }

 private:
  explicit Wma(int period)
      : period_(period), divider_(period * (period + 1.0) / 2.0), window_(period) {}

  int period_;
  double divider_;
  RingBuffer window_;
  int64_t count_ = 0;
  double plain_sum_ = 0;
  double weighted_sum_ = 0;
  double value_ = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace tradeplane::strategy

#endif  // TRADEPLANE_STRATEGY_WMA_H_
