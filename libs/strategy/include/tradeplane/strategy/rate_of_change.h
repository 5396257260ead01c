// Rate of change, in percent (TA-Lib ROC).
//
//   ROC_t = ((x_t / x_{t-N}) - 1) * 100      (0 when x_{t-N} == 0, as TA-Lib)
//
// Warm-up: needs x_{t-N}, lookback N.
#ifndef TRADEPLANE_STRATEGY_RATE_OF_CHANGE_H_
#define TRADEPLANE_STRATEGY_RATE_OF_CHANGE_H_

#include <cmath>
#include <limits>

#include "tradeplane/strategy/indicator_params.h"
#include "tradeplane/strategy/ring_buffer.h"

#include "absl/status/statusor.h"

namespace tradeplane::strategy {

class RateOfChange {
 public:
  static absl::StatusOr<RateOfChange> Create(int period) {
    if (absl::Status s = CheckPeriod("ROC", "period", period, 1); !s.ok()) return s;
    return RateOfChange(period);
  }

  bool Update(double x) {
    if (!std::isfinite(x)) return false;
    window_.Push(x);  // N + 1 values: the oldest is x_{t-N}
    if (window_.full()) {
      const double base = window_.oldest();
      value_ = base != 0 ? ((x / base) - 1.0) * 100.0 : 0.0;
    }
    return true;
  }

  bool Ready() const { return window_.full(); }
  bool Valid() const { return Ready() && std::isfinite(value_); }
  double value() const { return value_; }
  int period() const { return window_.capacity() - 1; }
  int lookback() const { return window_.capacity() - 1; }

  void Reset() {
    window_.Clear();
    value_ = std::numeric_limits<double>::quiet_NaN();
  }

 private:
  explicit RateOfChange(int period) : window_(period + 1) {}

  RingBuffer window_;
  double value_ = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace tradeplane::strategy

#endif  // TRADEPLANE_STRATEGY_RATE_OF_CHANGE_H_
