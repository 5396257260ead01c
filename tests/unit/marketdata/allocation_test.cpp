// The hot paths must not allocate once warmed up. This binary counts
// allocations (tradeplane_allocation_counter replaces operator new).
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tradeplane/marketdata/bar_aggregator.h"
#include "tradeplane/marketdata/binance_format.h"
#include "tradeplane/marketdata/lobster_book.h"
#include "tradeplane/marketdata/order_book.h"
#include "tradeplane/marketdata/synthetic_feed.h"
#include "tradeplane/testing/allocation_counter.h"

#include "book_test_values.h"
#include "data_lines.h"

namespace tradeplane::marketdata {
namespace {

using testing::DataLines;
using testing::L;
using testing::P;
using testing::Q;

// Counts the allocations of `work`.
template <typename F>
size_t Allocations(F&& work) {
  tradeplane::testing::CountAllocations counter;
  work();
  return static_cast<size_t>(counter.count());
}

TEST_CASE("L2 deltas near the top of a deep book do not allocate", "[marketdata][alloc]") {
  OrderBook book({.max_depth = 1000});
  std::vector<BookLevel> bids;
  std::vector<BookLevel> asks;
  for (int i = 0; i < 1000; ++i) {
    bids.push_back(BookLevel{Price::FromRaw((int64_t{10'000} - i) * 1'000'000), Q("1")});
    asks.push_back(BookLevel{Price::FromRaw((int64_t{10'001} + i) * 1'000'000), Q("1")});
  }
  REQUIRE(book.ApplySnapshot(1, bids, asks, Timestamp()).ok());
  std::vector<BookUpdate> deltas;
  std::vector<std::vector<BookLevel>> changes;
  for (int i = 0; i < 200; ++i) {
    // Insert, resize and remove levels among the best 20, and evict the worst.
    Price price =
        Price::FromRaw((int64_t{10'000} - i % 20) * 1'000'000 + (i % 3 == 0 ? 500'000 : 0));
    changes.push_back({BookLevel{price, Quantity::FromRaw(i % 4 == 0 ? 0 : (i + 1) * 1000)}});
  }
  uint64_t seq = 1;
  size_t n = Allocations([&] {
    for (const std::vector<BookLevel>& change : changes) {
      BookUpdate u{.previous_sequence = seq, .sequence = seq + 1, .bids = change, .asks = {}};
      if (!book.ApplyDelta(u).ok()) std::abort();
      ++seq;
    }
    (void)book.View(10);  // the view buffers were sized by nothing yet...
  });
  // ...so only the first View may allocate its two buffers.
  CHECK(n <= 2);
  CHECK(Allocations([&] { (void)book.View(10); }) == 0);
  CHECK(Allocations([&] { (void)book.EstimateFill(BookSide::kAsk, Q("25")); }) == 0);
}

TEST_CASE("LOBSTER messages do not allocate after warm-up", "[marketdata][alloc][data]") {
  std::vector<std::string> lines =
      DataLines("lobster/AMZN_2021-04-12_34200000_57600000_message_10.csv");
  std::vector<LobsterMessage> messages;
  for (const std::string& line : lines) messages.push_back(*ParseLobsterMessage(line));
  LobsterBook book({.date = {2021, 4, 12}});
  size_t warm_up = 5000;
  for (size_t i = 0; i < warm_up; ++i) REQUIRE(book.Apply(messages[i]).ok());
  size_t n = Allocations([&] {
    for (size_t i = warm_up; i < messages.size(); ++i) {
      if (!book.Apply(messages[i]).ok()) std::abort();
    }
  });
  CHECK(n == 0);
}

TEST_CASE("parsing Binance depth frames does not allocate after warm-up",
          "[marketdata][alloc][data]") {
  std::vector<std::string> lines = DataLines("binance/usdm-futures-2021-07-22.ws.log");
  BinanceParser parser;
  BinanceFrame frame;
  for (size_t i = 1; i < lines.size(); ++i) REQUIRE(parser.ParseWsLogLine(lines[i], &frame).ok());
  size_t n = Allocations([&] {
    for (size_t i = 1; i < lines.size(); ++i) {
      if (!parser.ParseWsLogLine(lines[i], &frame).ok()) std::abort();
    }
  });
  CHECK(n == 0);
}

TEST_CASE("bars and the synthetic feed do not allocate per event", "[marketdata][alloc]") {
  SeededRandom random(3);
  SyntheticFeedOptions options;
  options.instruments = {
      {.instrument = 0, .start_bid = P("100"), .tick_size = P("0.01"), .lot_size = Q("1")}};
  absl::StatusOr<SyntheticFeed> feed = SyntheticFeed::Create(options, random);
  REQUIRE(feed.ok());
  absl::StatusOr<BarAggregator> bars = BarAggregator::Create({.interval = std::chrono::seconds(1)});
  REQUIRE(bars.ok());
  size_t n = Allocations([&] {
    for (int i = 0; i < 10000; ++i) {
      SyntheticEvent e = feed->Next();
      if (e.kind == SyntheticEvent::Kind::kTrade && !bars->OnTrade(e.trade).ok()) std::abort();
    }
  });
  CHECK(n == 0);
  CHECK(bars->counters().bars > 5);
}

}  // namespace
}  // namespace tradeplane::marketdata
