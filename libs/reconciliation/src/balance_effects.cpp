#include "tradeplane/reconciliation/balance_effects.h"

#include "tradeplane/core/str_cat.h"

namespace tradeplane::reconciliation {
namespace {

using fixed_point::Int128;

fixed_point::Int128 Effect(const AssetAmounts& effects, std::string_view asset) {
  auto it = effects.find(asset);
  return it == effects.end() ? 0 : it->second;
}

absl::StatusOr<Amount> ToAmount(Int128 value, std::string_view what) {
  if (value > static_cast<Int128>(INT64_MAX) || value < static_cast<Int128>(INT64_MIN)) {
    return absl::OutOfRangeError(StrCat(what, " does not fit an amount"));
  }
  return Amount::FromRaw(static_cast<int64_t>(value));
}

}  // namespace

absl::Status AddBalanceEffect(const InstrumentSpec& spec, Side side, Price price, Quantity qty,
                              Amount fee, std::string_view fee_asset, int sign,
                              AssetAmounts& effects) {
  const int direction = sign * SideSign(side);
  if (spec.kind == marketdata::v1::INSTRUMENT_KIND_SPOT && !spec.base_asset.empty() &&
      !spec.quote_asset.empty()) {
    absl::StatusOr<Amount> notional = Notional(price, qty);
    if (!notional.ok()) {
      return absl::OutOfRangeError(StrCat("trade on ", spec.id.ToString(), ": notional of ",
                                          qty.ToString(), " @ ", price.ToString(), ": ",
                                          ToStd(notional.status().message())));
    }
    effects[spec.base_asset] += static_cast<Int128>(direction) * qty.raw();
    effects[spec.quote_asset] -= static_cast<Int128>(direction) * notional->raw();
  }
  if (!fee_asset.empty() && !fee.is_zero()) {
    auto it = effects.find(fee_asset);
    if (it == effects.end()) it = effects.emplace(fee_asset, 0).first;
    it->second -= static_cast<Int128>(sign) * fee.raw();
  }
  return absl::OkStatus();
}

absl::StatusOr<AssetAmounts> FillEffects(const std::vector<OurFill>& fills,
                                         const InstrumentTable& instruments) {
  AssetAmounts effects;
  for (const OurFill& f : fills) {
    if (f.instrument >= instruments.size()) {
      return absl::InvalidArgumentError(
          StrCat("fill ", f.fill_id, ": instrument ", f.instrument, " is not in the table"));
    }
    absl::Status s = AddBalanceEffect(instruments.at(f.instrument), f.side, f.price, f.qty, f.fee,
                                      f.fee_asset, +1, effects);
    if (!s.ok()) return s;
  }
  return effects;
}

absl::StatusOr<std::vector<OurBalance>> ExpectedBalances(
    const std::map<std::string, Amount, std::less<>>& openings, const AssetAmounts& effects) {
  std::vector<OurBalance> out;
  for (const auto& [asset, opening] : openings) {
    absl::StatusOr<Amount> total =
        ToAmount(static_cast<Int128>(opening.raw()) + Effect(effects, asset),
                 StrCat("the expected balance of ", asset));
    if (!total.ok()) return total.status();
    out.push_back({.asset = asset, .total = *total});
  }
  return out;
}

absl::StatusOr<Amount> OpeningBalance(std::string_view asset, Amount balance,
                                      const AssetAmounts& effects) {
  return ToAmount(static_cast<Int128>(balance.raw()) - Effect(effects, asset),
                  StrCat("the opening balance of ", asset));
}

}  // namespace tradeplane::reconciliation
