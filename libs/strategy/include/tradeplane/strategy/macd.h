// Moving average convergence/divergence (TA-Lib MACD, default compatibility).
//
//   line   = EMA_fast(x) - EMA_slow(x)
//   signal = EMA_signal(line)
//   hist   = line - signal
//
// TA-Lib's seeding, reproduced exactly: the slow EMA is seeded with the SMA
// of inputs 1..slow, and the fast EMA with the SMA of the `fast` inputs that
// END at the same input (slow-fast+1..slow), not of the first `fast` inputs;
// both then run in lockstep. The signal EMA is seeded with the SMA of the
// first `signal` MACD-line values.
// Warm-up: lookback (slow - 1) + (signal - 1); 33 for MACD(12, 26, 9).
// TA-Lib swaps fast and slow when fast > slow; this class refuses it instead.
#ifndef TRADEPLANE_STRATEGY_MACD_H_
#define TRADEPLANE_STRATEGY_MACD_H_

#include <cmath>
#include <cstdint>
#include <limits>

#include "tradeplane/core/str_cat.h"
#include "tradeplane/strategy/indicator_params.h"

#include "absl/status/statusor.h"

namespace tradeplane::strategy {

class Macd {
 public:
  static absl::StatusOr<Macd> Create(int fast, int slow, int signal) {
    if (absl::Status s = CheckPeriod("MACD", "fast period", fast, 2); !s.ok()) return s;
    if (absl::Status s = CheckPeriod("MACD", "slow period", slow, 2); !s.ok()) return s;
    if (absl::Status s = CheckPeriod("MACD", "signal period", signal, 1); !s.ok()) return s;
    if (fast >= slow) {
      return absl::InvalidArgumentError(
          StrCat("MACD: fast period ", fast, " must be below the slow period ", slow));
    }
    return Macd(fast, slow, signal);
  }

  bool Update(double x) {
    if (!std::isfinite(x)) return false;
    ++count_;
    if (count_ < slow_) {
      slow_ema_ += x;  // the seed sums, until the seed input
      if (count_ > slow_ - fast_) fast_ema_ += x;
      return true;
    }
    if (count_ == slow_) {
      slow_ema_ += x;
      fast_ema_ += x;
      slow_ema_ /= slow_;
      fast_ema_ /= fast_;
    } else {
      fast_ema_ = (x - fast_ema_) * fast_k_ + fast_ema_;
      slow_ema_ = (x - slow_ema_) * slow_k_ + slow_ema_;
    }
    line_ = fast_ema_ - slow_ema_;
    const int64_t line_count = count_ - slow_ + 1;
    if (line_count < signal_period_) {
      signal_ += line_;
    } else if (line_count == signal_period_) {
      signal_ += line_;
      signal_ /= signal_period_;
    } else {
      signal_ = (line_ - signal_) * signal_k_ + signal_;
    }
    if (line_count >= signal_period_) histogram_ = line_ - signal_;
    return true;
  }

  bool Ready() const { return count_ >= slow_ + signal_period_ - 1; }
  bool Valid() const {
    return Ready() && std::isfinite(line_) && std::isfinite(signal_) && std::isfinite(histogram_);
  }
  // All three are meaningful once Ready(); the line alone from input `slow`.
  double line() const { return line_; }
  double signal() const { return Ready() ? signal_ : kNaN; }
  double histogram() const { return histogram_; }
  int lookback() const { return slow_ - 1 + signal_period_ - 1; }
  int fast_period() const { return fast_; }
  int slow_period() const { return slow_; }
  int signal_period() const { return signal_period_; }

  void Reset() { *this = Macd(fast_, slow_, signal_period_); }

 private:
  static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

  Macd(int fast, int slow, int signal)
      : fast_(fast),
        slow_(slow),
        signal_period_(signal),
        fast_k_(2.0 / (fast + 1)),
        slow_k_(2.0 / (slow + 1)),
        signal_k_(2.0 / (signal + 1)) {}

  int fast_;
  int slow_;
  int signal_period_;
  double fast_k_;
  double slow_k_;
  double signal_k_;
  int64_t count_ = 0;
  double fast_ema_ = 0;
  double slow_ema_ = 0;
  double signal_ = 0;
  double line_ = kNaN;
  double histogram_ = kNaN;
};

}  // namespace tradeplane::strategy

#endif  // TRADEPLANE_STRATEGY_MACD_H_
