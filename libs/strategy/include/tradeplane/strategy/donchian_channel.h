// Donchian channel (no TA-Lib equivalent).
//
//   upper  = highest high of the last N bars (this one included)
//   lower  = lowest low of the last N bars
//   middle = (upper + lower) / 2
//
// Source: Richard Donchian's price channel, as StockCharts ChartSchool
// "Donchian Channels" defines it (current bar included; breakout systems that
// compare against the previous N bars read the previous bar's values).
// Warm-up: lookback N - 1. Amortized O(1) (monotonic deques).
#ifndef TRADEPLANE_STRATEGY_DONCHIAN_CHANNEL_H_
#define TRADEPLANE_STRATEGY_DONCHIAN_CHANNEL_H_

#include <cmath>
#include <limits>

#include "tradeplane/strategy/indicator_params.h"
#include "tradeplane/strategy/ohlcv.h"
#include "tradeplane/strategy/rolling_extreme.h"

#include "absl/status/statusor.h"

namespace tradeplane::strategy {

class DonchianChannel {
 public:
  static absl::StatusOr<DonchianChannel> Create(int period) {
    if (absl::Status s = CheckPeriod("Donchian", "period", period, 1); !s.ok()) return s;
    return DonchianChannel(period);
  }

  bool Update(const Ohlcv& bar) {
    if (!bar.IsFinite()) return false;
    highest_.Push(bar.high);
    lowest_.Push(bar.low);
    if (highest_.full()) {
      upper_ = highest_.value();
      lower_ = lowest_.value();
      middle_ = (upper_ + lower_) / 2;
    }
    return true;
  }

  bool Ready() const { return highest_.full(); }
  bool Valid() const {
    return Ready() && std::isfinite(upper_) && std::isfinite(middle_) && std::isfinite(lower_);
  }
  double upper() const { return upper_; }
  double middle() const { return middle_; }
  double lower() const { return lower_; }
  int period() const { return highest_.window(); }
  int lookback() const { return highest_.window() - 1; }

  void Reset() {
    highest_.Clear();
    lowest_.Clear();
    upper_ = middle_ = lower_ = std::numeric_limits<double>::quiet_NaN();
  }

 private:
  explicit DonchianChannel(int period) : highest_(period), lowest_(period) {}

  RollingMax highest_;
  RollingMin lowest_;
  double upper_ = std::numeric_limits<double>::quiet_NaN();
  double middle_ = std::numeric_limits<double>::quiet_NaN();
  double lower_ = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace tradeplane::strategy

#endif  // TRADEPLANE_STRATEGY_DONCHIAN_CHANNEL_H_
