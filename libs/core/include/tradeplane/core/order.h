// The order vocabulary the pure libraries share: what a strategy intends and
// what a venue filled. Enums are the contract's (proto/tradeplane/orders/v1).
#ifndef TRADEPLANE_CORE_ORDER_H_
#define TRADEPLANE_CORE_ORDER_H_

#include <string>

#include "tradeplane/core/fixed_point.h"
#include "tradeplane/core/instrument.h"
#include "tradeplane/core/timestamp.h"
#include "tradeplane/orders/v1/orders.pb.h"

namespace tradeplane {

using OrderType = orders::v1::OrderType;
using TimeInForce = orders::v1::TimeInForce;
using OrderStatus = orders::v1::OrderStatus;
using Liquidity = orders::v1::Liquidity;

// What a strategy wants done: a new order, or (cancel_client_order_id set) the
// cancel of one of its resting orders.
struct OrderIntent {
  std::string intent_id;
  std::string client_order_id;  // fixed here, at intent time; <= 36 characters
  std::string strategy_id;
  InstrumentIndex instrument = 0;
  Side side = common::v1::SIDE_UNSPECIFIED;
  OrderType type = orders::v1::ORDER_TYPE_LIMIT;
  TimeInForce time_in_force = orders::v1::TIME_IN_FORCE_GTC;
  Quantity qty;
  Price price;  // zero for market orders
  bool reduce_only = false;
  std::string reason;  // one sentence a person can read afterwards
  double confidence = 0;
  Timestamp created;
  std::string cancel_client_order_id;

  bool is_cancel() const { return !cancel_client_order_id.empty(); }
};

// One execution of one of our orders.
struct Fill {
  std::string fill_id;  // unique per venue
  std::string client_order_id;
  std::string venue_order_id;
  std::string venue_trade_id;
  std::string strategy_id;
  InstrumentIndex instrument = 0;
  Side side = common::v1::SIDE_UNSPECIFIED;
  Price price;
  Quantity qty;  // positive
  Amount fee;    // in fee_asset; positive = paid
  std::string fee_asset;
  Liquidity liquidity = orders::v1::LIQUIDITY_UNSPECIFIED;
  Timestamp time;
};

// +1 for buys, -1 for sells (0 for UNSPECIFIED).
inline int SideSign(Side side) {
  return side == common::v1::SIDE_BUY ? 1 : side == common::v1::SIDE_SELL ? -1 : 0;
}

}  // namespace tradeplane

#endif  // TRADEPLANE_CORE_ORDER_H_
