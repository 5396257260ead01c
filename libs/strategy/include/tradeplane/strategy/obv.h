// On-balance volume (TA-Lib OBV).
//
//   OBV_0 = V_0                                (TA-Lib starts at the first volume)
//   OBV_t = OBV_{t-1} + V_t if C_t > C_{t-1}; - V_t if C_t < C_{t-1}; else unchanged
//
// Warm-up: none (lookback 0).
#ifndef TRADEPLANE_STRATEGY_OBV_H_
#define TRADEPLANE_STRATEGY_OBV_H_

#include <cmath>
#include <cstdint>
#include <limits>

namespace tradeplane::strategy {

class Obv {
 public:
  bool Update(double close, double volume) {
    if (!std::isfinite(close) || !std::isfinite(volume)) return false;
    if (count_ == 0) {
      value_ = volume;
    } else if (close > previous_close_) {
      value_ += volume;
    } else if (close < previous_close_) {
      value_ -= volume;
    }
    previous_close_ = close;
    ++count_;
    return true;
  }

  bool Ready() const { return count_ > 0; }
  bool Valid() const { return Ready() && std::isfinite(value_); }
  double value() const { return value_; }
  int lookback() const { return 0; }

  void Reset() { *this = Obv(); }

 private:
  int64_t count_ = 0;
  double previous_close_ = 0;
  double value_ = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace tradeplane::strategy

#endif  // TRADEPLANE_STRATEGY_OBV_H_
