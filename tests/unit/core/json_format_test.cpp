#include "tradeplane/core/json_format.h"

#include <catch2/catch.hpp>

#include "tradeplane/core/enum_names.h"
#include "tradeplane/orders/v1/orders.pb.h"

namespace tradeplane {
namespace {

TEST_CASE("JSON follows the suite's conventions", "[core][json]") {
  orders::v1::Fill fill;
  fill.set_fill_id("BINANCE:1");
  fill.mutable_instrument()->set_venue(common::v1::VENUE_BINANCE);
  fill.mutable_instrument()->set_symbol("NKNUSDT");
  fill.set_side(common::v1::SIDE_BUY);
  fill.set_price(6370);  // 0.00000637
  fill.set_qty(-1'500'000'000);
  fill.set_exchange_time_ns(1618234200000000001);
  fill.set_strategy_id("quote \"one\"\n");
  std::string json = ToJson(fill);
  CHECK_THAT(json, Catch::Contains(R"("fill_id":"BINANCE:1")"));
  CHECK_THAT(json, Catch::Contains(R"("instrument":{"venue":"BINANCE","symbol":"NKNUSDT"})"));
  CHECK_THAT(json, Catch::Contains(R"("side":"BUY")"));
  CHECK_THAT(json, Catch::Contains(R"("price":"0.00000637")"));
  CHECK_THAT(json, Catch::Contains(R"("qty":"-1.5")"));
  CHECK_THAT(json, Catch::Contains(R"("exchange_time_ns":"2021-04-12T13:30:00.000000001Z")"));
  CHECK_THAT(json, Catch::Contains(R"("strategy_id":"quote \"one\"\n")"));
  CHECK_THAT(json, Catch::Contains(R"("fee":"0")"));  // defaults are present
  CHECK_THAT(json, Catch::Contains(R"("liquidity":"UNSPECIFIED")"));
}

TEST_CASE("oneofs show only the member set; lists are always present", "[core][json]") {
  orders::v1::ExecutionRequest req;
  req.mutable_cancel()->set_client_order_id("c1");
  std::string json = ToJson(req);
  CHECK(json == R"({"cancel":{"client_order_id":"c1","reason":"","requested_by":""}})");
  orders::v1::ExecutionReply reply;
  CHECK_THAT(ToJson(reply, {.pretty = true}), Catch::Contains("\n  \"order\": null"));
}

TEST_CASE("short enum names drop the type prefix", "[core][json]") {
  CHECK(ShortEnumName(orders::v1::ORDER_STATUS_PARTIALLY_FILLED) == "PARTIALLY_FILLED");
  orders::v1::OrderStatus s;
  CHECK(ParseEnum("filled", &s));
  CHECK(s == orders::v1::ORDER_STATUS_FILLED);
  CHECK_FALSE(ParseEnum("UNSPECIFIED", &s));
  CHECK(EnumChoices(*orders::v1::TimeInForce_descriptor()) == "GTC, IOC, FOK");
}

}  // namespace
}  // namespace tradeplane
