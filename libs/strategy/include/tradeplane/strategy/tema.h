// Triple exponential moving average (TA-Lib TEMA).
//
//   E1 = EMA_N(x), E2 = EMA_N(E1), E3 = EMA_N(E2)   (each SMA-seeded)
//   TEMA = 3 * E1 - 3 * E2 + E3
//
// Warm-up: lookback 3 * (N - 1).
#ifndef TRADEPLANE_STRATEGY_TEMA_H_
#define TRADEPLANE_STRATEGY_TEMA_H_

#include <cmath>
#include <limits>
#include <utility>

#include "tradeplane/strategy/ema.h"
#include "tradeplane/strategy/indicator_params.h"

#include "absl/status/statusor.h"

namespace tradeplane::strategy {

class Tema {
 public:
  static absl::StatusOr<Tema> Create(int period) {
    if (absl::Status s = CheckPeriod("TEMA", "period", period, 2); !s.ok()) return s;
    return Tema(*Ema::Create(period), *Ema::Create(period), *Ema::Create(period));
  }

  bool Update(double x) {
    if (!std::isfinite(x)) return false;
    e1_.Update(x);
    if (e1_.Ready()) e2_.Update(e1_.value());
    if (e2_.Ready()) e3_.Update(e2_.value());
    if (e3_.Ready()) value_ = e3_.value() + ((3.0 * e1_.value()) - (3.0 * e2_.value()));
    return true;
  }

  bool Ready() const { return e3_.Ready(); }
  bool Valid() const { return Ready() && std::isfinite(value_); }
  double value() const { return value_; }
  int period() const { return e1_.period(); }
  int lookback() const { return 3 * (e1_.period() - 1); }

  void Reset() {
    e1_.Reset();
    e2_.Reset();
    e3_.Reset();
    value_ = std::numeric_limits<double>::quiet_NaN();
  }

 private:
  Tema(Ema e1, Ema e2, Ema e3) : e1_(std::move(e1)), e2_(std::move(e2)), e3_(std::move(e3)) {}

  Ema e1_;
  Ema e2_;
  Ema e3_;
  double value_ = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace tradeplane::strategy

#endif  // TRADEPLANE_STRATEGY_TEMA_H_
