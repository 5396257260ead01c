// Bollinger Bands (TA-Lib BBANDS with an SMA middle band and one width K for
// both bands).
//
//   middle = SMA_N(x)
//   SD     = population standard deviation of the same N values
//   upper  = middle + K * SD,  lower = middle - K * SD
//
// Warm-up: lookback N - 1. O(1) amortized (see rolling_moments.h).
#ifndef TRADEPLANE_STRATEGY_BOLLINGER_BANDS_H_
#define TRADEPLANE_STRATEGY_BOLLINGER_BANDS_H_

#include <cmath>
#include <limits>

#include "tradeplane/strategy/indicator_params.h"
#include "tradeplane/strategy/rolling_moments.h"

#include "absl/status/statusor.h"

namespace tradeplane::strategy {

class BollingerBands {
 public:
  static absl::StatusOr<BollingerBands> Create(int period, double width) {
    if (absl::Status s = CheckPeriod("BBANDS", "period", period, 2); !s.ok()) return s;
    if (absl::Status s = CheckMultiplier("BBANDS", "width", width); !s.ok()) return s;
    return BollingerBands(period, width);
  }

  bool Update(double x) {
    if (!std::isfinite(x)) return false;
    moments_.Push(x);
    if (moments_.full()) {
      middle_ = moments_.mean();
      const double half_width = width_ * std::sqrt(moments_.variance());
      upper_ = middle_ + half_width;
      lower_ = middle_ - half_width;
    }
    return true;
  }

  bool Ready() const { return moments_.full(); }
  bool Valid() const {
    return Ready() && std::isfinite(upper_) && std::isfinite(middle_) && std::isfinite(lower_);
  }
  double upper() const { return upper_; }
  double middle() const { return middle_; }
  double lower() const { return lower_; }
  int period() const { return moments_.window(); }
  double width() const { return width_; }
  int lookback() const { return moments_.window() - 1; }

  void Reset() {
    moments_.Clear();
    upper_ = middle_ = lower_ = std::numeric_limits<double>::quiet_NaN();
  }

 private:
  BollingerBands(int period, double width) : moments_(period), width_(width) {}

  RollingMoments moments_;
  double width_;
  double upper_ = std::numeric_limits<double>::quiet_NaN();
  double middle_ = std::numeric_limits<double>::quiet_NaN();
  double lower_ = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace tradeplane::strategy

#endif  // TRADEPLANE_STRATEGY_BOLLINGER_BANDS_H_
