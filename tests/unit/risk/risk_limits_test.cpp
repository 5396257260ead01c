// Limits: the contract converts into a validated domain config, and every
// inconsistency is refused with the path of its field.
#include <cmath>
#include <limits>

#include <catch2/catch.hpp>

#include "tradeplane/core/config_loader.h"

#include "risk_fixture.h"

namespace tradeplane::risk {
namespace {

using namespace testing;  // NOLINT: the fixture's vocabulary

std::string ErrorOf(const RiskFixture& f) {
  absl::StatusOr<RiskLimits> limits = RiskLimits::FromProto(f.limits, f.table);
  REQUIRE_FALSE(limits.ok());
  CHECK(absl::IsInvalidArgument(limits.status()));
  return std::string(ToStd(limits.status().message()));
}

TEST_CASE("consistent limits convert with defaults filled in", "[risk][limits]") {
  RiskFixture f;
  f.LimitsOf(f.amzn)->set_max_orders_per_second(5);
  f.LimitsOf(f.amzn)->set_max_cancels_per_second(7);
  f.LimitsOf(f.nkn)->set_max_concentration(0.3);
  std::shared_ptr<const RiskLimits> limits = f.BuildLimits();
  const InstrumentRiskLimits* amzn = limits->instrument(f.amzn);
  REQUIRE(amzn != nullptr);
  CHECK(amzn->enabled);
  CHECK(amzn->collar_bps == 500);
  CHECK(amzn->order_rate.per_second == 5);
  CHECK(amzn->order_rate.burst == 5);  // burst defaults to the rate
  CHECK(amzn->cancel_rate.per_second == 7);
  CHECK(amzn->cancel_rate.burst == 7);
  CHECK(amzn->quote_currency == "USD");  // from the instrument table
  CHECK(amzn->quote_rate == Px("1"));
  CHECK(amzn->stale_after == std::chrono::milliseconds(2000));
  CHECK(limits->instrument(f.nkn)->quote_rate == Px("1"));  // the valuation currency itself
  CHECK(limits->instrument(f.lrc)->quote_rate == Px("56000"));
  CHECK_FALSE(limits->instrument(f.rune)->quote_rate.has_value());
  CHECK(limits->instrument(f.nkn)->max_concentration == Ratio::FromRaw(300'000'000));
  CHECK(limits->instrument(99) == nullptr);
  REQUIRE(limits->strategy("mm") != nullptr);
  CHECK(limits->strategy("mm")->enabled);
  CHECK_FALSE(limits->strategy("off")->enabled);
  CHECK(limits->strategy("nobody") == nullptr);
  CHECK(limits->strategy_ids() == std::vector<std::string>{"mm", "trend", "off"});
  CHECK(limits->Rate("USDT") == Px("1"));
  CHECK(limits->Rate("BTC") == Px("56000"));
  CHECK_FALSE(limits->Rate("EUR").has_value());
  CHECK(limits->proto().instruments_size() == 4);
}

TEST_CASE("min_qty above max_qty is refused with the field path", "[risk][limits]") {
  RiskFixture f;
  f.limits.mutable_instruments()->SwapElements(0, 2);  // NKNUSDT is instruments[2]
  f.LimitsOf(f.nkn)->set_min_qty(Raw("5"));
  f.LimitsOf(f.nkn)->set_max_qty(Raw("1"));
  CHECK(ErrorOf(f) == "instruments[2] (BINANCE.NKNUSDT): min_qty 5 is above max_qty 1");
}

TEST_CASE("the venue's own quantity limits combine with the limits'", "[risk][limits]") {
  RiskFixture f;
  InstrumentSpec spec = Spec(common::v1::VENUE_BINANCE, "BLZETH", "BLZ", "ETH", "0.00000001", "1");
  spec.min_qty = Qty("10");
  spec.max_qty = Qty("90000");
  spec.min_notional = Amt("0.0001");
  InstrumentIndex blz = f.Add(spec);
  v1::InstrumentLimits* l = AddInstrumentLimits(&f.limits, f.table.at(blz));
  l->set_max_position(Raw("100000"));
  l->set_min_qty(Raw("5"));
  l->set_max_qty(Raw("100000"));
  std::shared_ptr<const RiskLimits> limits = f.BuildLimits();
  CHECK(limits->instrument(blz)->min_qty == Qty("10"));
  CHECK(limits->instrument(blz)->max_qty == Qty("90000"));
  CHECK(limits->instrument(blz)->min_notional == Amt("0.0001"));

  l->set_min_qty(Raw("95000"));
  CHECK(ErrorOf(f).find("instruments[4] (BINANCE.BLZETH): min_qty 95000 (with the venue's) is "
                        "above max_qty 90000") != std::string::npos);
}

TEST_CASE("each inconsistent instrument field is refused with its path", "[risk][limits]") {
  struct Case {
    const char* what;
    void (*edit)(v1::InstrumentLimits*);
    const char* message;
  };
  const Case cases[] = {
      {"tick", [](v1::InstrumentLimits* l) { l->set_tick_size(Raw("0.015")); },
       "tick_size 0.015 is not a multiple of the venue's tick size 0.01"},
      {"lot", [](v1::InstrumentLimits* l) { l->set_lot_size(Raw("0.5")); },
       "lot_size 0.5 is not a multiple of the venue's lot size 1"},
      {"negative", [](v1::InstrumentLimits* l) { l->set_max_notional(Raw("-1")); },
       "max_notional -1 is negative"},
      {"notional",
       [](v1::InstrumentLimits* l) {
         l->set_min_notional(Raw("100"));
         l->set_max_notional(Raw("10"));
       },
       "min_notional 100 is above max_notional 10"},
      {"collar", [](v1::InstrumentLimits* l) { l->set_collar_bps(0); },
       "collar_bps is required for an enabled instrument (1..10000)"},
      {"collar range", [](v1::InstrumentLimits* l) { l->set_collar_bps(20000); },
       "collar_bps 20000 is above 10000 (100%)"},
      {"reference",
       [](v1::InstrumentLimits* l) { l->set_reference_price(v1::REFERENCE_PRICE_UNSPECIFIED); },
       "reference_price is required for an enabled instrument (MID or LAST)"},
      {"position", [](v1::InstrumentLimits* l) { l->set_max_position(0); },
       "max_position is required for an enabled instrument"},
      {"concentration", [](v1::InstrumentLimits* l) { l->set_max_concentration(1.5); },
       "max_concentration 1.5 is not a fraction in [0, 1]"},
      {"concentration nan",
       [](v1::InstrumentLimits* l) {
         l->set_max_concentration(std::numeric_limits<double>::quiet_NaN());
       },
       "max_concentration nan is not a fraction in [0, 1]"},
      {"burst", [](v1::InstrumentLimits* l) { l->set_order_burst(5); },
       "order_burst 5 is set without max_orders_per_second (a burst needs a rate)"},
      {"stale", [](v1::InstrumentLimits* l) { l->set_stale_after_ms(0); },
       "stale_after_ms is required for an enabled instrument"},
      {"quote", [](v1::InstrumentLimits* l) { l->set_quote_currency("USDT"); },
       "quote_currency USDT differs from the instrument's quote asset USD"},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    RiskFixture f;
    c.edit(f.LimitsOf(f.amzn));
    CHECK(ErrorOf(f) == StrCat("instruments[1] (NASDAQ.AMZN): ", c.message));
  }
}

TEST_CASE("a disabled instrument needs none of the enabled-only fields", "[risk][limits]") {
  RiskFixture f;
  v1::InstrumentLimits* l = f.LimitsOf(f.amzn);
  l->Clear();
  f.table.at(f.amzn).id.ToProto(l->mutable_instrument());
  std::shared_ptr<const RiskLimits> limits = f.BuildLimits();
  CHECK_FALSE(limits->instrument(f.amzn)->enabled);
}

TEST_CASE("unknown and duplicated instruments and strategies are refused", "[risk][limits]") {
  RiskFixture f;
  v1::InstrumentLimits* unknown = f.limits.add_instruments();
  unknown->mutable_instrument()->set_venue(common::v1::VENUE_BINANCE);
  unknown->mutable_instrument()->set_symbol("DOGEUSDT");
  *f.limits.add_instruments() = *f.LimitsOf(f.lrc);
  f.limits.add_instruments();  // no instrument at all
  *f.limits.add_strategies() = *f.StrategyLimitsOf("mm");
  f.limits.add_strategies();  // no id
  std::string error = ErrorOf(f);
  CHECK(error.find("instruments[4] (BINANCE.DOGEUSDT): is not in the instrument table") !=
        std::string::npos);
  CHECK(error.find("instruments[5] (BINANCE.LRCBTC): is listed twice (first at instruments[2])") !=
        std::string::npos);
  CHECK(error.find("instruments[6] (?): instrument is required (venue and symbol)") !=
        std::string::npos);
  CHECK(error.find("strategies[3] (mm): is listed twice") != std::string::npos);
  CHECK(error.find("strategies[4] (?): strategy_id is required") != std::string::npos);
  // Every problem at once, one per line.
  CHECK(std::count(error.begin(), error.end(), '\n') == 4);
}

TEST_CASE("global limits, rates and breakers are checked", "[risk][limits]") {
  RiskFixture f;
  f.limits.set_max_net_exposure(Raw("2000000"));
  f.limits.set_max_open_orders(0);
  f.StrategyLimitsOf("trend")->set_max_open_orders(300);
  (*f.limits.mutable_conversion_rates())["USDT"] = Raw("1.01");
  (*f.limits.mutable_conversion_rates())["XRP"] = Raw("-1");
  f.limits.mutable_breakers()->set_max_reject_ratio(0.4);
  f.limits.mutable_breakers()->set_daily_loss_limit(Raw("-5"));
  std::string error = ErrorOf(f);
  CHECK(error.find("max_net_exposure: 2000000 is above max_gross_exposure 1000000") !=
        std::string::npos);
  CHECK(error.find("max_open_orders: is required (at least 1)") != std::string::npos);
  CHECK(
      error.find("conversion_rates[USDT]: the valuation currency's own rate must be 1, not 1.01") !=
      std::string::npos);
  CHECK(error.find("conversion_rates[XRP]: rate -1 is not positive") != std::string::npos);
  CHECK(error.find("breakers: reject_window_s is required when max_reject_ratio is set") !=
        std::string::npos);
  CHECK(error.find("breakers: daily_loss_limit -5 is negative") != std::string::npos);

  RiskFixture g;
  g.limits.set_max_open_orders(10);
  g.StrategyLimitsOf("trend")->set_max_open_orders(11);
  CHECK(ErrorOf(g) ==
        "strategies[1] (trend): max_open_orders 11 is above the global max_open_orders 10");

  RiskFixture h;
  h.limits.clear_valuation_currency();
  h.limits.clear_max_gross_exposure();
  CHECK(ErrorOf(h).find("valuation_currency: is required") != std::string::npos);
}

TEST_CASE("limits written in YAML load and convert", "[risk][limits]") {
  RiskFixture f;
  const char* yaml = R"(
valuation_currency: USDT
conversion_rates: {USD: "1", BTC: "56000"}
max_gross_exposure: "250000"
max_net_exposure: "100000"
max_open_orders: 50
breakers: {daily_loss_limit: "1000", max_drawdown: "2500", max_reject_ratio: 0.5, reject_window_s: 60, market_data_stale_s: 30}
instruments:
  - instrument: {venue: BINANCE, symbol: NKNUSDT}
    enabled: true
    collar_bps: 300
    reference_price: MID
    max_position: "50000"
    max_notional: "5000"
    min_notional: "5"
    max_orders_per_second: 5
    order_burst: 10
    max_cancels_per_second: 10
    stale_after_ms: 1500
    max_concentration: 0.2
strategies:
  - {strategy_id: mm, enabled: true, max_open_orders: 20, max_orders_per_second: 4, max_notional: "2000"}
)";
  v1::Limits proto;
  absl::Status parsed = ParseYamlConfig(yaml, "limits.yaml", "", &proto);
  INFO(parsed.ToString());
  REQUIRE(parsed.ok());
  absl::StatusOr<RiskLimits> limits = RiskLimits::FromProto(proto, f.table);
  INFO(limits.status().ToString());
  REQUIRE(limits.ok());
  const InstrumentRiskLimits* nkn = limits->instrument(f.nkn);
  REQUIRE(nkn != nullptr);
  CHECK(nkn->collar_bps == 300);
  CHECK(nkn->order_rate.burst == 10);
  CHECK(nkn->max_notional == Amt("5000"));
  CHECK(limits->breakers().daily_loss_limit == Amt("1000"));
  CHECK(limits->breakers().reject_window == std::chrono::seconds(60));
  CHECK(limits->strategy("mm")->max_order_notional == Amt("2000"));
}

}  // namespace
}  // namespace tradeplane::risk
