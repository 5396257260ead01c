#include "tradeplane/marketdata/synthetic_feed.h"

#include <vector>

#include <catch2/catch.hpp>

#include "book_test_values.h"

namespace tradeplane::marketdata {
namespace {

using testing::Message;
using testing::P;
using testing::Q;

SyntheticFeedOptions TwoInstruments() {
  SyntheticFeedOptions options;
  options.instruments = {{.instrument = 1,
                          .start_bid = P("100.00"),
                          .tick_size = P("0.01"),
                          .lot_size = Q("1"),
                          .max_spread_ticks = 3,
                          .max_step_ticks = 2,
                          .max_lots = 10},
                         {.instrument = 2,
                          .start_bid = P("0.35210"),
                          .tick_size = P("0.00001"),
                          .lot_size = Q("0.1"),
                          .max_spread_ticks = 1,
                          .max_step_ticks = 1,
                          .max_lots = 50}};
  options.events_per_second = 1000;
  options.trade_fraction = 0.25;
  options.start_time = Timestamp::FromSeconds(1'700'000'000);
  return options;
}

std::vector<SyntheticEvent> Run(uint64_t seed, size_t n) {
  SeededRandom random(seed);
  absl::StatusOr<SyntheticFeed> feed = SyntheticFeed::Create(TwoInstruments(), random);
  REQUIRE(feed.ok());
  std::vector<SyntheticEvent> events;
  for (size_t i = 0; i < n; ++i) events.push_back(feed->Next());
  return events;
}

bool Same(const SyntheticEvent& a, const SyntheticEvent& b) {
  if (a.kind != b.kind || a.time() != b.time()) return false;
  if (a.kind == SyntheticEvent::Kind::kQuote) {
    return a.quote.instrument == b.quote.instrument && a.quote.bid_price == b.quote.bid_price &&
           a.quote.ask_price == b.quote.ask_price && a.quote.bid_qty == b.quote.bid_qty &&
           a.quote.ask_qty == b.quote.ask_qty;
  }
  return a.trade.instrument == b.trade.instrument && a.trade.price == b.trade.price &&
         a.trade.qty == b.trade.qty && a.trade.aggressor == b.trade.aggressor;
}

TEST_CASE("the synthetic feed repeats exactly for a seed and differs for another",
          "[marketdata][synthetic]") {
  std::vector<SyntheticEvent> a = Run(42, 2000);
  std::vector<SyntheticEvent> b = Run(42, 2000);
  std::vector<SyntheticEvent> c = Run(43, 2000);
  size_t same_ab = 0;
  size_t same_ac = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    same_ab += Same(a[i], b[i]);
    same_ac += Same(a[i], c[i]);
  }
  CHECK(same_ab == a.size());
  CHECK(same_ac < a.size() / 10);
}

TEST_CASE("synthetic quotes and trades stay on tick and lot, uncrossed, at the quote",
          "[marketdata][synthetic]") {
  SyntheticFeedOptions options = TwoInstruments();
  SeededRandom random(7);
  absl::StatusOr<SyntheticFeed> feed = SyntheticFeed::Create(options, random);
  REQUIRE(feed.ok());
  const size_t n = 20000;
  size_t trades = 0;
  size_t trades_at_quote = 0;
  Timestamp last = options.start_time;
  std::vector<Quote> current(3);
  for (size_t i = 0; i < n; ++i) {
    SyntheticEvent e = feed->Next();
    REQUIRE(e.time() > last);
    last = e.time();
    if (e.kind == SyntheticEvent::Kind::kQuote) {
      const Quote& q = e.quote;
      const SyntheticInstrument& spec = options.instruments[q.instrument - 1];
      CHECK(q.bid_price.IsMultipleOf(spec.tick_size));
      CHECK(q.ask_price.IsMultipleOf(spec.tick_size));
      CHECK(q.bid_qty.IsMultipleOf(spec.lot_size));
      CHECK(q.ask_qty.IsMultipleOf(spec.lot_size));
      CHECK(q.bid_price.is_positive());
      CHECK(q.bid_price < q.ask_price);
      current[q.instrument] = q;
    } else {
      const Trade& t = e.trade;
      const Quote& q = current[t.instrument];
      REQUIRE(q.bid_price.is_positive());  // every trade follows a quote of its instrument
      ++trades;
      bool at_quote =
          t.aggressor == common::v1::SIDE_BUY ? t.price == q.ask_price : t.price == q.bid_price;
      trades_at_quote += at_quote;
      CHECK(t.qty.is_positive());
      CHECK(t.trade_id == trades);
    }
  }
  CHECK(trades_at_quote == trades);
  // A quarter of the events are trades, within a few standard deviations.
  CHECK(trades > n * 22 / 100);
  CHECK(trades < n * 28 / 100);
  // 1000 events per second: 20000 events take about 20 s.
  double seconds = static_cast<double>((last - options.start_time).count()) / 1e9;
  CHECK(seconds > 19.0);
  CHECK(seconds < 21.0);
}

TEST_CASE("bad synthetic settings are refused with the reason", "[marketdata][synthetic]") {
  SeededRandom random(1);
  CHECK_THAT(Message(SyntheticFeed::Create({}, random).status()),
             Catch::Contains("at least one instrument"));
  SyntheticFeedOptions off_tick = TwoInstruments();
  off_tick.instruments[0].start_bid = P("100.005");
  CHECK_THAT(Message(SyntheticFeed::Create(off_tick, random).status()),
             Catch::Contains("synthetic instrument 0: start_bid 100.005 must be positive and a "
                             "multiple of the tick 0.01"));
  SyntheticFeedOptions no_lot = TwoInstruments();
  no_lot.instruments[1].lot_size = Q("0");
  CHECK_THAT(Message(SyntheticFeed::Create(no_lot, random).status()),
             Catch::Contains("synthetic instrument 1: lot_size must be positive"));
  SyntheticFeedOptions rate = TwoInstruments();
  rate.events_per_second = 0;
  CHECK_THAT(Message(SyntheticFeed::Create(rate, random).status()),
             Catch::Contains("events_per_second"));
  SyntheticFeedOptions fraction = TwoInstruments();
  fraction.trade_fraction = 1.5;
  CHECK_THAT(Message(SyntheticFeed::Create(fraction, random).status()),
             Catch::Contains("trade_fraction"));
}

}  // namespace
}  // namespace tradeplane::marketdata
