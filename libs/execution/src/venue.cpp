#include "tradeplane/execution/venue.h"

namespace tradeplane::execution {

OrderEvent ToOrderEvent(const VenueUpdate& update) {
  OrderEvent event;
  switch (update.kind) {
    case VenueUpdateKind::kAccepted:
      event = OrderEvent::VenueAck(update.time);
      break;
    case VenueUpdateKind::kRejected:
      event = OrderEvent::VenueReject(update.time, update.reason);
      break;
    case VenueUpdateKind::kFill:
      event =
          OrderEvent::Fill(update.time, update.fill.fill_id, update.fill.qty, update.fill.price);
      break;
    case VenueUpdateKind::kCanceled:
      event = OrderEvent::CancelAck(update.time);
      break;
    case VenueUpdateKind::kExpired:
      event = OrderEvent::Expired(update.time, update.reason);
      break;
    case VenueUpdateKind::kCancelRejected:
      event = OrderEvent::CancelRejected(update.time, update.reason);
      break;
  }
  event.venue_order_id = update.order.venue_order_id;
  return event;
}

}  // namespace tradeplane::execution
