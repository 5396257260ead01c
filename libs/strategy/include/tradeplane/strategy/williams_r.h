// Williams %R (TA-Lib WILLR), in [-100, 0].
//
//   HH, LL over the last N bars (this one included)
//   %R = (HH - C) / ((HH - LL) / -100)        (0 when HH == LL, as TA-Lib)
//
// Warm-up: lookback N - 1. Amortized O(1) (monotonic deques).
#ifndef TRADEPLANE_STRATEGY_WILLIAMS_R_H_
#define TRADEPLANE_STRATEGY_WILLIAMS_R_H_

#include <cmath>
#include <limits>

#include "tradeplane/strategy/indicator_params.h"
#include "tradeplane/strategy/ohlcv.h"
#include "tradeplane/strategy/rolling_extreme.h"

#include "absl/status/statusor.h"

namespace tradeplane::strategy {

class WilliamsR {
 public:
  static absl::StatusOr<WilliamsR> Create(int period) {
    if (absl::Status s = CheckPeriod("WILLR", "period", period, 2); !s.ok()) return s;
    return WilliamsR(period);
  }

  bool Update(const Ohlcv& bar) {
    if (!bar.IsFinite()) return false;
    highest_.Push(bar.high);
    lowest_.Push(bar.low);
    if (highest_.full()) {
      const double highest = highest_.value();
      const double diff = (highest - lowest_.value()) / -100.0;
      value_ = diff != 0.0 ? (highest - bar.close) / diff : 0.0;
    }
    return true;
  }

  bool Ready() const { return highest_.full(); }
  bool Valid() const { return Ready() && std::isfinite(value_); }
  double value() const { return value_; }
  int period() const { return highest_.window(); }
  int lookback() const { return highest_.window() - 1; }

  void Reset() {
    highest_.Clear();
    lowest_.Clear();
    value_ = std::numeric_limits<double>::quiet_NaN();
  }

 private:
  explicit WilliamsR(int period) : highest_(period), lowest_(period) {}

  RollingMax highest_;
  RollingMin lowest_;
  double value_ = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace tradeplane::strategy

#endif  // TRADEPLANE_STRATEGY_WILLIAMS_R_H_
