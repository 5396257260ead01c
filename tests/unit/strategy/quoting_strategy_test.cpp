#include "tradeplane/strategy/quoting_strategy.h"

#include <catch2/catch.hpp>

#include "strategy_fixtures.h"

namespace tradeplane::strategy {
namespace {

using testing::Harness;
using testing::Px;
using testing::Qty;

struct Quoter {
  explicit Quoter(std::map<std::string, double> params = {{"half_spread_bps", 5},
                                                          {"skew_bps", 5},
                                                          {"max_inventory", 30},
                                                          {"requote_bps", 1},
                                                          {"allow_short", 1}}) {
    absl::StatusOr<QuotingParams> p = QuotingParams::FromMap(params);
    REQUIRE(p.ok());
    auto made = QuotingStrategy::Create("strategy-1", {h.amzn}, *p, testing::FixedQty("10"));
    REQUIRE(made.ok());
    strategy = *std::move(made);
  }

  std::vector<OrderIntent> Quote(const char* bid, const char* ask, Duration age = Duration(0)) {
    strategy->OnQuote(testing::QuoteOf(h.amzn, bid, ask, h.clock.Now() - age), *h.ctx);
    return {h.ctx->intents().begin(), h.ctx->intents().end()};
  }
  const OpenOrder* Live(Side side) const {
    for (const OpenOrder& o : h.ctx->open_orders(h.amzn)) {
      if (o.side == side && !o.cancel_requested) return &o;
    }
    return nullptr;
  }
  void Fill(Side side, const char* qty) {
    const OpenOrder* order = Live(side);
    REQUIRE(order != nullptr);
    tradeplane::Fill fill;
    fill.fill_id = "fill-" + order->client_order_id;
    fill.client_order_id = order->client_order_id;
    fill.instrument = h.amzn;
    fill.side = side;
    fill.price = order->price;
    fill.qty = Qty(qty);
    fill.time = h.clock.Now();
    strategy->OnFill(fill, *h.ctx);
  }
  // The venue confirmed every cancel this strategy asked for.
  void ConfirmCancels() {
    std::vector<std::string> done;
    for (const OpenOrder& o : h.ctx->open_orders(h.amzn)) {
      if (o.cancel_requested) done.push_back(o.client_order_id);
    }
    for (const std::string& id : done) h.ctx->OrderDone(id);
  }

  Harness h;
  std::unique_ptr<QuotingStrategy> strategy;
};

TEST_CASE("quoting: a passive bid and ask around the mid", "[strategy][quoting]") {
  Quoter q;
  // mid 3355.10; 5 bps: bid 3353.42245 -> 3353.42 (down), ask 3356.77755 -> 3356.78 (up)
  const std::vector<OrderIntent> intents = q.Quote("3355.00", "3355.20");
  REQUIRE(intents.size() == 2);
  CHECK(intents[0].side == common::v1::SIDE_BUY);
  CHECK(intents[0].price == Px("3353.42"));
  CHECK(intents[1].side == common::v1::SIDE_SELL);
  CHECK(intents[1].price == Px("3356.78"));
  for (const OrderIntent& intent : intents) {
    CHECK(intent.type == orders::v1::ORDER_TYPE_LIMIT_MAKER);
    CHECK(intent.time_in_force == orders::v1::TIME_IN_FORCE_GTC);
    CHECK(intent.qty == Qty("10"));
    CHECK_FALSE(intent.is_cancel());
  }
  CHECK(intents[0].reason ==
        "quote bid 3353.42 x 10 (mid 3355.100, inventory 0 of max 30, reservation 3355.100, "
        "half-spread 5 bps, skew 5 bps)");
  CHECK(q.h.ctx->open_orders(q.h.amzn).size() == 2);
  // Unchanged, or moved less than requote_bps: the quotes rest.
  CHECK(q.Quote("3355.00", "3355.20").empty());
  CHECK(q.Quote("3355.17", "3355.37").empty());  // 0.5 bps
}

TEST_CASE("quoting: a move beyond requote_bps cancels and replaces both quotes",
          "[strategy][quoting]") {
  Quoter q;
  const std::vector<OrderIntent> first = q.Quote("3355.00", "3355.20");
  REQUIRE(first.size() == 2);
  const std::vector<OrderIntent> moved = q.Quote("3356.68", "3356.88");  // +5 bps
  REQUIRE(moved.size() == 4);
  CHECK(moved[0].is_cancel());
  CHECK(moved[0].cancel_client_order_id == first[0].client_order_id);
  CHECK_THAT(moved[0].reason,
             Catch::StartsWith("replace bid 3353.42 with 3355.10: target moved 5.0"));
  CHECK_THAT(moved[0].reason, Catch::EndsWith("bps (> 1 bps)"));
  CHECK_FALSE(moved[1].is_cancel());
  CHECK(moved[1].side == common::v1::SIDE_BUY);
  CHECK(moved[1].price == Px("3355.10"));
  CHECK(moved[2].is_cancel());
  CHECK(moved[2].cancel_client_order_id == first[1].client_order_id);
  CHECK(moved[3].side == common::v1::SIDE_SELL);
  // Old quotes stay open (cancel in flight) until the venue confirms.
  CHECK(q.h.ctx->open_orders(q.h.amzn).size() == 4);
  q.ConfirmCancels();
  CHECK(q.h.ctx->open_orders(q.h.amzn).size() == 2);
}

TEST_CASE("quoting: inventory skews the quotes down and stops the bid at the maximum",
          "[strategy][quoting]") {
  Quoter q;
  REQUIRE(q.Quote("3355.00", "3355.20").size() == 2);
  q.Fill(common::v1::SIDE_BUY, "10");
  // Long 10 of 30: reservation = 3355.10 * (1 - 5e-4 / 3) = 3354.5408; the bid
  // moves 1.67 bps: replaced (it was filled, so it is simply placed anew).
  std::vector<OrderIntent> intents = q.Quote("3355.00", "3355.20");
  REQUIRE(intents.size() == 3);
  CHECK(intents[0].side == common::v1::SIDE_BUY);
  CHECK(intents[0].price == Px("3352.86"));  // 3354.5408 * 0.9995 = 3352.8635
  CHECK_THAT(intents[0].reason, Catch::Contains("inventory 10 of max 30, reservation 3354.541"));
  CHECK(intents[1].is_cancel());             // the ask at 3356.78 is 1.67 bps off its new target
  CHECK(intents[2].price == Px("3356.22"));  // 3354.5408 * 1.0005 = 3356.2181 -> up
  q.ConfirmCancels();
  q.Fill(common::v1::SIDE_BUY, "10");
  q.Quote("3355.00", "3355.20");
  q.ConfirmCancels();
  q.Fill(common::v1::SIDE_BUY, "10");
  REQUIRE(q.h.ctx->position(q.h.amzn) == Qty("30"));
  intents = q.Quote("3355.00", "3355.20");
  for (const OrderIntent& intent : intents) CHECK(intent.side != common::v1::SIDE_BUY);
  CHECK(q.Live(common::v1::SIDE_BUY) == nullptr);
  REQUIRE(q.h.ctx->no_actions().size() == 1);
  CHECK_THAT(q.h.ctx->no_actions()[0].reason,
             Catch::Equals("no bid: no room within the maximum inventory (inventory 30 of max "
                           "30)"));
}

TEST_CASE("quoting: without shorts the ask never sells more than is held", "[strategy][quoting]") {
  Quoter q({{"max_inventory", 30}, {"allow_short", 0}});
  std::vector<OrderIntent> intents = q.Quote("3355.00", "3355.20");
  REQUIRE(intents.size() == 1);
  CHECK(intents[0].side == common::v1::SIDE_BUY);
  REQUIRE(q.h.ctx->no_actions().size() == 1);
  CHECK_THAT(q.h.ctx->no_actions()[0].reason, Catch::StartsWith("no ask: no room"));
  q.Fill(common::v1::SIDE_BUY, "4");
  intents = q.Quote("3355.00", "3355.20");
  const OpenOrder* ask = q.Live(common::v1::SIDE_SELL);
  REQUIRE(ask != nullptr);
  CHECK(ask->qty == Qty("4"));
}

TEST_CASE("quoting: quotes stay passive however far the skew pushes them", "[strategy][quoting]") {
  Quoter q({{"half_spread_bps", 5}, {"skew_bps", 20}, {"max_inventory", 10}, {"allow_short", 1}});
  REQUIRE(q.Quote("3355.00", "3355.20").size() == 2);
  q.Fill(common::v1::SIDE_SELL, "10");  // short 10 of 10: quotes move up 20 bps
  q.ConfirmCancels();
  q.Quote("3355.00", "3355.01");
  const OpenOrder* bid = q.Live(common::v1::SIDE_BUY);
  REQUIRE(bid != nullptr);
  CHECK(bid->price == Px("3355.00"));  // the target 3360.4 would take the ask: one tick below it
  CHECK(q.Live(common::v1::SIDE_SELL) == nullptr);  // no room to sell more
}

TEST_CASE("quoting: stale, crossed or empty markets pull every quote", "[strategy][quoting]") {
  Quoter q;
  REQUIRE(q.Quote("3355.00", "3355.20").size() == 2);
  std::vector<OrderIntent> intents = q.Quote("3355.00", "3355.20", std::chrono::seconds(5));
  REQUIRE(intents.size() == 2);
  CHECK(intents[0].is_cancel());
  CHECK(intents[1].is_cancel());
  CHECK_THAT(intents[0].reason, Catch::StartsWith("pull quote: stale market data: 5.000 s old"));
  REQUIRE(q.h.ctx->no_actions().size() == 1);
  CHECK_THAT(q.h.ctx->no_actions()[0].reason, Catch::EndsWith("; no quotes, cancelled 2"));
  // Nothing left to pull: only the note.
  CHECK(q.Quote("3355.30", "3355.20").empty());
  CHECK(q.h.ctx->no_actions()[0].reason == "crossed book: bid 3355.30 >= ask 3355.20; no quotes");

  q.ConfirmCancels();
  REQUIRE(q.Quote("3355.00", "3355.20").size() == 2);
  q.h.clock.Advance(std::chrono::seconds(3));
  q.strategy->OnTimer(q.h.clock.Now(), *q.h.ctx);
  REQUIRE(q.h.ctx->intents().size() == 2);
  CHECK(q.h.ctx->intents()[0].is_cancel());
  CHECK_THAT(q.h.ctx->no_actions()[0].reason,
             Catch::StartsWith("stale market data: last update 3.000 s old"));
  CHECK_THAT(q.h.ctx->no_actions()[0].reason, Catch::EndsWith("; cancelled 2 quotes"));
}

TEST_CASE("quoting: parameters are validated by name", "[strategy][quoting]") {
  CHECK_THAT(std::string(QuotingParams::FromMap({{"half_spread_bps", 0}}).status().message()),
             Catch::Contains("quoting strategy: parameter 'half_spread_bps' = 0 is out of range"));
  CHECK_THAT(std::string(QuotingParams::FromMap({{"max_inventory", -1}}).status().message()),
             Catch::Contains("parameter 'max_inventory' = -1"));
  CHECK_THAT(std::string(QuotingParams::FromMap({{"spread", 3}}).status().message()),
             Catch::Contains("unknown parameter 'spread'"));
}

}  // namespace
}  // namespace tradeplane::strategy
