#include "tradeplane/strategy/mean_reversion_strategy.h"

#include <catch2/catch.hpp>

#include "tradeplane/strategy/z_score.h"

#include "absl/strings/str_format.h"
#include "strategy_fixtures.h"

namespace tradeplane::strategy {
namespace {

using testing::Harness;
using testing::Px;
using testing::Qty;

std::unique_ptr<MeanReversionStrategy> MakeMeanReversion(std::map<std::string, double> params,
                                                         InstrumentIndex instrument) {
  absl::StatusOr<MeanReversionParams> p = MeanReversionParams::FromMap(params);
  REQUIRE(p.ok());
  auto made =
      MeanReversionStrategy::Create("strategy-1", {instrument}, *p, testing::FixedQty("100"));
  REQUIRE(made.ok());
  return *std::move(made);
}

Fill FillAll(const OrderIntent& intent, Timestamp time) {
  Fill fill;
  fill.fill_id = "fill-" + intent.client_order_id;
  fill.client_order_id = intent.client_order_id;
  fill.strategy_id = intent.strategy_id;
  fill.instrument = intent.instrument;
  fill.side = intent.side;
  fill.price = intent.price;
  fill.qty = intent.qty;
  fill.time = time;
  return fill;
}

TEST_CASE("mean reversion: AAPL's real quotes trade both ways and respect the holding time",
          "[strategy][mean-reversion]") {
  Harness h;
  auto strategy = MakeMeanReversion({{"window", 50},
                                     {"sample_ms", 100},
                                     {"entry_z", 2},
                                     {"exit_z", 0.5},
                                     {"max_holding_s", 10},
                                     {"allow_short", 1}},
                                    h.aapl);
  const auto quotes = testing::LoadAaplQuotes();
  REQUIRE(quotes.size() == 999);
  struct Seen {
    size_t quote;
    OrderIntent intent;
  };
  std::vector<Seen> seen;
  // The same sampling, computed here: a mid every 100 ms into a z-score(50).
  ZScore z = *ZScore::Create(50);
  Timestamp last_sample;
  std::string first_entry_stats;
  for (size_t i = 0; i < quotes.size(); ++i) {
    h.clock.Set(quotes[i].time);
    if (i == 0 || quotes[i].time - last_sample >= std::chrono::milliseconds(100)) {
      last_sample = quotes[i].time;
      z.Update((quotes[i].bid.ToDouble() + quotes[i].ask.ToDouble()) / 2);
    }
    strategy->OnQuote(testing::ToQuote(quotes[i], h.aapl), *h.ctx);
    const std::vector<OrderIntent> intents(h.ctx->intents().begin(), h.ctx->intents().end());
    for (const OrderIntent& intent : intents) {
      if (seen.empty()) {
        first_entry_stats = absl::StrFormat(
            "z-score(50) of mid %.2f (mid %.3f, mean %.3f, sd %.3f) <= -2.00: below the mean",
            z.value(), (quotes[i].bid.ToDouble() + quotes[i].ask.ToDouble()) / 2, z.mean(),
            z.standard_deviation());
      }
      seen.push_back({i, intent});
      strategy->OnFill(FillAll(intent, quotes[i].time), *h.ctx);  // IOC at the touch: filled
    }
  }
  REQUIRE(seen.size() == 6);
  // Long on a dip, out near the mean; short on a spike, out after 10 s; long again, out.
  const std::vector<size_t> at = {483, 516, 619, 813, 849, 978};
  const std::vector<Side> sides = {common::v1::SIDE_BUY,  common::v1::SIDE_SELL,
                                   common::v1::SIDE_SELL, common::v1::SIDE_BUY,
                                   common::v1::SIDE_BUY,  common::v1::SIDE_SELL};
  const std::vector<bool> exits = {false, true, false, true, false, true};
  for (size_t k = 0; k < seen.size(); ++k) {
    INFO(seen[k].intent.reason);
    CHECK(seen[k].quote == at[k]);
    CHECK(seen[k].intent.side == sides[k]);
    CHECK(seen[k].intent.reduce_only == exits[k]);
    CHECK(seen[k].intent.type == orders::v1::ORDER_TYPE_LIMIT);
    CHECK(seen[k].intent.time_in_force == orders::v1::TIME_IN_FORCE_IOC);
    CHECK(seen[k].intent.qty == Qty("100"));
    // At the touch: buys pay the ask, sells take the bid.
    const testing::RealQuote& q = quotes[at[k]];
    CHECK(seen[k].intent.price == (sides[k] == common::v1::SIDE_BUY ? q.ask : q.bid));
  }
  CHECK(seen[0].intent.reason ==
        first_entry_stats +
            "; buy 100 at the ask 585.50 (IOC); exit once z >= -0.50 or after 10 s (size: "
            "fixed quantity 100 -> 100)");
  CHECK_THAT(seen[3].intent.reason,
             Catch::StartsWith("position -100 held 10.065 s since its first fill (max 10 s); "
                               "buy 100 at the ask 585.73 (IOC) to close the short"));
  CHECK(h.ctx->position(h.aapl).is_zero());
}

// Four mids at 100.00 then one at 99.90: mean 99.98, sd 0.04, z = -2.
struct Scenario {
  Harness h;
  std::unique_ptr<MeanReversionStrategy> strategy = MakeMeanReversion(
      {{"window", 5}, {"sample_ms", 0}, {"entry_z", 1.5}, {"max_holding_s", 60}}, h.amzn);

  void Quote(const char* bid, const char* ask, Duration age = Duration(0)) {
    strategy->OnQuote(testing::QuoteOf(h.amzn, bid, ask, h.clock.Now() - age), *h.ctx);
  }
  void Enter() {
    for (int i = 0; i < 4; ++i) Quote("99.99", "100.01");
    Quote("99.89", "99.91");
    REQUIRE(h.ctx->intents().size() == 1);
    const OrderIntent entry = h.ctx->intents()[0];
    strategy->OnFill(FillAll(entry, h.clock.Now()), *h.ctx);
    REQUIRE(h.ctx->position(h.amzn) == Qty("100"));
  }
};

TEST_CASE("mean reversion: buys two standard deviations down and sells back at the mean",
          "[strategy][mean-reversion]") {
  Scenario s;
  for (int i = 0; i < 4; ++i) {
    s.Quote("99.99", "100.01");
    REQUIRE(s.h.ctx->no_actions().size() == 1);
    CHECK(s.h.ctx->no_actions()[0].reason == "warming up: z-score(5) needs 5 samples");
  }
  s.Quote("99.89", "99.91");
  REQUIRE(s.h.ctx->intents().size() == 1);
  const OrderIntent entry = s.h.ctx->intents()[0];
  CHECK(entry.reason ==
        "z-score(5) of mid -2.00 (mid 99.900, mean 99.980, sd 0.040) <= -1.50: below the mean; "
        "buy 100 at the ask 99.91 (IOC); exit once z >= -0.50 or after 60 s (size: fixed "
        "quantity 100 -> 100)");
  s.strategy->OnFill(FillAll(entry, s.h.clock.Now()), *s.h.ctx);
  s.Quote("99.95", "99.97");  // z = (99.96 - 99.972) / 0.039 = -0.31: near the mean
  REQUIRE(s.h.ctx->intents().size() == 1);
  const OrderIntent exit = s.h.ctx->intents()[0];
  CHECK(exit.side == common::v1::SIDE_SELL);
  CHECK(exit.reduce_only);
  CHECK(exit.price == Px("99.95"));
  CHECK_THAT(exit.reason, Catch::Contains(">= -0.50: back near the mean; sell 100 at the bid "
                                          "99.95 (IOC) to close the long"));
}

TEST_CASE("mean reversion: stale, crossed or one-sided quotes are not sampled",
          "[strategy][mean-reversion]") {
  Scenario s;
  s.Quote("99.99", "100.01", std::chrono::seconds(3));
  REQUIRE(s.h.ctx->no_actions().size() == 1);
  CHECK_THAT(s.h.ctx->no_actions()[0].reason,
             Catch::StartsWith("stale market data: 3.000 s old at 2021-04-12T09:30:00"));
  CHECK_THAT(s.h.ctx->no_actions()[0].reason, Catch::EndsWith("(max 2.000 s); not sampled"));
  s.Quote("100.02", "100.01");
  CHECK(s.h.ctx->no_actions()[0].reason == "crossed book: bid 100.02 >= ask 100.01; not sampled");
  s.Quote("100.01", "100.01");
  CHECK_THAT(s.h.ctx->no_actions()[0].reason, Catch::StartsWith("locked book"));
  marketdata::BookView book;
  book.instrument = s.h.amzn;
  const marketdata::BookLevel bids[] = {{Px("99.99"), Qty("5")}};
  book.bids = bids;
  book.exchange_time = s.h.clock.Now();
  s.strategy->OnBook(book, *s.h.ctx);
  CHECK_THAT(s.h.ctx->no_actions()[0].reason, Catch::StartsWith("no usable ask"));
  // None of these counted: the warm-up still needs five samples.
  for (int i = 0; i < 4; ++i) s.Quote("99.99", "100.01");
  CHECK(s.h.ctx->no_actions()[0].reason == "warming up: z-score(5) needs 5 samples");
}

TEST_CASE("mean reversion: a position held too long is closed on the timer",
          "[strategy][mean-reversion]") {
  Scenario s;
  s.Enter();
  s.h.clock.Advance(std::chrono::seconds(30));
  s.strategy->OnTimer(s.h.clock.Now(), *s.h.ctx);
  CHECK(s.h.ctx->intents().empty());  // 30 s < 60 s
  s.h.clock.Advance(std::chrono::seconds(30));
  // The last quote is 60 s old: too stale to price the exit.
  s.strategy->OnTimer(s.h.clock.Now(), *s.h.ctx);
  CHECK(s.h.ctx->intents().empty());
  REQUIRE(s.h.ctx->no_actions().size() == 1);
  CHECK_THAT(s.h.ctx->no_actions()[0].reason,
             Catch::Contains("position 100 held 60.000 s since its first fill (max 60 s); cannot "
                             "price the exit: stale market data"));
  // A fresh quote far from the mean still closes it: time is up.
  s.Quote("99.80", "99.82");
  REQUIRE(s.h.ctx->intents().size() == 1);
  CHECK(s.h.ctx->intents()[0].side == common::v1::SIDE_SELL);
  CHECK(s.h.ctx->intents()[0].price == Px("99.80"));
  CHECK_THAT(s.h.ctx->intents()[0].reason, Catch::StartsWith("position 100 held 60.000 s"));
}

TEST_CASE("mean reversion: parameters are validated by name", "[strategy][mean-reversion]") {
  CHECK_THAT(std::string(MeanReversionParams::FromMap({{"exit_z", 2}}).status().message()),
             Catch::Equals("mean_reversion strategy: parameter 'exit_z' (2) must be below "
                           "'entry_z' (2)"));
  CHECK_THAT(std::string(MeanReversionParams::FromMap({{"window", 1}}).status().message()),
             Catch::Contains("parameter 'window' = 1 is out of range [2, 100000]"));
  CHECK_THAT(std::string(MeanReversionParams::FromMap({{"lookback", 10}}).status().message()),
             Catch::Contains("unknown parameter 'lookback'"));
  CHECK(MeanReversionParams::FromMap({{"window", 20}, {"entry_z", 2.5}})->window == 20);
}

}  // namespace
}  // namespace tradeplane::strategy
