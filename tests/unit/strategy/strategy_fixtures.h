// Instruments, bars and quotes for the strategy tests. Header-only.
#ifndef TRADEPLANE_TESTS_UNIT_STRATEGY_STRATEGY_FIXTURES_H_
#define TRADEPLANE_TESTS_UNIT_STRATEGY_STRATEGY_FIXTURES_H_

#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tradeplane/core/clock.h"
#include "tradeplane/core/ids.h"
#include "tradeplane/core/instrument.h"
#include "tradeplane/marketdata/events.h"
#include "tradeplane/strategy/sizing.h"
#include "tradeplane/strategy/strategy_context.h"

#include "lobster_bars.h"

namespace tradeplane::strategy::testing {

// NASDAQ AMZN: tick 0.01, lot 1 share.
inline InstrumentSpec AmznSpec() {
  marketdata::v1::Instrument p;
  p.mutable_id()->set_venue(common::v1::VENUE_NASDAQ);
  p.mutable_id()->set_symbol("AMZN");
  p.set_tick_size(10'000'000);
  p.set_lot_size(1'000'000'000);
  p.set_min_qty(1'000'000'000);
  absl::StatusOr<InstrumentSpec> spec = InstrumentSpec::FromProto(p);
  REQUIRE(spec.ok());
  return *spec;
}

// NASDAQ AAPL, as AMZN.
inline InstrumentSpec AaplSpec() {
  InstrumentSpec spec = AmznSpec();
  spec.id.symbol = "AAPL";
  return spec;
}

inline Price Px(const char* text) { return *Price::Parse(text); }
inline Quantity Qty(const char* text) { return *Quantity::Parse(text); }

inline SizingPolicy FixedQty(const char* qty) { return *SizingPolicy::FixedQuantity(Qty(qty)); }

// A table, a manual clock, a seeded random source and a context over them.
struct Harness {
  explicit Harness(uint64_t seed = 42) : random(seed) {
    amzn = *table.Add(AmznSpec());
    aapl = *table.Add(AaplSpec());
    ctx = std::make_unique<StrategyContext>("strategy-1", table, clock, random);
  }

  InstrumentTable table;
  InstrumentIndex amzn = 0;
  InstrumentIndex aapl = 0;
  ManualClock clock{Timestamp::FromSeconds(1'618'219'800)};  // 2021-04-12T09:30:00Z
  SeededRandom random;
  std::unique_ptr<StrategyContext> ctx;
};

inline marketdata::Bar ToBar(const TestBar& b, InstrumentIndex instrument, int interval_s) {
  marketdata::Bar bar;
  bar.instrument = instrument;
  bar.interval = std::chrono::seconds(interval_s);
  bar.open_time = Timestamp::FromNanos(b.open_ns);
  bar.open = *Price::FromDouble(b.open, Rounding::kHalfEven);
  bar.high = *Price::FromDouble(b.high, Rounding::kHalfEven);
  bar.low = *Price::FromDouble(b.low, Rounding::kHalfEven);
  bar.close = *Price::FromDouble(b.close, Rounding::kHalfEven);
  bar.volume = *Quantity::FromDouble(b.volume, Rounding::kHalfEven);
  bar.trade_count = static_cast<uint64_t>(b.trades);
  return bar;
}

inline marketdata::Quote QuoteOf(InstrumentIndex instrument, const char* bid, const char* ask,
                                 Timestamp time, const char* size = "100") {
  marketdata::Quote q;
  q.instrument = instrument;
  q.bid_price = Px(bid);
  q.ask_price = Px(ask);
  q.bid_qty = Qty(size);
  q.ask_qty = Qty(size);
  q.exchange_time = time;
  q.receive_time = time;
  return q;
}

// A fill of one of the context's open orders (the latest one on `side`).
inline Fill FillOf(const StrategyContext& ctx, InstrumentIndex instrument, Side side,
                   const char* price, const char* qty, Timestamp time) {
  Fill fill;
  fill.fill_id = "fill-" + std::to_string(time.nanos());
  fill.strategy_id = ctx.strategy_id();
  fill.instrument = instrument;
  fill.side = side;
  fill.price = Px(price);
  fill.qty = Qty(qty);
  fill.time = time;
  for (const OpenOrder& order : ctx.open_orders(instrument)) {
    if (order.side == side) fill.client_order_id = order.client_order_id;
  }
  return fill;
}

// AAPL's top of book after each of the first 999 events of 2012-06-21
// (LOBSTER: the message file gives the time, the order book file the levels;
// prices are dollars x 10000).
struct RealQuote {
  Timestamp time;
  Price bid, ask;
  Quantity bid_qty, ask_qty;
};
inline std::vector<RealQuote> LoadAaplQuotes() {
  std::ifstream messages(TRADEPLANE_SOURCE_DIR
                         "/data/lobster/AAPL_2012-06-21_34200000_57600000_message_10.csv");
  std::ifstream book(TRADEPLANE_SOURCE_DIR
                     "/data/lobster/AAPL_2012-06-21_34200000_57600000_orderbook_10.csv");
  const int64_t day_ns = DaysFromCivil(2012, 6, 21) * 86400 * int64_t{1'000'000'000};
  std::vector<RealQuote> quotes;
  std::string message_line, book_line;
  while (std::getline(messages, message_line) && std::getline(book, book_line)) {
    const double seconds = std::strtod(message_line.c_str(), nullptr);
    char* p = book_line.data();
    const long long ask = std::strtoll(p, &p, 10);
    const long long ask_qty = std::strtoll(p + 1, &p, 10);
    const long long bid = std::strtoll(p + 1, &p, 10);
    const long long bid_qty = std::strtoll(p + 1, &p, 10);
    RealQuote q;
    q.time = Timestamp::FromNanos(day_ns + static_cast<int64_t>(seconds * 1e9 + 0.5));
    q.ask = Price::FromRaw(ask * 100'000);  // x 1e-4 dollars -> 1e-9 units
    q.bid = Price::FromRaw(bid * 100'000);
    q.ask_qty = *Quantity::FromUnits(ask_qty);
    q.bid_qty = *Quantity::FromUnits(bid_qty);
    quotes.push_back(q);
  }
  return quotes;
}

inline marketdata::Quote ToQuote(const RealQuote& r, InstrumentIndex instrument) {
  marketdata::Quote q;
  q.instrument = instrument;
  q.bid_price = r.bid;
  q.ask_price = r.ask;
  q.bid_qty = r.bid_qty;
  q.ask_qty = r.ask_qty;
  q.exchange_time = r.time;
  q.receive_time = r.time;
  return q;
}

}  // namespace tradeplane::strategy::testing

#endif  // TRADEPLANE_TESTS_UNIT_STRATEGY_STRATEGY_FIXTURES_H_
