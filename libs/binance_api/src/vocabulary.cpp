#include "tradeplane/binance_api/vocabulary.h"

namespace tradeplane::binance_api {

std::string_view SideText(Side side) {
  switch (side) {
    case common::v1::SIDE_BUY:
      return "BUY";
    case common::v1::SIDE_SELL:
      return "SELL";
    default:
      return "";
  }
}

std::string_view OrderTypeText(OrderType type) {
  switch (type) {
    case orders::v1::ORDER_TYPE_LIMIT:
      return "LIMIT";
    case orders::v1::ORDER_TYPE_MARKET:
      return "MARKET";
    case orders::v1::ORDER_TYPE_LIMIT_MAKER:
      return "LIMIT_MAKER";
    default:
      return "";
  }
}

std::string_view TimeInForceText(TimeInForce tif) {
  switch (tif) {
    case orders::v1::TIME_IN_FORCE_IOC:
      return "IOC";
    case orders::v1::TIME_IN_FORCE_FOK:
      return "FOK";
    default:
      return "GTC";
  }
}

std::string_view OrderStatusText(OrderStatus status, bool expired_in_match) {
  switch (status) {
    case orders::v1::ORDER_STATUS_PENDING_NEW:
      return "PENDING_NEW";
    case orders::v1::ORDER_STATUS_NEW:
      return "NEW";
    case orders::v1::ORDER_STATUS_PARTIALLY_FILLED:
      return "PARTIALLY_FILLED";
    case orders::v1::ORDER_STATUS_FILLED:
      return "FILLED";
    case orders::v1::ORDER_STATUS_PENDING_CANCEL:
      return "PENDING_CANCEL";
    case orders::v1::ORDER_STATUS_CANCELED:
      return "CANCELED";
    case orders::v1::ORDER_STATUS_EXPIRED:
      return expired_in_match ? "EXPIRED_IN_MATCH" : "EXPIRED";
    case orders::v1::ORDER_STATUS_REJECTED:
      return "REJECTED";
    default:
      return "NEW";
  }
}

Side SideFromText(std::string_view text) {
  if (text == "BUY") return common::v1::SIDE_BUY;
  if (text == "SELL") return common::v1::SIDE_SELL;
  return common::v1::SIDE_UNSPECIFIED;
}

OrderType OrderTypeFromText(std::string_view text) {
  if (text == "LIMIT") return orders::v1::ORDER_TYPE_LIMIT;
  if (text == "MARKET") return orders::v1::ORDER_TYPE_MARKET;
  if (text == "LIMIT_MAKER") return orders::v1::ORDER_TYPE_LIMIT_MAKER;
  return orders::v1::ORDER_TYPE_UNSPECIFIED;
}

TimeInForce TimeInForceFromText(std::string_view text) {
  if (text == "GTC") return orders::v1::TIME_IN_FORCE_GTC;
  if (text == "IOC") return orders::v1::TIME_IN_FORCE_IOC;
  if (text == "FOK") return orders::v1::TIME_IN_FORCE_FOK;
  return orders::v1::TIME_IN_FORCE_UNSPECIFIED;
}

std::optional<OrderStatus> OrderStatusFromText(std::string_view text) {
  if (text == "NEW") return orders::v1::ORDER_STATUS_NEW;
  if (text == "PARTIALLY_FILLED") return orders::v1::ORDER_STATUS_PARTIALLY_FILLED;
  if (text == "FILLED") return orders::v1::ORDER_STATUS_FILLED;
  if (text == "CANCELED") return orders::v1::ORDER_STATUS_CANCELED;
  if (text == "PENDING_CANCEL") return orders::v1::ORDER_STATUS_PENDING_CANCEL;
  if (text == "PENDING_NEW") return orders::v1::ORDER_STATUS_PENDING_NEW;
  if (text == "REJECTED") return orders::v1::ORDER_STATUS_REJECTED;
  if (text == "EXPIRED" || text == "EXPIRED_IN_MATCH") return orders::v1::ORDER_STATUS_EXPIRED;
  return std::nullopt;
}

}  // namespace tradeplane::binance_api
