// Strategies on their hot path: once warmed up, an event that decides
// nothing allocates nothing (the rule for every event path after warm-up).
#include <catch2/catch.hpp>

#include "tradeplane/strategy/mean_reversion_strategy.h"
#include "tradeplane/strategy/quoting_strategy.h"
#include "tradeplane/strategy/trend_strategy.h"
#include "tradeplane/testing/allocation_counter.h"

#include "strategy_fixtures.h"

namespace tradeplane::strategy {
namespace {

using testing::Harness;

TEST_CASE("quoting allocates nothing while its quotes rest", "[strategy][hot-path]") {
  for (double allow_short : {0.0, 1.0}) {
    Harness h;
    auto strategy = *QuotingStrategy::Create(
        "strategy-1", {h.amzn},
        *QuotingParams::FromMap({{"max_inventory", 30}, {"allow_short", allow_short}}),
        testing::FixedQty("10"));
    const marketdata::Quote first = testing::QuoteOf(h.amzn, "3355.00", "3355.20", h.clock.Now());
    marketdata::Quote nudged = testing::QuoteOf(h.amzn, "3355.01", "3355.21", h.clock.Now());
    strategy->OnQuote(first, *h.ctx);
    REQUIRE_FALSE(h.ctx->intents().empty());
    strategy->OnQuote(nudged, *h.ctx);  // the note buffers reach their size
    tradeplane::testing::CountAllocations counter;
    for (int i = 0; i < 200; ++i) strategy->OnQuote(i % 2 == 0 ? first : nudged, *h.ctx);
    CHECK(counter.count() == 0);
    CHECK(h.ctx->intents().empty());
    // Without shorts, each of those quotes said why there is no ask.
    CHECK(h.ctx->no_actions().size() == (allow_short == 0 ? 1u : 0u));
  }
}

TEST_CASE("mean reversion allocates nothing on real quotes that decide nothing",
          "[strategy][hot-path]") {
  Harness h;
  auto strategy = *MeanReversionStrategy::Create(
      "strategy-1", {h.aapl},
      *MeanReversionParams::FromMap({{"window", 50}, {"sample_ms", 100}, {"allow_short", 1}}),
      testing::FixedQty("100"));
  const auto quotes = testing::LoadAaplQuotes();
  std::vector<marketdata::Quote> events;
  for (const auto& q : quotes) events.push_back(testing::ToQuote(q, h.aapl));
  for (size_t i = 0; i < 300; ++i) {  // the warm-up: 50 samples, 100 ms apart
    h.clock.Set(events[i].exchange_time);
    strategy->OnQuote(events[i], *h.ctx);
  }
  tradeplane::testing::CountAllocations counter;
  for (size_t i = 300; i < 480; ++i) {  // the first entry comes at quote 483
    h.clock.Set(events[i].exchange_time);
    strategy->OnQuote(events[i], *h.ctx);
  }
  CHECK(counter.count() == 0);
  CHECK(h.ctx->intents().empty());
}

TEST_CASE("trend allocates nothing on real bars without a crossover", "[strategy][hot-path]") {
  Harness h;
  auto strategy =
      *TrendStrategy::Create("strategy-1", {h.amzn}, *TrendParams::FromMap({{"bar_seconds", 10}}),
                             testing::FixedQty("10"));
  std::vector<marketdata::Bar> bars;
  for (const auto& b : testing::LoadLobsterBars(10)) bars.push_back(testing::ToBar(b, h.amzn, 10));
  for (size_t i = 0; i < 30; ++i) strategy->OnBar(bars[i], *h.ctx);
  tradeplane::testing::CountAllocations counter;
  for (size_t i = 30; i < 100; ++i) strategy->OnBar(bars[i], *h.ctx);  // the entry is at 100
  CHECK(counter.count() == 0);
  CHECK(h.ctx->intents().empty());
}

}  // namespace
}  // namespace tradeplane::strategy
