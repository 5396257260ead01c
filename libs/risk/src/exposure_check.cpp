#include "exposure_check.h"

#include <algorithm>

#include "tradeplane/core/str_cat.h"

#include "order_description.h"

namespace tradeplane::risk {
namespace {

using fixed_point::Int128;

Int128 Abs(Int128 v) { return v < 0 ? -v : v; }

std::string Fmt(Int128 raw) {
  if (raw > fixed_point::kMaxRaw) return "(above 9223372036)";
  if (raw < fixed_point::kMinRaw) return "(below -9223372036)";
  return fixed_point::FormatRaw(static_cast<int64_t>(raw));
}

// share = part / whole as a percentage with two decimals, for sentences.
std::string Percent(Int128 part, Int128 whole) {
  if (whole <= 0) return "?";
  absl::StatusOr<int64_t> hundredths =
      fixed_point::DivideRounded(part * 10'000, whole, Rounding::kHalfAwayFromZero);
  if (!hundredths.ok()) return "?";
  return StrCat(fixed_point::FormatRaw(*hundredths * 10'000'000), "%");
}

RefusalCode CodeForValuationError(const absl::Status& status) {
  if (absl::IsNotFound(status)) return v1::REFUSAL_CODE_NO_CONVERSION_RATE;
  if (absl::IsUnavailable(status)) return v1::REFUSAL_CODE_NO_REFERENCE_PRICE;
  return v1::REFUSAL_CODE_CONCENTRATION;
}

}  // namespace

Decision CheckExposure(const OrderIntent& intent, const RiskState& state,
                       const InstrumentRiskLimits& limits) {
  const ExposureTotals& totals = state.exposure_totals();
  const std::string& ccy = state.limits().valuation_currency();
  if (totals.unvalued > 0) {
    InstrumentIndex other = *state.FirstUnvalued();
    const InstrumentExposure& e = state.exposure(other);
    std::string name = state.instruments().at(other).id.ToString();
    std::string why = e.unvalued_code == v1::REFUSAL_CODE_NO_REFERENCE_PRICE
                          ? StrCat(name, " has no reference price")
                      : e.unvalued_code == v1::REFUSAL_CODE_NO_CONVERSION_RATE
                          ? StrCat(name, "'s quote currency has no conversion rate to ", ccy)
                          : StrCat(name, "'s exposure is out of range");
    return Decision::Refuse(e.unvalued_code, StrCat("the exposure cannot be valued: ", why,
                                                    " while it has a position or open orders"));
  }

  const InstrumentIndex i = intent.instrument;
  const InstrumentExposure& e = state.exposure(i);
  const int64_t p = state.ledger().NetQty(i).raw();
  const InstrumentOpenOrders& open = state.open_orders().ForInstrument(i);
  const bool buy = IsBuy(intent);
  // The order's side, projected: every open order on that side and this one fill.
  Int128 projected_qty = buy ? static_cast<Int128>(p) + open.buy_qty.raw() + intent.qty.raw()
                             : static_cast<Int128>(p) - open.sell_qty.raw() - intent.qty.raw();
  std::optional<int64_t> side_value = state.Value(i, projected_qty);
  if (!side_value.has_value()) {
    return Decision::Refuse(
        v1::REFUSAL_CODE_INVALID_FIELD,
        StrCat("the exposure of the ", Describe(intent, state), " is out of range"));
  }
  Int128 new_gross_i = buy ? std::max(Abs(*side_value), Abs(e.short_value))
                           : std::max(Abs(e.long_value), Abs(*side_value));
  Int128 gross = totals.gross - e.gross_value + new_gross_i;
  Int128 max_gross = state.limits().max_gross_exposure().raw();
  if (gross > max_gross && gross > totals.gross) {
    return Decision::Refuse(
        v1::REFUSAL_CODE_MAX_GROSS_EXPOSURE,
        StrCat("the ", Describe(intent, state), " would take the gross exposure to ", Fmt(gross),
               " ", ccy, " (now ", Fmt(totals.gross), "), above max_gross_exposure ",
               Fmt(max_gross), " ", ccy));
  }
  Int128 max_net = state.limits().max_net_exposure().raw();
  if (buy) {
    Int128 net = totals.net_if_buys_fill - e.long_value + *side_value;
    if (net > max_net && net > totals.net_if_buys_fill) {
      return Decision::Refuse(
          v1::REFUSAL_CODE_MAX_NET_EXPOSURE,
          StrCat("the ", Describe(intent, state),
                 " would take the net exposure, if every open buy fills, to ", Fmt(net), " ", ccy,
                 ", above max_net_exposure ", Fmt(max_net), " ", ccy));
    }
  } else {
    Int128 net = totals.net_if_sells_fill - e.short_value + *side_value;
    if (net < -max_net && net < totals.net_if_sells_fill) {
      return Decision::Refuse(
          v1::REFUSAL_CODE_MAX_NET_EXPOSURE,
          StrCat("the ", Describe(intent, state),
                 " would take the net exposure, if every open sell fills, to ", Fmt(net), " ", ccy,
                 ", beyond max_net_exposure -", Fmt(max_net), " ", ccy));
    }
  }

  if (!limits.max_concentration.is_positive() || new_gross_i <= e.gross_value) {
    return Decision::Approve();
  }
  absl::StatusOr<Amount> equity = state.ledger().Equity();
  if (!equity.ok()) {
    return Decision::Refuse(
        CodeForValuationError(equity.status()),
        StrCat("concentration cannot be checked: ", ToStd(equity.status().message())));
  }
  if (!equity->is_positive()) {
    return Decision::Refuse(v1::REFUSAL_CODE_CONCENTRATION,
                            StrCat("equity ", equity->ToString(), " ", ccy,
                                   " is not positive: no concentration is allowed"));
  }
  // cap = equity * max_concentration, rounded down (the stricter side).
  Int128 cap =
      static_cast<Int128>(equity->raw()) * limits.max_concentration.raw() / kFixedPointScale;
  if (new_gross_i > cap) {
    return Decision::Refuse(
        v1::REFUSAL_CODE_CONCENTRATION,
        StrCat("the ", Describe(intent, state), " would make ",
               state.instruments().at(i).id.ToString(), " ", Fmt(new_gross_i), " ", ccy, ", ",
               Percent(new_gross_i, equity->raw()), " of equity ", equity->ToString(), " ", ccy,
               ", above max_concentration ",
               Percent(limits.max_concentration.raw(), kFixedPointScale)));
  }
  return Decision::Approve();
}

}  // namespace tradeplane::risk
