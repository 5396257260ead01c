// Order types, times in force, priority, fees, self-trade prevention, cancels
// and queries of the matching engine.
#include <catch2/catch.hpp>

#include "engine_fixture.h"

namespace tradeplane::matching {
namespace {

using namespace testing;  // NOLINT: test builders
using orders::v1::LIQUIDITY_MAKER;
using orders::v1::LIQUIDITY_TAKER;
using orders::v1::ORDER_STATUS_CANCELED;
using orders::v1::ORDER_STATUS_EXPIRED;
using orders::v1::ORDER_STATUS_FILLED;
using orders::v1::ORDER_STATUS_NEW;
using orders::v1::ORDER_STATUS_PARTIALLY_FILLED;
using orders::v1::ORDER_STATUS_REJECTED;

TEST_CASE("a limit buy walks the displayed asks at their prices and rests the remainder",
          "[matching]") {
  EngineFixture f;
  f.Level(kSell, "100.00", "1");
  f.Level(kSell, "100.50", "2");
  f.Level(kSell, "101.00", "5");
  SubmitResult r = f.Limit(kBuy, "100.50", "4");
  REQUIRE(r.accepted());
  CHECK(r.order_id == 1);

  REQUIRE(f.events().size() == 3);
  CHECK(f.events()[0].kind == MatchEventKind::kAccepted);
  CHECK(f.events()[0].status == ORDER_STATUS_NEW);
  std::vector<MatchEvent> fills = f.Fills();
  REQUIRE(fills.size() == 2);
  CHECK(fills[0].price == P("100.00"));
  CHECK(fills[0].qty == Q("1"));
  CHECK(fills[0].trade_id == 1);
  CHECK(fills[0].liquidity == LIQUIDITY_TAKER);
  CHECK(fills[0].counter_order_id == 0);
  CHECK(fills[1].price == P("100.50"));
  CHECK(fills[1].qty == Q("2"));
  CHECK(fills[1].trade_id == 2);
  CHECK(fills[1].quote_qty == A("201"));
  CHECK(fills[1].status == ORDER_STATUS_PARTIALLY_FILLED);
  CHECK(fills[1].remaining_qty == Q("1"));

  const EngineOrder& o = f.Order(r.order_id);
  CHECK(o.status == ORDER_STATUS_PARTIALLY_FILLED);
  CHECK(o.filled_qty == Q("3"));
  CHECK(o.filled_quote == A("301"));
  // The remainder rests at its limit; 101.00 was beyond it and is untouched.
  CHECK(f.LevelAt(kBuy, "100.50").own_qty == Q("1"));
  CHECK(f.LevelAt(kSell, "101.00").available == Q("5"));
  CHECK(f.LevelAt(kSell, "100.50").available == Q("0"));
}

TEST_CASE("a limit order whose price does not reach the other side rests untouched", "[matching]") {
  EngineFixture f;
  f.Level(kSell, "101.00", "1");
  SubmitResult r = f.Limit(kBuy, "100.99", "1");
  CHECK(f.Fills().empty());
  CHECK(f.Order(r.order_id).status == ORDER_STATUS_NEW);
  CHECK(f.LevelAt(kBuy, "100.99").own_orders == 1);
}

TEST_CASE("an IOC order takes what it can and expires the rest", "[matching]") {
  EngineFixture f;
  f.Level(kSell, "100.00", "1");
  SubmitResult r = f.Limit(kBuy, "100.00", "3", kIoc);
  REQUIRE(f.Fills().size() == 1);
  CHECK(f.last().kind == MatchEventKind::kExpired);
  CHECK(f.last().reason == OrderReason::kImmediateOrCancel);
  CHECK(f.last().filled_qty == Q("1"));
  CHECK(f.Order(r.order_id).status == ORDER_STATUS_EXPIRED);
  CHECK(f.engine().OpenOrders(1).empty());
}

TEST_CASE("an IOC order with nothing to take expires without fills", "[matching]") {
  EngineFixture f;
  f.Level(kSell, "100.01", "1");
  f.Limit(kBuy, "100.00", "1", kIoc);
  CHECK(f.Fills().empty());
  CHECK(f.last().kind == MatchEventKind::kExpired);
  CHECK(f.engine().Depth(kBuy, 10).empty());
}

TEST_CASE("a FOK order fills completely when the liquidity within its price suffices",
          "[matching]") {
  EngineFixture f;
  f.Level(kSell, "100.00", "1");
  f.Level(kSell, "100.10", "2");
  SubmitResult r = f.Limit(kBuy, "100.10", "3", kFok);
  CHECK(f.Fills().size() == 2);
  CHECK(f.Order(r.order_id).status == ORDER_STATUS_FILLED);
}

TEST_CASE("a FOK order is all or nothing: it expires untouched when it cannot fill completely",
          "[matching]") {
  EngineFixture f;
  f.Level(kSell, "100.00", "1");
  f.Level(kSell, "100.10", "2");
  f.Level(kSell, "100.20", "9");
  SubmitResult r = f.Limit(kBuy, "100.10", "3.001", kFok);
  CHECK(f.Fills().empty());
  CHECK(f.last().kind == MatchEventKind::kExpired);
  CHECK(f.last().reason == OrderReason::kFillOrKill);
  CHECK(f.Order(r.order_id).filled_qty.is_zero());
  CHECK(f.LevelAt(kSell, "100.00").available == Q("1"));
  CHECK(f.LevelAt(kSell, "100.10").available == Q("2"));
}

TEST_CASE("a market buy walks the book and expires what the book cannot fill", "[matching]") {
  EngineFixture f;
  f.Level(kSell, "100.00", "1");
  f.Level(kSell, "105.00", "1");
  SubmitResult r = f.Market(kBuy, "3");
  std::vector<MatchEvent> fills = f.Fills();
  REQUIRE(fills.size() == 2);
  CHECK(fills[0].price == P("100.00"));
  CHECK(fills[1].price == P("105.00"));
  CHECK(f.last().kind == MatchEventKind::kExpired);
  CHECK(f.last().reason == OrderReason::kNoMoreLiquidity);
  CHECK(f.Order(r.order_id).filled_qty == Q("2"));
  CHECK(f.Order(r.order_id).filled_quote == A("205"));
}

TEST_CASE("a market sell hits the bids best first", "[matching]") {
  EngineFixture f;
  f.Level(kBuy, "99.00", "2");
  f.Level(kBuy, "99.50", "1");
  SubmitResult r = f.Market(kSell, "2");
  std::vector<MatchEvent> fills = f.Fills();
  REQUIRE(fills.size() == 2);
  CHECK(fills[0].price == P("99.50"));
  CHECK(fills[1].price == P("99.00"));
  CHECK(fills[1].qty == Q("1"));
  CHECK(f.Order(r.order_id).status == ORDER_STATUS_FILLED);
}

TEST_CASE("a market order given GTC still never rests", "[matching]") {
  EngineFixture f;
  f.Level(kSell, "100.00", "1");
  SubmitResult r = f.Market(kBuy, "2", 1, kGtc);
  CHECK(f.Fills().size() == 1);
  CHECK(f.Order(r.order_id).status == ORDER_STATUS_EXPIRED);
  CHECK(f.Order(r.order_id).time_in_force == kIoc);
  CHECK(f.engine().Depth(kBuy, 10).empty());
}

TEST_CASE("a market order on an empty side expires with nothing filled", "[matching]") {
  EngineFixture f;
  f.Level(kBuy, "99.00", "2");
  SubmitResult r = f.Market(kBuy, "1");
  REQUIRE(r.accepted());
  CHECK(f.Fills().empty());
  CHECK(f.Order(r.order_id).status == ORDER_STATUS_EXPIRED);
}

TEST_CASE("a market FOK order expires untouched when the book cannot fill it all", "[matching]") {
  EngineFixture f;
  f.Level(kSell, "100.00", "1");
  f.Market(kBuy, "2", 1, kFok);
  CHECK(f.Fills().empty());
  CHECK(f.last().reason == OrderReason::kFillOrKill);
  f.Market(kBuy, "1", 1, kFok);
  CHECK(f.Fills().size() == 1);
}

TEST_CASE("a post-only order that would take is rejected and never exists", "[matching]") {
  EngineFixture f;
  f.Level(kSell, "100.00", "1");
  SubmitResult r = f.PostOnly(kBuy, "100.00", "1");
  CHECK_FALSE(r.accepted());
  CHECK(r.reject_reason == OrderReason::kWouldTakeLiquidity);
  REQUIRE(f.events().size() == 1);
  CHECK(f.events()[0].kind == MatchEventKind::kRejected);
  CHECK(f.events()[0].status == ORDER_STATUS_REJECTED);
  CHECK(f.events()[0].order_id == 0);
  CHECK(f.engine().next_order_id() == 1);  // no id used

  SubmitResult below = f.PostOnly(kBuy, "99.99", "1");
  REQUIRE(below.accepted());
  CHECK(f.Order(below.order_id).status == ORDER_STATUS_NEW);
  CHECK(f.Fills().empty());
}

TEST_CASE("a post-only order is rejected when it would meet one of our resting orders",
          "[matching]") {
  EngineFixture f;
  f.Limit(kSell, "100.00", "1", kGtc, /*account=*/2);
  CHECK(f.PostOnly(kBuy, "100.00", "1").reject_reason == OrderReason::kWouldTakeLiquidity);
  CHECK(f.PostOnly(kBuy, "100.00", "1", /*account=*/2).reject_reason ==
        OrderReason::kWouldTakeLiquidity);
}

TEST_CASE("our orders trade with each other in price-time priority", "[matching]") {
  EngineFixture f;
  SubmitResult first = f.Limit(kSell, "100.00", "1", kGtc, 1);
  SubmitResult second = f.Limit(kSell, "100.00", "1", kGtc, 2);
  SubmitResult better = f.Limit(kSell, "99.99", "1", kGtc, 3);
  f.ClearEvents();
  SubmitResult taker = f.Limit(kBuy, "100.00", "2.5", kGtc, 4);

  std::vector<MatchEvent> fills = f.Fills();
  REQUIRE(fills.size() == 6);  // a maker and a taker event per trade
  CHECK(fills[0].order_id == better.order_id);
  CHECK(fills[0].liquidity == LIQUIDITY_MAKER);
  CHECK(fills[0].counter_order_id == taker.order_id);
  CHECK(fills[1].order_id == taker.order_id);
  CHECK(fills[1].counter_order_id == better.order_id);
  CHECK(fills[0].trade_id == fills[1].trade_id);
  CHECK(fills[0].price == P("99.99"));
  CHECK(fills[2].order_id == first.order_id);
  CHECK(fills[4].order_id == second.order_id);
  CHECK(fills[4].qty == Q("0.5"));
  CHECK(fills[2].trade_id + 1 == fills[4].trade_id);
  CHECK(f.Order(taker.order_id).status == ORDER_STATUS_FILLED);
  CHECK(f.Order(second.order_id).status == ORDER_STATUS_PARTIALLY_FILLED);
  CHECK(f.Order(first.order_id).status == ORDER_STATUS_FILLED);
}

TEST_CASE(
    "an aggressive order takes the replayed quantity at a price before our resting orders there",
    "[matching]") {
  EngineFixture f;
  f.Level(kSell, "100.00", "1");
  SubmitResult resting = f.Limit(kSell, "100.00", "1", kGtc, 2);
  CHECK(f.Order(resting.order_id).queue_ahead == Q("1"));
  f.ClearEvents();
  f.Limit(kBuy, "100.00", "1", kGtc, 1);
  REQUIRE(f.Fills().size() == 1);
  CHECK(f.Fills()[0].counter_order_id == 0);
  CHECK(f.Order(resting.order_id).filled_qty.is_zero());
  CHECK(f.Order(resting.order_id).queue_ahead.is_zero());  // what was ahead is gone
}

TEST_CASE("self-trade prevention expires the taker and leaves the resting order", "[matching]") {
  EngineFixture f;
  f.Level(kSell, "100.00", "1");
  SubmitResult resting = f.Limit(kSell, "100.00", "1", kGtc, 1);
  f.ClearEvents();
  SubmitResult taker = f.Limit(kBuy, "100.00", "3", kGtc, 1);
  REQUIRE(f.Fills().size() == 1);  // the replayed quantity ahead of our own order
  CHECK(f.last().kind == MatchEventKind::kExpired);
  CHECK(f.last().reason == OrderReason::kSelfTradePrevention);
  CHECK(f.Order(taker.order_id).filled_qty == Q("1"));
  CHECK(f.Order(taker.order_id).status == ORDER_STATUS_EXPIRED);
  CHECK(f.Order(resting.order_id).status == ORDER_STATUS_NEW);
  CHECK(f.Order(resting.order_id).filled_qty.is_zero());
}

TEST_CASE("a FOK order counts no liquidity behind our own resting order", "[matching]") {
  EngineFixture f;
  SubmitResult own = f.Limit(kSell, "100.00", "1", kGtc, 1);
  f.Limit(kSell, "100.00", "5", kGtc, 2);
  f.ClearEvents();
  f.Limit(kBuy, "100.00", "1", kFok, 1);
  CHECK(f.Fills().empty());
  CHECK(f.last().reason == OrderReason::kFillOrKill);
  CHECK(f.Order(own.order_id).is_open());
}

TEST_CASE("maker and taker fees are bps of the notional in the quote asset", "[matching]") {
  FixtureOptions options;
  options.fees = FeeSchedule{Bps("-0.5"), Bps("7.5")};
  EngineFixture f(options);
  SubmitResult maker = f.Limit(kSell, "100.00", "2", kGtc, 2);
  f.Limit(kBuy, "100.00", "2", kGtc, 1);
  std::vector<MatchEvent> fills = f.Fills();
  REQUIRE(fills.size() == 2);
  CHECK(fills[0].quote_qty == A("200"));
  CHECK(fills[0].fee == A("-0.01"));  // a rebate of 0.5 bps
  CHECK(fills[1].fee == A("0.15"));   // 7.5 bps
  CHECK(f.Order(maker.order_id).fees == A("-0.01"));
}

TEST_CASE("fees and notionals are truncated toward zero at the 1e-9 scale", "[matching]") {
  FixtureOptions options;
  options.instrument.tick_size = P("0.00000001");
  options.instrument.lot_size = Q("0.1");
  options.instrument.min_qty = Q("0.1");
  options.fees = FeeSchedule{Bps("0"), Bps("7.5")};
  EngineFixture f(options);
  f.Level(kSell, "0.00000637", "100");
  f.Limit(kBuy, "0.00000637", "0.1");
  REQUIRE(f.Fills().size() == 1);
  // 0.00000637 * 0.1 = 0.000000637 exactly; 7.5 bps of it = 0.00000000047775 -> 0.
  CHECK(f.Fills()[0].quote_qty == A("0.000000637"));
  CHECK(f.Fills()[0].fee.is_zero());
  f.Limit(kBuy, "0.00000637", "33.3");
  // 0.000212121 * 7.5 / 10000 = 0.00000015909075 -> 0.000000159
  CHECK(f.Fills()[1].quote_qty == A("0.000212121"));
  CHECK(f.Fills()[1].fee == A("0.000000159"));
}

TEST_CASE("cancel removes a resting order once and only for its own account", "[matching]") {
  EngineFixture f;
  f.Level(kBuy, "99.00", "3");
  SubmitResult r = f.Limit(kBuy, "99.00", "1");
  absl::Status other = f.engine().Cancel(2, r.order_id, f.Now());
  CHECK(absl::IsNotFound(other));
  REQUIRE(f.engine().Cancel(1, r.order_id, f.Now()).ok());
  CHECK(f.last().kind == MatchEventKind::kCanceled);
  CHECK(f.last().status == ORDER_STATUS_CANCELED);
  CHECK(f.last().reason == OrderReason::kCanceledByRequest);
  CHECK(f.LevelAt(kBuy, "99.00").own_orders == 0);
  CHECK(f.LevelAt(kBuy, "99.00").displayed == Q("3"));
  CHECK(absl::IsNotFound(f.engine().Cancel(1, r.order_id, f.Now())));
  CHECK(absl::IsNotFound(f.engine().Cancel(1, 12345, f.Now())));
}

TEST_CASE("cancel by client order id finds the open order of that account", "[matching]") {
  EngineFixture f;
  SubmitResult r = f.Submit(kSell, orders::v1::ORDER_TYPE_LIMIT, kGtc, "101.00", "1", 7, "mine-1");
  CHECK(absl::IsNotFound(f.engine().CancelByClientId(8, "mine-1", f.Now())));
  CHECK(absl::IsNotFound(f.engine().CancelByClientId(7, "nobody", f.Now())));
  REQUIRE(f.engine().CancelByClientId(7, "mine-1", f.Now()).ok());
  CHECK(f.Order(r.order_id).status == ORDER_STATUS_CANCELED);
}

TEST_CASE("cancel-all cancels the account's open orders oldest first and no one else's",
          "[matching]") {
  EngineFixture f;
  SubmitResult a = f.Limit(kSell, "102.00", "1", kGtc, 1);
  SubmitResult b = f.Limit(kBuy, "98.00", "1", kGtc, 1);
  SubmitResult c = f.Limit(kSell, "101.00", "1", kGtc, 1);
  SubmitResult other = f.Limit(kSell, "101.00", "1", kGtc, 2);
  f.ClearEvents();
  CHECK(f.engine().CancelAll(1, f.Now()) == 3);
  REQUIRE(f.events().size() == 3);
  CHECK(f.events()[0].order_id == a.order_id);
  CHECK(f.events()[1].order_id == b.order_id);
  CHECK(f.events()[2].order_id == c.order_id);
  CHECK(f.engine().OpenOrders(1).empty());
  REQUIRE(f.engine().OpenOrders(2).size() == 1);
  CHECK(f.engine().OpenOrders(2)[0]->id == other.order_id);
  CHECK(f.engine().CancelAll(1, f.Now()) == 0);
}

TEST_CASE("queries find open and closed orders, by client id the latest of the account",
          "[matching]") {
  EngineFixture f;
  SubmitResult first = f.Submit(kBuy, orders::v1::ORDER_TYPE_LIMIT, kGtc, "99.00", "1", 1, "x");
  // An open order's client id cannot be reused...
  SubmitResult dup = f.Submit(kBuy, orders::v1::ORDER_TYPE_LIMIT, kGtc, "98.00", "1", 1, "x");
  CHECK(dup.reject_reason == OrderReason::kDuplicateClientOrderId);
  // ...by the same account; another account may use it.
  SubmitResult other = f.Submit(kBuy, orders::v1::ORDER_TYPE_LIMIT, kGtc, "98.00", "1", 2, "x");
  CHECK(other.accepted());
  REQUIRE(f.engine().Cancel(1, first.order_id, f.Now()).ok());
  SubmitResult again = f.Submit(kBuy, orders::v1::ORDER_TYPE_LIMIT, kGtc, "97.00", "1", 1, "x");
  REQUIRE(again.accepted());

  CHECK(f.engine().Find(first.order_id)->status == ORDER_STATUS_CANCELED);
  CHECK(f.engine().FindByClientId(1, "x")->id == again.order_id);
  CHECK(f.engine().FindByClientId(2, "x")->id == other.order_id);
  CHECK(f.engine().FindByClientId(3, "x") == nullptr);
  CHECK(f.engine().Find(0) == nullptr);
  CHECK(f.engine().Find(99) == nullptr);
}

TEST_CASE("partial fills add up filled quantity and quote until the order is filled",
          "[matching]") {
  EngineFixture f;
  SubmitResult r = f.Limit(kSell, "100.00", "3");
  f.Limit(kBuy, "100.00", "1", kIoc, 2);
  f.Limit(kBuy, "100.00", "1.5", kIoc, 3);
  CHECK(f.Order(r.order_id).status == ORDER_STATUS_PARTIALLY_FILLED);
  CHECK(f.Order(r.order_id).filled_qty == Q("2.5"));
  CHECK(f.Order(r.order_id).filled_quote == A("250"));
  f.Limit(kBuy, "100.00", "1", kIoc, 2);
  CHECK(f.Order(r.order_id).status == ORDER_STATUS_FILLED);
  CHECK(f.Order(r.order_id).filled_qty == Q("3"));
  CHECK(f.engine().Depth(kSell, 5).empty());
}

TEST_CASE("the same inputs give the same order ids, trade ids and events", "[matching]") {
  auto run = [] {
    EngineFixture f;
    f.Level(kSell, "100.00", "1");
    f.Level(kSell, "100.01", "2");
    f.Limit(kBuy, "100.01", "2", kGtc, 1);
    f.Limit(kSell, "100.02", "1", kGtc, 2);
    f.Limit(kBuy, "100.02", "2", kIoc, 3);
    f.Limit(kBuy, "99.50", "1", kGtc, 4);
    f.Trade("99.00", "1", kSell);
    std::vector<std::tuple<int, OrderId, TradeId, int64_t, int64_t>> out;
    for (const MatchEvent& e : f.events()) {
      out.emplace_back(static_cast<int>(e.kind), e.order_id, e.trade_id, e.price.raw(),
                       e.qty.raw());
    }
    return out;
  };
  auto first = run();
  CHECK(first.size() > 8);
  CHECK(first == run());
}

}  // namespace
}  // namespace tradeplane::matching
