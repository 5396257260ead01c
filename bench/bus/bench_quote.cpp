#include "bench_quote.h"

#include "tradeplane/bus/topic.h"

namespace tradeplane::bench {
namespace {

// Fixed-point raw values (1e-9 scale): BTCUSDT around 67,000.00, 0.01 tick.
constexpr int64_t kBidRaw = 67'000'000'000'000;
constexpr int64_t kTickRaw = 10'000'000;
constexpr int64_t kQtyRaw = 512'000'000;  // 0.512
constexpr int64_t kFirstExchangeTimeNs = 1'718'000'000'000'000'000;
constexpr int64_t kFeedDelayNs = 150'000;

}  // namespace

BenchQuotes::BenchQuotes() : instrument_{common::v1::VENUE_BINANCE, "BTCUSDT"} {
  common::v1::InstrumentId id;
  instrument_.ToProto(&id);
  topic_ = bus::InstrumentTopic("md", "quote", id);
}

const marketdata::v1::Quote& BenchQuotes::Fill(int64_t i) {
  // As MarketDataService::OnQuote does.
  int64_t bid = kBidRaw + (i % 64) * kTickRaw;
  int64_t exchange_time_ns = kFirstExchangeTimeNs + i * 1'000;
  instrument_.ToProto(quote_.mutable_instrument());
  quote_.set_bid_price(bid);
  quote_.set_bid_qty(kQtyRaw + (i % 7) * 1'000'000);
  quote_.set_ask_price(bid + kTickRaw);
  quote_.set_ask_qty(kQtyRaw + (i % 5) * 1'000'000);
  quote_.set_exchange_time_ns(exchange_time_ns);
  quote_.set_receive_time_ns(exchange_time_ns + kFeedDelayNs);
  return quote_;
}

}  // namespace tradeplane::bench
