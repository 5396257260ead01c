// Average true range with Wilder smoothing (TA-Lib ATR).
//
//   ATR_N = (TR_1 + ... + TR_N) / N                   (the seed; TR_1 is bar 2's)
//   ATR_t = (ATR_{t-1} * (N - 1) + TR_t) / N          (Wilder)
//
// Warm-up: N true ranges need N + 1 bars (lookback N). Period 1 is the true
// range itself, as TA-Lib.
#ifndef TRADEPLANE_STRATEGY_ATR_H_
#define TRADEPLANE_STRATEGY_ATR_H_

#include <cmath>
#include <cstdint>
#include <limits>

#include "tradeplane/strategy/indicator_params.h"
#include "tradeplane/strategy/true_range.h"

#include "absl/status/statusor.h"

namespace tradeplane::strategy {

class Atr {
 public:
  static absl::StatusOr<Atr> Create(int period) {
    if (absl::Status s = CheckPeriod("ATR", "period", period, 1); !s.ok()) return s;
    return Atr(period);
  }

  bool Update(const Ohlcv& bar) {
    if (!bar.IsFinite()) return false;
    if (!true_range_.Update(bar) || !true_range_.Ready()) return true;
    const double tr = true_range_.value();
    ++ranges_;
    if (ranges_ < period_) {
      sum_ += tr;
    } else if (ranges_ == period_) {
      sum_ += tr;
      value_ = sum_ / period_;
    } else {
      value_ *= period_ - 1;
      value_ += tr;
      value_ /= period_;
    }
    return true;
  }

  bool Ready() const { return ranges_ >= period_; }
  bool Valid() const { return Ready() && std::isfinite(value_); }
  double value() const { return value_; }
  double true_range() const { return true_range_.value(); }
  int period() const { return period_; }
  int lookback() const { return period_; }

  void Reset() {
    true_range_.Reset();
    ranges_ = 0;
    sum_ = 0;
    value_ = std::numeric_limits<double>::quiet_NaN();
  }

 private:
  explicit Atr(int period) : period_(period) {}

  int period_;
  TrueRange true_range_;
  int64_t ranges_ = 0;
  double sum_ = 0;
  double value_ = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace tradeplane::strategy

#endif  // TRADEPLANE_STRATEGY_ATR_H_
