// Rolling population standard deviation (TA-Lib STDDEV with nbdev 1).
//
//   mean = (x_t + ... + x_{t-N+1}) / N
//   SD   = sqrt( sum (x_i - mean)^2 / N )      (population: divide by N)
//
// Warm-up: lookback N - 1. O(1) amortized (see rolling_moments.h). TA-Lib
// computes E[x^2] - mean^2 and returns 0 below 1e-8; this computes the same
// quantity without that cancellation (see indicators.md).
#ifndef TRADEPLANE_STRATEGY_STANDARD_DEVIATION_H_
#define TRADEPLANE_STRATEGY_STANDARD_DEVIATION_H_

#include <cmath>
#include <limits>

#include "tradeplane/strategy/indicator_params.h"
#include "tradeplane/strategy/rolling_moments.h"

#include "absl/status/statusor.h"

namespace tradeplane::strategy {

class StandardDeviation {
 public:
  static absl::StatusOr<StandardDeviation> Create(int period) {
    if (absl::Status s = CheckPeriod("STDDEV", "period", period, 2); !s.ok()) return s;
    return StandardDeviation(period);
  }

  bool Update(double x) {
    if (!std::isfinite(x)) return false;
    moments_.Push(x);
    if (moments_.full()) {
      mean_ = moments_.mean();
      value_ = std::sqrt(moments_.variance());
    }
    return true;
  }

  bool Ready() const { return moments_.full(); }
  bool Valid() const { return Ready() && std::isfinite(value_) && std::isfinite(mean_); }
  double value() const { return value_; }
  double mean() const { return mean_; }
  int period() const { return moments_.window(); }
  int lookback() const { return moments_.window() - 1; }

  void Reset() {
    moments_.Clear();
    mean_ = value_ = std::numeric_limits<double>::quiet_NaN();
  }

 private:
  explicit StandardDeviation(int period) : moments_(period) {}

  RollingMoments moments_;
  double mean_ = std::numeric_limits<double>::quiet_NaN();
  double value_ = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace tradeplane::strategy

#endif  // TRADEPLANE_STRATEGY_STANDARD_DEVIATION_H_
