// Bad input to the matching engine: refused with a reason, nothing changed.
#include <catch2/catch.hpp>

#include "engine_fixture.h"

namespace tradeplane::matching {
namespace {

using namespace testing;  // NOLINT: test builders

OrderReason RejectOf(EngineFixture& f, SubmitResult r) {
  REQUIRE_FALSE(r.accepted());
  REQUIRE(f.last().kind == MatchEventKind::kRejected);
  REQUIRE(f.last().reason == r.reject_reason);
  return r.reject_reason;
}

TEST_CASE("quantities that are not positive, off the lot or outside the limits are refused",
          "[matching]") {
  FixtureOptions options;
  options.instrument.max_qty = Q("100");
  options.instrument.min_qty = Q("0.01");
  EngineFixture f(options);
  for (const char* qty : {"0", "-1", "0.0015", "0.009", "100.001"}) {
    INFO(qty);
    CHECK(RejectOf(f, f.Limit(kBuy, "100.00", qty)) == OrderReason::kInvalidQuantity);
  }
  CHECK(RejectOf(f, f.Market(kSell, "0")) == OrderReason::kInvalidQuantity);
  CHECK(f.engine().next_order_id() == 1);  // rejections use no id
}

TEST_CASE(
    "limit prices that are not positive or off the tick are refused, as is a priced market order",
    "[matching]") {
  EngineFixture f;
  for (const char* price : {"0", "-100.00", "100.005"}) {
    INFO(price);
    CHECK(RejectOf(f, f.Limit(kBuy, price, "1")) == OrderReason::kInvalidPrice);
  }
  CHECK(RejectOf(f, f.PostOnly(kSell, "0.001", "1")) == OrderReason::kInvalidPrice);
  CHECK(RejectOf(f, f.Submit(kBuy, orders::v1::ORDER_TYPE_MARKET, kIoc, "100.00", "1")) ==
        OrderReason::kInvalidPrice);
}

TEST_CASE("a bad client order id, side, type or time in force is refused", "[matching]") {
  EngineFixture f;
  using orders::v1::ORDER_TYPE_LIMIT;
  using orders::v1::ORDER_TYPE_LIMIT_MAKER;
  CHECK(RejectOf(f, f.Submit(kBuy, ORDER_TYPE_LIMIT, kGtc, "1.00", "1", 1, std::string(37, 'a'))) ==
        OrderReason::kInvalidClientOrderId);
  CHECK(RejectOf(f, f.Submit(kBuy, ORDER_TYPE_LIMIT, kGtc, "1.00", "1", 1, "has space")) ==
        OrderReason::kInvalidClientOrderId);
  CHECK(RejectOf(f, f.Submit(common::v1::SIDE_UNSPECIFIED, ORDER_TYPE_LIMIT, kGtc, "1.00", "1")) ==
        OrderReason::kInvalidSide);
  CHECK(RejectOf(f, f.Submit(kBuy, orders::v1::ORDER_TYPE_UNSPECIFIED, kGtc, "1.00", "1")) ==
        OrderReason::kInvalidOrderType);
  CHECK(RejectOf(f, f.Submit(kBuy, ORDER_TYPE_LIMIT, orders::v1::TIME_IN_FORCE_UNSPECIFIED, "1.00",
                             "1")) == OrderReason::kInvalidTimeInForce);
  CHECK(RejectOf(f, f.Submit(kBuy, ORDER_TYPE_LIMIT_MAKER, kIoc, "1.00", "1")) ==
        OrderReason::kInvalidTimeInForce);
  CHECK(f.Submit(kBuy, ORDER_TYPE_LIMIT_MAKER, orders::v1::TIME_IN_FORCE_UNSPECIFIED, "1.00", "1")
            .accepted());
}

TEST_CASE("an order below the minimum notional or beyond the fixed-point range is refused",
          "[matching]") {
  FixtureOptions options;
  options.instrument.min_notional = A("10");
  EngineFixture f(options);
  CHECK(RejectOf(f, f.Limit(kBuy, "9.99", "1")) == OrderReason::kBelowMinNotional);
  CHECK(f.Limit(kBuy, "10.00", "1").accepted());
  CHECK(RejectOf(f, f.Limit(kBuy, "9000000.00", "2000")) == OrderReason::kNotionalTooLarge);
}

TEST_CASE("a rejected event names the order it refused", "[matching]") {
  EngineFixture f;
  f.Submit(kSell, orders::v1::ORDER_TYPE_LIMIT, kGtc, "100.001", "1", 4, "abc");
  CHECK(f.last().client_order_id.view() == "abc");
  CHECK(f.last().account == 4);
  CHECK(f.last().side == kSell);
  CHECK(OrderReasonText(f.last().reason).find("tick") != std::string_view::npos);
}

TEST_CASE("an engine with a bad instrument or fees is not created", "[matching]") {
  MatchEventCollector sink;
  MatchingConfig config;
  config.instrument = BtcUsdt();
  CHECK(MatchingEngine::Create(config, &sink).ok());
  CHECK_FALSE(MatchingEngine::Create(config, nullptr).ok());
  MatchingConfig no_tick = config;
  no_tick.instrument.tick_size = Price::Zero();
  CHECK(absl::IsInvalidArgument(MatchingEngine::Create(no_tick, &sink).status()));
  MatchingConfig same_assets = config;
  same_assets.instrument.quote_asset = "BTC";
  CHECK(absl::IsInvalidArgument(MatchingEngine::Create(same_assets, &sink).status()));
  MatchingConfig negative_taker = config;
  negative_taker.fees.taker_bps = Bps("-1");
  CHECK(absl::IsInvalidArgument(MatchingEngine::Create(negative_taker, &sink).status()));
  MatchingConfig huge_maker = config;
  huge_maker.fees.maker_bps = Bps("10000.5");
  CHECK(absl::IsInvalidArgument(MatchingEngine::Create(huge_maker, &sink).status()));
  MatchingConfig zero_id = config;
  zero_id.first_order_id = 0;
  CHECK(absl::IsInvalidArgument(MatchingEngine::Create(zero_id, &sink).status()));
}

TEST_CASE("ids start where the configuration says", "[matching]") {
  MatchEventCollector sink;
  MatchingConfig config;
  config.instrument = BtcUsdt();
  config.first_order_id = 5000;
  config.first_trade_id = 70;
  auto engine = *MatchingEngine::Create(config, &sink);
  REQUIRE(engine->ApplyBookLevel(common::v1::SIDE_SELL, P("1.00"), Q("1"), kT0).ok());
  OrderRequest request;
  request.account = 1;
  request.client_order_id = "a";
  request.side = common::v1::SIDE_BUY;
  request.price = P("1.00");
  request.qty = Q("1");
  SubmitResult r = engine->Submit(request, kT0);
  CHECK(r.order_id == 5000);
  CHECK(sink.events.back().trade_id == 70);
  CHECK(engine->Find(5000) != nullptr);
  CHECK(engine->Find(4999) == nullptr);
}

}  // namespace
}  // namespace tradeplane::matching
