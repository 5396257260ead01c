// A source of market data for the market-data service and the backtest: a
// file replay, the synthetic generator, or a live Binance connection. In the
// service, feeds run on the main loop: each Step() does a slice of work and
// says when it wants to run again, so replays and sockets share one thread
// without either starving the other.
#ifndef TRADEPLANE_REPLAY_FEED_H_
#define TRADEPLANE_REPLAY_FEED_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "tradeplane/core/clock.h"
#include "tradeplane/core/instrument.h"
#include "tradeplane/marketdata/market_data_engine.h"

namespace tradeplane::replay {

// What a feed drives, and how it reports input it could not use.
struct FeedContext {
  marketdata::MarketDataEngine* engine = nullptr;
  const InstrumentTable* instruments = nullptr;
  const Clock* clock = nullptr;
  // Counted (metric) and logged with where (file:line, frame n) and why.
  std::function<void(std::string_view feed, std::string_view where, std::string_view reason)>
      bad_input;
  // Bars read ready-made from a bar file, published as they are.
  std::function<void(const marketdata::Bar&)> publish_bar;
};

class Feed {
 public:
  virtual ~Feed() = default;
  // Does up to a slice of work; returns how long until it wants to run again
  // (zero: more now; Duration::max(): nothing until woken).
  virtual std::chrono::nanoseconds Step() = 0;
  virtual bool finished() const = 0;
  virtual std::string_view name() const = 0;
  virtual uint64_t events() const = 0;
};

}  // namespace tradeplane::replay

#endif  // TRADEPLANE_REPLAY_FEED_H_
