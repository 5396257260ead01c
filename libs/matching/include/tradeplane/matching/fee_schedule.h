// Maker and taker fees as basis points of the trade's notional, charged in the
// instrument's quote asset (see docs/explanation/simulated-matching.md).
#ifndef TRADEPLANE_MATCHING_FEE_SCHEDULE_H_
#define TRADEPLANE_MATCHING_FEE_SCHEDULE_H_

#include "tradeplane/core/fixed_point.h"
#include "tradeplane/core/order.h"

#include "absl/status/status.h"

namespace tradeplane::matching {

// Basis points with the suite's 9 decimals, so Binance's 7.5 bps (0.075 %) is exact.
struct FeeBpsTag {};
using FeeBps = FixedPoint<FeeBpsTag>;

struct FeeSchedule {
  FeeBps maker_bps;  // may be negative: a rebate paid to the maker
  FeeBps taker_bps;  // >= 0

  // Taker in [0, 10000] bps, maker in [-10000, 10000] bps.
  absl::Status Validate() const;

  FeeBps For(Liquidity liquidity) const {
    return liquidity == orders::v1::LIQUIDITY_MAKER ? maker_bps : taker_bps;
  }
  // The larger of the two rates, at least zero: what a resting buy locks for.
  FeeBps Max() const;

  // notional * bps / 10000, truncated toward zero: never more than the exact
  // fee (and a rebate never more than the exact rebate). |fee| <= |notional|,
  // so this cannot overflow.
  static Amount FeeOn(Amount notional, FeeBps bps);
};

}  // namespace tradeplane::matching

#endif  // TRADEPLANE_MATCHING_FEE_SCHEDULE_H_
