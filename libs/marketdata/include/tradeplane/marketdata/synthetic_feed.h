// A synthetic market: quotes and trades for configured instruments, from a
// random walk on the tick grid, with Poisson arrival times. Deterministic for
// a given seed (the RandomSource is passed in; SeededRandom repeats), so demos,
// load tests and the backtest can replay the same "market" exactly.
//
// Model, per instrument, in whole ticks and lots (no floating-point money):
// the best bid takes a step of -max_step_ticks..+max_step_ticks ticks per
// quote (never below one tick), the spread is 1..max_spread_ticks ticks and
// each side shows 1..max_lots lots. A trade happens at the current best ask
// (buyer aggressor) or best bid (seller aggressor) for 1..max_lots lots.
// Arrival times: exponential gaps with mean 1 / events_per_second over all
// instruments, at least 1 ns, so event times strictly increase; the
// instrument of each event is drawn uniformly.
#ifndef TRADEPLANE_MARKETDATA_SYNTHETIC_FEED_H_
#define TRADEPLANE_MARKETDATA_SYNTHETIC_FEED_H_

#include <cstdint>
#include <vector>

#include "tradeplane/core/fixed_point.h"
#include "tradeplane/core/ids.h"
#include "tradeplane/core/instrument.h"
#include "tradeplane/core/timestamp.h"
#include "tradeplane/marketdata/events.h"

#include "absl/status/statusor.h"

namespace tradeplane::marketdata {

struct SyntheticInstrument {
  InstrumentIndex instrument = 0;
  Price start_bid;               // positive, a multiple of tick_size
  Price tick_size;               // > 0
  Quantity lot_size;             // > 0
  int64_t max_spread_ticks = 3;  // >= 1
  int64_t max_step_ticks = 1;    // >= 0
  int64_t max_lots = 10;         // >= 1
};

struct SyntheticFeedOptions {
  std::vector<SyntheticInstrument> instruments;  // at least one
  double events_per_second = 1000;               // > 0, all instruments together
  double trade_fraction = 0.2;                   // in [0, 1]: share of events that are trades
  Timestamp start_time;                          // events come after it
};

struct SyntheticEvent {
  enum class Kind : uint8_t { kQuote, kTrade };
  Kind kind = Kind::kQuote;
  Quote quote;  // kQuote
  Trade trade;  // kTrade
  Timestamp time() const {
    return kind == Kind::kQuote ? quote.exchange_time : trade.exchange_time;
  }
};

class SyntheticFeed {
 public:
  // `random` must outlive the feed.
  static absl::StatusOr<SyntheticFeed> Create(SyntheticFeedOptions options, RandomSource& random);

  // The next event; its exchange and receive times are equal. Allocation-free.
  SyntheticEvent Next();

  Timestamp now() const { return now_; }
  // The current quote of instrument slot `i` (its order in the options).
  const Quote& quote(size_t i) const { return states_[i].quote; }

 private:
  struct State {
    SyntheticInstrument spec;
    int64_t bid_ticks = 0;
    Quote quote;
  };
  SyntheticFeed(SyntheticFeedOptions options, RandomSource& random);
  double Uniform01();
  int64_t UniformInt(int64_t low, int64_t high);  // inclusive
  void MoveQuote(State& state);

  SyntheticFeedOptions options_;
  RandomSource* random_;
  std::vector<State> states_;
  Timestamp now_;
  uint64_t next_trade_id_ = 1;
};

}  // namespace tradeplane::marketdata

#endif  // TRADEPLANE_MARKETDATA_SYNTHETIC_FEED_H_
