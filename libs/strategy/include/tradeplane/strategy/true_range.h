// True range (TA-Lib TRANGE).
//
//   TR_t = max(H_t - L_t, |H_t - C_{t-1}|, |L_t - C_{t-1}|)
//        = max(H_t, C_{t-1}) - min(L_t, C_{t-1})
//
// Warm-up: needs the previous close, so the first bar yields nothing
// (lookback 1).
#ifndef TRADEPLANE_STRATEGY_TRUE_RANGE_H_
#define TRADEPLANE_STRATEGY_TRUE_RANGE_H_

#include <cmath>
#include <cstdint>
#include <limits>

#include "tradeplane/strategy/ohlcv.h"

namespace tradeplane::strategy {

// The formula itself, in TA-Lib's operation order (shared by ATR and ADX).
inline double TrueRangeOf(double high, double low, double previous_close) {
  double range = high - low;
  const double up = std::fabs(high - previous_close);
  if (up > range) range = up;
  const double down = std::fabs(low - previous_close);
  if (down > range) range = down;
  return range;
}

class TrueRange {
 public:
  bool Update(const Ohlcv& bar) {
    if (!bar.IsFinite()) return false;
    if (count_ > 0) value_ = TrueRangeOf(bar.high, bar.low, previous_close_);
    previous_close_ = bar.close;
    ++count_;
    return true;
  }

  bool Ready() const { return count_ > 1; }
  bool Valid() const { return Ready() && std::isfinite(value_); }
  double value() const { return value_; }
  int lookback() const { return 1; }

  void Reset() { *this = TrueRange(); }

 private:
  int64_t count_ = 0;
  double previous_close_ = 0;
  double value_ = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace tradeplane::strategy

#endif  // TRADEPLANE_STRATEGY_TRUE_RANGE_H_
