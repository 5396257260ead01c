#include "tradeplane/risk/risk_limits.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "tradeplane/core/enum_names.h"
#include "tradeplane/core/str_cat.h"

#include "absl/status/status.h"
#include "absl/strings/str_join.h"

namespace tradeplane::risk {
namespace {

constexpr uint32_t kMaxCollarBps = 10'000;

std::string Fmt(int64_t raw) { return fixed_point::FormatRaw(raw); }

// Collects every problem of one Limits message, each prefixed with its path.
class Problems {
 public:
  void Add(std::string_view path, std::string_view what) {
    errors_.push_back(path.empty() ? std::string(what) : StrCat(path, ": ", what));
  }
  bool empty() const { return errors_.empty(); }
  absl::Status ToStatus() const { return absl::InvalidArgumentError(absl::StrJoin(errors_, "\n")); }

 private:
  std::vector<std::string> errors_;
};

RateLimit ToRateLimit(uint32_t per_second, uint32_t burst) {
  return RateLimit{per_second, per_second == 0 ? 0 : (burst == 0 ? per_second : burst)};
}

void CheckBurst(uint32_t per_second, uint32_t burst, std::string_view path, Problems* problems) {
  if (burst != 0 && per_second == 0) {
    problems->Add(path, StrCat("order_burst ", burst,
                               " is set without max_orders_per_second (a burst needs a rate)"));
  }
}

// A fraction in [0, 1] from the contract's double, rounded down so that the
// limit a person wrote is never loosened by the conversion.
std::optional<Ratio> ToRatio(double value, std::string_view field, std::string_view path,
                             Problems* problems) {
  if (!std::isfinite(value) || value < 0 || value > 1) {
    problems->Add(path, StrCat(field, " ", value, " is not a fraction in [0, 1]"));
    return std::nullopt;
  }
  absl::StatusOr<Ratio> ratio = Ratio::FromDouble(value, Rounding::kFloor);
  if (!ratio.ok()) {
    problems->Add(path, StrCat(field, ": ", ToStd(ratio.status().message())));
    return std::nullopt;
  }
  return *ratio;
}

void CheckNotNegative(int64_t raw, std::string_view field, std::string_view path,
                      Problems* problems) {
  if (raw < 0) problems->Add(path, StrCat(field, " ", Fmt(raw), " is negative"));
}

std::optional<InstrumentRiskLimits> ConvertInstrument(
    const v1::InstrumentLimits& p, const InstrumentTable& table,
    const std::map<std::string, Price, std::less<>>& rates, std::string_view valuation_currency,
    std::string_view path, Problems* problems) {
  InstrumentId id = InstrumentId::FromProto(p.instrument());
  if (id.venue == common::v1::VENUE_UNSPECIFIED || id.symbol.empty()) {
    problems->Add(path, "instrument is required (venue and symbol)");
    return std::nullopt;
  }
  std::optional<InstrumentIndex> index = table.Find(id);
  if (!index.has_value()) {
    problems->Add(path, "is not in the instrument table");
    return std::nullopt;
  }
  const InstrumentSpec& venue = table.at(*index);
  InstrumentRiskLimits l;
  l.instrument = *index;
  l.enabled = p.enabled();
  l.spec = venue;
  l.spec.min_qty = Quantity::Zero();
  l.spec.max_qty = Quantity::Zero();
  l.spec.min_notional = Amount::Zero();

  bool ok = true;
  auto fail = [&](std::string what) {
    problems->Add(path, what);
    ok = false;
  };
  if (p.tick_size() < 0) {
    fail(StrCat("tick_size ", Fmt(p.tick_size()), " is negative"));
  } else if (p.tick_size() > 0) {
    if (p.tick_size() % venue.tick_size.raw() != 0) {
      fail(StrCat("tick_size ", Fmt(p.tick_size()), " is not a multiple of the venue's tick size ",
                  venue.tick_size.ToString()));
    } else {
      l.spec.tick_size = Price::FromRaw(p.tick_size());
    }
  }
  if (p.lot_size() < 0) {
    fail(StrCat("lot_size ", Fmt(p.lot_size()), " is negative"));
  } else if (p.lot_size() > 0) {
    if (p.lot_size() % venue.lot_size.raw() != 0) {
      fail(StrCat("lot_size ", Fmt(p.lot_size()), " is not a multiple of the venue's lot size ",
                  venue.lot_size.ToString()));
    } else {
      l.spec.lot_size = Quantity::FromRaw(p.lot_size());
    }
  }
  CheckNotNegative(p.min_qty(), "min_qty", path, problems);
  CheckNotNegative(p.max_qty(), "max_qty", path, problems);
  CheckNotNegative(p.min_notional(), "min_notional", path, problems);
  CheckNotNegative(p.max_notional(), "max_notional", path, problems);
  CheckNotNegative(p.max_position(), "max_position", path, problems);
  if (p.min_qty() > 0 && p.max_qty() > 0 && p.min_qty() > p.max_qty()) {
    fail(StrCat("min_qty ", Fmt(p.min_qty()), " is above max_qty ", Fmt(p.max_qty())));
  }
  if (p.min_notional() > 0 && p.max_notional() > 0 && p.min_notional() > p.max_notional()) {
    fail(StrCat("min_notional ", Fmt(p.min_notional()), " is above max_notional ",
                Fmt(p.max_notional())));
  }
  l.min_qty = Quantity::FromRaw(std::max(venue.min_qty.raw(), std::max<int64_t>(p.min_qty(), 0)));
  int64_t max_qty = venue.max_qty.raw();
  if (p.max_qty() > 0 && (max_qty == 0 || p.max_qty() < max_qty)) max_qty = p.max_qty();
  l.max_qty = Quantity::FromRaw(max_qty);
  if (ok && l.max_qty.is_positive() && l.min_qty > l.max_qty) {
    fail(StrCat("min_qty ", l.min_qty.ToString(), " (with the venue's) is above max_qty ",
                l.max_qty.ToString(), " (with the venue's)"));
  }
  if (ok && l.max_qty.is_positive() && l.max_qty < l.spec.lot_size) {
    fail(StrCat("max_qty ", l.max_qty.ToString(), " is below one lot (", l.spec.lot_size.ToString(),
                ")"));
  }
  l.min_notional =
      Amount::FromRaw(std::max(venue.min_notional.raw(), std::max<int64_t>(p.min_notional(), 0)));
  l.max_notional = Amount::FromRaw(std::max<int64_t>(p.max_notional(), 0));
  if (ok && l.max_notional.is_positive() && l.min_notional > l.max_notional) {
    fail(StrCat("max_notional ", l.max_notional.ToString(), " is below the venue's min_notional ",
                l.min_notional.ToString()));
  }

  if (p.collar_bps() > kMaxCollarBps) {
    fail(StrCat("collar_bps ", p.collar_bps(), " is above ", kMaxCollarBps, " (100%)"));
  } else if (p.collar_bps() == 0 && l.enabled) {
    fail("collar_bps is required for an enabled instrument (1..10000)");
  }
  l.collar_bps = p.collar_bps();
  l.reference_price = p.reference_price();
  if (l.reference_price != v1::REFERENCE_PRICE_MID &&
      l.reference_price != v1::REFERENCE_PRICE_LAST) {
    if (l.reference_price != v1::REFERENCE_PRICE_UNSPECIFIED) {
      fail(StrCat("reference_price ", static_cast<int>(l.reference_price), " is not MID or LAST"));
    } else if (l.enabled) {
      fail("reference_price is required for an enabled instrument (MID or LAST)");
    }
  }
  l.max_position = Quantity::FromRaw(std::max<int64_t>(p.max_position(), 0));
  if (p.max_position() == 0 && l.enabled) {
    fail("max_position is required for an enabled instrument");
  }
  if (std::optional<Ratio> r =
          ToRatio(p.max_concentration(), "max_concentration", path, problems)) {
    l.max_concentration = *r;
  }
  CheckBurst(p.max_orders_per_second(), p.order_burst(), path, problems);
  l.order_rate = ToRateLimit(p.max_orders_per_second(), p.order_burst());
  l.cancel_rate = ToRateLimit(p.max_cancels_per_second(), 0);
  l.stale_after = std::chrono::milliseconds(p.stale_after_ms());
  if (p.stale_after_ms() == 0 && l.enabled) {
    fail("stale_after_ms is required for an enabled instrument");
  }
  if (!p.quote_currency().empty() && !venue.quote_asset.empty() &&
      p.quote_currency() != venue.quote_asset) {
    fail(StrCat("quote_currency ", p.quote_currency(),
                " differs from the instrument's quote asset ", venue.quote_asset));
  }
  l.quote_currency = p.quote_currency().empty() ? venue.quote_asset : p.quote_currency();
  if (l.quote_currency.empty()) {
    fail("quote_currency is required (the instrument table names no quote asset)");
  }
  if (l.quote_currency == valuation_currency) {
    l.quote_rate = Price::FromRaw(kFixedPointScale);
  } else if (auto it = rates.find(l.quote_currency); it != rates.end()) {
    l.quote_rate = it->second;
  }
  if (!ok) return std::nullopt;
  return l;
}

}  // namespace

std::optional<Price> RiskLimits::Rate(std::string_view currency) const {
  if (currency == valuation_currency_) return Price::FromRaw(kFixedPointScale);
  auto it = rates_.find(currency);
  if (it == rates_.end()) return std::nullopt;
  return it->second;
}

absl::StatusOr<RiskLimits> RiskLimits::FromProto(const v1::Limits& proto,
                                                 const InstrumentTable& instruments) {
  Problems problems;
  RiskLimits limits;
  limits.proto_ = proto;

  limits.valuation_currency_ = proto.valuation_currency();
  if (limits.valuation_currency_.empty()) problems.Add("valuation_currency", "is required");
  std::vector<std::string> currencies;
  for (const auto& [currency, rate] : proto.conversion_rates()) currencies.push_back(currency);
  std::sort(currencies.begin(), currencies.end());  // proto maps have no order
  for (const std::string& currency : currencies) {
    int64_t rate = proto.conversion_rates().at(currency);
    std::string path = StrCat("conversion_rates[", currency, "]");
    if (currency.empty()) {
      problems.Add("conversion_rates", "a currency name is empty");
    } else if (rate <= 0) {
      problems.Add(path, StrCat("rate ", Fmt(rate), " is not positive"));
    } else if (currency == limits.valuation_currency_ && rate != kFixedPointScale) {
      problems.Add(path, StrCat("the valuation currency's own rate must be 1, not ", Fmt(rate)));
    } else {
      limits.rates_.emplace(currency, Price::FromRaw(rate));
    }
  }

  if (proto.max_gross_exposure() <= 0) {
    problems.Add("max_gross_exposure", "is required (a positive amount)");
  }
  if (proto.max_net_exposure() <= 0) {
    problems.Add("max_net_exposure", "is required (a positive amount)");
  }
  if (proto.max_gross_exposure() > 0 && proto.max_net_exposure() > proto.max_gross_exposure()) {
    problems.Add("max_net_exposure",
                 StrCat(Fmt(proto.max_net_exposure()), " is above max_gross_exposure ",
                        Fmt(proto.max_gross_exposure()), " (net can never exceed gross)"));
  }
  if (proto.max_open_orders() == 0) problems.Add("max_open_orders", "is required (at least 1)");
  limits.max_gross_exposure_ = Amount::FromRaw(std::max<int64_t>(proto.max_gross_exposure(), 0));
  limits.max_net_exposure_ = Amount::FromRaw(std::max<int64_t>(proto.max_net_exposure(), 0));
  limits.max_open_orders_ = proto.max_open_orders();

  limits.by_index_.assign(instruments.size(), -1);
  std::vector<int> listed_at(instruments.size(), -1);  // for "listed twice" messages
  for (int k = 0; k < proto.instruments_size(); ++k) {
    const v1::InstrumentLimits& p = proto.instruments(k);
    InstrumentId id = InstrumentId::FromProto(p.instrument());
    std::string path =
        StrCat("instruments[", k, "] (", id.symbol.empty() ? "?" : id.ToString(), ")");
    std::optional<InstrumentRiskLimits> l = ConvertInstrument(
        p, instruments, limits.rates_, limits.valuation_currency_, path, &problems);
    if (!l.has_value()) continue;
    if (listed_at[l->instrument] >= 0) {
      problems.Add(
          path, StrCat("is listed twice (first at instruments[", listed_at[l->instrument], "])"));
      continue;
    }
    listed_at[l->instrument] = k;
    limits.by_index_[l->instrument] = static_cast<int32_t>(limits.instruments_.size());
    limits.instruments_.push_back(std::move(*l));
  }

  for (int k = 0; k < proto.strategies_size(); ++k) {
    const v1::StrategyLimits& p = proto.strategies(k);
    std::string path =
        StrCat("strategies[", k, "] (", p.strategy_id().empty() ? "?" : p.strategy_id(), ")");
    if (p.strategy_id().empty()) {
      problems.Add(path, "strategy_id is required");
      continue;
    }
    if (limits.strategies_.count(p.strategy_id()) > 0) {
      problems.Add(path, "is listed twice");
      continue;
    }
    CheckBurst(p.max_orders_per_second(), p.order_burst(), path, &problems);
    CheckNotNegative(p.max_notional(), "max_notional", path, &problems);
    if (proto.max_open_orders() > 0 && p.max_open_orders() > proto.max_open_orders()) {
      problems.Add(path, StrCat("max_open_orders ", p.max_open_orders(),
                                " is above the global max_open_orders ", proto.max_open_orders()));
    }
    StrategyRiskLimits s;
    s.id = p.strategy_id();
    s.enabled = p.enabled();
    s.max_open_orders = p.max_open_orders();
    s.order_rate = ToRateLimit(p.max_orders_per_second(), p.order_burst());
    s.max_order_notional = Amount::FromRaw(std::max<int64_t>(p.max_notional(), 0));
    limits.strategy_ids_.push_back(s.id);
    limits.strategies_.emplace(s.id, std::move(s));
  }

  const v1::BreakerLimits& b = proto.breakers();
  CheckNotNegative(b.daily_loss_limit(), "daily_loss_limit", "breakers", &problems);
  CheckNotNegative(b.max_drawdown(), "max_drawdown", "breakers", &problems);
  limits.breakers_.daily_loss_limit = Amount::FromRaw(std::max<int64_t>(b.daily_loss_limit(), 0));
  limits.breakers_.max_drawdown = Amount::FromRaw(std::max<int64_t>(b.max_drawdown(), 0));
  if (std::optional<Ratio> r =
          ToRatio(b.max_reject_ratio(), "max_reject_ratio", "breakers", &problems)) {
    limits.breakers_.max_reject_ratio = *r;
    if (r->is_positive() && b.reject_window_s() == 0) {
      problems.Add("breakers", "reject_window_s is required when max_reject_ratio is set");
    }
  }
  limits.breakers_.reject_window = std::chrono::seconds(b.reject_window_s());
  limits.breakers_.market_data_stale = std::chrono::seconds(b.market_data_stale_s());

  if (!problems.empty()) return problems.ToStatus();
  return limits;
}

}  // namespace tradeplane::risk
