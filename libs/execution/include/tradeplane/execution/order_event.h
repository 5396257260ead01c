// What can happen to an order: our own actions and the venue's answers, as
// the input of the order state machine.
#ifndef TRADEPLANE_EXECUTION_ORDER_EVENT_H_
#define TRADEPLANE_EXECUTION_ORDER_EVENT_H_

#include <cstdint>
#include <string_view>

#include "tradeplane/core/fixed_point.h"
#include "tradeplane/core/order.h"
#include "tradeplane/core/timestamp.h"

namespace tradeplane::execution {

enum class OrderEventKind : uint8_t {
  kSubmitSent,       // we sent (or re-sent, same client order id) the new order
  kVenueAck,         // the venue accepted it (NEW)
  kVenueReject,      // the venue refused it
  kFill,             // an execution; partial or complete is decided by its quantity
  kCancelRequested,  // we sent a cancel
  kCancelAck,        // the venue canceled it (asked for or not)
  kCancelRejected,   // the venue refused our cancel
  kExpired,          // IOC/FOK/market remainder, self-trade prevention, venue expiry
  kReconciled,       // the reconciler sets the venue's view: status and fills
};

// Strings are views: the event lives only for the call that applies it.
struct OrderEvent {
  OrderEventKind kind = OrderEventKind::kSubmitSent;
  Timestamp time;
  std::string_view venue_order_id;  // any venue event may carry it
  std::string_view reason;          // reject, cancel-reject or expiry text

  // kFill.
  std::string_view fill_id;  // recognises a fill seen twice; empty = unknown
  Quantity fill_qty;
  Price fill_price;

  // kReconciled: the venue's status and cumulative fills.
  OrderStatus reported_status = orders::v1::ORDER_STATUS_UNSPECIFIED;
  Quantity reported_filled_qty;
  Amount reported_filled_quote;

  static OrderEvent SubmitSent(Timestamp time) { return Simple(OrderEventKind::kSubmitSent, time); }
  static OrderEvent VenueAck(Timestamp time, std::string_view venue_order_id = {}) {
    OrderEvent e = Simple(OrderEventKind::kVenueAck, time);
    e.venue_order_id = venue_order_id;
    return e;
  }
  static OrderEvent VenueReject(Timestamp time, std::string_view reason) {
    OrderEvent e = Simple(OrderEventKind::kVenueReject, time);
    e.reason = reason;
    return e;
  }
  static OrderEvent Fill(Timestamp time, std::string_view fill_id, Quantity qty, Price price) {
    OrderEvent e = Simple(OrderEventKind::kFill, time);
    e.fill_id = fill_id;
    e.fill_qty = qty;
    e.fill_price = price;
    return e;
  }
  static OrderEvent CancelRequested(Timestamp time) {
    return Simple(OrderEventKind::kCancelRequested, time);
  }
  static OrderEvent CancelAck(Timestamp time) { return Simple(OrderEventKind::kCancelAck, time); }
  static OrderEvent CancelRejected(Timestamp time, std::string_view reason) {
    OrderEvent e = Simple(OrderEventKind::kCancelRejected, time);
    e.reason = reason;
    return e;
  }
  static OrderEvent Expired(Timestamp time, std::string_view reason = {}) {
    OrderEvent e = Simple(OrderEventKind::kExpired, time);
    e.reason = reason;
    return e;
  }
  static OrderEvent Reconciled(Timestamp time, OrderStatus status, Quantity filled_qty,
                               Amount filled_quote) {
    OrderEvent e = Simple(OrderEventKind::kReconciled, time);
    e.reported_status = status;
    e.reported_filled_qty = filled_qty;
    e.reported_filled_quote = filled_quote;
    return e;
  }

 private:
  static OrderEvent Simple(OrderEventKind kind, Timestamp time) {
    OrderEvent e;
    e.kind = kind;
    e.time = time;
    return e;
  }
};

}  // namespace tradeplane::execution

#endif  // TRADEPLANE_EXECUTION_ORDER_EVENT_H_
