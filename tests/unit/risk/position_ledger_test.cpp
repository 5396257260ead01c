// Positions and PnL: the average-cost method by hand-worked examples, fees,
// duplicates, late fills, valuation, the trading day and the high-water mark.
#include "tradeplane/risk/position_ledger.h"

#include <catch2/catch.hpp>

#include "tradeplane/risk/position_account.h"

#include "risk_fixture.h"

namespace tradeplane::risk {
namespace {

using namespace testing;  // NOLINT: the fixture's vocabulary
using std::chrono::hours;
using std::chrono::seconds;

TEST_CASE("average cost: adding, reducing, closing and flipping through zero", "[risk][ledger]") {
  PositionAccount a;
  REQUIRE(a.Apply(kBuy, Px("100"), Qty("10")).ok());
  REQUIRE(a.Apply(kBuy, Px("110"), Qty("10")).ok());
  CHECK(a.qty() == Qty("20"));
  CHECK(a.cost_basis() == Amt("2100"));
  CHECK(a.AverageCost() == Px("105"));
  CHECK(a.realized().is_zero());

  REQUIRE(a.Apply(kSell, Px("120"), Qty("5")).ok());  // 600 - 5 * 105
  CHECK(a.realized() == Amt("75"));
  CHECK(a.qty() == Qty("15"));
  CHECK(a.AverageCost() == Px("105"));

  // Sell 20 at 90: 15 close (1350 - 1575 = -225), 5 open a short at 90.
  REQUIRE(a.Apply(kSell, Px("90"), Qty("20")).ok());
  CHECK(a.realized() == Amt("-150"));
  CHECK(a.qty() == Qty("-5"));
  CHECK(a.cost_basis() == Amt("-450"));
  CHECK(a.AverageCost() == Px("90"));
  CHECK(*a.Unrealized(Px("80")) == Amt("50"));

  REQUIRE(a.Apply(kBuy, Px("80"), Qty("5")).ok());  // the short closes 10 lower
  CHECK(a.realized() == Amt("-100"));
  CHECK(a.flat());
  CHECK(a.cost_basis().is_zero());
  CHECK(a.AverageCost().is_zero());
}

TEST_CASE("the cost basis is exact where the average cost is rounded", "[risk][ledger]") {
  PositionAccount a;
  REQUIRE(a.Apply(kBuy, Px("10"), Qty("1")).ok());
  REQUIRE(a.Apply(kBuy, Px("11"), Qty("2")).ok());
  CHECK(a.AverageCost() == Px("10.666666667"));  // 32 / 3, half-even
  REQUIRE(a.Apply(kSell, Px("12"), Qty("1")).ok());
  CHECK(a.realized() == Amt("1.333333333"));  // 12 - 10.666666667
  REQUIRE(a.Apply(kSell, Px("12"), Qty("2")).ok());
  CHECK(a.realized() == Amt("4"));  // the cash flows exactly: -32 + 36
  CHECK(a.flat());
}

TEST_CASE("bad fills leave the account unchanged", "[risk][ledger]") {
  PositionAccount a;
  REQUIRE(a.Apply(kBuy, Px("10"), Qty("1")).ok());
  PositionAccount before = a;
  CHECK_FALSE(a.Apply(common::v1::SIDE_UNSPECIFIED, Px("10"), Qty("1")).ok());
  CHECK_FALSE(a.Apply(kBuy, Px("0"), Qty("1")).ok());
  CHECK_FALSE(a.Apply(kBuy, Px("10"), Qty("-1")).ok());
  CHECK_FALSE(a.Apply(kBuy, Price::Max(), Quantity::Max()).ok());
  CHECK(a == before);
}

TEST_CASE("fees in the quote, base and other assets", "[risk][ledger]") {
  RiskFixture f;
  f.Build();
  Fill quote_fee = f.MakeFill(f.nkn, kBuy, "1000", "0.3523");
  quote_fee.fee = Amt("0.3523");
  quote_fee.fee_asset = "USDT";
  Fill base_fee = f.MakeFill(f.nkn, kBuy, "1000", "0.3523");
  base_fee.fee = Amt("1");  // 1 NKN at 0.3523
  base_fee.fee_asset = "NKN";
  Fill bnb_fee = f.MakeFill(f.nkn, kSell, "2000", "0.3525");
  bnb_fee.fee = Amt("0.0005");  // 0.2 USDT at 400
  bnb_fee.fee_asset = "BNB";
  f.ApplyFill(quote_fee);
  f.ApplyFill(base_fee);
  f.ApplyFill(bnb_fee);
  const PositionAccount& a = f.state->ledger().InstrumentAccount(f.nkn);
  CHECK(a.flat());
  CHECK(a.realized() == Amt("0.4"));  // 705 - 704.6
  CHECK(a.quote_fees() == Amt("0.7046"));
  CHECK(f.state->ledger().other_fees().at("BNB") == Amt("0.0005"));
  f.state->SetStartingEquity(Amt("1000"));
  absl::StatusOr<Amount> equity = f.state->ledger().Equity();
  REQUIRE(equity.ok());
  CHECK(*equity == Amt("999.4954"));  // 1000 + 0.4 - 0.7046 - 0.2

  Fill unknown_asset = f.MakeFill(f.amzn, kBuy, "1", "3355.10");
  unknown_asset.fee = Amt("3");
  unknown_asset.fee_asset = "XRP";
  f.ApplyFill(unknown_asset);
  absl::StatusOr<Amount> no_rate = f.state->ledger().Equity();
  CHECK(absl::IsNotFound(no_rate.status()));
  CHECK(no_rate.status().message().find("XRP") != absl::string_view::npos);

  Fill no_asset = f.MakeFill(f.amzn, kBuy, "1", "3355.10");
  no_asset.fee = Amt("1");
  CHECK(absl::IsInvalidArgument(f.state->OnFill(no_asset).status()));
}

TEST_CASE("duplicate fills are ignored and counted, conflicting ones refused", "[risk][ledger]") {
  RiskFixture f;
  f.Build();
  Fill fill = f.MakeFill(f.amzn, kBuy, "10", "3355.10");
  CHECK(*f.state->OnFill(fill) == FillOutcome::kApplied);
  CHECK(*f.state->OnFill(fill) == FillOutcome::kDuplicate);
  CHECK(*f.state->OnFill(fill) == FillOutcome::kDuplicate);
  CHECK(f.state->ledger().duplicate_fills() == 2);
  CHECK(f.state->ledger().NetQty(f.amzn) == Qty("10"));
  Fill altered = fill;
  altered.qty = Qty("11");
  CHECK(absl::IsAlreadyExists(f.state->OnFill(altered).status()));
  CHECK(f.state->ledger().NetQty(f.amzn) == Qty("10"));
}

TEST_CASE("fills that arrive late are applied in time order", "[risk][ledger]") {
  RiskFixture in_order;
  RiskFixture late;
  in_order.Build();
  late.Build();
  std::vector<Fill> fills = {
      in_order.MakeFill(in_order.amzn, kBuy, "10", "3300", "mm", "", kT0 + seconds(1)),
      in_order.MakeFill(in_order.amzn, kSell, "15", "3320", "mm", "", kT0 + seconds(2)),
      in_order.MakeFill(in_order.amzn, kBuy, "8", "3310", "mm", "", kT0 + seconds(3)),
      in_order.MakeFill(in_order.amzn, kSell, "2", "3340", "mm", "", kT0 + seconds(4)),
  };
  for (const Fill& x : fills) in_order.ApplyFill(x);
  for (int k : {3, 0, 2, 1}) late.ApplyFill(fills[k]);
  CHECK(late.state->ledger().InstrumentAccount(late.amzn) ==
        in_order.state->ledger().InstrumentAccount(in_order.amzn));
  CHECK(*late.state->ledger().StrategyAccount(late.amzn, "mm") ==
        in_order.state->ledger().InstrumentAccount(in_order.amzn));
  CHECK(late.state->ledger().NetQty(late.amzn) == Qty("1"));
}

TEST_CASE("strategies that trade against each other net at the instrument level",
          "[risk][ledger]") {
  RiskFixture f;
  f.Build();
  f.ApplyFill(f.MakeFill(f.amzn, kBuy, "1", "3300", "mm"));
  f.ApplyFill(f.MakeFill(f.amzn, kSell, "1", "3310", "trend"));
  const PositionLedger& ledger = f.state->ledger();
  CHECK(ledger.InstrumentAccount(f.amzn).flat());
  CHECK(ledger.InstrumentAccount(f.amzn).realized() == Amt("10"));
  const PositionAccount* mm = ledger.StrategyAccount(f.amzn, "mm");
  const PositionAccount* trend = ledger.StrategyAccount(f.amzn, "trend");
  REQUIRE(mm != nullptr);
  REQUIRE(trend != nullptr);
  CHECK(mm->qty() == Qty("1"));
  CHECK(trend->qty() == Qty("-1"));
  // Same total: 5 + 5 unrealized at 3305 = 10 realized.
  CHECK(*mm->Unrealized(Px("3305")) == Amt("5"));
  CHECK(*trend->Unrealized(Px("3305")) == Amt("5"));
  CHECK(ledger.StrategyAccount(f.amzn, "nobody") == nullptr);
  std::vector<v1::Position> by_strategy = f.state->Positions(/*by_strategy=*/true);
  REQUIRE(by_strategy.size() == 2);
  CHECK(by_strategy[0].strategy_id() == "mm");
  CHECK(by_strategy[1].strategy_id() == "trend");
}

TEST_CASE("positions report open quantities and marks", "[risk][ledger]") {
  RiskFixture f;
  f.Build();
  f.ApplyFill(f.MakeFill(f.amzn, kBuy, "10", "3350.00"));
  CHECK_APPROVED(f.Send(f.Limit(f.amzn, kSell, "4", "3360.00")));
  CHECK_APPROVED(f.Send(f.Limit(f.nkn, kBuy, "100", "0.3500")));
  std::vector<v1::Position> positions = f.state->Positions(/*by_strategy=*/false);
  REQUIRE(positions.size() == 2);
  const v1::Position& amzn = positions[0];
  CHECK(amzn.instrument().symbol() == "AMZN");
  CHECK(amzn.qty() == Raw("10"));
  CHECK(amzn.avg_cost() == Raw("3350"));
  CHECK(amzn.mark_price() == Raw("3355.10"));
  CHECK(amzn.unrealized_pnl() == Raw("51"));
  CHECK(amzn.open_sell_qty() == Raw("4"));
  CHECK(amzn.quote_currency() == "USD");
  const v1::Position& nkn = positions[1];
  CHECK(nkn.instrument().symbol() == "NKNUSDT");
  CHECK(nkn.qty() == 0);
  CHECK(nkn.open_buy_qty() == Raw("100"));
}

TEST_CASE("PnL is valued in one currency with the configured rates", "[risk][ledger]") {
  RiskFixture f;
  f.Build();
  f.state->SetStartingEquity(Amt("50000"));
  f.ApplyFill(f.MakeFill(f.lrc, kBuy, "100000", "0.00000630"));  // 0.63 BTC
  // Mid 0.000006375: unrealized 0.0075 BTC = 420 USDT.
  absl::StatusOr<v1::PnlSummary> pnl = f.state->RevaluePnl(kT0);
  REQUIRE(pnl.ok());
  CHECK(pnl->currency() == "USDT");
  CHECK(pnl->unrealized() == Raw("420"));
  CHECK(pnl->equity() == Raw("50420"));
  absl::StatusOr<std::vector<v1::PnlSummary>> by_quote = f.state->ledger().ByQuoteCurrency();
  REQUIRE(by_quote.ok());
  REQUIRE(by_quote->size() == 1);
  CHECK((*by_quote)[0].currency() == "BTC");
  CHECK((*by_quote)[0].unrealized() == Raw("0.0075"));

  f.ApplyFill(f.MakeFill(f.rune, kBuy, "10", "9.505"));  // EUR: no rate
  absl::StatusOr<v1::PnlSummary> missing = f.state->RevaluePnl(kT0);
  CHECK(absl::IsNotFound(missing.status()));
  CHECK(missing.status().message().find("EUR") != absl::string_view::npos);
}

TEST_CASE("a position without a mark cannot be valued", "[risk][ledger]") {
  RiskFixture f;
  f.Build(v1::TRADING_MODE_ACTIVE, /*with_quotes=*/false);
  f.ApplyFill(f.MakeFill(f.amzn, kBuy, "10", "3350.00"));
  absl::StatusOr<Amount> equity = f.state->ledger().Equity();
  CHECK(absl::IsUnavailable(equity.status()));
  CHECK(equity.status().message().find("NASDAQ.AMZN") != absl::string_view::npos);
  f.Quote(f.amzn, "3355.00", "3355.20");
  CHECK(f.state->ledger().Equity().ok());
}

TEST_CASE("daily PnL, high-water mark and drawdown follow the trading day", "[risk][ledger]") {
  RiskFixture f;
  f.Build();
  f.state->SetStartingEquity(Amt("10000"));
  f.ApplyFill(f.MakeFill(f.amzn, kBuy, "10", "3355.10"));
  // kT0 is 00:28:32 UTC on 2021-10-12.
  REQUIRE(f.state->RevaluePnl(kT0).ok());
  f.Quote(f.amzn, "3400.00", "3400.20", kT0 + hours(1));  // +450
  absl::StatusOr<v1::PnlSummary> up = f.state->RevaluePnl(kT0 + hours(1));
  REQUIRE(up.ok());
  CHECK(up->daily_pnl() == Raw("450"));
  CHECK(up->high_water_mark() == Raw("10450"));
  CHECK(up->drawdown() == 0);
  f.Quote(f.amzn, "3300.00", "3300.20", kT0 + hours(2));  // -550 from the start
  absl::StatusOr<v1::PnlSummary> down = f.state->RevaluePnl(kT0 + hours(2));
  REQUIRE(down.ok());
  CHECK(down->daily_pnl() == Raw("-550"));
  CHECK(down->drawdown() == Raw("1000"));
  CHECK(down->high_water_mark() == Raw("10450"));
  // Next day: the day opens at the last equity seen (9450).
  f.Quote(f.amzn, "3310.00", "3310.20", kT0 + hours(24));
  absl::StatusOr<v1::PnlSummary> next = f.state->RevaluePnl(kT0 + hours(24));
  REQUIRE(next.ok());
  CHECK(next->daily_pnl() == Raw("100"));
  CHECK(next->drawdown() == Raw("900"));
}

TEST_CASE("the day boundary moves with its offset", "[risk][ledger]") {
  InstrumentTable table;
  PositionLedger utc(&table, LedgerOptions{});
  PositionLedger shifted(&table, LedgerOptions{std::chrono::hours(-1)});
  Timestamp late = *ParseRfc3339("2021-10-12T23:30:00Z");
  Timestamp early = *ParseRfc3339("2021-10-12T00:30:00Z");
  CHECK(utc.TradingDay(late) == utc.TradingDay(early));
  CHECK(shifted.TradingDay(late) == shifted.TradingDay(early) + 1);
  CHECK(utc.TradingDay(Timestamp::FromSeconds(-1)) == -1);
}

TEST_CASE("restored positions and PnL carry in before fills", "[risk][ledger]") {
  RiskFixture f;
  f.Build();
  v1::Position p;
  f.table.at(f.amzn).id.ToProto(p.mutable_instrument());
  p.set_qty(Raw("10"));
  p.set_avg_cost(Raw("3300"));
  p.set_realized_pnl(Raw("120"));
  p.set_fees(Raw("2"));
  REQUIRE(f.state->RestorePosition(p).ok());
  f.ApplyFill(f.MakeFill(f.amzn, kSell, "5", "3320"));
  const PositionAccount& a = f.state->ledger().InstrumentAccount(f.amzn);
  CHECK(a.qty() == Qty("5"));
  CHECK(a.realized() == Amt("220"));
  CHECK(a.quote_fees() == Amt("2"));
  CHECK(absl::IsFailedPrecondition(f.state->RestorePosition(p)));

  v1::PnlSummary last;
  last.set_equity(Raw("9000"));
  last.set_high_water_mark(Raw("9500"));
  last.set_daily_pnl(Raw("-100"));
  last.set_as_of_ns(kT0.nanos());
  f.state->SetStartingEquity(Amt("8780"));
  f.state->RestorePnl(last);
  absl::StatusOr<v1::PnlSummary> now = f.state->RevaluePnl(kT0 + seconds(1));
  REQUIRE(now.ok());
  // 8780 + 220 - 2 + 5 * (3355.10 - 3300) = 9273.5
  CHECK(now->equity() == Raw("9273.5"));
  CHECK(now->daily_pnl() == Raw("173.5"));  // from the day's start at 9100
  CHECK(now->high_water_mark() == Raw("9500"));
  CHECK(now->drawdown() == Raw("226.5"));
}

}  // namespace
}  // namespace tradeplane::risk
