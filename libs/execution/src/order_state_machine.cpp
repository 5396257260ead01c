#include "tradeplane/execution/order_state_machine.h"

#include <array>

#include "tradeplane/core/enum_names.h"
#include "tradeplane/core/str_cat.h"

namespace tradeplane::execution {
namespace {

using orders::v1::ORDER_STATUS_CANCELED;
using orders::v1::ORDER_STATUS_EXPIRED;
using orders::v1::ORDER_STATUS_FILLED;
using orders::v1::ORDER_STATUS_NEW;
using orders::v1::ORDER_STATUS_PARTIALLY_FILLED;
using orders::v1::ORDER_STATUS_PENDING_CANCEL;
using orders::v1::ORDER_STATUS_PENDING_NEW;
using orders::v1::ORDER_STATUS_REJECTED;
using orders::v1::ORDER_STATUS_UNSPECIFIED;

using S = TableState;
constexpr TransitionCell To(TableState next) { return {CellAction::kApply, next}; }
constexpr TransitionCell kIgn{CellAction::kIgnore, S::kPendingNew};
constexpr TransitionCell kNo{CellAction::kRefuse, S::kPendingNew};
constexpr TransitionCell kRec{CellAction::kToReported, S::kPendingNew};

using Row = std::array<TransitionCell, kTableEvents>;

// Why the less obvious cells are what they are:
//  - a fill before the ack (PENDING_NEW + fill) is real: the ack can come later
//    or never (the venue's REST answer and its stream race), so it is applied;
//    the late ack is then ignored;
//  - a fill after our cancel request stays PENDING_CANCEL (now remembering
//    PARTIALLY_FILLED) or completes the order; the cancel's answer then comes
//    as "cancel rejected" and is ignored in FILLED;
//  - a cancel ack we did not ask for (the venue or a cancel-all did it) is
//    applied from every open state;
//  - a late fill after CANCELED or EXPIRED happened before the venue closed
//    the order (two channels race): it is recorded, and if it completes the
//    quantity the order is FILLED;
//  - duplicates (a second ack, cancel request, cancel ack, reject, expiry)
//    are ignored; contradictions (a reject after an ack, anything on a
//    rejected order, a second submit of an acknowledged order) are refused.
constexpr std::array<Row, kTableStates> kTable = {{
    //  submit sent            venue ack                 venue reject      partial fill
    //  complete fill          cancel requested          cancel ack        cancel rejected
    //  expired                reconciled
    /* PENDING_NEW */
    {To(S::kPendingNew), To(S::kNew), To(S::kRejected), To(S::kPartiallyFilled), To(S::kFilled),
     To(S::kPendingCancelFromPendingNew), To(S::kCanceled), kIgn, To(S::kExpired), kRec},
    /* NEW */
    {kNo, kIgn, kNo, To(S::kPartiallyFilled), To(S::kFilled), To(S::kPendingCancelFromNew),
     To(S::kCanceled), kIgn, To(S::kExpired), kRec},
    /* PARTIALLY_FILLED */
    {kNo, kIgn, kNo, To(S::kPartiallyFilled), To(S::kFilled),
     To(S::kPendingCancelFromPartiallyFilled), To(S::kCanceled), kIgn, To(S::kExpired), kRec},
    /* FILLED */
    {kNo, kIgn, kNo, kNo, kNo, kNo, kNo, kIgn, kNo, kRec},
    /* PENDING_CANCEL (was PENDING_NEW) */
    {kNo, To(S::kPendingCancelFromNew), To(S::kRejected), To(S::kPendingCancelFromPartiallyFilled),
     To(S::kFilled), kIgn, To(S::kCanceled), To(S::kPendingNew), To(S::kExpired), kRec},
    /* PENDING_CANCEL (was NEW) */
    {kNo, kIgn, kNo, To(S::kPendingCancelFromPartiallyFilled), To(S::kFilled), kIgn,
     To(S::kCanceled), To(S::kNew), To(S::kExpired), kRec},
    /* PENDING_CANCEL (was PARTIALLY_FILLED) */
    {kNo, kIgn, kNo, To(S::kPendingCancelFromPartiallyFilled), To(S::kFilled), kIgn,
     To(S::kCanceled), To(S::kPartiallyFilled), To(S::kExpired), kRec},
    /* CANCELED */
    {kNo, kIgn, kNo, To(S::kCanceled), To(S::kFilled), kNo, kIgn, kIgn, kNo, kRec},
    /* REJECTED */
    {kNo, kNo, kIgn, kNo, kNo, kNo, kNo, kIgn, kNo, kRec},
    /* EXPIRED */
    {kNo, kIgn, kNo, To(S::kExpired), To(S::kFilled), kNo, kNo, kIgn, kIgn, kRec},
}};

struct StateInfo {
  std::string_view name;
  std::string_view id;
  OrderStatus status;
  OrderStatus before_cancel;
};
constexpr std::array<StateInfo, kTableStates> kStates = {{
    {"PENDING_NEW", "PENDING_NEW", ORDER_STATUS_PENDING_NEW, ORDER_STATUS_UNSPECIFIED},
    {"NEW", "NEW", ORDER_STATUS_NEW, ORDER_STATUS_UNSPECIFIED},
    {"PARTIALLY_FILLED", "PARTIALLY_FILLED", ORDER_STATUS_PARTIALLY_FILLED,
     ORDER_STATUS_UNSPECIFIED},
    {"FILLED", "FILLED", ORDER_STATUS_FILLED, ORDER_STATUS_UNSPECIFIED},
    {"PENDING_CANCEL (was PENDING_NEW)", "PENDING_CANCEL_FROM_PENDING_NEW",
     ORDER_STATUS_PENDING_CANCEL, ORDER_STATUS_PENDING_NEW},
    {"PENDING_CANCEL (was NEW)", "PENDING_CANCEL_FROM_NEW", ORDER_STATUS_PENDING_CANCEL,
     ORDER_STATUS_NEW},
    {"PENDING_CANCEL (was PARTIALLY_FILLED)", "PENDING_CANCEL_FROM_PARTIALLY_FILLED",
     ORDER_STATUS_PENDING_CANCEL, ORDER_STATUS_PARTIALLY_FILLED},
    {"CANCELED", "CANCELED", ORDER_STATUS_CANCELED, ORDER_STATUS_UNSPECIFIED},
    {"REJECTED", "REJECTED", ORDER_STATUS_REJECTED, ORDER_STATUS_UNSPECIFIED},
    {"EXPIRED", "EXPIRED", ORDER_STATUS_EXPIRED, ORDER_STATUS_UNSPECIFIED},
}};

constexpr std::array<std::string_view, kTableEvents> kEventNames = {
    "submit sent",      "venue ack",  "venue reject",    "partial fill", "complete fill",
    "cancel requested", "cancel ack", "cancel rejected", "expired",      "reconciled"};

TableEvent TableEventOf(OrderEventKind kind) {
  switch (kind) {
    case OrderEventKind::kSubmitSent:
      return TableEvent::kSubmitSent;
    case OrderEventKind::kVenueAck:
      return TableEvent::kVenueAck;
    case OrderEventKind::kVenueReject:
      return TableEvent::kVenueReject;
    case OrderEventKind::kFill:
      return TableEvent::kPartialFill;  // refined by quantity
    case OrderEventKind::kCancelRequested:
      return TableEvent::kCancelRequested;
    case OrderEventKind::kCancelAck:
      return TableEvent::kCancelAck;
    case OrderEventKind::kCancelRejected:
      return TableEvent::kCancelRejected;
    case OrderEventKind::kExpired:
      return TableEvent::kExpired;
    case OrderEventKind::kReconciled:
      return TableEvent::kReconciled;
  }
  return TableEvent::kReconciled;
}

// The reconciler reports a venue status with the venue's cumulative fills;
// they must agree with each other and with the order.
absl::Status CheckReported(const Order& order, const OrderEvent& event) {
  const Quantity filled = event.reported_filled_qty;
  std::string_view status_name = ShortEnumName(event.reported_status);
  auto bad = [&](std::string_view why) {
    return absl::InvalidArgumentError(
        StrCat("order ", order.client_order_id, ": reconciled status ", status_name,
               " with filled ", filled.ToString(), " of ", order.qty.ToString(), ": ", why));
  };
  if (filled.is_negative() || filled > order.qty) return bad("filled is outside [0, qty]");
  if (event.reported_filled_quote.is_negative()) return bad("filled quote is negative");
  if (filled.is_zero() != event.reported_filled_quote.is_zero()) {
    return bad("filled quantity and filled quote must be both zero or both positive");
  }
  switch (event.reported_status) {
    case ORDER_STATUS_NEW:
    case ORDER_STATUS_REJECTED:
      if (!filled.is_zero()) return bad("this status has no fills");
      return absl::OkStatus();
    case ORDER_STATUS_PARTIALLY_FILLED:
      if (filled.is_zero() || filled == order.qty) return bad("needs 0 < filled < qty");
      return absl::OkStatus();
    case ORDER_STATUS_FILLED:
      if (filled != order.qty) return bad("needs filled == qty");
      return absl::OkStatus();
    case ORDER_STATUS_CANCELED:
    case ORDER_STATUS_EXPIRED:
      if (filled == order.qty) return bad("a completely filled order is FILLED");
      return absl::OkStatus();
    default:
      return bad("not a status a venue reports");
  }
}

}  // namespace

const TransitionCell& LookupTransition(TableState state, TableEvent event) {
  return kTable[static_cast<size_t>(state)][static_cast<size_t>(event)];
}

std::string_view TableStateName(TableState state) {
  return kStates[static_cast<size_t>(state)].name;
}
std::string_view TableStateId(TableState state) { return kStates[static_cast<size_t>(state)].id; }
std::string_view TableEventName(TableEvent event) {
  return kEventNames[static_cast<size_t>(event)];
}
OrderStatus StatusOf(TableState state) { return kStates[static_cast<size_t>(state)].status; }

absl::StatusOr<TableState> TableStateOf(const Order& order) {
  for (size_t i = 0; i < kTableStates; ++i) {
    const StateInfo& info = kStates[i];
    if (info.status != order.status) continue;
    if (order.status != ORDER_STATUS_PENDING_CANCEL ||
        info.before_cancel == order.status_before_cancel) {
      return static_cast<TableState>(i);
    }
  }
  return absl::FailedPreconditionError(StrCat(
      "order ", order.client_order_id, ": status ", ShortEnumName(order.status), " (before cancel ",
      ShortEnumName(order.status_before_cancel), ") is not a state of the order state machine"));
}

absl::StatusOr<Transition> ApplyOrderEvent(Order& order, const OrderEvent& event) {
  absl::StatusOr<TableState> row = TableStateOf(order);
  if (!row.ok()) return row.status();
  Transition t;
  t.from = order.status;
  t.to = order.status;
  t.event = TableEventOf(event.kind);

  if (event.kind == OrderEventKind::kFill) {
    if (!event.fill_qty.is_positive() || !event.fill_price.is_positive()) {
      return absl::InvalidArgumentError(StrCat("order ", order.client_order_id, ": fill ",
                                               event.fill_id, " of ", event.fill_qty.ToString(),
                                               " @ ", event.fill_price.ToString(),
                                               ": quantity and price must be positive"));
    }
    if (!event.fill_id.empty() && order.HasFill(event.fill_id)) {
      t.action = CellAction::kIgnore;
      t.duplicate_fill = true;
      return t;
    }
    const Quantity remaining = order.remaining_qty();
    if (event.fill_qty > remaining) {
      return absl::OutOfRangeError(StrCat("order ", order.client_order_id, ": fill ", event.fill_id,
                                          " of ", event.fill_qty.ToString(),
                                          " exceeds the remaining ", remaining.ToString(),
                                          " (overfill) in ", TableStateName(*row)));
    }
    if (event.fill_qty == remaining) t.event = TableEvent::kCompleteFill;
  }

  const TransitionCell& cell = LookupTransition(*row, t.event);
  t.action = cell.action;
  switch (cell.action) {
    case CellAction::kRefuse:
      return absl::FailedPreconditionError(StrCat("order ", order.client_order_id, ": ",
                                                  TableEventName(t.event), " is illegal in ",
                                                  TableStateName(*row)));
    case CellAction::kIgnore:
      break;
    case CellAction::kApply: {
      const StateInfo& next = kStates[static_cast<size_t>(cell.next)];
      order.status = next.status;
      order.status_before_cancel = next.before_cancel;
      if (event.kind == OrderEventKind::kSubmitSent) order.sent = true;
      if (event.kind == OrderEventKind::kVenueReject)
        order.reject_reason = std::string(event.reason);
      if (event.kind == OrderEventKind::kFill) {
        order.filled_qty = Quantity::FromRaw(order.filled_qty.raw() + event.fill_qty.raw());
        order.filled_notional_e18 +=
            static_cast<fixed_point::Int128>(event.fill_price.raw()) * event.fill_qty.raw();
        if (!event.fill_id.empty()) order.fill_ids.emplace_back(event.fill_id);
      }
      t.changed = true;
      break;
    }
    case CellAction::kToReported: {
      if (absl::Status s = CheckReported(order, event); !s.ok()) return s;
      order.status = event.reported_status;
      order.status_before_cancel = ORDER_STATUS_UNSPECIFIED;
      order.filled_qty = event.reported_filled_qty;
      // The venue's cumulative quote is the truth; its 1e-9 rounding is kept.
      order.filled_notional_e18 =
          static_cast<fixed_point::Int128>(event.reported_filled_quote.raw()) * kFixedPointScale;
      if (event.reported_status == ORDER_STATUS_REJECTED && !event.reason.empty()) {
        order.reject_reason = std::string(event.reason);
      }
      t.changed = true;
      break;
    }
  }
  if (!event.venue_order_id.empty() && order.venue_order_id.empty()) {
    order.venue_order_id = std::string(event.venue_order_id);
    t.changed = true;
  }
  t.to = order.status;
  if (t.changed) order.updated = event.time;
  return t;
}

}  // namespace tradeplane::execution
