// What the detectors know of each instrument's market: the touch, the
// displayed depth and the last trade, kept from BookUpdate and PublicTrade
// events. The engine applies every event before the detectors see it.
#ifndef TRADEPLANE_SURVEILLANCE_MARKET_STATE_H_
#define TRADEPLANE_SURVEILLANCE_MARKET_STATE_H_

#include <vector>

#include "tradeplane/core/fixed_point.h"
#include "tradeplane/core/instrument.h"
#include "tradeplane/core/timestamp.h"
#include "tradeplane/surveillance/event.h"

namespace tradeplane::surveillance {

struct InstrumentMarket {
  Price bid_price;  // zero: no bid known
  Quantity bid_qty;
  Price ask_price;  // zero: no ask known
  Quantity ask_qty;
  Quantity bid_depth_qty;  // displayed size of the best levels (see Event)
  Quantity ask_depth_qty;
  Timestamp book_time;
  Price last_trade_price;  // zero: no trade yet
  Timestamp last_trade_time;

  bool has_touch() const { return bid_price.is_positive() && ask_price.is_positive(); }
  // The midpoint when both sides are known, else the one side known, else
  // the last trade, else zero.
  Price ReferencePrice() const;
  // The touch on the order's side: the best bid for a buy, the best ask for a
  // sell (zero when unknown).
  Price SameSideTouch(Side side) const {
    return side == common::v1::SIDE_BUY ? bid_price : ask_price;
  }
  Quantity SameSideDepth(Side side) const {
    return side == common::v1::SIDE_BUY ? bid_depth_qty : ask_depth_qty;
  }
};

class MarketState {
 public:
  // Book updates replace the touch and depth; public trades set the last trade.
  // Grows (allocates) the first time an instrument index is seen.
  void Apply(const Event& event);
  const InstrumentMarket& at(InstrumentIndex instrument) const {
    return instrument < markets_.size() ? markets_[instrument] : empty_;
  }
  void Clear() { markets_.clear(); }

 private:
  std::vector<InstrumentMarket> markets_;
  InstrumentMarket empty_;
};

}  // namespace tradeplane::surveillance

#endif  // TRADEPLANE_SURVEILLANCE_MARKET_STATE_H_
