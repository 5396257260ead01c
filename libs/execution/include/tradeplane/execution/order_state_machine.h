// The order state machine: an explicit table of states x events.
//
// Rows are the order's states. PENDING_CANCEL is split into three rows by the
// state it came from, because that state decides what a late ack, a reject or
// a rejected cancel mean (a rejected cancel returns to it). Columns are the
// events, with fills split into partial and complete by their quantity.
// Each cell says: apply (go to the next state), ignore (legal but stale or a
// duplicate: nothing changes), refuse (illegal: an error, nothing changes), or
// take the status the reconciler reported.
//
// docs/explanation/order-states.md shows this table; a test keeps it equal to
// OrderStateDocBlock() (order_state_doc.h).
#ifndef TRADEPLANE_EXECUTION_ORDER_STATE_MACHINE_H_
#define TRADEPLANE_EXECUTION_ORDER_STATE_MACHINE_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tradeplane/core/order.h"
#include "tradeplane/execution/order.h"
#include "tradeplane/execution/order_event.h"

#include "absl/status/statusor.h"

namespace tradeplane::execution {

enum class TableState : uint8_t {
  kPendingNew,
  kNew,
  kPartiallyFilled,
  kFilled,
  kPendingCancelFromPendingNew,
  kPendingCancelFromNew,
  kPendingCancelFromPartiallyFilled,
  kCanceled,
  kRejected,
  kExpired,
};
inline constexpr size_t kTableStates = 10;

enum class TableEvent : uint8_t {
  kSubmitSent,
  kVenueAck,
  kVenueReject,
  kPartialFill,
  kCompleteFill,
  kCancelRequested,
  kCancelAck,
  kCancelRejected,
  kExpired,
  kReconciled,
};
inline constexpr size_t kTableEvents = 10;

enum class CellAction : uint8_t {
  kApply,       // to `next`
  kIgnore,      // legal, stale or duplicate: state unchanged
  kRefuse,      // illegal: refused with an error, never applied
  kToReported,  // to the status the reconciler reported
};

struct TransitionCell {
  CellAction action = CellAction::kRefuse;
  TableState next = TableState::kPendingNew;  // for kApply
};

// The table itself.
const TransitionCell& LookupTransition(TableState state, TableEvent event);

// Names as the documentation shows them.
std::string_view TableStateName(TableState state);  // "PENDING_CANCEL (was NEW)"
std::string_view TableStateId(TableState state);    // "PENDING_CANCEL_FROM_NEW"
std::string_view TableEventName(TableEvent event);  // "cancel rejected"

OrderStatus StatusOf(TableState state);
// The row of an order, from its status and status_before_cancel. Fails for
// UNSPECIFIED or an inconsistent PENDING_CANCEL.
absl::StatusOr<TableState> TableStateOf(const Order& order);

struct Transition {
  OrderStatus from = orders::v1::ORDER_STATUS_UNSPECIFIED;
  OrderStatus to = orders::v1::ORDER_STATUS_UNSPECIFIED;
  TableEvent event = TableEvent::kSubmitSent;
  CellAction action = CellAction::kRefuse;
  bool duplicate_fill = false;  // a fill id seen before: ignored before the table
  // Whether anything in the order changed (state, fills, ids, reasons).
  bool changed = false;
};

// Applies one event to the order. Errors, with the order unchanged:
//  - FailedPrecondition: the table refuses the event in the order's state;
//  - OutOfRange: a fill larger than the remaining quantity (overfill);
//  - InvalidArgument: a fill without positive quantity and price, or a
//    reconciled status that is not a venue status or contradicts its fills.
// A fill whose id the order already has is ignored (duplicate_fill). Any
// accepted event that names the venue order id fills it in when missing.
absl::StatusOr<Transition> ApplyOrderEvent(Order& order, const OrderEvent& event);

}  // namespace tradeplane::execution

#endif  // TRADEPLANE_EXECUTION_ORDER_STATE_MACHINE_H_
