// The accounting of one position with the average-cost method.
//
// State: the signed quantity (+ long), the signed cost basis (what the open
// quantity cost: positive for a long, minus the proceeds for a short), the
// realized PnL and the fees paid in the quote asset. All in fixed point.
//
// A fill of `q` at `p` has the notional N = Notional(p, q), rounded half-even
// once (as the venue would state it). Then:
//  - opening or adding (flat, or the fill on the position's side):
//      qty += ±q; cost_basis += ±N.
//  - reducing (the opposite side), for the closed part c = min(q, |qty|):
//      removed = cost_basis * c / |qty|   (half-even; all of it when c = |qty|)
//      N_c     = N * c / q                (half-even; all of N when c = q)
//      realized += (sell ? N_c : -N_c) - removed
//      cost_basis -= removed; qty moves c toward zero.
//  - flipping through zero: the rest r = q - c opens a new position on the
//    fill's side at the rest of the notional: qty = ±r, cost_basis = ±(N - N_c).
// The average cost is |cost_basis| / |qty| (half-even), for display: the cost
// basis itself is carried exactly, so that for any sequence of fills
//   realized + unrealized(mark) == sum of signed cash flows + Notional(mark, qty)
// holds to the unit, with unrealized(mark) = Notional(mark, qty) - cost_basis
// and the cash flow of a fill +N for a sell, -N for a buy. Fees are kept apart
// (net PnL = realized + unrealized - fees).
#ifndef TRADEPLANE_RISK_POSITION_ACCOUNT_H_
#define TRADEPLANE_RISK_POSITION_ACCOUNT_H_

#include "tradeplane/core/fixed_point.h"
#include "tradeplane/core/instrument.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace tradeplane::risk {

class PositionAccount {
 public:
  PositionAccount() = default;

  // A position carried in (from the store or an opening statement). The cost
  // basis is rebuilt as Notional(avg_cost, |qty|), half-even, signed as qty.
  static absl::StatusOr<PositionAccount> Restore(Quantity qty, Price avg_cost, Amount realized,
                                                 Amount quote_fees);

  // Applies one fill. On error (bad side, non-positive price or quantity,
  // overflow) the account is unchanged.
  absl::Status Apply(Side side, Price price, Quantity qty);
  // Adds a fee in the quote asset (negative for a rebate).
  absl::Status AddQuoteFee(Amount fee);

  Quantity qty() const { return qty_; }
  Amount cost_basis() const { return cost_basis_; }
  Amount realized() const { return realized_; }
  Amount quote_fees() const { return quote_fees_; }
  bool flat() const { return qty_.is_zero(); }
  // |cost_basis| / |qty|, half-even; zero when flat.
  Price AverageCost() const;
  // Notional(mark, qty) - cost_basis.
  absl::StatusOr<Amount> Unrealized(Price mark) const;

  friend bool operator==(const PositionAccount&, const PositionAccount&) = default;

 private:
  Quantity qty_;
  Amount cost_basis_;
  Amount realized_;
  Amount quote_fees_;
};

}  // namespace tradeplane::risk

#endif  // TRADEPLANE_RISK_POSITION_ACCOUNT_H_
