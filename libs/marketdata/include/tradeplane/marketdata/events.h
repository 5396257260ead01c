// Market events as the pure libraries see them: fixed-point, no strings, the
// instrument by its InstrumentTable index. The market-data service maps them
// to and from the contract messages (proto/tradeplane/marketdata/v1).
#ifndef TRADEPLANE_MARKETDATA_EVENTS_H_
#define TRADEPLANE_MARKETDATA_EVENTS_H_

#include <cstdint>
#include <span>

#include "tradeplane/core/fixed_point.h"
#include "tradeplane/core/instrument.h"
#include "tradeplane/core/timestamp.h"

namespace tradeplane::marketdata {

// Top of book.
struct Quote {
  InstrumentIndex instrument = 0;
  Price bid_price;
  Quantity bid_qty;
  Price ask_price;
  Quantity ask_qty;
  Timestamp exchange_time;
  Timestamp receive_time;
};

// One public trade.
struct Trade {
  InstrumentIndex instrument = 0;
  Price price;
  Quantity qty;
  Side aggressor = common::v1::SIDE_UNSPECIFIED;
  uint64_t trade_id = 0;  // the venue's, where numeric; else a running count
  Timestamp exchange_time;
  Timestamp receive_time;
  // Market participant id where the feed has one (LOBSTER mpid), packed into
  // 8 bytes so the event stays allocation-free; all zero when unknown.
  char participant[8] = {};
};

struct BookLevel {
  Price price;
  Quantity qty;
};

// A read-only view of the best levels of a book (best first on each side).
struct BookView {
  InstrumentIndex instrument = 0;
  std::span<const BookLevel> bids;
  std::span<const BookLevel> asks;
  uint64_t sequence = 0;
  Timestamp exchange_time;
};

// A time bar built from trades.
struct Bar {
  InstrumentIndex instrument = 0;
  Duration interval{0};
  Timestamp open_time;  // inclusive start of the interval
  Price open;
  Price high;
  Price low;
  Price close;
  Quantity volume;
  Price vwap;
  uint64_t trade_count = 0;
};

}  // namespace tradeplane::marketdata

#endif  // TRADEPLANE_MARKETDATA_EVENTS_H_
