// Commodity channel index (TA-Lib CCI), Lambert's definition with the mean
// absolute deviation.
//
//   TP  = (H + L + C) / 3
//   MA  = mean of the last N TP
//   MD  = mean of |TP_i - MA| over the same N values
//   CCI = (TP - MA) / (0.015 * MD)            (0 when either is 0, as TA-Lib)
//
// Warm-up: lookback N - 1. Cost: O(N) per update, the one exception to O(1):
// the mean deviation is taken around the current mean, which moves with
// every bar, so it has no incremental form (TA-Lib also loops over the
// window). The loop runs over a fixed ring: no allocation.
#ifndef TRADEPLANE_STRATEGY_CCI_H_
#define TRADEPLANE_STRATEGY_CCI_H_

#include <cmath>
#include <limits>

#include "tradeplane/strategy/indicator_params.h"
#include "tradeplane/strategy/ohlcv.h"
#include "tradeplane/strategy/ring_buffer.h"

#include "absl/status/statusor.h"

namespace tradeplane::strategy {

class Cci {
 public:
  static absl::StatusOr<Cci> Create(int period) {
    if (absl::Status s = CheckPeriod("CCI", "period", period, 2); !s.ok()) return s;
    return Cci(period);
  }

  bool Update(const Ohlcv& bar) {
    if (!bar.IsFinite()) return false;
    const double typical = (bar.high + bar.low + bar.close) / 3;
    window_.Push(typical);
    if (!window_.full()) return true;
    const int n = window_.capacity();
    // Storage order, as TA-Lib sums its circular buffer.
    double average = 0;
    for (int i = 0; i < n; ++i) average += window_.slot(i);
    average /= n;
    double deviation = 0;
    for (int i = 0; i < n; ++i) deviation += std::fabs(window_.slot(i) - average);
    const double distance = typical - average;
    value_ = distance != 0 && deviation != 0 ? distance / (0.015 * (deviation / n)) : 0.0;
    return true;
  }

  bool Ready() const { return window_.full(); }
  bool Valid() const { return Ready() && std::isfinite(value_); }
  double value() const { return value_; }
  int period() const { return window_.capacity(); }
  int lookback() const { return window_.capacity() - 1; }

  void Reset() {
    window_.Clear();
    value_ = std::numeric_limits<double>::quiet_NaN();
  }

 private:
  explicit Cci(int period) : window_(period) {}

  RingBuffer window_;
  double value_ = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace tradeplane::strategy

#endif  // TRADEPLANE_STRATEGY_CCI_H_
