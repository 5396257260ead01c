// Momentum (TA-Lib MOM).
//
//   MOM_t = x_t - x_{t-N}
//
// Warm-up: lookback N.
#ifndef TRADEPLANE_STRATEGY_MOMENTUM_H_
#define TRADEPLANE_STRATEGY_MOMENTUM_H_

#include <cmath>
#include <limits>

#include "tradeplane/strategy/indicator_params.h"
#include "tradeplane/strategy/ring_buffer.h"

#include "absl/status/statusor.h"

namespace tradeplane::strategy {

class Momentum {
 public:
  static absl::StatusOr<Momentum> Create(int period) {
    if (absl::Status s = CheckPeriod("MOM", "period", period, 1); !s.ok()) return s;
    return Momentum(period);
  }

  bool Update(double x) {
    if (!std::isfinite(x)) return false;
    window_.Push(x);
    if (window_.full()) value_ = x - window_.oldest();
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
  explicit Momentum(int period) : window_(period + 1) {}

  RingBuffer window_;
  double value_ = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace tradeplane::strategy

#endif  // TRADEPLANE_STRATEGY_MOMENTUM_H_
