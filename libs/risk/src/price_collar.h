// The price collar: how far from the reference price an order may trade.
#ifndef TRADEPLANE_RISK_SRC_PRICE_COLLAR_H_
#define TRADEPLANE_RISK_SRC_PRICE_COLLAR_H_

#include <cstdint>

#include "tradeplane/core/fixed_point.h"
#include "tradeplane/core/order.h"
#include "tradeplane/risk/pre_trade_check.h"
#include "tradeplane/risk/risk_limits.h"
#include "tradeplane/risk/risk_state.h"

namespace tradeplane::risk {

struct CollarBounds {
  Price reference;
  Price low;   // ceil(reference * (10000 - bps) / 10000)
  Price high;  // floor(reference * (10000 + bps) / 10000)
};

// Rounded inward, so the band is never wider than configured.
CollarBounds CollarAround(Price reference, uint32_t collar_bps);

// A limit price must lie within [low, high]. A market order must be fillable
// from the book's levels within the collar (asks up to `high` for a buy, bids
// down to `low` for a sell); `notional` is then what those levels would cost
// (each level half-even), else the limit price times the quantity.
Decision CheckCollar(const OrderIntent& intent, const RiskState& state,
                     const InstrumentRiskLimits& limits, Amount* notional);

}  // namespace tradeplane::risk

#endif  // TRADEPLANE_RISK_SRC_PRICE_COLLAR_H_
