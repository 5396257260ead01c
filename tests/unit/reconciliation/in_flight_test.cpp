// The in-flight rule: a fact at or after (as_of - grace) may still be on its
// way, so it is deferred to the next run, never reported. The boundary is
// inclusive; one nanosecond before it, the same facts are breaks.
#include <catch2/catch.hpp>

#include "recon_fixture.h"

namespace tradeplane::reconciliation {
namespace {

using namespace testing;  // NOLINT: the fixture's vocabulary

World WithNewOrderUpdatedAt(Timestamp updated) {
  World w;
  w.AddOrder(MakeOrder("c-8", "", w.sushi, kBuy, ORDER_STATUS_PENDING_NEW, "1", "0", "9", updated));
  return w;
}

TEST_CASE("an order placed within the grace period is not a break", "[reconciliation][in-flight]") {
  SECTION("a second before the snapshot") {
    DiffResult d = WithNewOrderUpdatedAt(kAsOf - seconds(1)).Diff();
    INFO(Summary(d));
    CHECK(d.breaks.empty());
    REQUIRE(d.deferred.size() == 1);
    CHECK(d.deferred[0].subject == "order c-8");
    CHECK_THAT(d.deferred[0].reason, Catch::Contains("updated at 2021-10-12T01:28:31"));
    CHECK(d.orders_compared == 4);  // deferred, not compared
  }
  SECTION("exactly at the boundary") {
    DiffResult d = WithNewOrderUpdatedAt(kAsOf - kGrace).Diff();
    CHECK(d.breaks.empty());
    CHECK(d.deferred.size() == 1);
  }
  SECTION("after the snapshot (our books were read later)") {
    DiffResult d = WithNewOrderUpdatedAt(kAsOf + seconds(1)).Diff();
    CHECK(d.breaks.empty());
    CHECK(d.deferred.size() == 1);
  }
}

TEST_CASE("an order older than the grace period that the venue lacks is a break",
          "[reconciliation][in-flight]") {
  DiffResult d = WithNewOrderUpdatedAt(kAsOf - kGrace - nanoseconds(1)).Diff();
  INFO(Summary(d));
  REQUIRE(d.breaks.size() == 1);
  CHECK(d.breaks[0].type == v1::BREAK_TYPE_STATUS_MISMATCH);
  CHECK(d.breaks[0].client_order_id == "c-8");
  CHECK(d.breaks[0].venue_status == ORDER_STATUS_CANCELED);
  CHECK(d.breaks[0].venue_status_deduced);
  CHECK(d.deferred.empty());
}

TEST_CASE("a grace of zero defers only what is at or after the snapshot",
          "[reconciliation][in-flight]") {
  World w = WithNewOrderUpdatedAt(kAsOf - nanoseconds(1));
  w.options.in_flight_grace = Duration(0);
  CHECK(w.Diff().breaks.size() == 1);
  World later = WithNewOrderUpdatedAt(kAsOf);
  later.options.in_flight_grace = Duration(0);
  CHECK(later.Diff().breaks.empty());
}

TEST_CASE("a trade within the grace period that we hold no fill for is deferred",
          "[reconciliation][in-flight]") {
  World w;
  w.VenueOnlyTrade(w.sushi, MakeTrade("509", "1002", kBuy, "9.9", "1", kAsOf - seconds(1)));
  w.open_order("1002")->filled_qty = Qty("3");
  DiffResult d = w.Diff();
  INFO(Summary(d));
  CHECK(d.breaks.empty());
  std::vector<std::string> subjects;
  for (const DeferredCheck& c : d.deferred) subjects.push_back(c.subject);
  // The trade, the order it fills, and the balances it moves.
  CHECK(subjects == std::vector<std::string>{"balance SUSHI", "balance USDT", "order c-2",
                                             "trade BINANCE.SUSHIUSDT 509"});
  // The position from the venue's trades includes it; ours will when the
  // report lands: explained, not a break.
  CHECK(d.positions[1].venue == Qty("20"));
  CHECK(d.positions[1].explained == Qty("1"));
  CHECK_FALSE(d.positions[1].is_break);
  // The next window starts at the in-flight boundary, so this trade is compared next time.
  CHECK(d.next_checkpoints[0].checkpoint.since == kAsOf - kGrace);
  CHECK(d.next_checkpoints[0].position == Qty("19"));
}

TEST_CASE("a fill of ours within the grace period the venue does not list yet is deferred",
          "[reconciliation][in-flight]") {
  World w;
  VenueTrade fresh = MakeTrade("515", "1002", kBuy, "9.9", "1", kAsOf - seconds(1));
  w.input.ours.fills.push_back(FillOf(fresh, "c-2", w.sushi, "SUSHIUSDT"));
  w.order("c-2").filled_qty = Qty("3");
  w.order("c-2").updated = kAsOf - seconds(1);
  w.SetOurPosition(w.sushi, "20");
  DiffResult d = w.Diff();
  INFO(Summary(d));
  CHECK(d.breaks.empty());
  CHECK(d.positions[1].explained == Qty("-1"));
  CHECK_FALSE(d.positions[1].is_break);
}

TEST_CASE("a venue order created within the grace period is not an unknown order",
          "[reconciliation][in-flight]") {
  World w;
  VenueOrder fresh;
  fresh.client_order_id = "c-11";
  fresh.venue_order_id = "1011";
  fresh.instrument = w.sushi;
  fresh.side = kBuy;
  fresh.status = ORDER_STATUS_NEW;
  fresh.qty = Qty("1");
  fresh.price = Px("9");
  fresh.created = kAsOf - seconds(1);
  w.input.venue.open_orders.push_back(fresh);
  DiffResult d = w.Diff();
  CHECK(d.breaks.empty());
  REQUIRE(d.deferred.size() == 1);
  CHECK(d.deferred[0].subject == "venue order 1011 on BINANCE.SUSHIUSDT");

  w.input.venue.open_orders.back().created = kAsOf - seconds(3);
  DiffResult later = w.Diff();
  REQUIRE(later.breaks.size() == 1);
  CHECK(later.breaks[0].type == v1::BREAK_TYPE_UNKNOWN_VENUE_ORDER);
}

TEST_CASE("a request the venue has not processed yet is deferred", "[reconciliation][in-flight]") {
  World w;
  w.order("c-1").status = ORDER_STATUS_PENDING_CANCEL;
  w.open_order("1001")->status = ORDER_STATUS_PENDING_CANCEL;
  DiffResult d = w.Diff();
  CHECK(d.breaks.empty());
  REQUIRE(d.deferred.size() == 1);
  CHECK_THAT(d.deferred[0].reason, Catch::Contains("not processed a request"));

  SECTION("while a cancel the venue never took, long ago, is corrected to its status") {
    w.open_order("1001")->status = ORDER_STATUS_NEW;
    DiffResult lost = w.Diff();
    REQUIRE(lost.breaks.size() == 1);
    CHECK(lost.breaks[0].type == v1::BREAK_TYPE_STATUS_MISMATCH);
    CHECK(lost.breaks[0].ours_status == ORDER_STATUS_PENDING_CANCEL);
    CHECK(lost.breaks[0].corrected_order.status() == ORDER_STATUS_NEW);
  }
}

}  // namespace
}  // namespace tradeplane::reconciliation
