#include "tradeplane/surveillance/event.h"

namespace tradeplane::surveillance {

std::string_view EventKindName(EventKind kind) {
  switch (kind) {
    case EventKind::kOrderSubmitted:
      return "order_submitted";
    case EventKind::kOrderCancelled:
      return "order_cancelled";
    case EventKind::kOrderExecuted:
      return "order_executed";
    case EventKind::kPublicTrade:
      return "public_trade";
    case EventKind::kBookUpdate:
      return "book_update";
  }
  return "unknown";
}

std::string_view AggressionName(Aggression aggression) {
  switch (aggression) {
    case Aggression::kUnknown:
      return "unknown";
    case Aggression::kPassive:
      return "passive";
    case Aggression::kAggressive:
      return "aggressive";
  }
  return "unknown";
}

Event OrderSubmitted(Timestamp time, InstrumentIndex instrument, ParticipantId participant,
                     uint64_t order_id, Side side, Price price, Quantity qty,
                     Aggression aggression) {
  Event e;
  e.kind = EventKind::kOrderSubmitted;
  e.time = time;
  e.instrument = instrument;
  e.participant = participant;
  e.order_id = order_id;
  e.side = side;
  e.price = price;
  e.qty = qty;
  e.remaining_qty = qty;
  e.aggression = aggression;
  return e;
}

Event OrderCancelled(Timestamp time, InstrumentIndex instrument, ParticipantId participant,
                     uint64_t order_id, Side side, Price price, Quantity cancelled_qty,
                     Quantity remaining_qty) {
  Event e;
  e.kind = EventKind::kOrderCancelled;
  e.time = time;
  e.instrument = instrument;
  e.participant = participant;
  e.order_id = order_id;
  e.side = side;
  e.price = price;
  e.qty = cancelled_qty;
  e.remaining_qty = remaining_qty;
  return e;
}

Event OrderExecuted(Timestamp time, InstrumentIndex instrument, ParticipantId participant,
                    uint64_t order_id, uint64_t fill_id, Side side, Price price, Quantity qty,
                    Aggression aggression, ParticipantId counterparty) {
  Event e;
  e.kind = EventKind::kOrderExecuted;
  e.time = time;
  e.instrument = instrument;
  e.participant = participant;
  e.counterparty = counterparty;
  e.order_id = order_id;
  e.fill_id = fill_id;
  e.side = side;
  e.price = price;
  e.qty = qty;
  e.aggression = aggression;
  return e;
}

Event PublicTrade(Timestamp time, InstrumentIndex instrument, uint64_t trade_id,
                  Side aggressor_side, Price price, Quantity qty) {
  Event e;
  e.kind = EventKind::kPublicTrade;
  e.time = time;
  e.instrument = instrument;
  e.fill_id = trade_id;
  e.side = aggressor_side;
  e.price = price;
  e.qty = qty;
  return e;
}

Event BookUpdate(Timestamp time, InstrumentIndex instrument, const BookTop& top) {
  Event e;
  e.kind = EventKind::kBookUpdate;
  e.time = time;
  e.instrument = instrument;
  e.bid_price = top.bid_price;
  e.bid_qty = top.bid_qty;
  e.ask_price = top.ask_price;
  e.ask_qty = top.ask_qty;
  e.bid_depth_qty = top.bid_depth_qty;
  e.ask_depth_qty = top.ask_depth_qty;
  return e;
}

}  // namespace tradeplane::surveillance
