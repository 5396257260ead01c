// What executions do to an account's balances, and the balances we expect
// at the venue from them.
//
// A spot trade moves the base asset by its quantity one way and the quote
// asset by its notional the other; the fee is paid in its own asset. Other
// instrument kinds settle through margin and PnL, which are not modelled:
// they move no balance here.
//
// Our expected balance of an asset is an opening balance plus the effects of
// every fill we journaled. The opening is taken once, at a clean run in which
// nothing was in flight: the venue's balance then less the effects of the
// fills we held then — what the account held before our trading, deposits
// included (docs/reference/reconciler.md, "Balances").
#ifndef TRADEPLANE_RECONCILIATION_BALANCE_EFFECTS_H_
#define TRADEPLANE_RECONCILIATION_BALANCE_EFFECTS_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "tradeplane/core/fixed_point.h"
#include "tradeplane/core/instrument.h"
#include "tradeplane/core/order.h"
#include "tradeplane/reconciliation/recon_input.h"

#include "absl/status/statusor.h"

namespace tradeplane::reconciliation {

// Per asset, at the 1e-9 scale, wide enough for any sum of trades.
using AssetAmounts = std::map<std::string, fixed_point::Int128, std::less<>>;

// Adds one execution's effect to `effects` (sign -1 takes it away).
// OutOfRange when its notional does not fit.
absl::Status AddBalanceEffect(const InstrumentSpec& spec, Side side, Price price, Quantity qty,
                              Amount fee, std::string_view fee_asset, int sign,
                              AssetAmounts& effects);

// The effect of all `fills`; InvalidArgument for a fill on an instrument the
// table does not have.
absl::StatusOr<AssetAmounts> FillEffects(const std::vector<OurFill>& fills,
                                         const InstrumentTable& instruments);

// Our expected balance of each asset in `openings`: the opening plus the
// effects. OutOfRange when a sum leaves the Amount range.
absl::StatusOr<std::vector<OurBalance>> ExpectedBalances(
    const std::map<std::string, Amount, std::less<>>& openings, const AssetAmounts& effects);

// The opening of `asset` implied by the venue's `balance` (free + locked)
// and the effects of the fills held at that moment.
absl::StatusOr<Amount> OpeningBalance(std::string_view asset, Amount balance,
                                      const AssetAmounts& effects);

}  // namespace tradeplane::reconciliation

#endif  // TRADEPLANE_RECONCILIATION_BALANCE_EFFECTS_H_
