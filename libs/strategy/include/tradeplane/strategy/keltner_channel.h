// Keltner channel (no TA-Lib equivalent), in Linda Raschke's modern form.
//
//   middle = EMA_N(close)            (TA-Lib EMA: SMA-seeded)
//   upper  = middle + K * ATR_M      (TA-Lib ATR: Wilder)
//   lower  = middle - K * ATR_M
//
// Source: StockCharts ChartSchool "Keltner Channels" (EMA 20, ATR 10, K 2 by
// default); Chester Keltner's 1960 original used a 10-day SMA of the typical
// price and the average high-low range instead.
// Warm-up: lookback max(N - 1, M). O(1).
#ifndef TRADEPLANE_STRATEGY_KELTNER_CHANNEL_H_
#define TRADEPLANE_STRATEGY_KELTNER_CHANNEL_H_

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "tradeplane/strategy/atr.h"
#include "tradeplane/strategy/ema.h"
#include "tradeplane/strategy/indicator_params.h"
#include "tradeplane/strategy/ohlcv.h"

#include "absl/status/statusor.h"

namespace tradeplane::strategy {

class KeltnerChannel {
 public:
  static absl::StatusOr<KeltnerChannel> Create(int ema_period, int atr_period, double width) {
    if (absl::Status s = CheckPeriod("Keltner", "EMA period", ema_period, 2); !s.ok()) return s;
    if (absl::Status s = CheckPeriod("Keltner", "ATR period", atr_period, 1); !s.ok()) return s;
    if (absl::Status s = CheckMultiplier("Keltner", "width", width); !s.ok()) return s;
    return KeltnerChannel(*Ema::Create(ema_period), *Atr::Create(atr_period), width);
  }

  bool Update(const Ohlcv& bar) {
    if (!bar.IsFinite()) return false;
    ema_.Update(bar.close);
    atr_.Update(bar);
    if (Ready()) {
      middle_ = ema_.value();
      const double half_width = width_ * atr_.value();
      upper_ = middle_ + half_width;
      lower_ = middle_ - half_width;
    }
    return true;
  }

  bool Ready() const { return ema_.Ready() && atr_.Ready(); }
  bool Valid() const {
    return Ready() && std::isfinite(upper_) && std::isfinite(middle_) && std::isfinite(lower_);
  }
  double upper() const { return upper_; }
  double middle() const { return middle_; }
  double lower() const { return lower_; }
  int lookback() const { return std::max(ema_.lookback(), atr_.lookback()); }

  void Reset() {
    ema_.Reset();
    atr_.Reset();
    upper_ = middle_ = lower_ = std::numeric_limits<double>::quiet_NaN();
  }

 private:
  KeltnerChannel(Ema ema, Atr atr, double width)
      : ema_(std::move(ema)), atr_(std::move(atr)), width_(width) {}

  Ema ema_;
  Atr atr_;
  double width_;
  double upper_ = std::numeric_limits<double>::quiet_NaN();
  double middle_ = std::numeric_limits<double>::quiet_NaN();
  double lower_ = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace tradeplane::strategy

#endif  // TRADEPLANE_STRATEGY_KELTNER_CHANNEL_H_
