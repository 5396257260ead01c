// What the diff does with a partial or self-contradicting venue answer, with
// inputs that break its contract, and with the same facts in another order.
#include <algorithm>
#include <random>
#include <tuple>

#include <catch2/catch.hpp>

#include "recon_fixture.h"

namespace tradeplane::reconciliation {
namespace {

using namespace testing;  // NOLINT: the fixture's vocabulary

VenueOrder WebOrder(InstrumentIndex instrument) {
  VenueOrder web;
  web.client_order_id = "web_8f2c";
  web.venue_order_id = "9001";
  web.instrument = instrument;
  web.side = kSell;
  web.status = ORDER_STATUS_NEW;
  web.qty = Qty("4");
  web.price = Px("11");
  web.created = kT0 + minutes(10);
  return web;
}

TEST_CASE("a partial venue answer fails the diff and finds no break", "[reconciliation]") {
  World w;
  w.input.venue.open_orders.push_back(WebOrder(w.sushi));  // a break, were the answer whole
  w.RemoveOpenOrder("1001");
  w.input.venue.complete = false;
  w.input.venue.incomplete_reason = "trades of NKNUSDT: the page was cut at the limit";
  DiffResult d = w.Diff();
  CHECK(d.failed);
  CHECK(d.failure_reason ==
        "the venue's answer is incomplete: trades of NKNUSDT: the page was cut at the limit");
  CHECK(d.breaks.empty());
  CHECK(d.deferred.empty());
  CHECK(d.positions.empty());
  CHECK(d.orders_compared == 0);
}

TEST_CASE("a venue answer that contradicts itself fails the diff", "[reconciliation]") {
  World w;
  SECTION("one trade listed twice with different quantities") {
    VenueTrade again = w.window(w.sushi).trades[0];
    again.qty = Qty("3");
    w.window(w.sushi).trades.push_back(again);
    DiffResult d = w.Diff();
    CHECK(d.failed);
    CHECK(d.failure_reason ==
          "the venue's answer contradicts itself: trade 501 on BINANCE.SUSHIUSDT is listed twice "
          "with different content");
  }
  SECTION("a closed order in the open-order list") {
    w.open_order("1001")->status = ORDER_STATUS_FILLED;
    DiffResult d = w.Diff();
    CHECK(d.failed);
    CHECK_THAT(d.failure_reason, Catch::Contains("open order 1001 on BINANCE.SUSHIUSDT is FILLED"));
  }
  SECTION("two open orders for one of ours") {
    VenueOrder twin = *w.open_order("1001");
    twin.venue_order_id = "1001-bis";
    w.input.venue.open_orders.push_back(twin);
    DiffResult d = w.Diff();
    CHECK(d.failed);
    CHECK_THAT(d.failure_reason, Catch::Contains("are both our order c-1"));
  }
}

TEST_CASE("the same trade or order listed twice alike (pages overlapping) is counted once",
          "[reconciliation]") {
  World w;
  w.window(w.sushi).trades.push_back(w.window(w.sushi).trades[1]);
  w.input.venue.open_orders.push_back(*w.open_order("1002"));
  DiffResult d = w.Diff();
  INFO(Summary(d));
  CHECK_FALSE(d.failed);
  CHECK(d.breaks.empty());
  CHECK(d.fills_compared == 4);
}

TEST_CASE("inputs that break the contract are errors that say where", "[reconciliation]") {
  World w;
  auto error = [&]() {
    absl::StatusOr<DiffResult> r = DiffBooks(w.input, w.table, w.options);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == absl::StatusCode::kInvalidArgument);
    return std::string(r.status().message());
  };
  SECTION("two orders with one client order id") {
    w.AddOrder(w.order("c-1"));
    CHECK(error() == "our order c-1: listed twice");
  }
  SECTION("a fill without a venue trade id") {
    w.input.ours.fills[0].venue_trade_id.clear();
    CHECK(error() == "our fill BINANCE:SUSHIUSDT:501: no venue_trade_id");
  }
  SECTION("an instrument outside the table") {
    w.input.ours.positions.push_back(OurPosition{7, Qty("1")});
    CHECK(error() == "our positions: instrument index 7 is outside the table (2 instruments)");
  }
  SECTION("a position from the venue's trades without a trade window") {
    w.input.venue.trade_windows.pop_back();  // NKN's
    CHECK(error() ==
          "position reference BINANCE.NKNUSDT: the kVenueTrades basis needs a trade window for "
          "the instrument");
  }
  SECTION("a negative grace") {
    w.options.in_flight_grace = Duration(-1);
    CHECK(error() == "in_flight_grace: must not be negative");
  }
  SECTION("a filled quantity beyond the order's") {
    w.order("c-1").filled_qty = Qty("11");
    CHECK(error() == "our order c-1: filled 11 is outside [0, 10]");
  }
}

// A world with a break of nearly every type at once.
World ManyBreaks() {
  World w;
  w.input.venue.open_orders.push_back(WebOrder(w.sushi));  // unknown
  w.VenueOnlyTrade(w.sushi,
                   MakeTrade("508", "9002", kBuy, "9.5", "3", kT0 + minutes(35)));  // orphan
  w.VenueOnlyTrade(w.sushi,
                   MakeTrade("504", "1002", kBuy, "9.9", "1", kT0 + minutes(30)));  // missed
  w.open_order("1002")->filled_qty = Qty("3");
  w.RemoveOpenOrder("1001");  // c-1 canceled: status
  w.AddOrder(MakeOrder("c-5", "", w.sushi, kBuy, ORDER_STATUS_PENDING_NEW, "1", "0", "9",
                       kT0 + minutes(30)));
  VenueOrder ack = OpenAtVenue(w.order("c-5"), ORDER_STATUS_NEW, "0");
  ack.venue_order_id = "1005";
  w.input.venue.open_orders.push_back(ack);  // dropped ack: status
  VenueTrade ghost = MakeTrade("699", "2001", kBuy, "0.4", "5", kT0 + minutes(9));
  w.input.ours.fills.push_back(FillOf(ghost, "c-4", w.nkn, "NKNUSDT"));  // duplicate
  w.SetOurPosition(w.nkn, "41");                                         // position
  w.SetBalance("USDT", "1200", "900", "100");                            // balance
  w.AddOrder(MakeOrder("c-8", "", w.sushi, kBuy, ORDER_STATUS_PENDING_NEW, "1", "0", "9",
                       kAsOf - seconds(1)));  // in flight
  return w;
}

template <typename T>
void Shuffle(std::vector<T>& v, std::mt19937& rng) {
  std::shuffle(v.begin(), v.end(), rng);
}

using BreakView = std::tuple<std::string, std::string, int64_t, int64_t, bool>;
std::vector<BreakView> View(const DiffResult& d) {
  std::vector<BreakView> out;
  for (const Break& b : d.breaks) {
    out.emplace_back(b.Key(), b.explanation, b.ours, b.venue, b.correctable);
  }
  return out;
}

TEST_CASE("the same facts in any order give the same breaks in the same order, word for word",
          "[reconciliation]") {
  World w = ManyBreaks();
  const DiffResult reference = w.Diff();
  INFO(Summary(reference));
  REQUIRE(reference.breaks.size() >= 8);
  std::vector<v1::BreakType> types;
  for (const Break& b : reference.breaks) types.push_back(b.type);
  CHECK(std::is_sorted(types.begin(), types.end()));
  CHECK(types.front() == v1::BREAK_TYPE_UNKNOWN_VENUE_ORDER);
  CHECK(types.back() == v1::BREAK_TYPE_BALANCE_MISMATCH);

  std::mt19937 rng(20211012);
  for (int round = 0; round < 20; ++round) {
    World s = ManyBreaks();
    Shuffle(s.input.ours.orders, rng);
    Shuffle(s.input.ours.fills, rng);
    Shuffle(s.input.ours.positions, rng);
    Shuffle(s.input.ours.balances, rng);
    Shuffle(s.input.venue.open_orders, rng);
    Shuffle(s.input.venue.trade_windows, rng);
    for (VenueTradeWindow& tw : s.input.venue.trade_windows) Shuffle(tw.trades, rng);
    Shuffle(s.input.venue.balances, rng);
    Shuffle(s.input.positions, rng);
    const DiffResult shuffled = s.Diff();
    CHECK(View(shuffled) == View(reference));
    CHECK(shuffled.deferred == reference.deferred);
    CHECK(shuffled.orders_compared == reference.orders_compared);
    CHECK(shuffled.fills_compared == reference.fills_compared);
  }
}

}  // namespace
}  // namespace tradeplane::reconciliation
