#include "tradeplane/execution/order.h"

#include <algorithm>

namespace tradeplane::execution {

Order Order::FromIntent(const OrderIntent& intent, Timestamp now) {
  Order order;
  order.client_order_id = intent.client_order_id;
  order.strategy_id = intent.strategy_id;
  order.instrument = intent.instrument;
  order.side = intent.side;
  order.type = intent.type;
  order.time_in_force = intent.time_in_force;
  order.qty = intent.qty;
  order.price = intent.price;
  order.status = orders::v1::ORDER_STATUS_PENDING_NEW;
  order.created = now;
  order.updated = now;
  return order;
}

absl::StatusOr<Price> Order::average_fill_price() const {
  if (filled_qty.is_zero()) return Price::Zero();
  // (sum of p.raw * q.raw) / q.raw is the average price in raw units.
  absl::StatusOr<int64_t> raw =
      fixed_point::DivideRounded(filled_notional_e18, filled_qty.raw(), Rounding::kHalfEven);
  if (!raw.ok()) return raw.status();
  return Price::FromRaw(*raw);
}

absl::StatusOr<Amount> Order::filled_notional() const {
  absl::StatusOr<int64_t> raw =
      fixed_point::DivideRounded(filled_notional_e18, kFixedPointScale, Rounding::kHalfEven);
  if (!raw.ok()) return raw.status();
  return Amount::FromRaw(*raw);
}

bool Order::HasFill(std::string_view fill_id) const {
  return std::find(fill_ids.begin(), fill_ids.end(), fill_id) != fill_ids.end();
}

bool Order::is_terminal() const {
  return status == orders::v1::ORDER_STATUS_FILLED || status == orders::v1::ORDER_STATUS_CANCELED ||
         status == orders::v1::ORDER_STATUS_REJECTED || status == orders::v1::ORDER_STATUS_EXPIRED;
}

}  // namespace tradeplane::execution
