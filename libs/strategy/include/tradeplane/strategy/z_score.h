// Rolling z-score (no TA-Lib equivalent): how many population standard
// deviations the latest value lies from the mean of the last N values,
// itself included.
//
//   z_t = (x_t - mean_N) / SD_N       (0 when SD_N == 0: every value equals x_t)
//
// Source: the standard score of statistics, over a rolling window; mean and
// SD as in SMA and STDDEV. Warm-up: lookback N - 1. O(1) amortized.
#ifndef TRADEPLANE_STRATEGY_Z_SCORE_H_
#define TRADEPLANE_STRATEGY_Z_SCORE_H_

#include <cmath>
#include <limits>

#include "tradeplane/strategy/indicator_params.h"
#include "tradeplane/strategy/rolling_moments.h"

#include "absl/status/statusor.h"

namespace tradeplane::strategy {

class ZScore {
 public:
  static absl::StatusOr<ZScore> Create(int period) {
    if (absl::Status s = CheckPeriod("Z-score", "period", period, 2); !s.ok()) return s;
    return ZScore(period);
  }

  bool Update(double x) {
    if (!std::isfinite(x)) return false;
    moments_.Push(x);
    if (moments_.full()) {
      mean_ = moments_.mean();
      sd_ = std::sqrt(moments_.variance());
      value_ = sd_ > 0 ? (x - mean_) / sd_ : 0.0;
    }
    return true;
  }

  bool Ready() const { return moments_.full(); }
  bool Valid() const {
    return Ready() && std::isfinite(value_) && std::isfinite(mean_) && std::isfinite(sd_);
  }
  double value() const { return value_; }
  double mean() const { return mean_; }
  double standard_deviation() const { return sd_; }
  int period() const { return moments_.window(); }
  int lookback() const { return moments_.window() - 1; }

  void Reset() {
    moments_.Clear();
    value_ = mean_ = sd_ = std::numeric_limits<double>::quiet_NaN();
  }

 private:
  explicit ZScore(int period) : moments_(period) {}

  RollingMoments moments_;
  double value_ = std::numeric_limits<double>::quiet_NaN();
  double mean_ = std::numeric_limits<double>::quiet_NaN();
  double sd_ = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace tradeplane::strategy

#endif  // TRADEPLANE_STRATEGY_Z_SCORE_H_
