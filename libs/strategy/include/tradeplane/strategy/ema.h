// Exponential moving average (TA-Lib EMA, default compatibility).
//
//   k = 2 / (N + 1)
//   EMA_{N-1} = SMA of the first N inputs            (the seed)
//   EMA_t     = (x_t - EMA_{t-1}) * k + EMA_{t-1}    (TA-Lib's operation order)
//
// Warm-up: the first value comes with the N-th input (lookback N - 1).
// O(1) per update, no buffer. Period 1 is the identity, as TA-Lib's TA_MA.
#ifndef TRADEPLANE_STRATEGY_EMA_H_
#define TRADEPLANE_STRATEGY_EMA_H_

#include <cmath>
#include <cstdint>
#include <limits>

#include "tradeplane/strategy/indicator_params.h"

#include "absl/status/statusor.h"

namespace tradeplane::strategy {

class Ema {
 public:
  static absl::StatusOr<Ema> Create(int period) {
    if (absl::Status s = CheckPeriod("EMA", "period", period, 1); !s.ok()) return s;
    return Ema(period);
  }

  bool Update(double x) {
    if (!std::isfinite(x)) return false;
    ++count_;
    if (count_ < period_) {
      seed_sum_ += x;
    } else if (count_ == period_) {
      seed_sum_ += x;
      value_ = seed_sum_ / period_;
    } else {
      value_ = (x - value_) * k_ + value_;
    }
    return true;
  }

  bool Ready() const { return count_ >= period_; }
  bool Valid() const { return Ready() && std::isfinite(value_); }
  double value() const { return value_; }  // NaN until Ready()
  int period() const { return period_; }
  int lookback() const { return period_ - 1; }
  int64_t count() const { return count_; }

  void Reset() {
    count_ = 0;
    seed_sum_ = 0;
    value_ = std::numeric_limits<double>::quiet_NaN();
  }

 private:
  explicit Ema(int period) : period_(period), k_(2.0 / (period + 1)) {}

  int period_;
  double k_;
  int64_t count_ = 0;
  double seed_sum_ = 0;
  double value_ = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace tradeplane::strategy

#endif  // TRADEPLANE_STRATEGY_EMA_H_
