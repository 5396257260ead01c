#include "tradeplane/risk/position_account.h"

#include "tradeplane/core/order.h"
#include "tradeplane/core/str_cat.h"

#include "raw_sum.h"

namespace tradeplane::risk {
namespace {

using fixed_point::Int128;

absl::StatusOr<int64_t> ScaleBy(int64_t value, int64_t numerator, int64_t denominator) {
  return fixed_point::DivideRounded(static_cast<Int128>(value) * numerator, denominator,
                                    Rounding::kHalfEven);
}

absl::Status OutOfRange(std::string_view what) {
  return absl::OutOfRangeError(StrCat(what, " is outside the fixed-point range"));
}

absl::Status Overflow(std::string_view what, const absl::Status& cause) {
  return absl::OutOfRangeError(StrCat(what, ": ", ToStd(cause.message())));
}

}  // namespace

absl::StatusOr<PositionAccount> PositionAccount::Restore(Quantity qty, Price avg_cost,
                                                         Amount realized, Amount quote_fees) {
  if (avg_cost.is_negative()) {
    return absl::InvalidArgumentError(StrCat("average cost ", avg_cost.ToString(), " is negative"));
  }
  absl::StatusOr<Amount> cost = Notional(avg_cost, qty, Rounding::kHalfEven);
  if (!cost.ok()) return Overflow("restored cost basis", cost.status());
  PositionAccount account;
  account.qty_ = qty;
  account.cost_basis_ = *cost;  // signed as qty: the notional of a negative qty is negative
  account.realized_ = realized;
  account.quote_fees_ = quote_fees;
  return account;
}

absl::Status PositionAccount::Apply(Side side, Price price, Quantity qty) {
  int sign = SideSign(side);
  if (sign == 0) return absl::InvalidArgumentError("fill side is unspecified");
  if (!price.is_positive()) {
    return absl::InvalidArgumentError(StrCat("fill price ", price.ToString(), " is not positive"));
  }
  if (!qty.is_positive()) {
    return absl::InvalidArgumentError(StrCat("fill quantity ", qty.ToString(), " is not positive"));
  }
  absl::StatusOr<Amount> notional = Notional(price, qty, Rounding::kHalfEven);
  if (!notional.ok()) return Overflow("fill notional", notional.status());
  const int64_t n = notional->raw();
  const int64_t q = qty.raw();
  const int64_t held = qty_.raw();

  PositionAccount next = *this;
  bool adds = held == 0 || (held > 0) == (sign > 0);
  if (adds) {
    std::optional<int64_t> new_qty = SumRaw(held, sign * q);
    if (!new_qty.has_value()) return OutOfRange("position quantity");
    std::optional<int64_t> new_cost = SumRaw(cost_basis_.raw(), sign * n);
    if (!new_cost.has_value()) return OutOfRange("cost basis");
    next.qty_ = Quantity::FromRaw(*new_qty);
    next.cost_basis_ = Amount::FromRaw(*new_cost);
    *this = next;
    return absl::OkStatus();
  }

  const int64_t abs_held = held < 0 ? -held : held;
  const int64_t closed = q < abs_held ? q : abs_held;
  int64_t removed = cost_basis_.raw();
  if (closed != abs_held) {
    absl::StatusOr<int64_t> r = ScaleBy(cost_basis_.raw(), closed, abs_held);
    if (!r.ok()) return Overflow("removed cost", r.status());
    removed = *r;
  }
  int64_t closed_notional = n;
  if (closed != q) {
    absl::StatusOr<int64_t> c = ScaleBy(n, closed, q);
    if (!c.ok()) return Overflow("closed notional", c.status());
    closed_notional = *c;
  }
  // Cash in for a sell (+N_c), out for a buy (-N_c), less what the closed
  // quantity had cost.
  Int128 pnl = static_cast<Int128>(-sign) * closed_notional - removed;
  std::optional<int64_t> realized = FitRaw(static_cast<Int128>(realized_.raw()) + pnl);
  if (!realized.has_value()) return OutOfRange("realized PnL");
  next.realized_ = Amount::FromRaw(*realized);
  // Same sign as the position and no larger: no overflow.
  int64_t cost_left = cost_basis_.raw() - removed;
  int64_t qty_left = held + sign * closed;
  if (closed < q) {
    // Through zero: the rest opens a position on the fill's side.
    next.qty_ = Quantity::FromRaw(sign * (q - closed));
    next.cost_basis_ = Amount::FromRaw(sign * (n - closed_notional));
  } else {
    next.qty_ = Quantity::FromRaw(qty_left);
    next.cost_basis_ = Amount::FromRaw(cost_left);
  }
  *this = next;
  return absl::OkStatus();
}

absl::Status PositionAccount::AddQuoteFee(Amount fee) {
  std::optional<int64_t> fees = SumRaw(quote_fees_.raw(), fee.raw());
  if (!fees.has_value()) return OutOfRange("fees");
  quote_fees_ = Amount::FromRaw(*fees);
  return absl::OkStatus();
}

Price PositionAccount::AverageCost() const {
  if (qty_.is_zero()) return Price::Zero();
  absl::StatusOr<Price> avg = PricePerUnit(cost_basis_.Abs(), qty_.Abs(), Rounding::kHalfEven);
  return avg.ok() ? *avg : Price::Max();
}

absl::StatusOr<Amount> PositionAccount::Unrealized(Price mark) const {
  if (qty_.is_zero()) return Amount::Zero();
  absl::StatusOr<Amount> value = Notional(mark, qty_, Rounding::kHalfEven);
  if (!value.ok()) return Overflow("position value", value.status());
  std::optional<int64_t> unrealized = FitRaw(static_cast<Int128>(value->raw()) - cost_basis_.raw());
  if (!unrealized.has_value()) return OutOfRange("unrealized PnL");
  return Amount::FromRaw(*unrealized);
}

}  // namespace tradeplane::risk
