// The md.quote messages of the bus benchmarks, made the way the market-data
// service makes them: one mdv1::Quote reused for every event, every field set
// again, published on the instrument's quote topic.
#ifndef TRADEPLANE_BENCH_BUS_BENCH_QUOTE_H_
#define TRADEPLANE_BENCH_BUS_BENCH_QUOTE_H_

#include <cstdint>
#include <string>

#include "tradeplane/core/instrument.h"
#include "tradeplane/marketdata/v1/marketdata.pb.h"

namespace tradeplane::bench {

class BenchQuotes {
 public:
  BenchQuotes();  // BINANCE BTCUSDT

  // "md.quote.<venue>.BTCUSDT", as bus::InstrumentTopic makes it.
  const std::string& topic() const { return topic_; }

  // Fills the reused quote for event `i` (prices move by a tick, times by
  // 1 us) and returns it; allocates nothing after the first call.
  const marketdata::v1::Quote& Fill(int64_t i);
  // The exchange time of the last Fill, the event time market-data publishes with.
  int64_t exchange_time_ns() const { return quote_.exchange_time_ns(); }

 private:
  InstrumentId instrument_;
  std::string topic_;
  marketdata::v1::Quote quote_;
};

}  // namespace tradeplane::bench

#endif  // TRADEPLANE_BENCH_BUS_BENCH_QUOTE_H_
