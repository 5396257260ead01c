// Order breaks: a clean state, then one scenario per way an order drifts
// (a dropped ack, a cancel while we were down, an order placed directly at
// the venue, executions on an order nobody knows, an order whose fate the
// venue's answer cannot tell) and what the diff says of each.
#include <catch2/catch.hpp>

#include "recon_fixture.h"

namespace tradeplane::reconciliation {
namespace {

using namespace testing;  // NOLINT: the fixture's vocabulary

TEST_CASE("a clean state produces no break", "[reconciliation]") {
  World w;
  DiffResult d = w.Diff();
  INFO(Summary(d));
  CHECK_FALSE(d.failed);
  CHECK(d.breaks.empty());
  CHECK(d.deferred.empty());
  // c-1 and c-2 from the open orders, c-3 (FILLED) and c-4 (CANCELED) from the trades.
  CHECK(d.orders_compared == 4);
  CHECK(d.fills_compared == 4);  // trades 501, 502, 503, 601
  REQUIRE(d.positions.size() == 2);
  CHECK(d.positions[0].instrument_id.symbol == "NKNUSDT");  // by instrument id
  CHECK(d.positions[0].venue == Qty("40"));
  CHECK(d.positions[1].venue == Qty("19"));  // 20 + 2 - 1 - 2
  CHECK(d.positions[1].unexplained.is_zero());
  REQUIRE(d.balances.size() == 3);
  CHECK(d.balances[0].asset == "NKN");
  for (const BalanceCheck& b : d.balances) CHECK_FALSE(b.is_break);
}

TEST_CASE("a dropped ack is a status mismatch corrected to the venue's NEW", "[reconciliation]") {
  World w;
  w.AddOrder(MakeOrder("c-5", "", w.sushi, kBuy, ORDER_STATUS_PENDING_NEW, "1", "0", "9",
                       kT0 + minutes(30)));
  VenueOrder at_venue = OpenAtVenue(w.order("c-5"), ORDER_STATUS_NEW, "0");
  at_venue.venue_order_id = "1005";
  w.input.venue.open_orders.push_back(at_venue);

  DiffResult d = w.Diff();
  INFO(Summary(d));
  REQUIRE(d.breaks.size() == 1);
  const Break& b = d.breaks[0];
  CHECK(b.type == v1::BREAK_TYPE_STATUS_MISMATCH);
  CHECK(b.client_order_id == "c-5");
  CHECK(b.venue_order_id == "1005");
  CHECK(b.ours_status == ORDER_STATUS_PENDING_NEW);
  CHECK(b.venue_status == ORDER_STATUS_NEW);
  CHECK_FALSE(b.venue_status_deduced);
  CHECK(b.explanation ==
        "Order c-5 on BINANCE.SUSHIUSDT is PENDING_NEW here and NEW at the venue (in its open "
        "orders), with 0 of 1 filled.");
  REQUIRE(b.correctable);
  CHECK(b.corrected_order.status() == ORDER_STATUS_NEW);
  CHECK(b.corrected_order.venue_order_id() == "1005");
  CHECK(b.corrected_order.filled_qty() == 0);
  CHECK(b.corrected_order.instrument().symbol() == "SUSHIUSDT");
}

TEST_CASE("an order canceled at the venue while we were down is deduced CANCELED from the trades",
          "[reconciliation]") {
  World w;
  w.RemoveOpenOrder("1001");  // c-1: not open any more, and no trade on it
  DiffResult d = w.Diff();
  INFO(Summary(d));
  REQUIRE(d.breaks.size() == 1);
  const Break& b = d.breaks[0];
  CHECK(b.type == v1::BREAK_TYPE_STATUS_MISMATCH);
  CHECK(b.client_order_id == "c-1");
  CHECK(b.venue_status == ORDER_STATUS_CANCELED);
  CHECK(b.venue_status_deduced);
  CHECK(b.explanation ==
        "Order c-1 on BINANCE.SUSHIUSDT is NEW here but no longer open at the venue, and its "
        "trades since the checkpoint make 0 of 10 filled: closed with a remainder (CANCELED, "
        "deduced).");
  REQUIRE(b.correctable);
  CHECK(b.corrected_order.status() == ORDER_STATUS_CANCELED);
  CHECK(b.corrected_order.venue_order_id() == "1001");
}

TEST_CASE("an order placed directly at the venue is an unknown venue order", "[reconciliation]") {
  World w;
  VenueOrder web;
  web.client_order_id = "web_8f2c";
  web.venue_order_id = "9001";
  web.instrument = w.sushi;
  web.side = kSell;
  web.status = ORDER_STATUS_NEW;
  web.qty = Qty("4");
  web.price = Px("11");
  web.created = kT0 + minutes(10);
  w.input.venue.open_orders.push_back(web);

  DiffResult d = w.Diff();
  INFO(Summary(d));
  REQUIRE(d.breaks.size() == 1);
  const Break& b = d.breaks[0];
  CHECK(b.type == v1::BREAK_TYPE_UNKNOWN_VENUE_ORDER);
  CHECK(b.venue_order_id == "9001");
  CHECK(b.client_order_id == "web_8f2c");
  CHECK(b.ours == 0);
  CHECK(b.venue == Raw("4"));
  REQUIRE(b.venue_order.has_value());
  CHECK(b.correctable);
  CHECK(b.explanation ==
        "The venue has open order 9001 on BINANCE.SUSHIUSDT (client order id web_8f2c, SELL 4 @ "
        "11, 0 filled, NEW) that matches none of our orders.");
  CHECK(d.orders_compared == 5);
}

TEST_CASE("executions on an order that is neither ours nor open are an unknown venue order",
          "[reconciliation]") {
  World w;
  w.VenueOnlyTrade(w.sushi, MakeTrade("508", "9002", kBuy, "9.5", "3", kT0 + minutes(35)));
  DiffResult d = w.Diff();
  INFO(Summary(d));
  // The position and the balances move with it, and that is explained by this break.
  REQUIRE(d.breaks.size() == 1);
  const Break& b = d.breaks[0];
  CHECK(b.type == v1::BREAK_TYPE_UNKNOWN_VENUE_ORDER);
  CHECK(b.venue_order_id == "9002");
  CHECK(b.venue == Raw("3"));
  CHECK_FALSE(b.correctable);
  CHECK_FALSE(b.venue_order.has_value());
  CHECK(b.explanation ==
        "The venue executed 1 trade(s) (BUY, 3 in total) on venue order 9002 on "
        "BINANCE.SUSHIUSDT since the checkpoint, an order that matches none of ours and is no "
        "longer open.");
  CHECK(d.positions[1].explained == Qty("3"));
  CHECK(d.positions[1].unexplained.is_zero());
}

TEST_CASE("an open order whose fate the venue cannot tell is a missing venue order",
          "[reconciliation]") {
  SECTION("no trade list for its instrument") {
    World w;
    w.AddOrder(MakeOrder("c-6", "2002", w.nkn, kBuy, ORDER_STATUS_NEW, "10", "0", "0.3",
                         kT0 + minutes(30)));
    std::erase_if(w.input.venue.trade_windows,
                  [&](const VenueTradeWindow& tw) { return tw.instrument == w.nkn; });
    std::erase_if(w.input.positions,
                  [&](const PositionReference& r) { return r.instrument == w.nkn; });
    DiffResult d = w.Diff();
    INFO(Summary(d));
    // c-4 is closed here and not open there: nothing to compare without trades.
    REQUIRE(d.breaks.size() == 1);
    const Break& b = d.breaks[0];
    CHECK(b.type == v1::BREAK_TYPE_MISSING_VENUE_ORDER);
    CHECK(b.client_order_id == "c-6");
    CHECK(b.ours == Raw("10"));
    CHECK(b.venue == 0);
    CHECK_FALSE(b.correctable);
    CHECK(b.explanation ==
          "We hold order c-6 on BINANCE.NKNUSDT (BUY 10 @ 0.3) as NEW with 0 filled, the venue "
          "does not list it open, and there is no trade list for BINANCE.NKNUSDT to tell filled "
          "from canceled.");
  }
  SECTION("no venue order id while trades of its side match none of our orders") {
    World w;
    w.AddOrder(MakeOrder("c-7", "", w.sushi, kSell, ORDER_STATUS_PENDING_NEW, "2", "0", "11",
                         kT0 + minutes(30)));
    w.VenueOnlyTrade(w.sushi, MakeTrade("506", "1007", kSell, "11", "2", kT0 + minutes(31)));
    DiffResult d = w.Diff();
    INFO(Summary(d));
    REQUIRE(d.breaks.size() == 2);
    CHECK(d.breaks[0].type == v1::BREAK_TYPE_UNKNOWN_VENUE_ORDER);  // the trade
    CHECK(d.breaks[0].venue_order_id == "1007");
    CHECK(d.breaks[1].type == v1::BREAK_TYPE_MISSING_VENUE_ORDER);
    CHECK(d.breaks[1].client_order_id == "c-7");
    CHECK_THAT(d.breaks[1].explanation,
               Catch::Contains("it has no venue order id while SELL trades on "
                               "BINANCE.SUSHIUSDT match none of our orders"));
  }
}

TEST_CASE("a lookup ties a lost order to its trades: only the missed fill remains",
          "[reconciliation]") {
  World w;
  w.AddOrder(MakeOrder("c-7", "", w.sushi, kSell, ORDER_STATUS_PENDING_NEW, "2", "0", "11",
                       kT0 + minutes(30)));
  w.VenueOnlyTrade(w.sushi, MakeTrade("506", "1007", kSell, "11", "2", kT0 + minutes(31)));
  VenueOrder filled = OpenAtVenue(w.order("c-7"), ORDER_STATUS_FILLED, "2");
  filled.venue_order_id = "1007";
  w.input.venue.lookups.push_back(VenueOrderLookup{"c-7", w.sushi, true, filled});

  DiffResult d = w.Diff();
  INFO(Summary(d));
  // PENDING_NEW + the missed fill of its whole quantity = FILLED, as the venue says.
  REQUIRE(d.breaks.size() == 1);
  CHECK(d.breaks[0].type == v1::BREAK_TYPE_MISSED_FILL);
  CHECK(d.breaks[0].client_order_id == "c-7");
  CHECK(d.breaks[0].venue_order_id == "1007");
  CHECK(d.breaks[0].correctable);
}

TEST_CASE("an open order the venue says it never had is corrected to REJECTED",
          "[reconciliation]") {
  World w;
  w.AddOrder(MakeOrder("c-10", "", w.sushi, kBuy, ORDER_STATUS_PENDING_NEW, "1", "0", "9",
                       kT0 + minutes(30)));
  w.input.venue.lookups.push_back(VenueOrderLookup{"c-10", w.sushi, false, {}});
  DiffResult d = w.Diff();
  INFO(Summary(d));
  REQUIRE(d.breaks.size() == 1);
  const Break& b = d.breaks[0];
  CHECK(b.type == v1::BREAK_TYPE_STATUS_MISMATCH);
  CHECK(b.venue_status == ORDER_STATUS_REJECTED);
  CHECK(b.explanation ==
        "Order c-10 on BINANCE.SUSHIUSDT is PENDING_NEW here but the venue has no order with this "
        "client order id: it never reached the venue (REJECTED, deduced).");
  REQUIRE(b.correctable);
  CHECK(b.corrected_order.status() == ORDER_STATUS_REJECTED);
  CHECK_FALSE(b.corrected_order.reject_reason().empty());
}

TEST_CASE("a filled quantity the fill breaks do not explain is a filled-quantity mismatch",
          "[reconciliation]") {
  World w;
  w.open_order("1002")->filled_qty = Qty("3");  // the venue says 3, no trade shows the third
  DiffResult d = w.Diff();
  INFO(Summary(d));
  REQUIRE(d.breaks.size() == 1);
  const Break& b = d.breaks[0];
  CHECK(b.type == v1::BREAK_TYPE_FILLED_QTY_MISMATCH);
  CHECK(b.client_order_id == "c-2");
  CHECK(b.ours == Raw("2"));
  CHECK(b.venue == Raw("3"));
  CHECK_FALSE(b.correctable);
  CHECK(b.explanation ==
        "Order c-2 on BINANCE.SUSHIUSDT has 2 filled of 5 here and 3 at the venue (in its open "
        "orders); its status is PARTIALLY_FILLED here and PARTIALLY_FILLED there.");
}

TEST_CASE("a status the venue reports inconsistently is not corrected", "[reconciliation]") {
  World w;
  // The venue's lookup says FILLED with nothing filled: execution would refuse it.
  w.RemoveOpenOrder("1001");
  VenueOrder odd = OpenAtVenue(w.order("c-1"), ORDER_STATUS_CANCELED, "0");
  w.input.venue.lookups.push_back(VenueOrderLookup{"c-1", w.sushi, true, odd});
  w.input.venue.lookups.back().order.status = ORDER_STATUS_FILLED;
  DiffResult d = w.Diff();
  INFO(Summary(d));
  REQUIRE(d.breaks.size() == 1);
  CHECK(d.breaks[0].type == v1::BREAK_TYPE_STATUS_MISMATCH);
  CHECK_FALSE(d.breaks[0].correctable);
  CHECK_THAT(d.breaks[0].not_correctable_reason,
             Catch::Contains("FILLED with 0 filled of 10 is not one execution can take"));
}

}  // namespace
}  // namespace tradeplane::reconciliation
