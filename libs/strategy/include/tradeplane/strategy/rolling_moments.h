// Mean and population variance of the last N values, for the standard
// deviation, Bollinger Bands and the z-score.
//
// Updates are O(1) and allocation-free: the sliding form of Welford's update
// (add the new value and remove the evicted one in one step). A running
// variance is a small difference of large numbers when prices sit far from
// zero (AMZN near 3355 with a standard deviation of 0.3), so rounding errors
// would accumulate over a long session; every N updates the mean and the sum
// of squared deviations are therefore recomputed exactly from the window (two
// passes, O(N) once per N updates: amortized O(1)). A window whose values are
// all equal is detected exactly (a run-length count) and has variance 0 and
// the mean equal to that value, so a flat market never yields a spurious
// z-score from rounding noise.
#ifndef TRADEPLANE_STRATEGY_ROLLING_MOMENTS_H_
#define TRADEPLANE_STRATEGY_ROLLING_MOMENTS_H_

#include <cstdint>

#include "tradeplane/strategy/ring_buffer.h"

namespace tradeplane::strategy {

class RollingMoments {
 public:
  explicit RollingMoments(int window) : window_(window) {}

  void Push(double value) {
    if (window_.full()) {
      const double evicted = window_.oldest();
      window_.Push(value);
      const double old_mean = mean_;
      mean_ += (value - evicted) / window_.capacity();
      m2_ += (value - evicted) * (value - mean_ + evicted - old_mean);
    } else {
      window_.Push(value);
      const double delta = value - mean_;
      mean_ += delta / window_.size();
      m2_ += delta * (value - mean_);
    }
    run_length_ = count_ > 0 && value == last_ ? run_length_ + 1 : 1;
    last_ = value;
    ++count_;
    if (count_ % window_.capacity() == 0) Recompute();
  }

  bool full() const { return window_.full(); }
  int window() const { return window_.capacity(); }
  const RingBuffer& values() const { return window_; }

  double mean() const { return Constant() ? last_ : mean_; }
  // Population variance: sum of squared deviations / N (as TA-Lib's VAR and STDDEV).
  double variance() const {
    if (Constant() || m2_ <= 0) return 0;
    return m2_ / window_.size();
  }

  void Clear() {
    window_.Clear();
    mean_ = 0;
    m2_ = 0;
    count_ = 0;
    run_length_ = 0;
    last_ = 0;
  }

 private:
  bool Constant() const { return run_length_ >= window_.size(); }

  void Recompute() {
    const int n = window_.size();
    double sum = 0;
    for (int i = 0; i < n; ++i) sum += window_.at(i);
    mean_ = sum / n;
    double m2 = 0;
    for (int i = 0; i < n; ++i) {
      const double d = window_.at(i) - mean_;
      m2 += d * d;
    }
    m2_ = m2;
  }

  RingBuffer window_;
  double mean_ = 0;
  double m2_ = 0;  // sum of squared deviations from mean_
  int64_t count_ = 0;
  int64_t run_length_ = 0;  // how many of the latest values equal last_
  double last_ = 0;
};

}  // namespace tradeplane::strategy

#endif  // TRADEPLANE_STRATEGY_ROLLING_MOMENTS_H_
