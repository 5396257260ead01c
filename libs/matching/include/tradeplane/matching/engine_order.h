// One of our orders as the matching engine holds it (open or closed).
#ifndef TRADEPLANE_MATCHING_ENGINE_ORDER_H_
#define TRADEPLANE_MATCHING_ENGINE_ORDER_H_

#include "tradeplane/core/fixed_point.h"
#include "tradeplane/core/order.h"
#include "tradeplane/core/timestamp.h"
#include "tradeplane/matching/client_order_id.h"
#include "tradeplane/matching/matching_ids.h"
#include "tradeplane/matching/order_reason.h"

namespace tradeplane::matching {

struct EngineOrder {
  OrderId id = 0;
  AccountId account = 0;
  ClientOrderId client_order_id;
  Side side = common::v1::SIDE_UNSPECIFIED;
  OrderType type = orders::v1::ORDER_TYPE_UNSPECIFIED;
  TimeInForce time_in_force = orders::v1::TIME_IN_FORCE_UNSPECIFIED;
  Price price;  // zero for MARKET
  Quantity qty;
  Quantity filled_qty;
  Amount filled_quote;  // sum of the fills' notionals, in the quote asset
  Amount fees;          // sum of the fills' fees, in the quote asset (negative: net rebate)
  // NEW, PARTIALLY_FILLED, FILLED, CANCELED or EXPIRED (rejected orders are not kept).
  OrderStatus status = orders::v1::ORDER_STATUS_UNSPECIFIED;
  OrderReason reason = OrderReason::kNone;  // why it expired or was canceled
  // Resting orders: replayed quantity displayed ahead of us at our price.
  Quantity queue_ahead;
  // Reserved in the BalanceBook: quote for a buy, base for a sell.
  Amount locked;
  Timestamp created;
  Timestamp updated;

  // The engine's bookkeeping: in a price level's FIFO, and its links there.
  bool resting = false;
  OrderId prev = 0;
  OrderId next = 0;

  Quantity remaining() const { return Quantity::FromRaw(qty.raw() - filled_qty.raw()); }
  bool is_open() const {
    return status == orders::v1::ORDER_STATUS_NEW ||
           status == orders::v1::ORDER_STATUS_PARTIALLY_FILLED;
  }
};

}  // namespace tradeplane::matching

#endif  // TRADEPLANE_MATCHING_ENGINE_ORDER_H_
