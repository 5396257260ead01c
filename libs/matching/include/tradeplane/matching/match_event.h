// What the matching engine tells its caller, one event per change of one of
// our orders, in the order the changes happen.
#ifndef TRADEPLANE_MATCHING_MATCH_EVENT_H_
#define TRADEPLANE_MATCHING_MATCH_EVENT_H_

#include <cstdint>
#include <vector>

#include "tradeplane/core/fixed_point.h"
#include "tradeplane/core/order.h"
#include "tradeplane/core/timestamp.h"
#include "tradeplane/matching/client_order_id.h"
#include "tradeplane/matching/matching_ids.h"
#include "tradeplane/matching/order_reason.h"

namespace tradeplane::matching {

enum class MatchEventKind : uint8_t {
  kAccepted,  // the order exists (status NEW); fills may follow at once
  kRejected,  // the order was refused and never existed (order_id 0)
  kFill,      // one execution of the order
  kCanceled,
  kExpired,  // IOC/market remainder, FOK not fillable, self-trade prevention
};

struct MatchEvent {
  MatchEventKind kind = MatchEventKind::kAccepted;
  OrderId order_id = 0;
  AccountId account = 0;
  ClientOrderId client_order_id;
  Side side = common::v1::SIDE_UNSPECIFIED;
  OrderStatus status = orders::v1::ORDER_STATUS_UNSPECIFIED;  // after this event
  OrderReason reason = OrderReason::kNone;
  Timestamp time;

  // kFill only.
  TradeId trade_id = 0;  // shared by both sides when two of our orders trade
  Price price;
  Quantity qty;
  Amount quote_qty;  // price * qty, truncated to the 1e-9 scale
  Amount fee;        // in the quote asset; negative = rebate
  Liquidity liquidity = orders::v1::LIQUIDITY_UNSPECIFIED;
  OrderId counter_order_id = 0;  // 0 when the other side is the replayed market

  // The order's totals after this event.
  Quantity filled_qty;
  Quantity remaining_qty;
};

class MatchEventSink {
 public:
  virtual ~MatchEventSink() = default;
  // Called synchronously from inside the engine's methods; must not call
  // back into the engine.
  virtual void OnMatchEvent(const MatchEvent& event) = 0;
};

// Keeps every event; for tests and for callers that drain after each call.
class MatchEventCollector final : public MatchEventSink {
 public:
  void OnMatchEvent(const MatchEvent& event) override { events.push_back(event); }
  std::vector<MatchEvent> events;
};

}  // namespace tradeplane::matching

#endif  // TRADEPLANE_MATCHING_MATCH_EVENT_H_
