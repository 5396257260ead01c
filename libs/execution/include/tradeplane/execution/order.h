// One of our orders as execution tracks it: what was asked, what the venue
// said, and what filled. Its status moves only through the state machine
// (order_state_machine.h).
#ifndef TRADEPLANE_EXECUTION_ORDER_H_
#define TRADEPLANE_EXECUTION_ORDER_H_

#include <string>
#include <string_view>
#include <vector>

#include "tradeplane/core/fixed_point.h"
#include "tradeplane/core/instrument.h"
#include "tradeplane/core/order.h"
#include "tradeplane/core/timestamp.h"

#include "absl/status/statusor.h"

namespace tradeplane::execution {

struct Order {
  std::string client_order_id;
  std::string venue_order_id;  // empty until a venue event names it
  std::string strategy_id;
  InstrumentIndex instrument = 0;
  Side side = common::v1::SIDE_UNSPECIFIED;
  OrderType type = orders::v1::ORDER_TYPE_LIMIT;
  TimeInForce time_in_force = orders::v1::TIME_IN_FORCE_GTC;
  Quantity qty;
  Price price;  // zero for market orders

  OrderStatus status = orders::v1::ORDER_STATUS_PENDING_NEW;
  // While PENDING_CANCEL: the state a rejected cancel returns to (PENDING_NEW,
  // NEW or PARTIALLY_FILLED). UNSPECIFIED otherwise.
  OrderStatus status_before_cancel = orders::v1::ORDER_STATUS_UNSPECIFIED;
  bool sent = false;  // a submit went out at least once

  Quantity filled_qty;
  // Sum of price.raw() * qty.raw() over the fills: the exact notional at
  // scale 1e-18, so the average price is rounded once, not per fill.
  fixed_point::Int128 filled_notional_e18 = 0;
  std::vector<std::string> fill_ids;  // for recognising a fill seen twice
  std::string reject_reason;
  Timestamp created;
  Timestamp updated;

  // A new order from a strategy's intent, PENDING_NEW (journaled, not yet sent).
  static Order FromIntent(const OrderIntent& intent, Timestamp now);

  Quantity remaining_qty() const { return Quantity::FromRaw(qty.raw() - filled_qty.raw()); }
  // Notional sum / filled quantity, rounded half-even; zero before any fill.
  absl::StatusOr<Price> average_fill_price() const;
  // The exact notional rounded half-even to the 1e-9 scale.
  absl::StatusOr<Amount> filled_notional() const;
  bool HasFill(std::string_view fill_id) const;

  // FILLED, CANCELED, REJECTED or EXPIRED: the venue will not act on it again
  // (a late fill may still be recorded, see the state table).
  bool is_terminal() const;
};

}  // namespace tradeplane::execution

#endif  // TRADEPLANE_EXECUTION_ORDER_H_
