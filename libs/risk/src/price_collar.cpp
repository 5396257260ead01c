#include "price_collar.h"

#include <algorithm>

#include "tradeplane/core/enum_names.h"
#include "tradeplane/core/str_cat.h"

#include "order_description.h"

namespace tradeplane::risk {
namespace {

using fixed_point::Int128;

constexpr int64_t kBpsPerUnit = 10'000;

Price Bound(Price reference, int64_t factor_bps, Rounding rounding) {
  absl::StatusOr<int64_t> raw = fixed_point::DivideRounded(
      static_cast<Int128>(reference.raw()) * factor_bps, kBpsPerUnit, rounding);
  return raw.ok() ? Price::FromRaw(*raw) : Price::Max();  // only a huge reference overflows
}

std::string_view ReferenceWord(v1::ReferencePrice kind) {
  return kind == v1::REFERENCE_PRICE_LAST ? "last price" : "mid";
}

}  // namespace

CollarBounds CollarAround(Price reference, uint32_t collar_bps) {
  int64_t bps = std::min<int64_t>(collar_bps, kBpsPerUnit);
  return CollarBounds{reference, Bound(reference, kBpsPerUnit - bps, Rounding::kCeiling),
                      Bound(reference, kBpsPerUnit + bps, Rounding::kFloor)};
}

Decision CheckCollar(const OrderIntent& intent, const RiskState& state,
                     const InstrumentRiskLimits& limits, Amount* notional) {
  // CheckMarketData has made sure there is one.
  Price reference = *state.ReferencePrice(intent.instrument);
  CollarBounds collar = CollarAround(reference, limits.collar_bps);
  bool buy = IsBuy(intent);

  if (!IsMarket(intent)) {
    if (intent.price < collar.low || intent.price > collar.high) {
      // The distance in hundredths of a basis point, for the sentence.
      absl::StatusOr<int64_t> off_centi_bps = fixed_point::DivideRounded(
          (static_cast<Int128>(intent.price.raw()) - reference.raw()) * kBpsPerUnit * 100,
          reference.raw(), Rounding::kHalfAwayFromZero);
      int64_t off = off_centi_bps.ok() ? *off_centi_bps : 0;
      std::string off_bps = fixed_point::FormatRaw((off < 0 ? -off : off) * 10'000'000);
      return Decision::Refuse(
          v1::REFUSAL_CODE_PRICE_COLLAR,
          StrCat("the ", Describe(intent, state), " is ", off_bps, " bps ",
                 off < 0 ? "below" : "above", " the ", ReferenceWord(limits.reference_price), " ",
                 reference.ToString(), ": the collar of ", limits.collar_bps, " bps allows ",
                 collar.low.ToString(), " to ", collar.high.ToString()));
    }
    absl::StatusOr<Amount> n = Notional(intent.price, intent.qty, Rounding::kHalfEven);
    if (!n.ok()) {
      return Decision::Refuse(
          v1::REFUSAL_CODE_INVALID_FIELD,
          StrCat("the notional of the ", Describe(intent, state), " is out of range"));
    }
    *notional = *n;
    return Decision::Approve();
  }

  // A market order takes levels until filled, as far as the collar allows.
  Int128 needed = intent.qty.raw();
  Int128 cost = 0;
  for (const marketdata::BookLevel& level :
       state.market().at(intent.instrument).LevelsTakenBy(intent.side)) {
    if (buy ? level.price > collar.high : level.price < collar.low) break;
    if (!level.qty.is_positive() || !level.price.is_positive()) continue;
    int64_t take = static_cast<int64_t>(std::min<Int128>(needed, level.qty.raw()));
    absl::StatusOr<int64_t> level_cost =
        fixed_point::MulRaw(level.price.raw(), take, Rounding::kHalfEven);
    if (!level_cost.ok()) break;
    cost += *level_cost;
    needed -= take;
    if (needed == 0) break;
  }
  if (needed > 0) {
    Quantity available = Quantity::FromRaw(static_cast<int64_t>(intent.qty.raw() - needed));
    return Decision::Refuse(
        v1::REFUSAL_CODE_INSUFFICIENT_DEPTH,
        StrCat("the ", Describe(intent, state), " can fill only ", available.ToString(),
               " within the collar (", buy ? "asks up to " : "bids down to ",
               (buy ? collar.high : collar.low).ToString(), ", ", limits.collar_bps,
               " bps around the ", ReferenceWord(limits.reference_price), " ", reference.ToString(),
               ")"));
  }
  if (cost > fixed_point::kMaxRaw) {
    return Decision::Refuse(
        v1::REFUSAL_CODE_INVALID_FIELD,
        StrCat("the notional of the ", Describe(intent, state), " is out of range"));
  }
  *notional = Amount::FromRaw(static_cast<int64_t>(cost));
  return Decision::Approve();
}

}  // namespace tradeplane::risk
