// Gross and net exposure and concentration, projected with one more order.
#ifndef TRADEPLANE_RISK_SRC_EXPOSURE_CHECK_H_
#define TRADEPLANE_RISK_SRC_EXPOSURE_CHECK_H_

#include "tradeplane/core/order.h"
#include "tradeplane/risk/pre_trade_check.h"
#include "tradeplane/risk/risk_limits.h"
#include "tradeplane/risk/risk_state.h"

namespace tradeplane::risk {

// With the order added to its side's open quantity (see risk_state.h for
// the values): the gross exposure, the net exposure's worst case on the
// order's side, and the instrument's gross as a share of equity. Each is
// refused only when it would be above its limit and the order makes it
// larger; an instrument that cannot be valued refuses every order here.
Decision CheckExposure(const OrderIntent& intent, const RiskState& state,
                       const InstrumentRiskLimits& limits);

}  // namespace tradeplane::risk

#endif  // TRADEPLANE_RISK_SRC_EXPOSURE_CHECK_H_
