// The end-of-day statement from opening positions, the day's fills and
// closing marks.
#include "tradeplane/risk/end_of_day_report.h"

#include <catch2/catch.hpp>

#include "risk_fixture.h"

namespace tradeplane::risk {
namespace {

using namespace testing;  // NOLINT: the fixture's vocabulary

Timestamp At(const char* rfc3339) { return *ParseRfc3339(rfc3339); }

struct Day {
  RiskFixture f;
  std::vector<v1::Position> opening;
  std::vector<Fill> fills;
  std::map<InstrumentIndex, Price> marks;

  Day() {
    v1::Position amzn;
    f.table.at(f.amzn).id.ToProto(amzn.mutable_instrument());
    amzn.set_qty(Raw("10"));
    amzn.set_avg_cost(Raw("3300"));
    amzn.set_realized_pnl(Raw("999"));  // yesterday's: not today's
    opening.push_back(amzn);

    Fill buy = f.MakeFill(f.amzn, kBuy, "5", "3350", "mm", "c1", At("2021-10-12T14:00:00Z"));
    buy.fee = Amt("1.5");
    buy.fee_asset = "USD";
    Fill sell = f.MakeFill(f.amzn, kSell, "12", "3360", "mm", "c2", At("2021-10-12T15:00:00Z"));
    sell.fee = Amt("2");
    sell.fee_asset = "USD";
    Fill yesterday =
        f.MakeFill(f.amzn, kBuy, "100", "3000", "mm", "c0", At("2021-10-11T23:59:59.999999999Z"));
    Fill nkn_buy =
        f.MakeFill(f.nkn, kBuy, "1000", "0.3523", "trend", "c3", At("2021-10-12T00:28:33Z"));
    nkn_buy.fee = Amt("1");  // NKN, the base asset: 0.3523 USDT
    nkn_buy.fee_asset = "NKN";
    Fill nkn_sell =
        f.MakeFill(f.nkn, kSell, "1000", "0.3530", "trend", "c4", At("2021-10-12T00:29:00Z"));
    nkn_sell.fee = Amt("0.001");
    nkn_sell.fee_asset = "BNB";
    // Out of order, with a repeat.
    fills = {sell, nkn_sell, yesterday, buy, nkn_buy, sell};
    marks[f.amzn] = Px("3355.10");
  }

  absl::StatusOr<EndOfDayReport> Build(Duration offset = Duration(0)) {
    EndOfDayInputs in;
    in.date = CivilDate{2021, 10, 12};
    in.day_start_offset = offset;
    in.opening_positions = opening;
    in.fills = fills;
    in.closing_marks = marks;
    return BuildEndOfDayReport(in, f.table);
  }
};

TEST_CASE("the statement carries the opening position through the day's fills", "[risk][eod]") {
  Day day;
  absl::StatusOr<EndOfDayReport> report = day.Build();
  INFO(report.status().ToString());
  REQUIRE(report.ok());
  CHECK(report->from == At("2021-10-12T00:00:00Z"));
  CHECK(report->to == At("2021-10-13T00:00:00Z"));
  CHECK(report->duplicate_fills == 1);
  CHECK(report->fills_outside_day == 1);
  REQUIRE(report->instruments.size() == 2);

  const InstrumentStatement& nkn = report->instruments[0];  // BINANCE sorts before NASDAQ
  CHECK(nkn.id.ToString() == "BINANCE.NKNUSDT");
  CHECK(nkn.opening_qty.is_zero());
  CHECK(nkn.closing_qty.is_zero());
  CHECK(nkn.realized_pnl == Amt("0.7"));
  CHECK(nkn.fees == Amt("0.3523"));
  CHECK(nkn.other_fees.at("BNB") == Amt("0.001"));
  CHECK(nkn.unrealized_pnl.is_zero());

  const InstrumentStatement& amzn = report->instruments[1];
  CHECK(amzn.opening_qty == Qty("10"));
  CHECK(amzn.opening_avg_cost == Px("3300"));
  REQUIRE(amzn.fills.size() == 2);
  CHECK(amzn.fills[0].client_order_id == "c1");  // by time
  CHECK(amzn.bought_qty == Qty("5"));
  CHECK(amzn.sold_qty == Qty("12"));
  CHECK(amzn.bought_notional == Amt("16750"));
  CHECK(amzn.sold_notional == Amt("40320"));
  // 15 at 49750 (3316.67), sell 12: 40320 - 39800 = 520 realized; 3 left cost 9950.
  CHECK(amzn.realized_pnl == Amt("520"));
  CHECK(amzn.closing_qty == Qty("3"));
  CHECK(amzn.closing_avg_cost == Px("3316.666666667"));
  CHECK(amzn.closing_mark == Px("3355.10"));
  CHECK(amzn.unrealized_pnl == Amt("115.3"));  // 3 * 3355.10 - 9950
  CHECK(amzn.fees == Amt("3.5"));

  REQUIRE(report->by_quote_currency.size() == 2);
  CHECK(report->by_quote_currency[0].currency() == "USD");
  CHECK(report->by_quote_currency[0].realized() == Raw("520"));
  CHECK(report->by_quote_currency[1].currency() == "USDT");
  CHECK(report->by_quote_currency[1].fees() == Raw("0.3523"));
}

TEST_CASE("the statement converts to the admin answer", "[risk][eod]") {
  Day day;
  absl::StatusOr<EndOfDayReport> report = day.Build();
  REQUIRE(report.ok());
  admin::v1::EndOfDayReportResponse out;
  ToProto(*report, day.f.table, &out);
  CHECK(out.date() == "2021-10-12");
  REQUIRE(out.positions_size() == 2);
  CHECK(out.positions(1).qty() == Raw("3"));
  CHECK(out.positions(1).unrealized_pnl() == Raw("115.3"));
  CHECK(out.fills_size() == 4);
  CHECK_FALSE(out.has_pnl());  // two quote currencies: no single summary
}

TEST_CASE("the trading day of the statement moves with its offset", "[risk][eod]") {
  Day day;
  // The day starts at 01:00 UTC: the two NKN fills (00:28, 00:29) belong to the day before.
  absl::StatusOr<EndOfDayReport> report = day.Build(std::chrono::hours(1));
  REQUIRE(report.ok());
  CHECK(report->fills_outside_day == 3);
  REQUIRE(report->instruments.size() == 1);
  CHECK(report->instruments[0].id.symbol == "AMZN");
}

TEST_CASE("a statement without a closing mark for an open position is an error", "[risk][eod]") {
  Day day;
  day.marks.clear();
  absl::StatusOr<EndOfDayReport> report = day.Build();
  CHECK(absl::IsFailedPrecondition(report.status()));
  CHECK(report.status().message().find("NASDAQ.AMZN") != absl::string_view::npos);
}

TEST_CASE("bad statement inputs are refused with what is wrong", "[risk][eod]") {
  Day strategy_level;
  strategy_level.opening[0].set_strategy_id("mm");
  CHECK(absl::IsInvalidArgument(strategy_level.Build().status()));

  Day twice;
  twice.opening.push_back(twice.opening[0]);
  CHECK(absl::IsInvalidArgument(twice.Build().status()));

  Day conflicting;
  Fill altered = conflicting.fills[0];
  altered.qty = Qty("13");
  conflicting.fills.push_back(altered);
  CHECK(absl::IsAlreadyExists(conflicting.Build().status()));

  Day unknown;
  unknown.fills[0].instrument = 77;
  CHECK(absl::IsInvalidArgument(unknown.Build().status()));
}

}  // namespace
}  // namespace tradeplane::risk
