// Breakers: each trips on its condition with its target, never loosens the
// mode, and the reject-rate window needs fresh evidence after a trip.
#include "tradeplane/risk/breakers.h"

#include <catch2/catch.hpp>

#include "risk_fixture.h"

namespace tradeplane::risk {
namespace {

using namespace testing;  // NOLINT: the fixture's vocabulary
using std::chrono::milliseconds;
using std::chrono::seconds;

BreakerThresholds Thresholds() {
  BreakerThresholds t;
  t.daily_loss_limit = Amt("1000");
  t.max_drawdown = Amt("2500");
  t.max_reject_ratio = Ratio::FromRaw(500'000'000);  // 0.5
  t.reject_window = seconds(10);
  t.market_data_stale = seconds(30);
  return t;
}

v1::PnlSummary Pnl(std::string_view daily, std::string_view drawdown) {
  v1::PnlSummary p;
  p.set_currency("USDT");
  p.set_daily_pnl(Raw(daily));
  p.set_drawdown(Raw(drawdown));
  p.set_high_water_mark(Raw("10000"));
  return p;
}

bool Has(const std::vector<BreakerTrip>& trips, Breaker breaker) {
  for (const BreakerTrip& t : trips) {
    if (t.breaker == breaker) return true;
  }
  return false;
}

TEST_CASE("the daily loss breaker trips at the limit and halts", "[risk][breakers]") {
  Breakers b(Thresholds(), {}, kT0);
  v1::PnlSummary ok = Pnl("-999.99", "0");
  CHECK(b.Evaluate(BreakerInputs{&ok}, kT0).empty());
  v1::PnlSummary loss = Pnl("-1000", "0");
  std::vector<BreakerTrip> trips = b.Evaluate(BreakerInputs{&loss}, kT0);
  REQUIRE(trips.size() == 1);
  CHECK(trips[0].breaker == Breaker::kDailyLoss);
  CHECK(trips[0].target == v1::TRADING_MODE_HALTED);
  CHECK(trips[0].reason == "daily PnL -1000 USDT is at or below the loss limit -1000 USDT");
}

TEST_CASE("the drawdown breaker trips at max_drawdown", "[risk][breakers]") {
  Breakers b(Thresholds(), {}, kT0);
  v1::PnlSummary ok = Pnl("0", "2499");
  CHECK(b.Evaluate(BreakerInputs{&ok}, kT0).empty());
  v1::PnlSummary dd = Pnl("0", "2500");
  std::vector<BreakerTrip> trips = b.Evaluate(BreakerInputs{&dd}, kT0);
  REQUIRE(trips.size() == 1);
  CHECK(trips[0].breaker == Breaker::kDrawdown);
  CHECK(trips[0].target == v1::TRADING_MODE_HALTED);
}

TEST_CASE("breakers with a zero threshold are off", "[risk][breakers]") {
  Breakers b(BreakerThresholds{}, {}, kT0);
  v1::PnlSummary awful = Pnl("-1000000", "1000000");
  CHECK(b.Evaluate(BreakerInputs{&awful, "", "BINANCE.NKNUSDT", Timestamp()}, kT0 + seconds(3600))
            .empty());
  for (int k = 0; k < 100; ++k) {
    CHECK_FALSE(b.RecordDecision(v1::REFUSAL_CODE_PRICE_COLLAR, kT0).has_value());
  }
}

TEST_CASE("PnL that cannot be valued pauses trading", "[risk][breakers]") {
  Breakers b(Thresholds(), {}, kT0);
  std::vector<BreakerTrip> trips =
      b.Evaluate(BreakerInputs{nullptr, "no conversion rate from EUR"}, kT0);
  REQUIRE(trips.size() == 1);
  CHECK(trips[0].breaker == Breaker::kPnlUnavailable);
  CHECK(trips[0].target == v1::TRADING_MODE_PAUSED);
}

TEST_CASE("the reject-rate breaker trips above the ratio over its window", "[risk][breakers]") {
  Breakers b(Thresholds(), {}, kT0);
  // 10 approvals and 10 refusals: 0.5 is not above 0.5.
  std::optional<BreakerTrip> trip;
  for (int k = 0; k < 10; ++k) {
    trip = b.RecordDecision(v1::REFUSAL_CODE_UNSPECIFIED, kT0 + milliseconds(k));
    CHECK_FALSE(trip.has_value());
    trip = b.RecordDecision(v1::REFUSAL_CODE_PRICE_COLLAR, kT0 + milliseconds(k));
    CHECK_FALSE(trip.has_value());
  }
  CHECK(b.WindowDecisions(kT0) == 20);
  CHECK(b.WindowRefusals(kT0) == 10);
  trip = b.RecordDecision(v1::REFUSAL_CODE_OFF_TICK, kT0 + milliseconds(50));
  REQUIRE(trip.has_value());
  CHECK(trip->breaker == Breaker::kRejectRate);
  CHECK(trip->target == v1::TRADING_MODE_PAUSED);
  CHECK(trip->reason.find("11 of the last 21 decisions") != std::string::npos);
  // The window starts afresh.
  CHECK(b.WindowDecisions(kT0 + milliseconds(50)) == 0);
  CHECK_FALSE(b.RecordDecision(v1::REFUSAL_CODE_OFF_TICK, kT0 + milliseconds(60)).has_value());
}

TEST_CASE("the reject-rate window forgets decisions older than it", "[risk][breakers]") {
  Breakers b(Thresholds(), {}, kT0);
  for (int k = 0; k < 15; ++k) b.RecordDecision(v1::REFUSAL_CODE_PRICE_COLLAR, kT0);
  CHECK(b.WindowDecisions(kT0 + seconds(9)) == 15);
  CHECK(b.WindowDecisions(kT0 + seconds(10)) == 0);
  // 15 approvals later: the old refusals are gone, so 5 more refusals do not trip.
  for (int k = 0; k < 15; ++k) b.RecordDecision(v1::REFUSAL_CODE_UNSPECIFIED, kT0 + seconds(11));
  for (int k = 0; k < 5; ++k) {
    CHECK_FALSE(b.RecordDecision(v1::REFUSAL_CODE_PRICE_COLLAR, kT0 + seconds(12)).has_value());
  }
}

TEST_CASE("refusals of our own choosing do not count toward the reject rate", "[risk][breakers]") {
  Breakers b(Thresholds(), {}, kT0);
  for (int k = 0; k < 50; ++k) {
    for (RefusalCode code :
         {v1::REFUSAL_CODE_MODE, v1::REFUSAL_CODE_STRATEGY_BLOCKED,
          v1::REFUSAL_CODE_INSTRUMENT_BLOCKED, v1::REFUSAL_CODE_INSTRUMENT_DISABLED}) {
      CHECK_FALSE(b.RecordDecision(code, kT0).has_value());
    }
  }
  CHECK(b.WindowDecisions(kT0) == 0);
}

TEST_CASE("market data quiet beyond the limit pauses trading", "[risk][breakers]") {
  Breakers b(Thresholds(), {}, kT0);
  BreakerInputs fresh{nullptr, "", "BINANCE.NKNUSDT", kT0 + seconds(5)};
  CHECK(b.Evaluate(fresh, kT0 + seconds(35)).empty());
  std::vector<BreakerTrip> trips = b.Evaluate(fresh, kT0 + seconds(36));
  REQUIRE(trips.size() == 1);
  CHECK(trips[0].breaker == Breaker::kMarketDataStale);
  CHECK(trips[0].reason.find("BINANCE.NKNUSDT is 31 s old") != std::string::npos);
  // Never received: counted from when the breakers were armed.
  BreakerInputs never{nullptr, "", "NASDAQ.AMZN", Timestamp()};
  CHECK(b.Evaluate(never, kT0 + seconds(30)).empty());
  CHECK(Has(b.Evaluate(never, kT0 + seconds(31)), Breaker::kMarketDataStale));
}

TEST_CASE("the stalest enabled instrument comes from the risk state", "[risk][breakers]") {
  RiskFixture f;
  f.Build(v1::TRADING_MODE_ACTIVE, /*with_quotes=*/false);
  f.Quote(f.nkn, "0.3521", "0.3525", kT0 + seconds(5));
  f.Quote(f.amzn, "3355.00", "3355.20", kT0 + seconds(3));
  f.Quote(f.lrc, "0.00000637", "0.00000638", kT0 + seconds(4));
  auto stalest = f.state->StalestMarketData();
  REQUIRE(stalest.has_value());
  CHECK(stalest->first == f.rune);  // never quoted
  f.Quote(f.rune, "9.500", "9.510", kT0 + seconds(6));
  stalest = f.state->StalestMarketData();
  CHECK(stalest->first == f.amzn);
  CHECK(stalest->second == kT0 + seconds(3));
}

TEST_CASE("a critical unacknowledged surveillance alert pauses trading", "[risk][breakers]") {
  Breakers b(Thresholds(), {}, kT0);
  surveillance::v1::MarketAbuseAlert alert;
  alert.set_alert_id("a-1");
  alert.set_type(surveillance::v1::ALERT_TYPE_SPOOFING_LAYERING);
  alert.set_severity(surveillance::v1::SEVERITY_HIGH);
  alert.mutable_instrument()->set_venue(common::v1::VENUE_BINANCE);
  alert.mutable_instrument()->set_symbol("NKNUSDT");
  alert.set_explanation("12 layered bids cancelled within 300 ms");
  CHECK_FALSE(b.OnMarketAbuseAlert(alert).has_value());
  alert.set_severity(surveillance::v1::SEVERITY_CRITICAL);
  std::optional<BreakerTrip> trip = b.OnMarketAbuseAlert(alert);
  REQUIRE(trip.has_value());
  CHECK(trip->breaker == Breaker::kSurveillanceAlert);
  CHECK(trip->target == v1::TRADING_MODE_PAUSED);
  CHECK(trip->reason ==
        "critical surveillance alert a-1 (SPOOFING_LAYERING) on BINANCE.NKNUSDT: 12 layered bids "
        "cancelled within 300 ms");
  alert.set_acknowledged(true);
  CHECK_FALSE(b.OnMarketAbuseAlert(alert).has_value());
}

TEST_CASE("an unresolved reconciliation break pauses trading until resolved", "[risk][breakers]") {
  Breakers b(Thresholds(), {}, kT0);
  reconciliation::v1::Break brk;
  brk.set_break_id("b-7");
  brk.set_type(reconciliation::v1::BREAK_TYPE_MISSED_FILL);
  brk.set_state(reconciliation::v1::BREAK_STATE_OPEN);
  CHECK_FALSE(b.OnReconciliationBreak(brk).has_value());
  brk.set_state(reconciliation::v1::BREAK_STATE_UNRESOLVED);
  std::optional<BreakerTrip> trip = b.OnReconciliationBreak(brk);
  REQUIRE(trip.has_value());
  CHECK(trip->breaker == Breaker::kReconciliationBreak);
  CHECK(Has(b.Evaluate({}, kT0), Breaker::kReconciliationBreak));
  brk.set_state(reconciliation::v1::BREAK_STATE_RESOLVED);
  CHECK_FALSE(b.OnReconciliationBreak(brk).has_value());
  CHECK(b.Evaluate({}, kT0).empty());
}

TEST_CASE("losing the database pauses trading while it lasts", "[risk][breakers]") {
  Breakers b(Thresholds(), {}, kT0);
  std::optional<BreakerTrip> trip = b.OnStoreAvailability(false, kT0);
  REQUIRE(trip.has_value());
  CHECK(trip->breaker == Breaker::kStoreUnavailable);
  CHECK(trip->target == v1::TRADING_MODE_PAUSED);
  CHECK_FALSE(b.OnStoreAvailability(false, kT0).has_value());  // no news
  CHECK(Has(b.Evaluate({}, kT0), Breaker::kStoreUnavailable));
  CHECK_FALSE(b.OnStoreAvailability(true, kT0).has_value());
  CHECK(b.Evaluate({}, kT0).empty());
}

TEST_CASE("trips tighten the mode and never loosen it", "[risk][breakers][mode]") {
  TradingModeController modes = TradingModeController::FromStore(
      [] {
        v1::ModeChange c;
        c.set_mode(v1::TRADING_MODE_ACTIVE);
        return c;
      }(),
      {}, kT0);
  std::vector<BreakerTrip> trips = {
      {Breaker::kRejectRate, v1::TRADING_MODE_PAUSED, "rejects"},
      {Breaker::kDailyLoss, v1::TRADING_MODE_HALTED, "loss"},
      {Breaker::kMarketDataStale, v1::TRADING_MODE_PAUSED, "stale"},
  };
  std::vector<v1::ModeChange> changes = ApplyTrips(trips, &modes, kT0);
  REQUIRE(changes.size() == 2);
  CHECK(changes[0].mode() == v1::TRADING_MODE_PAUSED);
  CHECK(changes[0].actor() == "breaker:reject_rate");
  CHECK(changes[1].mode() == v1::TRADING_MODE_HALTED);
  CHECK(changes[1].actor() == "breaker:daily_loss");
  CHECK(modes.mode() == v1::TRADING_MODE_HALTED);
}

TEST_CASE("breaker targets are configurable", "[risk][breakers]") {
  BreakerOptions options;
  options.daily_loss = v1::TRADING_MODE_REDUCING;
  Breakers b(Thresholds(), options, kT0);
  v1::PnlSummary loss = Pnl("-5000", "0");
  std::vector<BreakerTrip> trips = b.Evaluate(BreakerInputs{&loss}, kT0);
  REQUIRE(trips.size() == 1);
  CHECK(trips[0].target == v1::TRADING_MODE_REDUCING);
}

TEST_CASE("ledger PnL feeds the loss breakers end to end", "[risk][breakers]") {
  RiskFixture f;
  f.Build();
  f.state->SetStartingEquity(Amt("10000"));
  f.ApplyFill(f.MakeFill(f.amzn, kBuy, "10", "3355.10"));
  absl::StatusOr<v1::PnlSummary> start = f.state->RevaluePnl(kT0);
  REQUIRE(start.ok());
  f.Quote(f.amzn, "3250.00", "3250.20", kT0 + seconds(60));  // -1050 USD on 10 shares
  absl::StatusOr<v1::PnlSummary> now = f.state->RevaluePnl(kT0 + seconds(60));
  REQUIRE(now.ok());
  CHECK(now->daily_pnl() == Raw("-1050"));
  Breakers b(f.state->limits().breakers(), {}, kT0);
  b.Reconfigure(Thresholds());
  std::vector<BreakerTrip> trips = b.Evaluate(BreakerInputs{&*now}, kT0 + seconds(60));
  REQUIRE(Has(trips, Breaker::kDailyLoss));
  std::vector<v1::ModeChange> changes = ApplyTrips(trips, &f.state->modes(), kT0 + seconds(60));
  REQUIRE(changes.size() == 1);
  CHECK(f.state->modes().mode() == v1::TRADING_MODE_HALTED);
  CHECK_REFUSED(f.Check(f.Limit(f.amzn, kSell, "10", "3250.10"), kT0 + seconds(60)),
                v1::REFUSAL_CODE_MODE);
}

}  // namespace
}  // namespace tradeplane::risk
