// The words Binance's spot API uses for enumerations ("Spot API: ENUM
// definitions"), in both directions. Text that is not one of the words maps to
// the proto enum's UNSPECIFIED value (or nullopt for statuses) so that each
// caller decides how to refuse it: the simulator answers with Binance's error
// code, the adapter treats it as an unparseable venue response.
#ifndef TRADEPLANE_BINANCE_API_VOCABULARY_H_
#define TRADEPLANE_BINANCE_API_VOCABULARY_H_

#include <optional>
#include <string_view>

#include "tradeplane/core/order.h"

namespace tradeplane::binance_api {

// "BUY", "SELL"; "" for UNSPECIFIED.
std::string_view SideText(Side side);
// "LIMIT", "MARKET", "LIMIT_MAKER"; "" for a type Binance does not have.
std::string_view OrderTypeText(OrderType type);
// "GTC", "IOC", "FOK"; UNSPECIFIED (a market order's) is written "GTC", as
// Binance reports it.
std::string_view TimeInForceText(TimeInForce tif);
// "NEW" ... "REJECTED"; an expired order is "EXPIRED_IN_MATCH" when self-trade
// prevention expired it.
std::string_view OrderStatusText(OrderStatus status, bool expired_in_match = false);

Side SideFromText(std::string_view text);
OrderType OrderTypeFromText(std::string_view text);
TimeInForce TimeInForceFromText(std::string_view text);
// Both "EXPIRED" and "EXPIRED_IN_MATCH" are EXPIRED.
std::optional<OrderStatus> OrderStatusFromText(std::string_view text);

}  // namespace tradeplane::binance_api

#endif  // TRADEPLANE_BINANCE_API_VOCABULARY_H_
