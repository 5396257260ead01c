// What a strategy sees of the world besides market data, and where its
// decisions go.
//
// The caller (the signal service, the backtest, a test) makes one context per
// strategy instance and hands it to every Strategy::On* call. The context:
//   - tells the time (the caller's Clock: a ManualClock in the backtest);
//   - makes intent and client order ids (UUIDv7 from the caller's Clock and
//     RandomSource, so a seeded run repeats exactly);
//   - keeps the strategy's own position and open orders per instrument, as it
//     learns them from its own intents and from fills (ApplyFill), plus what
//     the caller reports (OrderDone: cancelled, expired, rejected or refused
//     by risk);
//   - collects the event's output: order intents and "no action, because ..."
//     notes. Strategy::On* clears them at the start of each event, so after a
//     call they hold exactly that event's decisions.
// No I/O, no clock reads of its own. Not thread-safe: one context per thread.
#ifndef TRADEPLANE_STRATEGY_STRATEGY_CONTEXT_H_
#define TRADEPLANE_STRATEGY_STRATEGY_CONTEXT_H_

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tradeplane/core/clock.h"
#include "tradeplane/core/ids.h"
#include "tradeplane/core/instrument.h"
#include "tradeplane/core/order.h"
#include "tradeplane/core/str_cat.h"

#include "absl/status/status.h"

namespace tradeplane::strategy {

// One of the strategy's orders that may still rest or fill.
struct OpenOrder {
  std::string client_order_id;
  InstrumentIndex instrument = 0;
  Side side = common::v1::SIDE_UNSPECIFIED;
  OrderType type = orders::v1::ORDER_TYPE_UNSPECIFIED;
  Price price;
  Quantity qty;
  Quantity filled;
  bool cancel_requested = false;  // a cancel intent went out; it may still fill
  Timestamp created;

  Quantity remaining() const { return Quantity::FromRaw(qty.raw() - filled.raw()); }
};

struct NoActionNote {
  InstrumentIndex instrument = 0;
  std::string reason;
};

class StrategyContext {
 public:
  StrategyContext(std::string strategy_id, const InstrumentTable& instruments, const Clock& clock,
                  RandomSource& random);
  StrategyContext(const StrategyContext&) = delete;
  StrategyContext& operator=(const StrategyContext&) = delete;

  // ---- For the strategy ----

  Timestamp Now() const { return clock_.Now(); }
  const std::string& strategy_id() const { return strategy_id_; }
  const InstrumentTable& instruments() const { return instruments_; }
  const InstrumentSpec& instrument(InstrumentIndex index) const { return instruments_.at(index); }

  // Signed: positive long, negative short.
  Quantity position(InstrumentIndex instrument) const;
  // Oldest first. The span is valid until the next Submit, Cancel, ApplyFill or OrderDone.
  std::span<const OpenOrder> open_orders(InstrumentIndex instrument) const;
  const OpenOrder* FindOpenOrder(InstrumentIndex instrument,
                                 std::string_view client_order_id) const;

  // Emits a new order. The context sets intent_id, client_order_id,
  // strategy_id and created, checks the intent against the instrument (side,
  // quantity on the lot and within limits, price on the tick for limit
  // orders, zero for market orders) and records it as an open order.
  absl::Status Submit(OrderIntent intent);
  // Emits the cancel of one of the strategy's open orders and marks it
  // cancel_requested (it stays open until filled or OrderDone).
  absl::Status Cancel(InstrumentIndex instrument, std::string_view client_order_id,
                      std::string reason);
  // "No action, because ...": the parts are concatenated (as StrCat). The
  // text buffers are reused from event to event, so steady-state reporting
  // does not allocate.
  template <typename... Parts>
  void NoAction(InstrumentIndex instrument, const Parts&... parts) {
    NoActionNote& note = NextNote(instrument);
    StrAppend(&note.reason, parts...);
  }

  // The same, for text built piece by piece (e.g. with fixed_point::AppendRaw):
  // an empty note to append to.
  std::string& NoActionText(InstrumentIndex instrument) { return NextNote(instrument).reason; }

  // ---- For the caller ----

  // Clears the previous event's intents and notes (Strategy::On* calls it).
  void BeginEvent();
  std::span<const OrderIntent> intents() const { return intents_; }
  std::span<const NoActionNote> no_actions() const {
    return std::span<const NoActionNote>(notes_.data(), note_count_);
  }
  // Books a fill of this strategy: position, and the open order it belongs to
  // (removed once fully filled). Fills of orders the context never saw still
  // move the position.
  absl::Status ApplyFill(const Fill& fill);
  // The order reached a final state without (further) fills, or never left:
  // cancelled, expired, rejected by the venue or refused by risk.
  void OrderDone(std::string_view client_order_id);

 private:
  NoActionNote& NextNote(InstrumentIndex instrument);
  std::vector<OpenOrder>* OrdersOf(InstrumentIndex instrument);

  std::string strategy_id_;
  const InstrumentTable& instruments_;
  const Clock& clock_;
  UuidV7Generator ids_;
  std::vector<Quantity> positions_;             // by instrument index
  std::vector<std::vector<OpenOrder>> orders_;  // by instrument index
  std::vector<OrderIntent> intents_;
  std::vector<NoActionNote> notes_;  // [0, note_count_) are this event's
  size_t note_count_ = 0;
};

}  // namespace tradeplane::strategy

#endif  // TRADEPLANE_STRATEGY_STRATEGY_CONTEXT_H_
