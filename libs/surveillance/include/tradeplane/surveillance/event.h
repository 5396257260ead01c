// The one event stream the market-abuse detectors consume, in time order.
//
// Sentinel sees two kinds of flow: our own orders (submits, cancels and fills
// from execution, each with the account or strategy that sent it as the
// participant) and the market's (public trades and book updates). Both become
// Events here; adapters map LOBSTER messages (lobster_adapter.h) and bus
// messages onto them. An Event is a plain value of fixed size: no strings, the
// participant and instrument by index, so the detectors' hot path allocates
// nothing. Time is the event's own (exchange) time; no detector reads a clock.
#ifndef TRADEPLANE_SURVEILLANCE_EVENT_H_
#define TRADEPLANE_SURVEILLANCE_EVENT_H_

#include <cstdint>
#include <string_view>

#include "tradeplane/core/fixed_point.h"
#include "tradeplane/core/instrument.h"
#include "tradeplane/core/timestamp.h"
#include "tradeplane/surveillance/participant_table.h"

namespace tradeplane::surveillance {

enum class EventKind : uint8_t {
  kOrderSubmitted,  // a new order of a participant
  kOrderCancelled,  // all or part of an open order withdrawn
  kOrderExecuted,   // a fill of a participant's order
  kPublicTrade,     // a trade on the public tape (no identities)
  kBookUpdate,      // the touch and the displayed depth after a change
};

std::string_view EventKindName(EventKind kind);

// Whether an order or a fill took liquidity. Unknown where the source does
// not say (a venue that does not report it).
enum class Aggression : uint8_t { kUnknown, kPassive, kAggressive };

std::string_view AggressionName(Aggression aggression);

struct Event {
  EventKind kind = EventKind::kBookUpdate;
  Aggression aggression = Aggression::kUnknown;
  // The order's side (submits, cancels, fills); for a public trade the
  // aggressor's side, SIDE_UNSPECIFIED when unknown (auctions).
  Side side = common::v1::SIDE_UNSPECIFIED;
  InstrumentIndex instrument = 0;
  ParticipantId participant = kUnknownParticipant;
  // Fills only: the other side's participant when the venue reports it.
  ParticipantId counterparty = kUnknownParticipant;
  Timestamp time;
  uint64_t order_id = 0;
  uint64_t fill_id = 0;  // fills and public trades: the execution's id
  Price price;
  // Submit: the order's size. Cancel: the size withdrawn. Fill, trade: the
  // size executed.
  Quantity qty;
  Quantity remaining_qty;  // cancels and fills: what stays open afterwards

  // Book updates: the best prices (zero when a side is empty), their sizes,
  // and the displayed size of the best `depth_levels` levels of each side.
  Price bid_price;
  Quantity bid_qty;
  Price ask_price;
  Quantity ask_qty;
  Quantity bid_depth_qty;
  Quantity ask_depth_qty;
};

// Constructors that name what they build (tests, adapters).
Event OrderSubmitted(Timestamp time, InstrumentIndex instrument, ParticipantId participant,
                     uint64_t order_id, Side side, Price price, Quantity qty,
                     Aggression aggression);
Event OrderCancelled(Timestamp time, InstrumentIndex instrument, ParticipantId participant,
                     uint64_t order_id, Side side, Price price, Quantity cancelled_qty,
                     Quantity remaining_qty);
Event OrderExecuted(Timestamp time, InstrumentIndex instrument, ParticipantId participant,
                    uint64_t order_id, uint64_t fill_id, Side side, Price price, Quantity qty,
                    Aggression aggression, ParticipantId counterparty = kUnknownParticipant);
Event PublicTrade(Timestamp time, InstrumentIndex instrument, uint64_t trade_id,
                  Side aggressor_side, Price price, Quantity qty);
struct BookTop {
  Price bid_price;
  Quantity bid_qty;
  Price ask_price;
  Quantity ask_qty;
  Quantity bid_depth_qty;
  Quantity ask_depth_qty;
};
Event BookUpdate(Timestamp time, InstrumentIndex instrument, const BookTop& top);

}  // namespace tradeplane::surveillance

#endif  // TRADEPLANE_SURVEILLANCE_EVENT_H_
