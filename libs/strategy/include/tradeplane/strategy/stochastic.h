// Slow stochastic oscillator %K / %D (TA-Lib STOCH with its default SMA
// smoothing of both lines).
//
//   HH = highest high, LL = lowest low of the last K bars (this one included)
//   fast %K = (C - LL) / ((HH - LL) / 100)    (0 when HH == LL, as TA-Lib)
//   %K = SMA_slowK(fast %K)
//   %D = SMA_slowD(%K)
//
// Warm-up: lookback (K - 1) + (slowK - 1) + (slowD - 1); both lines start
// together, as TA-Lib (5, 3, 3 → 8). Amortized O(1) (monotonic deques).
#ifndef TRADEPLANE_STRATEGY_STOCHASTIC_H_
#define TRADEPLANE_STRATEGY_STOCHASTIC_H_

#include <cmath>
#include <limits>
#include <utility>

#include "tradeplane/strategy/indicator_params.h"
#include "tradeplane/strategy/ohlcv.h"
#include "tradeplane/strategy/rolling_extreme.h"
#include "tradeplane/strategy/sma.h"

#include "absl/status/statusor.h"

namespace tradeplane::strategy {

class Stochastic {
 public:
  static absl::StatusOr<Stochastic> Create(int fast_k, int slow_k, int slow_d) {
    if (absl::Status s = CheckPeriod("STOCH", "fast %K period", fast_k, 1); !s.ok()) return s;
    if (absl::Status s = CheckPeriod("STOCH", "slow %K period", slow_k, 1); !s.ok()) return s;
    if (absl::Status s = CheckPeriod("STOCH", "slow %D period", slow_d, 1); !s.ok()) return s;
    return Stochastic(fast_k, *Sma::Create(slow_k), *Sma::Create(slow_d));
  }

  bool Update(const Ohlcv& bar) {
    if (!bar.IsFinite()) return false;
    highest_.Push(bar.high);
    lowest_.Push(bar.low);
    if (!highest_.full()) return true;
    const double lowest = lowest_.value();
    const double diff = (highest_.value() - lowest) / 100.0;
    const double fast_k = diff != 0.0 ? (bar.close - lowest) / diff : 0.0;
    slow_k_.Update(fast_k);
    if (slow_k_.Ready()) slow_d_.Update(slow_k_.value());
    return true;
  }

  bool Ready() const { return slow_d_.Ready(); }
  bool Valid() const { return Ready() && std::isfinite(k()) && std::isfinite(d()); }
  double k() const { return Ready() ? slow_k_.value() : kNaN; }
  double d() const { return slow_d_.value(); }
  int lookback() const {
    return highest_.window() - 1 + slow_k_.period() - 1 + slow_d_.period() - 1;
  }

  void Reset() {
    highest_.Clear();
    lowest_.Clear();
    slow_k_.Reset();
    slow_d_.Reset();
  }

 private:
  static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

  Stochastic(int fast_k, Sma slow_k, Sma slow_d)
      : highest_(fast_k), lowest_(fast_k), slow_k_(std::move(slow_k)), slow_d_(std::move(slow_d)) {}

  RollingMax highest_;
  RollingMin lowest_;
  Sma slow_k_;
  Sma slow_d_;
};

}  // namespace tradeplane::strategy

#endif  // TRADEPLANE_STRATEGY_STOCHASTIC_H_
