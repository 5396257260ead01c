// A new order as the engine receives it from a venue front end.
#ifndef TRADEPLANE_MATCHING_ORDER_REQUEST_H_
#define TRADEPLANE_MATCHING_ORDER_REQUEST_H_

#include <string_view>

#include "tradeplane/core/fixed_point.h"
#include "tradeplane/core/order.h"
#include "tradeplane/matching/matching_ids.h"

namespace tradeplane::matching {

struct OrderRequest {
  AccountId account = 0;
  // 1 to 36 characters of [A-Za-z0-9._:/-], unique among the account's open orders.
  std::string_view client_order_id;
  Side side = common::v1::SIDE_UNSPECIFIED;
  OrderType type = orders::v1::ORDER_TYPE_LIMIT;
  // Required for LIMIT. MARKET takes GTC or IOC (both: take what is there,
  // expire the rest), FOK (all or nothing) or UNSPECIFIED (as IOC).
  // LIMIT_MAKER takes GTC or UNSPECIFIED.
  TimeInForce time_in_force = orders::v1::TIME_IN_FORCE_GTC;
  Price price;  // zero for MARKET
  Quantity qty;
};

}  // namespace tradeplane::matching

#endif  // TRADEPLANE_MATCHING_ORDER_REQUEST_H_
