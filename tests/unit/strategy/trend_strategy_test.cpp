#include "tradeplane/strategy/trend_strategy.h"

#include <cmath>

#include <catch2/catch.hpp>

#include "tradeplane/strategy/atr.h"
#include "tradeplane/strategy/ema.h"

#include "absl/strings/str_format.h"
#include "strategy_fixtures.h"

namespace tradeplane::strategy {
namespace {

using testing::Harness;
using testing::Px;
using testing::Qty;

std::unique_ptr<TrendStrategy> MakeTrend(const Harness& h, std::map<std::string, double> params,
                                         const char* qty = "10") {
  absl::StatusOr<TrendParams> p = TrendParams::FromMap(params);
  REQUIRE(p.ok());
  auto made = TrendStrategy::Create("trend-1", {h.amzn}, *p, testing::FixedQty(qty));
  REQUIRE(made.ok());
  return *std::move(made);
}

// What a run over bars decided, bar by bar.
struct Decision {
  size_t bar;
  OrderIntent intent;
};

// Feeds the bars at their close times; every intent fills at once at the
// bar's close (a market order in a liquid stock).
std::vector<Decision> RunBars(Harness& h, TrendStrategy& strategy,
                              const std::vector<testing::TestBar>& bars, int interval_s,
                              std::vector<std::string>* notes = nullptr) {
  std::vector<Decision> decisions;
  for (size_t i = 0; i < bars.size(); ++i) {
    const marketdata::Bar bar = testing::ToBar(bars[i], h.amzn, interval_s);
    h.clock.Set(bar.open_time + bar.interval);
    strategy.OnBar(bar, *h.ctx);
    if (notes != nullptr) {
      for (const NoActionNote& note : h.ctx->no_actions()) notes->push_back(note.reason);
    }
    const std::vector<OrderIntent> intents(h.ctx->intents().begin(), h.ctx->intents().end());
    for (const OrderIntent& intent : intents) {
      decisions.push_back({i, intent});
      Fill fill;
      fill.fill_id = "fill-" + std::to_string(i);
      fill.client_order_id = intent.client_order_id;
      fill.strategy_id = intent.strategy_id;
      fill.instrument = intent.instrument;
      fill.side = intent.side;
      fill.price = bar.close;
      fill.qty = intent.qty;
      fill.time = h.clock.Now();
      strategy.OnFill(fill, *h.ctx);
    }
  }
  return decisions;
}

std::string TwoDecimals(double value) { return absl::StrFormat("%.2f", value); }

TEST_CASE("trend: EMA crossovers on real bars enter and exit with readable reasons",
          "[strategy][trend]") {
  Harness h;
  auto strategy = MakeTrend(h, {{"bar_seconds", 10}});
  const auto bars = testing::LoadLobsterBars(10);
  std::vector<std::string> notes;
  const std::vector<Decision> decisions = RunBars(h, *strategy, bars, 10, &notes);

  // EMA(26) is ready at the 26th bar: the 25 before only say they warm up.
  REQUIRE(notes.size() >= 25);
  CHECK(notes[0] == "warming up: EMA(26) has 1 of 26 bars, ATR(14) needs 15 bars");
  CHECK(notes[24] == "warming up: EMA(26) has 25 of 26 bars, ATR(14) needs 15 bars");

  // AMZN rose through bar 100, fell back through the stop at bar 104, and
  // turned up again at bar 161.
  REQUIRE(decisions.size() == 3);
  const OrderIntent& entry = decisions[0].intent;
  CHECK(decisions[0].bar == 100);
  CHECK(entry.side == common::v1::SIDE_BUY);
  CHECK(entry.type == orders::v1::ORDER_TYPE_MARKET);
  CHECK(entry.time_in_force == orders::v1::TIME_IN_FORCE_IOC);
  CHECK(entry.qty == Qty("10"));
  CHECK_FALSE(entry.reduce_only);
  CHECK(entry.client_order_id.size() == 36);
  CHECK(entry.strategy_id == "strategy-1");

  // The reason's numbers, recomputed from the same bars: EMA(12), EMA(26),
  // ATR(14) at bar 100; stop close - 2 ATR rounded down to the tick,
  // take-profit close + 3 ATR rounded up.
  Ema fast = *Ema::Create(12);
  Ema slow = *Ema::Create(26);
  Atr atr = *Atr::Create(14);
  for (size_t i = 0; i <= 100; ++i) {
    fast.Update(bars[i].close);
    slow.Update(bars[i].close);
    atr.Update(Ohlcv{bars[i].open, bars[i].high, bars[i].low, bars[i].close, bars[i].volume});
  }
  const double close = bars[100].close;
  const double stop = std::floor((close - 2 * atr.value()) * 100) / 100;
  const double take_profit = std::ceil((close + 3 * atr.value()) * 100) / 100;
  CHECK(entry.reason == "EMA(12) " + TwoDecimals(fast.value()) + " crossed above EMA(26) " +
                            TwoDecimals(slow.value()) + "; ATR(14) " + TwoDecimals(atr.value()) +
                            "; stop " + TwoDecimals(stop) + ", take-profit " +
                            TwoDecimals(take_profit) +
                            "; buy 10 at market (size: fixed quantity 10 -> 10)");

  const OrderIntent& exit = decisions[1].intent;
  CHECK(decisions[1].bar == 104);
  CHECK(exit.side == common::v1::SIDE_SELL);
  CHECK(exit.reduce_only);
  CHECK(exit.qty == Qty("10"));
  CHECK(exit.reason == "close " + TwoDecimals(bars[104].close) + " at or below the stop " +
                           TwoDecimals(stop) + "; sell 10 at market to close the long");
  CHECK(decisions[2].bar == 161);
  CHECK(decisions[2].intent.side == common::v1::SIDE_BUY);
  CHECK(h.ctx->position(h.amzn) == Qty("10"));
}

TEST_CASE("trend: the same bars, clock and seed give the same intents", "[strategy][trend]") {
  const auto bars = testing::LoadLobsterBars(10);
  Harness a(3);
  Harness b(3);
  auto sa = MakeTrend(a, {{"bar_seconds", 10}, {"allow_short", 1}});
  auto sb = MakeTrend(b, {{"bar_seconds", 10}, {"allow_short", 1}});
  const std::vector<Decision> da = RunBars(a, *sa, bars, 10);
  const std::vector<Decision> db = RunBars(b, *sb, bars, 10);
  REQUIRE(da.size() == db.size());
  REQUIRE(da.size() > 3);
  for (size_t i = 0; i < da.size(); ++i) {
    CHECK(da[i].bar == db[i].bar);
    CHECK(da[i].intent.client_order_id == db[i].intent.client_order_id);
    CHECK(da[i].intent.intent_id == db[i].intent.intent_id);
    CHECK(da[i].intent.reason == db[i].intent.reason);
  }
  // With shorts allowed, downward crossovers while flat open shorts.
  int shorts = 0;
  for (const Decision& d : da) {
    if (d.intent.side == common::v1::SIDE_SELL && !d.intent.reduce_only) {
      ++shorts;
      CHECK_THAT(d.intent.reason, Catch::Contains("crossed below EMA(26)"));
    }
  }
  CHECK(shorts > 0);
}

TEST_CASE("trend: a missing bar restarts the warm-up, a late or bad bar is ignored",
          "[strategy][trend]") {
  Harness h;
  auto strategy = MakeTrend(h, {{"bar_seconds", 60}, {"fast", 3}, {"slow", 5}, {"atr_period", 3}});
  auto bars = testing::LoadLobsterBars(60);
  std::vector<marketdata::Bar> feed;
  for (const auto& b : bars) feed.push_back(testing::ToBar(b, h.amzn, 60));
  for (size_t i = 0; i < 10; ++i) strategy->OnBar(feed[i], *h.ctx);
  CHECK(h.ctx->no_actions().empty());  // warmed up, no crossover on bar 10

  strategy->OnBar(feed[12], *h.ctx);  // bars 11 and 12 (indices 10, 11) never came
  REQUIRE(h.ctx->no_actions().size() == 1);
  CHECK(h.ctx->no_actions()[0].reason ==
        "missing bar: expected one opening at 2021-04-12T09:40:00.000000000Z, got "
        "2021-04-12T09:42:00.000000000Z (2 missing); indicators restarted");
  strategy->OnBar(feed[13], *h.ctx);
  REQUIRE(h.ctx->no_actions().size() == 1);
  CHECK(h.ctx->no_actions()[0].reason == "warming up: EMA(5) has 2 of 5 bars, ATR(3) needs 4 bars");

  strategy->OnBar(feed[13], *h.ctx);
  REQUIRE(h.ctx->no_actions().size() == 1);
  CHECK_THAT(h.ctx->no_actions()[0].reason,
             Catch::Contains("is not after the previous bar at 2021-04-12T09:43:00.000000000Z "
                             "(duplicate or out of order); ignored"));

  marketdata::Bar bad = feed[14];
  bad.high = Px("1");
  strategy->OnBar(bad, *h.ctx);
  REQUIRE(h.ctx->no_actions().size() == 1);
  CHECK_THAT(h.ctx->no_actions()[0].reason, Catch::StartsWith("bad bar at 2021-04-12T09:44:00"));

  marketdata::Bar other_interval = feed[14];
  other_interval.interval = std::chrono::seconds(10);
  strategy->OnBar(other_interval, *h.ctx);
  CHECK(h.ctx->no_actions().empty());  // another bar series: not ours
  CHECK(h.ctx->intents().empty());
}

TEST_CASE("trend: a gap within max_missing_bars keeps the indicators and decides nothing",
          "[strategy][trend]") {
  // The real ten-second series lacks 09:58:00 (no execution in it).
  Harness h;
  auto strategy = MakeTrend(h, {{"bar_seconds", 10}, {"max_missing_bars", 1}});
  const auto bars = testing::LoadLobsterBars(10);
  std::vector<std::string> notes;
  const std::vector<Decision> decisions = RunBars(h, *strategy, bars, 10, &notes);
  // With the indicators kept, the long bought at bar 161 is still managed after the gap.
  REQUIRE(decisions.size() == 4);
  INFO(decisions[3].intent.reason);
  CHECK(decisions[3].bar > 168);
  CHECK(decisions[3].intent.reduce_only);
  REQUIRE_FALSE(notes.empty());
  CHECK(notes.back() ==
        "missing bar: expected one opening at 2021-04-12T09:58:00.000000000Z, got "
        "2021-04-12T09:58:10.000000000Z (1 missing, within max_missing_bars 1); no decision on "
        "this bar");
}

// Runs the real 10-second bars up to the first entry (bar 100) and fills it.
std::unique_ptr<TrendStrategy> LongAfterBar100(Harness& h) {
  auto strategy = MakeTrend(h, {{"bar_seconds", 10}});
  auto bars = testing::LoadLobsterBars(10);
  bars.resize(101);
  const std::vector<Decision> decisions = RunBars(h, *strategy, bars, 10);
  REQUIRE(decisions.size() == 1);
  REQUIRE(h.ctx->position(h.amzn) == Qty("10"));
  return strategy;
}

TEST_CASE("trend: quotes trigger the stop and the take-profit while long", "[strategy][trend]") {
  Harness h;
  auto strategy = LongAfterBar100(h);
  const Timestamp now = h.clock.Now();
  // The entry's reason fixed stop 3379.81 and take-profit 3391.28.
  strategy->OnQuote(testing::QuoteOf(h.amzn, "3385.00", "3385.10", now), *h.ctx);
  CHECK(h.ctx->intents().empty());
  CHECK(h.ctx->no_actions().empty());

  strategy->OnQuote(testing::QuoteOf(h.amzn, "3385.00", "3385.10", now - std::chrono::seconds(10)),
                    *h.ctx);
  CHECK(h.ctx->intents().empty());
  REQUIRE(h.ctx->no_actions().size() == 1);
  CHECK_THAT(h.ctx->no_actions()[0].reason,
             Catch::StartsWith("stop/take-profit not checked: stale market data: 10.000 s old"));

  strategy->OnQuote(testing::QuoteOf(h.amzn, "3385.20", "3385.10", now), *h.ctx);
  CHECK(h.ctx->intents().empty());
  REQUIRE(h.ctx->no_actions().size() == 1);
  CHECK_THAT(h.ctx->no_actions()[0].reason,
             Catch::Contains("crossed book: bid 3385.20 >= ask 3385.10"));

  strategy->OnQuote(testing::QuoteOf(h.amzn, "3379.81", "3379.90", now), *h.ctx);
  REQUIRE(h.ctx->intents().size() == 1);
  const OrderIntent exit = h.ctx->intents()[0];
  CHECK(exit.side == common::v1::SIDE_SELL);
  CHECK(exit.reduce_only);
  CHECK(exit.qty == Qty("10"));
  CHECK(exit.reason ==
        "bid 3379.81 at or below the stop 3379.81; sell 10 at market to close the long");
  // The exit is on its way: a second breach sends nothing more.
  strategy->OnQuote(testing::QuoteOf(h.amzn, "3379.00", "3379.10", now), *h.ctx);
  CHECK(h.ctx->intents().empty());
}

TEST_CASE("trend: a take-profit hit on a quote closes the long", "[strategy][trend]") {
  Harness h;
  auto strategy = LongAfterBar100(h);
  strategy->OnQuote(testing::QuoteOf(h.amzn, "3391.30", "3391.40", h.clock.Now()), *h.ctx);
  REQUIRE(h.ctx->intents().size() == 1);
  CHECK(h.ctx->intents()[0].reason ==
        "bid 3391.30 at or above the take-profit 3391.28; sell 10 at market to close the long");
}

TEST_CASE("trend: a signal waits while the strategy's last order is still open",
          "[strategy][trend]") {
  Harness h;
  auto strategy = MakeTrend(h, {{"bar_seconds", 10}});
  const auto bars = testing::LoadLobsterBars(10);
  std::vector<std::string> notes;
  size_t intents = 0;
  for (size_t i = 0; i < bars.size(); ++i) {  // no fills ever come back
    const marketdata::Bar bar = testing::ToBar(bars[i], h.amzn, 10);
    h.clock.Set(bar.open_time + bar.interval);
    strategy->OnBar(bar, *h.ctx);
    intents += h.ctx->intents().size();
    for (const NoActionNote& note : h.ctx->no_actions()) notes.push_back(note.reason);
  }
  CHECK(intents == 1);
  // The crossover at bar 161 finds the entry of bar 100 still open.
  int waits = 0;
  for (const std::string& note : notes) {
    if (note.find("signal (crossover) but order ") == 0) {
      ++waits;
      CHECK_THAT(note, Catch::EndsWith(" is still open; waiting"));
    }
  }
  CHECK(waits == 1);
  // One ten-second interval (09:58:00) had no execution: its gap restarts the warm-up.
  CHECK_THAT(notes.back(), Catch::StartsWith("warming up: EMA(26) has 11 of 26 bars"));
}

TEST_CASE("trend: parameters are validated by name", "[strategy][trend]") {
  CHECK_THAT(std::string(TrendParams::FromMap({{"fast", 30}}).status().message()),
             Catch::Equals("trend strategy: parameter 'fast' (30) must be below 'slow' (26)"));
  CHECK_THAT(std::string(TrendParams::FromMap({{"fsat", 5}}).status().message()),
             Catch::Contains("trend strategy: unknown parameter 'fsat' (known: allow_short, "
                             "atr_period, bar_seconds, fast, max_missing_bars, slow, stale_ms, "
                             "stop_atr, take_profit_atr, win_probability)"));
  CHECK_THAT(std::string(TrendParams::FromMap({{"stop_atr", 0}}).status().message()),
             Catch::Contains("parameter 'stop_atr' = 0 is out of range (0, 100]"));
  CHECK_THAT(std::string(TrendParams::FromMap({{"slow", 26.5}}).status().message()),
             Catch::Contains("parameter 'slow' = 26.5 must be a whole number"));
  CHECK_THAT(std::string(TrendParams::FromMap({{"allow_short", 2}}).status().message()),
             Catch::Contains("parameter 'allow_short' = 2 must be 0 or 1"));
  const TrendParams p = *TrendParams::FromMap({{"fast", 5}, {"slow", 20}, {"stop_atr", 1.5}});
  CHECK(p.fast == 5);
  CHECK(p.slow == 20);
  CHECK(p.stop_atr == 1.5);
  CHECK(p.take_profit_atr == 3.0);
}

}  // namespace
}  // namespace tradeplane::strategy
