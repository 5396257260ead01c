// Double exponential moving average (TA-Lib DEMA).
//
//   E1 = EMA_N(x), E2 = EMA_N(E1)   (each seeded with the SMA of its first N inputs)
//   DEMA = 2 * E1 - E2
//
// Warm-up: E2 starts with E1's N-th value, so lookback 2 * (N - 1).
#ifndef TRADEPLANE_STRATEGY_DEMA_H_
#define TRADEPLANE_STRATEGY_DEMA_H_

#include <cmath>
#include <limits>
#include <utility>

#include "tradeplane/strategy/ema.h"
#include "tradeplane/strategy/indicator_params.h"

#include "absl/status/statusor.h"

namespace tradeplane::strategy {

class Dema {
 public:
  static absl::StatusOr<Dema> Create(int period) {
    if (absl::Status s = CheckPeriod("DEMA", "period", period, 2); !s.ok()) return s;
    return Dema(*Ema::Create(period), *Ema::Create(period));
  }

  bool Update(double x) {
    if (!std::isfinite(x)) return false;
    e1_.Update(x);
    if (e1_.Ready()) e2_.Update(e1_.value());
    if (e2_.Ready()) value_ = (2.0 * e1_.value()) - e2_.value();
    return true;
  }

  bool Ready() const { return e2_.Ready(); }
  bool Valid() const { return Ready() && std::isfinite(value_); }
  double value() const { return value_; }
  int period() const { return e1_.period(); }
  int lookback() const { return 2 * (e1_.period() - 1); }

  void Reset() {
    e1_.Reset();
    e2_.Reset();
    value_ = std::numeric_limits<double>::quiet_NaN();
  }

 private:
  Dema(Ema e1, Ema e2) : e1_(std::move(e1)), e2_(std::move(e2)) {}

  Ema e1_;
  Ema e2_;
  double value_ = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace tradeplane::strategy

#endif  // TRADEPLANE_STRATEGY_DEMA_H_
