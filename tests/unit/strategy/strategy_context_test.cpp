#include "tradeplane/strategy/strategy_context.h"

#include <catch2/catch.hpp>

#include "tradeplane/core/ids.h"
#include "tradeplane/testing/allocation_counter.h"

#include "strategy_fixtures.h"

namespace tradeplane::strategy {
namespace {

using testing::Harness;
using testing::Px;
using testing::Qty;

OrderIntent LimitBuy(InstrumentIndex instrument, const char* qty, const char* price) {
  OrderIntent intent;
  intent.instrument = instrument;
  intent.side = common::v1::SIDE_BUY;
  intent.type = orders::v1::ORDER_TYPE_LIMIT;
  intent.qty = Qty(qty);
  intent.price = Px(price);
  intent.reason = "test";
  return intent;
}

TEST_CASE("the context stamps intents with UUIDv7 ids that repeat for the same seed and clock",
          "[strategy][context]") {
  Harness a(7);
  Harness b(7);
  REQUIRE(a.ctx->Submit(LimitBuy(a.amzn, "10", "3355.21")).ok());
  REQUIRE(b.ctx->Submit(LimitBuy(b.amzn, "10", "3355.21")).ok());
  const OrderIntent& x = a.ctx->intents()[0];
  CHECK(x.client_order_id == b.ctx->intents()[0].client_order_id);
  CHECK(x.intent_id == b.ctx->intents()[0].intent_id);
  CHECK(x.client_order_id != x.intent_id);
  CHECK(ValidateClientOrderId(x.client_order_id).ok());
  CHECK(x.client_order_id.size() == 36);
  CHECK(x.client_order_id[14] == '7');  // version 7
  CHECK(x.strategy_id == "strategy-1");
  CHECK(x.created == a.clock.Now());
  REQUIRE(a.ctx->open_orders(a.amzn).size() == 1);
  CHECK(a.ctx->open_orders(a.amzn)[0].client_order_id == x.client_order_id);
}

TEST_CASE("malformed intents are refused before they leave the strategy", "[strategy][context]") {
  Harness h;
  OrderIntent no_side = LimitBuy(h.amzn, "10", "3355.21");
  no_side.side = common::v1::SIDE_UNSPECIFIED;
  CHECK_THAT(std::string(h.ctx->Submit(no_side).message()), Catch::Contains("has no side"));
  CHECK_THAT(std::string(h.ctx->Submit(LimitBuy(h.amzn, "10.5", "3355.21")).message()),
             Catch::Contains("quantity"));
  CHECK_THAT(std::string(h.ctx->Submit(LimitBuy(h.amzn, "10", "3355.215")).message()),
             Catch::Contains("price"));
  OrderIntent market = LimitBuy(h.amzn, "10", "3355.21");
  market.type = orders::v1::ORDER_TYPE_MARKET;
  CHECK_THAT(std::string(h.ctx->Submit(market).message()), Catch::Contains("carries a price"));
  CHECK_FALSE(h.ctx->Submit(LimitBuy(99, "10", "3355.21")).ok());
  CHECK(h.ctx->intents().empty());
  CHECK(h.ctx->open_orders(h.amzn).empty());
}

TEST_CASE("fills move the position and close the open order they complete", "[strategy][context]") {
  Harness h;
  REQUIRE(h.ctx->Submit(LimitBuy(h.amzn, "10", "3355.21")).ok());
  const std::string id = h.ctx->open_orders(h.amzn)[0].client_order_id;
  Fill fill;
  fill.fill_id = "f1";
  fill.client_order_id = id;
  fill.instrument = h.amzn;
  fill.side = common::v1::SIDE_BUY;
  fill.price = Px("3355.21");
  fill.qty = Qty("4");
  REQUIRE(h.ctx->ApplyFill(fill).ok());
  CHECK(h.ctx->position(h.amzn) == Qty("4"));
  REQUIRE(h.ctx->open_orders(h.amzn).size() == 1);
  CHECK(h.ctx->open_orders(h.amzn)[0].remaining() == Qty("6"));
  fill.qty = Qty("6");
  REQUIRE(h.ctx->ApplyFill(fill).ok());
  CHECK(h.ctx->position(h.amzn) == Qty("10"));
  CHECK(h.ctx->open_orders(h.amzn).empty());
  // A sell fill of an order the context never saw still moves the position.
  fill.client_order_id = "manual";
  fill.side = common::v1::SIDE_SELL;
  fill.qty = Qty("15");
  REQUIRE(h.ctx->ApplyFill(fill).ok());
  CHECK(h.ctx->position(h.amzn) == Qty("-5"));
  fill.qty = Qty("0");
  CHECK_THAT(std::string(h.ctx->ApplyFill(fill).message()), Catch::Contains("must be > 0"));
  fill.qty = Qty("1");
  fill.side = common::v1::SIDE_UNSPECIFIED;
  CHECK_THAT(std::string(h.ctx->ApplyFill(fill).message()), Catch::Contains("has no side"));
}

TEST_CASE("cancels name the order to cancel and mark it, once", "[strategy][context]") {
  Harness h;
  REQUIRE(h.ctx->Submit(LimitBuy(h.amzn, "10", "3355.21")).ok());
  const std::string id = h.ctx->open_orders(h.amzn)[0].client_order_id;
  h.ctx->BeginEvent();
  REQUIRE(h.ctx->Cancel(h.amzn, id, "replace").ok());
  REQUIRE(h.ctx->intents().size() == 1);
  const OrderIntent& cancel = h.ctx->intents()[0];
  CHECK(cancel.is_cancel());
  CHECK(cancel.cancel_client_order_id == id);
  CHECK(cancel.client_order_id.empty());
  CHECK(cancel.reason == "replace");
  CHECK(h.ctx->open_orders(h.amzn)[0].cancel_requested);
  CHECK(h.ctx->Cancel(h.amzn, id, "again").code() == absl::StatusCode::kFailedPrecondition);
  CHECK(h.ctx->Cancel(h.amzn, "nope", "x").code() == absl::StatusCode::kNotFound);
  h.ctx->OrderDone(id);
  CHECK(h.ctx->open_orders(h.amzn).empty());
}

TEST_CASE("no-action notes are per event and reuse their buffers", "[strategy][context]") {
  Harness h;
  h.ctx->NoAction(h.amzn, "warming up: ", 3, " of ", 26);
  REQUIRE(h.ctx->no_actions().size() == 1);
  CHECK(h.ctx->no_actions()[0].reason == "warming up: 3 of 26");
  CHECK(h.ctx->no_actions()[0].instrument == h.amzn);
  h.ctx->BeginEvent();
  CHECK(h.ctx->no_actions().empty());
  tradeplane::testing::CountAllocations counter;
  for (int i = 0; i < 100; ++i) {
    h.ctx->BeginEvent();
    h.ctx->NoAction(h.amzn, "warming up: ", i, " of ", 26);
  }
  CHECK(counter.count() == 0);
  CHECK(h.ctx->no_actions()[0].reason == "warming up: 99 of 26");
}

}  // namespace
}  // namespace tradeplane::strategy
