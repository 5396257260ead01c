// Relative strength index with Wilder smoothing (TA-Lib RSI, default
// compatibility).
//
//   d_t = x_t - x_{t-1};  gain = max(d, 0), loss = max(-d, 0)
//   AG_N = (gain_1 + ... + gain_N) / N,  AL_N likewise         (the seed)
//   AG_t = (AG_{t-1} * (N - 1) + gain_t) / N,  AL_t likewise   (Wilder)
//   RSI_t = 100 * AG_t / (AG_t + AL_t);  0 when AG_t + AL_t == 0
//
// Warm-up: N changes need N + 1 inputs (lookback N). TA-Lib 0.4 treats a sum
// below 1e-8 as zero (TA_IS_ZERO), which misreads instruments priced below
// ~1e-4; this implementation tests for exact zero (see indicators.md).
#ifndef TRADEPLANE_STRATEGY_RSI_H_
#define TRADEPLANE_STRATEGY_RSI_H_

#include <cmath>
#include <cstdint>
#include <limits>

#include "tradeplane/strategy/indicator_params.h"

#include "absl/status/statusor.h"

namespace tradeplane::strategy {

class Rsi {
 public:
  static absl::StatusOr<Rsi> Create(int period) {
    if (absl::Status s = CheckPeriod("RSI", "period", period, 2); !s.ok()) return s;
    return Rsi(period);
  }

  bool Update(double x) {
    if (!std::isfinite(x)) return false;
    ++count_;
    if (count_ == 1) {
      previous_ = x;
      return true;
    }
    const double change = x - previous_;
    previous_ = x;
    if (count_ <= period_ + 1) {
      if (change < 0) {
        avg_loss_ -= change;
      } else {
        avg_gain_ += change;
      }
      if (count_ == period_ + 1) {
        avg_loss_ /= period_;
        avg_gain_ /= period_;
        Output();
      }
      return true;
    }
    avg_loss_ *= period_ - 1;
    avg_gain_ *= period_ - 1;
    if (change < 0) {
      avg_loss_ -= change;
    } else {
      avg_gain_ += change;
    }
    avg_loss_ /= period_;
    avg_gain_ /= period_;
    Output();
    return true;
  }

  bool Ready() const { return count_ > period_; }
  bool Valid() const { return Ready() && std::isfinite(value_); }
  double value() const { return value_; }
  double average_gain() const { return avg_gain_; }
  double average_loss() const { return avg_loss_; }
  int period() const { return period_; }
  int lookback() const { return period_; }

  void Reset() {
    count_ = 0;
    previous_ = 0;
    avg_gain_ = 0;
    avg_loss_ = 0;
    value_ = std::numeric_limits<double>::quiet_NaN();
  }

 private:
  explicit Rsi(int period) : period_(period) {}

  void Output() {
    const double total = avg_gain_ + avg_loss_;
    value_ = total != 0 ? 100.0 * (avg_gain_ / total) : 0.0;
  }

  int period_;
  int64_t count_ = 0;
  double previous_ = 0;
  double avg_gain_ = 0;
  double avg_loss_ = 0;
  double value_ = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace tradeplane::strategy

#endif  // TRADEPLANE_STRATEGY_RSI_H_
