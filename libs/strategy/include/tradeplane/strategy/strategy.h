// The strategy interface: market events, fills and timer ticks in; order
// intents and "no action, because ..." notes out, through a StrategyContext.
//
// A strategy is deterministic given its inputs and the context's clock and
// random source: it performs no I/O and reads no clock of its own. Every
// intent carries a reason a person can read afterwards; bad input (a stale
// or crossed book, a missing bar, an indicator that is not finite) produces
// no order and a note saying why. Not thread-safe: one thread per instance.
//
// The public On* functions clear the context's previous output, keep its
// books (fills), and call the protected Handle* hooks a strategy overrides.
#ifndef TRADEPLANE_STRATEGY_STRATEGY_H_
#define TRADEPLANE_STRATEGY_STRATEGY_H_

#include <string>
#include <string_view>
#include <vector>

#include "tradeplane/core/order.h"
#include "tradeplane/core/timestamp.h"
#include "tradeplane/marketdata/events.h"
#include "tradeplane/strategy/strategy_context.h"

namespace tradeplane::strategy {

class Strategy {
 public:
  virtual ~Strategy() = default;
  Strategy(const Strategy&) = delete;
  Strategy& operator=(const Strategy&) = delete;

  const std::string& id() const { return id_; }
  // "trend", "mean_reversion", "quoting".
  virtual std::string_view kind() const = 0;
  // The instruments it trades; events for others are ignored.
  const std::vector<InstrumentIndex>& instruments() const { return instruments_; }

  void OnQuote(const marketdata::Quote& quote, StrategyContext& ctx) {
    ctx.BeginEvent();
    if (Trades(quote.instrument)) HandleQuote(quote, ctx);
  }
  void OnTrade(const marketdata::Trade& trade, StrategyContext& ctx) {
    ctx.BeginEvent();
    if (Trades(trade.instrument)) HandleTrade(trade, ctx);
  }
  void OnBar(const marketdata::Bar& bar, StrategyContext& ctx) {
    ctx.BeginEvent();
    if (Trades(bar.instrument)) HandleBar(bar, ctx);
  }
  void OnBook(const marketdata::BookView& book, StrategyContext& ctx) {
    ctx.BeginEvent();
    if (Trades(book.instrument)) HandleBook(book, ctx);
  }
  // Books the fill in the context (position, open order), then lets the
  // strategy react. A malformed fill is refused with a note.
  void OnFill(const Fill& fill, StrategyContext& ctx);
  void OnTimer(Timestamp now, StrategyContext& ctx) {
    ctx.BeginEvent();
    HandleTimer(now, ctx);
  }

 protected:
  Strategy(std::string id, std::vector<InstrumentIndex> instruments);

  virtual void HandleQuote(const marketdata::Quote& /*quote*/, StrategyContext& /*ctx*/) {}
  virtual void HandleTrade(const marketdata::Trade& /*trade*/, StrategyContext& /*ctx*/) {}
  virtual void HandleBar(const marketdata::Bar& /*bar*/, StrategyContext& /*ctx*/) {}
  virtual void HandleBook(const marketdata::BookView& /*book*/, StrategyContext& /*ctx*/) {}
  // `position_before` is the position before this fill.
  virtual void HandleFill(const Fill& /*fill*/, Quantity /*position_before*/,
                          StrategyContext& /*ctx*/) {}
  virtual void HandleTimer(Timestamp /*now*/, StrategyContext& /*ctx*/) {}

  bool Trades(InstrumentIndex instrument) const { return SlotOf(instrument) >= 0; }
  // The instrument's position in instruments(), or -1. O(1).
  int SlotOf(InstrumentIndex instrument) const {
    return instrument < slot_by_index_.size() ? slot_by_index_[instrument] : -1;
  }

 private:
  std::string id_;
  std::vector<InstrumentIndex> instruments_;
  std::vector<int> slot_by_index_;
};

}  // namespace tradeplane::strategy

#endif  // TRADEPLANE_STRATEGY_STRATEGY_H_
