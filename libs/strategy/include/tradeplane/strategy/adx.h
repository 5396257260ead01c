// Average directional index with +DI and -DI (TA-Lib ADX, PLUS_DI, MINUS_DI),
// Wilder's definitions with TA-Lib's seeding.
//
//   up = H_t - H_{t-1}, down = L_{t-1} - L_t
//   +DM1 = up   if up > 0 and up > down, else 0
//   -DM1 = down if down > 0 and down > up, else 0
//   Bars 2..N:   DM and TR are summed (N - 1 values: there is no DM on bar 1)
//   From bar N+1: DM_t = DM_{t-1} - DM_{t-1} / N + DM1_t, TR likewise (Wilder)
//   +DI = 100 * +DM / TR, -DI = 100 * -DM / TR   (0 when TR == 0)
//   DX  = 100 * |+DI - -DI| / (+DI + -DI)        (skipped when the sum is 0)
//   ADX = mean of the first N DX, then (ADX * (N - 1) + DX) / N
//
// Warm-up: +DI/-DI from the (N+1)-th bar (lookback N); ADX from the 2N-th bar
// (lookback 2N - 1). Exact zero tests replace TA-Lib's TA_IS_ZERO epsilon.
#ifndef TRADEPLANE_STRATEGY_ADX_H_
#define TRADEPLANE_STRATEGY_ADX_H_

#include <cmath>
#include <cstdint>
#include <limits>

#include "tradeplane/strategy/indicator_params.h"
#include "tradeplane/strategy/ohlcv.h"
#include "tradeplane/strategy/true_range.h"

#include "absl/status/statusor.h"

namespace tradeplane::strategy {

class Adx {
 public:
  static absl::StatusOr<Adx> Create(int period) {
    if (absl::Status s = CheckPeriod("ADX", "period", period, 2); !s.ok()) return s;
    return Adx(period);
  }

  bool Update(const Ohlcv& bar) {
    if (!bar.IsFinite()) return false;
    ++count_;
    if (count_ == 1) {
      previous_ = bar;
      return true;
    }
    const double up = bar.high - previous_.high;
    const double down = previous_.low - bar.low;
    const double tr = TrueRangeOf(bar.high, bar.low, previous_.close);
    previous_ = bar;
    if (count_ <= period_) {  // bars 2..N: plain sums
      if (down > 0 && up < down) {
        minus_dm_ += down;
      } else if (up > 0 && up > down) {
        plus_dm_ += up;
      }
      tr_ += tr;
      return true;
    }
    minus_dm_ -= minus_dm_ / period_;
    plus_dm_ -= plus_dm_ / period_;
    if (down > 0 && up < down) {
      minus_dm_ += down;
    } else if (up > 0 && up > down) {
      plus_dm_ += up;
    }
    tr_ = tr_ - tr_ / period_ + tr;

    bool have_dx = false;
    double dx = 0;
    if (tr_ != 0) {
      minus_di_ = 100.0 * (minus_dm_ / tr_);
      plus_di_ = 100.0 * (plus_dm_ / tr_);
      const double sum = minus_di_ + plus_di_;
      if (sum != 0) {
        dx = 100.0 * (std::fabs(minus_di_ - plus_di_) / sum);
        have_dx = true;
      }
    } else {
      minus_di_ = 0;
      plus_di_ = 0;
    }
    const int64_t dx_index = count_ - period_;  // 1 for the first DX
    if (dx_index < period_) {
      if (have_dx) dx_sum_ += dx;
    } else if (dx_index == period_) {
      if (have_dx) dx_sum_ += dx;
      adx_ = dx_sum_ / period_;
    } else if (have_dx) {
      adx_ = (adx_ * (period_ - 1) + dx) / period_;
    }
    return true;
  }

  bool Ready() const { return count_ >= 2 * period_; }  // the ADX
  bool DiReady() const { return count_ > period_; }     // +DI and -DI
  bool Valid() const {
    return Ready() && std::isfinite(adx_) && std::isfinite(plus_di_) && std::isfinite(minus_di_);
  }
  double adx() const { return adx_; }
  double plus_di() const { return plus_di_; }
  double minus_di() const { return minus_di_; }
  int period() const { return period_; }
  int lookback() const { return 2 * period_ - 1; }
  int di_lookback() const { return period_; }

  void Reset() { *this = Adx(period_); }

 private:
  static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

  explicit Adx(int period) : period_(period) {}

  int period_;
  int64_t count_ = 0;
  Ohlcv previous_;
  double plus_dm_ = 0;
  double minus_dm_ = 0;
  double tr_ = 0;
  double plus_di_ = kNaN;
  double minus_di_ = kNaN;
  double dx_sum_ = 0;
  double adx_ = kNaN;
};

}  // namespace tradeplane::strategy

#endif  // TRADEPLANE_STRATEGY_ADX_H_
