#include "tradeplane/surveillance/market_state.h"

namespace tradeplane::surveillance {

Price InstrumentMarket::ReferencePrice() const {
  if (has_touch()) {
    // Halves first: the sum of two prices near the top of the int64 range
    // would overflow. The result is the midpoint rounded down to a unit.
    return Price::FromRaw(bid_price.raw() / 2 + ask_price.raw() / 2 +
                          (bid_price.raw() % 2 + ask_price.raw() % 2) / 2);
  }
  if (bid_price.is_positive()) return bid_price;
  if (ask_price.is_positive()) return ask_price;
  return last_trade_price;
}

void MarketState::Apply(const Event& event) {
  if (event.kind != EventKind::kBookUpdate && event.kind != EventKind::kPublicTrade) return;
  if (event.instrument >= markets_.size()) markets_.resize(event.instrument + 1);
  InstrumentMarket& m = markets_[event.instrument];
  if (event.kind == EventKind::kBookUpdate) {
    m.bid_price = event.bid_price;
    m.bid_qty = event.bid_qty;
    m.ask_price = event.ask_price;
    m.ask_qty = event.ask_qty;
    m.bid_depth_qty = event.bid_depth_qty;
    m.ask_depth_qty = event.ask_depth_qty;
    m.book_time = event.time;
  } else {
    m.last_trade_price = event.price;
    m.last_trade_time = event.time;
  }
}

}  // namespace tradeplane::surveillance
