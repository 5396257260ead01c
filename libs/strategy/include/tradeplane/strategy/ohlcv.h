// The bar values indicators read, as doubles.
//
// Money stays fixed-point everywhere else; indicators work in double (see
// docs/reference/indicators.md), so a bar is converted once, here.
#ifndef TRADEPLANE_STRATEGY_OHLCV_H_
#define TRADEPLANE_STRATEGY_OHLCV_H_

#include <cmath>

#include "tradeplane/marketdata/events.h"

namespace tradeplane::strategy {

struct Ohlcv {
  double open = 0;
  double high = 0;
  double low = 0;
  double close = 0;
  double volume = 0;

  bool IsFinite() const {
    return std::isfinite(open) && std::isfinite(high) && std::isfinite(low) &&
           std::isfinite(close) && std::isfinite(volume);
  }
};

inline Ohlcv ToOhlcv(const marketdata::Bar& bar) {
  return Ohlcv{bar.open.ToDouble(), bar.high.ToDouble(), bar.low.ToDouble(), bar.close.ToDouble(),
               bar.volume.ToDouble()};
}

}  // namespace tradeplane::strategy

#endif  // TRADEPLANE_STRATEGY_OHLCV_H_
