// Fill breaks: a dropped execution report, a fill while we were down, a
// duplicated fill, a fill the venue never executed, and the trade-id
// checkpoint that bounds what is compared.
#include <catch2/catch.hpp>

#include "recon_fixture.h"

namespace tradeplane::reconciliation {
namespace {

using namespace testing;  // NOLINT: the fixture's vocabulary

TEST_CASE("a dropped execution report is a missed fill, ingested as a reconciliation fill",
          "[reconciliation]") {
  World w;
  w.VenueOnlyTrade(w.sushi, MakeTrade("504", "1002", kBuy, "9.9", "1", kT0 + minutes(30)));
  w.open_order("1002")->filled_qty = Qty("3");

  DiffResult d = w.Diff();
  INFO(Summary(d));
  // The order's filled quantity, the position and the balances all differ
  // by exactly this trade: one break, not four.
  REQUIRE(d.breaks.size() == 1);
  const Break& b = d.breaks[0];
  CHECK(b.type == v1::BREAK_TYPE_MISSED_FILL);
  CHECK(b.client_order_id == "c-2");
  CHECK(b.venue_order_id == "1002");
  CHECK(b.venue_trade_id == "504");
  CHECK(b.ours == 0);
  CHECK(b.venue == Raw("1"));
  CHECK(b.explanation ==
        "The venue executed trade 504 on BINANCE.SUSHIUSDT (BUY 1 @ 9.9, venue order 1002, at "
        "2021-10-12T00:58:32.000000000Z) for our order c-2 and we hold no fill for it.");
  REQUIRE(b.correctable);
  const orders::v1::Fill& fill = b.fill_to_ingest;
  CHECK(fill.fill_id() == "BINANCE:SUSHIUSDT:504");
  CHECK(fill.source() == orders::v1::FILL_SOURCE_RECONCILIATION);
  CHECK(fill.client_order_id() == "c-2");
  CHECK(fill.strategy_id() == "mean-reversion-1");
  CHECK(fill.qty() == Raw("1"));
  CHECK(fill.price() == Raw("9.9"));
  CHECK(fill.fee() == Raw("0.01"));
  CHECK(fill.fee_asset() == "USDT");
  CHECK(fill.exchange_time_ns() == (kT0 + minutes(30)).nanos());
  CHECK(d.positions[1].explained == Qty("1"));
  for (const BalanceCheck& bc : d.balances) CHECK_FALSE(bc.is_break);
}

TEST_CASE("the fill id of an ingested fill is the one the venue adapter gives the trade",
          "[reconciliation]") {
  World w;
  VenueTrade t = MakeTrade("504", "1002", kBuy, "9.9", "1", kT0 + minutes(30));
  t.fill_id = "BINANCE:SUSHIUSDT:504:live";
  w.VenueOnlyTrade(w.sushi, t);
  w.open_order("1002")->filled_qty = Qty("3");
  DiffResult d = w.Diff();
  REQUIRE(d.breaks.size() == 1);
  CHECK(d.breaks[0].fill_to_ingest.fill_id() == "BINANCE:SUSHIUSDT:504:live");
}

TEST_CASE("a fill while we were down that completes an order is one missed fill, no status break",
          "[reconciliation]") {
  World w;
  w.VenueOnlyTrade(w.sushi, MakeTrade("505", "1001", kBuy, "10", "10", kT0 + minutes(40)));
  w.RemoveOpenOrder("1001");
  DiffResult d = w.Diff();
  INFO(Summary(d));
  // NEW + a fill of its whole quantity = FILLED, which the trades make the venue's status.
  REQUIRE(d.breaks.size() == 1);
  CHECK(d.breaks[0].type == v1::BREAK_TYPE_MISSED_FILL);
  CHECK(d.breaks[0].client_order_id == "c-1");
  CHECK(d.breaks[0].correctable);
  CHECK(d.positions[1].venue == Qty("29"));
}

TEST_CASE("a partial fill while we were down and a cancel: missed fill, then status",
          "[reconciliation]") {
  World w;
  w.VenueOnlyTrade(w.sushi, MakeTrade("513", "1001", kBuy, "10", "4", kT0 + minutes(40)));
  w.RemoveOpenOrder("1001");
  DiffResult d = w.Diff();
  INFO(Summary(d));
  REQUIRE(d.breaks.size() == 2);
  CHECK(d.breaks[0].type == v1::BREAK_TYPE_STATUS_MISMATCH);
  CHECK(d.breaks[0].explanation ==
        "Order c-1 on BINANCE.SUSHIUSDT is NEW (PARTIALLY_FILLED once the missed fills are "
        "ingested) here but no longer open at the venue, and its trades since the checkpoint "
        "make 4 of 10 filled: closed with a remainder (CANCELED, deduced).");
  CHECK(d.breaks[0].corrected_order.filled_qty() == Raw("4"));
  CHECK(d.breaks[0].corrected_order.avg_fill_price() == Raw("10"));
  CHECK(d.breaks[1].type == v1::BREAK_TYPE_MISSED_FILL);
}

TEST_CASE("two fills for one venue trade are a duplicate fill", "[reconciliation]") {
  World w;
  // The trade 501 (BUY 2) was recorded twice under two fill ids, and counted twice.
  OurFill replay = FillOf(w.window(w.sushi).trades[0], "c-2", w.sushi, "SUSHIUSDT");
  replay.fill_id = "BINANCE:SUSHIUSDT:501:replay";
  w.input.ours.fills.push_back(replay);
  w.order("c-2").filled_qty = Qty("4");
  w.SetOurPosition(w.sushi, "21");
  w.SetBalance("SUSHI", "21", "19", "0");
  w.SetBalance("USDT", "980.19", "900", "100");  // 1000 - 2 * (19.8 + 0.01)

  DiffResult d = w.Diff();
  INFO(Summary(d));
  REQUIRE(d.breaks.size() == 1);
  const Break& b = d.breaks[0];
  CHECK(b.type == v1::BREAK_TYPE_DUPLICATE_FILL);
  CHECK(b.client_order_id == "c-2");
  CHECK(b.venue_trade_id == "501");
  CHECK(b.fill_ids ==
        std::vector<std::string>{"BINANCE:SUSHIUSDT:501", "BINANCE:SUSHIUSDT:501:replay"});
  CHECK(b.ours == Raw("4"));
  CHECK(b.venue == Raw("2"));
  CHECK_FALSE(b.correctable);
  CHECK(b.explanation ==
        "We hold 2 fills (BINANCE:SUSHIUSDT:501, BINANCE:SUSHIUSDT:501:replay) of 4 for venue "
        "trade 501 on BINANCE.SUSHIUSDT (BUY 2 @ 9.9, venue order 1002, at "
        "2021-10-12T00:33:32.000000000Z), which executed 2.");
  CHECK(d.positions[1].explained == Qty("-2"));
}

TEST_CASE("a fill the venue does not list is a duplicate fill: more than the venue executed",
          "[reconciliation]") {
  World w;
  VenueTrade ghost = MakeTrade("599", "1002", kBuy, "9.9", "1", kT0 + minutes(25));
  w.input.ours.fills.push_back(FillOf(ghost, "c-2", w.sushi, "SUSHIUSDT"));
  w.order("c-2").filled_qty = Qty("3");
  w.SetOurPosition(w.sushi, "20");
  w.SetBalance("SUSHI", "20", "19", "0");
  w.SetBalance("USDT", "990.09", "900", "100");

  DiffResult d = w.Diff();
  INFO(Summary(d));
  REQUIRE(d.breaks.size() == 1);
  const Break& b = d.breaks[0];
  CHECK(b.type == v1::BREAK_TYPE_DUPLICATE_FILL);
  CHECK(b.venue_trade_id == "599");
  CHECK(b.ours == Raw("1"));
  CHECK(b.venue == 0);
  CHECK(b.explanation ==
        "We hold fill BINANCE:SUSHIUSDT:599 of 1 for venue trade 599 on BINANCE.SUSHIUSDT, which "
        "the venue does not list since the checkpoint.");
}

TEST_CASE("a fill with less quantity than its trade is a missed fill no ingest can fix",
          "[reconciliation]") {
  World w;
  w.input.ours.fills[0].qty = Qty("1.5");  // trade 501 executed 2
  w.order("c-2").filled_qty = Qty("1.5");
  w.SetOurPosition(w.sushi, "18.5");
  w.input.ours.balances.clear();
  DiffResult d = w.Diff();
  INFO(Summary(d));
  REQUIRE(d.breaks.size() == 1);
  const Break& b = d.breaks[0];
  CHECK(b.type == v1::BREAK_TYPE_MISSED_FILL);
  CHECK(b.ours == Raw("1.5"));
  CHECK(b.venue == Raw("2"));
  CHECK_FALSE(b.correctable);
  CHECK_THAT(b.not_correctable_reason, Catch::Contains("second fill for one venue trade"));
}

TEST_CASE("a missed fill that the order cannot take is not correctable, nor is its status",
          "[reconciliation]") {
  World w;
  w.AddOrder(MakeOrder("c-9", "1009", w.sushi, kBuy, ORDER_STATUS_REJECTED, "1", "0", "9.5",
                       kT0 + minutes(30)));
  w.VenueOnlyTrade(w.sushi, MakeTrade("512", "1009", kBuy, "9.5", "1", kT0 + minutes(31)));
  DiffResult d = w.Diff();
  INFO(Summary(d));
  REQUIRE(d.breaks.size() == 2);
  CHECK(d.breaks[0].type == v1::BREAK_TYPE_STATUS_MISMATCH);  // REJECTED here, FILLED there
  CHECK(d.breaks[0].venue_status == ORDER_STATUS_FILLED);
  CHECK_FALSE(d.breaks[0].correctable);
  CHECK(d.breaks[1].type == v1::BREAK_TYPE_MISSED_FILL);
  CHECK_FALSE(d.breaks[1].correctable);
  CHECK_THAT(d.breaks[1].not_correctable_reason, Catch::Contains("is REJECTED"));

  SECTION("and one that would overfill the order") {
    World o;
    o.VenueOnlyTrade(o.sushi, MakeTrade("514", "1002", kBuy, "9.9", "4", kT0 + minutes(31)));
    o.open_order("1002")->filled_qty = Qty("6");
    o.open_order("1002")->qty = Qty("6");
    DiffResult od = o.Diff();
    INFO(Summary(od));
    std::vector<const Break*> missed = OfType(od, v1::BREAK_TYPE_MISSED_FILL);
    REQUIRE(missed.size() == 1);
    CHECK_FALSE(missed[0]->correctable);
    CHECK_THAT(missed[0]->not_correctable_reason, Catch::Contains("would overfill it"));
  }
}

TEST_CASE("a trade-id checkpoint bounds the comparison and moves past what is settled",
          "[reconciliation]") {
  World w;
  w.window(w.sushi).checkpoint = TradeCheckpoint{Timestamp(), 500};
  // The venue also lists an older trade (a page overlapping the checkpoint):
  // it is outside the window, so no fill of ours is expected for it.
  w.window(w.sushi).trades.push_back(
      MakeTrade("450", "999", kBuy, "9", "7", kT0 - std::chrono::hours(2)));
  DiffResult d = w.Diff();
  INFO(Summary(d));
  CHECK(d.breaks.empty());
  CHECK(d.fills_compared == 4);
  REQUIRE(d.next_checkpoints.size() == 2);
  const NextCheckpoint& next = d.next_checkpoints[0];  // by instrument index: SUSHIUSDT first
  CHECK(next.instrument == w.sushi);
  REQUIRE(next.checkpoint.after_trade_id.has_value());
  CHECK(*next.checkpoint.after_trade_id == 503);
  CHECK(next.has_position);
  CHECK(next.position == Qty("19"));

  SECTION("a trade id that is not a number fails the diff") {
    w.window(w.sushi).trades.push_back(MakeTrade("x-1", "1002", kBuy, "9.9", "1", kT0));
    DiffResult failed = w.Diff();
    CHECK(failed.failed);
    CHECK_THAT(failed.failure_reason, Catch::Contains("trade x-1 on BINANCE.SUSHIUSDT"));
  }
}

}  // namespace
}  // namespace tradeplane::reconciliation
