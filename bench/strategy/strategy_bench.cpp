// Nanoseconds per quote through each built-in strategy (and per bar for the
// trend strategy, which decides on bars). Quotes walk near AMZN's level;
// intents are answered as a venue would: IOC and market orders fill at once,
// cancels are confirmed, so the strategies keep deciding.
#include <memory>
#include <vector>

#include <benchmark/benchmark.h>

#include "tradeplane/core/clock.h"
#include "tradeplane/core/ids.h"
#include "tradeplane/strategy/mean_reversion_strategy.h"
#include "tradeplane/strategy/quoting_strategy.h"
#include "tradeplane/strategy/trend_strategy.h"

namespace tradeplane::strategy {
namespace {

constexpr size_t kQuotes = 4096;

InstrumentSpec Amzn() {
  marketdata::v1::Instrument p;
  p.mutable_id()->set_venue(common::v1::VENUE_NASDAQ);
  p.mutable_id()->set_symbol("AMZN");
  p.set_tick_size(10'000'000);
  p.set_lot_size(1'000'000'000);
  return *InstrumentSpec::FromProto(p);
}

// Mid walks in cent steps, spread one to three cents, one quote every 50 ms.
std::vector<marketdata::Quote> Quotes(InstrumentIndex instrument, Timestamp start) {
  SeededRandom random(5);
  std::vector<marketdata::Quote> quotes;
  int64_t mid_cents = 335'500;
  for (size_t i = 0; i < kQuotes; ++i) {
    mid_cents += static_cast<int64_t>(random.Next() % 5) - 2;
    const int64_t half_spread = 1 + static_cast<int64_t>(random.Next() % 2);
    marketdata::Quote q;
    q.instrument = instrument;
    q.bid_price = Price::FromRaw((mid_cents - half_spread) * 10'000'000);
    q.ask_price = Price::FromRaw((mid_cents + half_spread) * 10'000'000);
    q.bid_qty = *Quantity::FromUnits(100);
    q.ask_qty = *Quantity::FromUnits(100);
    q.exchange_time = start + std::chrono::milliseconds(50 * static_cast<int64_t>(i));
    q.receive_time = q.exchange_time;
    quotes.push_back(q);
  }
  return quotes;
}

struct Bench {
  Bench() {
    instrument = *table.Add(Amzn());
    ctx = std::make_unique<StrategyContext>("bench", table, clock, random);
    quotes = Quotes(instrument, clock.Now());
  }

  // Plays the venue: fills what would fill at once, confirms cancels.
  void Answer(Strategy& strategy) {
    if (ctx->intents().empty()) return;
    const std::vector<OrderIntent> intents(ctx->intents().begin(), ctx->intents().end());
    for (const OrderIntent& intent : intents) {
      if (intent.is_cancel()) {
        ctx->OrderDone(intent.cancel_client_order_id);
      } else if (intent.time_in_force == orders::v1::TIME_IN_FORCE_IOC) {
        Fill fill;
        fill.fill_id = intent.client_order_id;
        fill.client_order_id = intent.client_order_id;
        fill.instrument = intent.instrument;
        fill.side = intent.side;
        fill.price = intent.price;
        fill.qty = intent.qty;
        fill.time = clock.Now();
        strategy.OnFill(fill, *ctx);
      }
    }
  }

  void RunQuotes(benchmark::State& state, Strategy& strategy) {
    size_t i = 0;
    int64_t intents = 0;
    const Duration lap =
        quotes.back().exchange_time - quotes.front().exchange_time + std::chrono::milliseconds(50);
    Duration shift{0};
    for (auto _ : state) {
      marketdata::Quote q = quotes[i & (kQuotes - 1)];
      if (++i % kQuotes == 0) shift += lap;  // keep time moving forward across laps
      q.exchange_time = q.exchange_time + shift;
      q.receive_time = q.exchange_time;
      clock.Set(q.exchange_time);
      strategy.OnQuote(q, *ctx);
      intents += static_cast<int64_t>(ctx->intents().size());
      Answer(strategy);
    }
    state.counters["intents_per_quote"] =
        benchmark::Counter(static_cast<double>(intents) / static_cast<double>(i));
  }

  InstrumentTable table;
  InstrumentIndex instrument = 0;
  ManualClock clock{Timestamp::FromSeconds(1'618'219'800)};
  SeededRandom random{9};
  std::unique_ptr<StrategyContext> ctx;
  std::vector<marketdata::Quote> quotes;
};

void BM_MeanReversionPerQuote(benchmark::State& state) {
  Bench b;
  auto strategy = *MeanReversionStrategy::Create(
      "bench", {b.instrument},
      *MeanReversionParams::FromMap({{"window", 60}, {"sample_ms", 0}, {"allow_short", 1}}),
      *SizingPolicy::FixedQuantity(*Quantity::FromUnits(10)));
  b.RunQuotes(state, *strategy);
}

void BM_QuotingPerQuote(benchmark::State& state) {
  Bench b;
  auto strategy = *QuotingStrategy::Create(
      "bench", {b.instrument},
      *QuotingParams::FromMap({{"max_inventory", 100}, {"allow_short", 1}}),
      *SizingPolicy::FixedQuantity(*Quantity::FromUnits(10)));
  b.RunQuotes(state, *strategy);
}

void BM_TrendPerQuote(benchmark::State& state) {
  Bench b;
  auto strategy = *TrendStrategy::Create("bench", {b.instrument}, *TrendParams::FromMap({}),
                                         *SizingPolicy::FixedQuantity(*Quantity::FromUnits(10)));
  b.RunQuotes(state, *strategy);
}

void BM_TrendPerBar(benchmark::State& state) {
  Bench b;
  auto strategy =
      *TrendStrategy::Create("bench", {b.instrument}, *TrendParams::FromMap({{"bar_seconds", 60}}),
                             *SizingPolicy::FixedQuantity(*Quantity::FromUnits(10)));
  size_t i = 0;
  Timestamp open = b.clock.Now();
  for (auto _ : state) {
    const marketdata::Quote& q = b.quotes[i++ & (kQuotes - 1)];
    marketdata::Bar bar;
    bar.instrument = b.instrument;
    bar.interval = std::chrono::seconds(60);
    bar.open_time = open;
    bar.open = q.bid_price;
    bar.high = q.ask_price;
    bar.low = q.bid_price;
    bar.close = q.ask_price;
    bar.volume = q.bid_qty;
    open = open + bar.interval;
    b.clock.Set(open);
    strategy->OnBar(bar, *b.ctx);
    b.Answer(*strategy);
  }
}

BENCHMARK(BM_MeanReversionPerQuote);
BENCHMARK(BM_QuotingPerQuote);
BENCHMARK(BM_TrendPerQuote);
BENCHMARK(BM_TrendPerBar);

}  // namespace
}  // namespace tradeplane::strategy
