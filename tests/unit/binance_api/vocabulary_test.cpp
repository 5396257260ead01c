#include "tradeplane/binance_api/vocabulary.h"

#include <catch2/catch.hpp>

namespace tradeplane::binance_api {
namespace {

TEST_CASE("every side, order type and time in force survives a round trip through its Binance word",
          "[binance_api]") {
  for (Side side : {common::v1::SIDE_BUY, common::v1::SIDE_SELL}) {
    CHECK(SideFromText(SideText(side)) == side);
  }
  for (OrderType type : {orders::v1::ORDER_TYPE_LIMIT, orders::v1::ORDER_TYPE_MARKET,
                         orders::v1::ORDER_TYPE_LIMIT_MAKER}) {
    CHECK(OrderTypeFromText(OrderTypeText(type)) == type);
  }
  for (TimeInForce tif : {orders::v1::TIME_IN_FORCE_GTC, orders::v1::TIME_IN_FORCE_IOC,
                          orders::v1::TIME_IN_FORCE_FOK}) {
    CHECK(TimeInForceFromText(TimeInForceText(tif)) == tif);
  }
  CHECK(SideText(common::v1::SIDE_SELL) == "SELL");
  CHECK(OrderTypeText(orders::v1::ORDER_TYPE_LIMIT_MAKER) == "LIMIT_MAKER");
}

TEST_CASE("every order status survives a round trip and EXPIRED_IN_MATCH reads as expired",
          "[binance_api]") {
  for (OrderStatus status :
       {orders::v1::ORDER_STATUS_PENDING_NEW, orders::v1::ORDER_STATUS_NEW,
        orders::v1::ORDER_STATUS_PARTIALLY_FILLED, orders::v1::ORDER_STATUS_FILLED,
        orders::v1::ORDER_STATUS_PENDING_CANCEL, orders::v1::ORDER_STATUS_CANCELED,
        orders::v1::ORDER_STATUS_EXPIRED, orders::v1::ORDER_STATUS_REJECTED}) {
    CHECK(OrderStatusFromText(OrderStatusText(status)) == status);
  }
  CHECK(OrderStatusText(orders::v1::ORDER_STATUS_EXPIRED, /*expired_in_match=*/true) ==
        "EXPIRED_IN_MATCH");
  CHECK(OrderStatusFromText("EXPIRED_IN_MATCH") == orders::v1::ORDER_STATUS_EXPIRED);
}

TEST_CASE("words Binance does not use map to unspecified so the caller can refuse them",
          "[binance_api]") {
  CHECK(SideFromText("buy") == common::v1::SIDE_UNSPECIFIED);  // the API is case-sensitive
  CHECK(SideFromText("") == common::v1::SIDE_UNSPECIFIED);
  CHECK(OrderTypeFromText("STOP_LOSS") == orders::v1::ORDER_TYPE_UNSPECIFIED);
  CHECK(TimeInForceFromText("GTX") == orders::v1::TIME_IN_FORCE_UNSPECIFIED);
  CHECK_FALSE(OrderStatusFromText("TRADE").has_value());
  CHECK(SideText(common::v1::SIDE_UNSPECIFIED).empty());
  CHECK(OrderTypeText(orders::v1::ORDER_TYPE_UNSPECIFIED).empty());
  CHECK(TimeInForceText(orders::v1::TIME_IN_FORCE_UNSPECIFIED) == "GTC");
}

}  // namespace
}  // namespace tradeplane::binance_api
