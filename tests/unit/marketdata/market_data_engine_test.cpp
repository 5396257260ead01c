#include "tradeplane/marketdata/market_data_engine.h"

#include <catch2/catch.hpp>

#include "tradeplane/marketdata/lobster_book.h"
#include "tradeplane/marketdata/lobster_format.h"

#include "book_test_values.h"
#include "data_lines.h"

namespace tradeplane::marketdata {
namespace {

using namespace std::chrono_literals;
using testing::L;
using testing::P;
using testing::Q;

struct Recorder final : MarketDataListener {
  std::vector<Quote> quotes;
  std::vector<Trade> trades;
  std::vector<uint64_t> delta_sequences;
  std::vector<uint64_t> snapshot_sequences;
  std::vector<Bar> bars;
  std::vector<std::pair<FeedStatus, std::string>> statuses;
  void OnQuote(const Quote& q) override { quotes.push_back(q); }
  void OnTrade(const Trade& t) override { trades.push_back(t); }
  void OnBookDelta(const BookDelta& d) override { delta_sequences.push_back(d.book_sequence); }
  void OnBookSnapshot(const BookSnapshot& s) override {
    snapshot_sequences.push_back(s.book_sequence);
  }
  void OnBar(const Bar& b) override { bars.push_back(b); }
  void OnStatus(InstrumentIndex, FeedStatus s, std::string_view reason, Timestamp) override {
    statuses.emplace_back(s, std::string(reason));
  }
};

InstrumentTable Table(std::string_view tick = "0.01") {
  InstrumentTable t;
  InstrumentSpec spec;
  spec.id = {common::v1::VENUE_NASDAQ, "AMZN"};
  spec.tick_size = P(tick);
  spec.lot_size = Q("1");
  REQUIRE(t.Add(spec).ok());
  return t;
}

Timestamp T(int64_t seconds) { return Timestamp::FromSeconds(1'618'234'200 + seconds); }

TEST_CASE("deltas get consecutive book sequences and quotes follow the top",
          "[marketdata][engine]") {
  InstrumentTable table = Table();
  Recorder out;
  auto engine = MarketDataEngine::Create(table, {.snapshot_interval = 0s}, out);
  REQUIRE(engine.ok());
  MarketDataEngine& e = **engine;
  std::vector<BookLevel> bids = {L("100.00", "5"), L("99.99", "7")};
  std::vector<BookLevel> asks = {L("100.01", "3")};
  REQUIRE(e.OnBookSnapshot(0, bids, asks, 10, T(0), T(0)).ok());
  CHECK(out.snapshot_sequences == std::vector<uint64_t>{0});
  REQUIRE(out.quotes.size() == 1);
  CHECK(out.quotes[0].bid_price == P("100.00"));
  std::vector<BookLevel> deeper = {L("99.98", "1")};
  REQUIRE(e.OnBookDelta(0, deeper, {}, 11, 11, T(1), T(1)).ok());
  CHECK(out.quotes.size() == 1);  // the top did not change: no quote
  std::vector<BookLevel> top = {L("100.00", "9")};
  REQUIRE(e.OnBookDelta(0, top, {}, 12, 12, T(2), T(2)).ok());
  CHECK(out.delta_sequences == std::vector<uint64_t>{1, 2});
  REQUIRE(out.quotes.size() == 2);
  CHECK(out.quotes[1].bid_qty == Q("9"));
  CHECK(e.status(0) == marketdata::v1::FEED_STATUS_LIVE);
}

TEST_CASE("a delta that would cross the book is never published, and a snapshot resyncs",
          "[marketdata][engine]") {
  InstrumentTable table = Table();
  Recorder out;
  auto engine = MarketDataEngine::Create(table, {.snapshot_interval = 0s}, out);
  MarketDataEngine& e = **engine;
  std::vector<BookLevel> bids = {L("100.00", "5")};
  std::vector<BookLevel> asks = {L("100.01", "3")};
  REQUIRE(e.OnBookSnapshot(0, bids, asks, 1, T(0), T(0)).ok());
  std::vector<BookLevel> crossing = {L("100.05", "1")};
  CHECK_FALSE(e.OnBookDelta(0, crossing, {}, 2, 2, T(1), T(1)).ok());
  CHECK(out.delta_sequences.empty());
  CHECK(e.status(0) == marketdata::v1::FEED_STATUS_RESYNCING);
  std::vector<BookLevel> more = {L("99.00", "1")};
  CHECK_FALSE(e.OnBookDelta(0, more, {}, 3, 3, T(2), T(2)).ok());  // refused until a snapshot
  std::vector<BookLevel> negative = {L("99.00", "-1")};
  BookSnapshot snap;
  CHECK_FALSE(e.Snapshot(0, 10, &snap));
  REQUIRE(e.OnBookSnapshot(0, bids, asks, 5, T(3), T(3)).ok());
  CHECK(out.statuses.back().first == marketdata::v1::FEED_STATUS_RESYNCED);
  CHECK(e.status(0) == marketdata::v1::FEED_STATUS_LIVE);
  REQUIRE(e.OnBookDelta(0, more, {}, 6, 6, T(4), T(4)).ok());
  CHECK(out.delta_sequences == std::vector<uint64_t>{1});
  CHECK_FALSE(e.OnBookDelta(0, negative, {}, 7, 7, T(5), T(5)).ok());
  CHECK(e.counters().refused_deltas == 3);
  CHECK(e.counters().resyncs == 2);
}

TEST_CASE("staleness, bars and periodic snapshots follow the clock it is given",
          "[marketdata][engine]") {
  InstrumentTable table = Table();
  Recorder out;
  auto engine = MarketDataEngine::Create(
      table, {.stale_after = 5s, .snapshot_interval = 10s, .bar_intervals = {1min}}, out);
  MarketDataEngine& e = **engine;
  std::vector<BookLevel> bids = {L("100.00", "5")};
  std::vector<BookLevel> asks = {L("100.01", "3")};
  REQUIRE(e.OnBookSnapshot(0, bids, asks, 1, T(0), T(0)).ok());
  Trade t{.instrument = 0,
          .price = P("100.01"),
          .qty = Q("2"),
          .aggressor = common::v1::SIDE_BUY,
          .exchange_time = T(1),
          .receive_time = T(1)};
  REQUIRE(e.OnTrade(t).ok());
  t.price = P("100.00");
  t.exchange_time = t.receive_time = T(30);
  REQUIRE(e.OnTrade(t).ok());
  e.OnTime(T(30));
  CHECK(out.statuses.back().first == marketdata::v1::FEED_STATUS_LIVE);
  e.OnTime(T(36));
  CHECK(e.status(0) == marketdata::v1::FEED_STATUS_STALE);
  CHECK(out.snapshot_sequences.size() == 1);  // the first; the clock started at T(30)
  e.OnTime(T(41));
  CHECK(out.snapshot_sequences.size() == 2);  // ten seconds later
  e.OnTime(T(60));
  REQUIRE(out.bars.size() == 1);
  CHECK(out.bars[0].volume == Q("4"));
  CHECK(out.bars[0].open == P("100.01"));
  CHECK(out.bars[0].close == P("100.00"));
  CHECK(out.bars[0].trade_count == 2);
  t.exchange_time = t.receive_time = T(61);
  REQUIRE(e.OnTrade(t).ok());
  CHECK(e.status(0) == marketdata::v1::FEED_STATUS_LIVE);
  t.qty = Q("0");
  CHECK_FALSE(e.OnTrade(t).ok());
  t.instrument = 9;
  CHECK_FALSE(e.OnTrade(t).ok());
  CHECK(e.counters().refused_trades == 2);
}

TEST_CASE("explicit quotes replace derived ones, and crossed quotes are refused",
          "[marketdata][engine]") {
  InstrumentTable table = Table();
  Recorder out;
  auto engine = MarketDataEngine::Create(table, {.snapshot_interval = 0s}, out);
  MarketDataEngine& e = **engine;
  Quote q{0, P("100.00"), Q("1"), P("100.02"), Q("2"), T(0), T(0)};
  REQUIRE(e.OnQuote(q).ok());
  std::vector<BookLevel> bids = {L("100.00", "5")};
  std::vector<BookLevel> asks = {L("100.01", "3")};
  REQUIRE(e.OnBookSnapshot(0, bids, asks, 1, T(1), T(1)).ok());
  CHECK(out.quotes.size() == 1);  // no derived quote once the feed has its own
  Quote crossed{0, P("100.05"), Q("1"), P("100.00"), Q("1"), T(2), T(2)};
  CHECK_FALSE(e.OnQuote(crossed).ok());
}

TEST_CASE("the AMZN half hour flows through the engine without a refusal", "[marketdata][engine]") {
  InstrumentTable table = Table("0.01");
  Recorder out;
  auto engine = MarketDataEngine::Create(
      table, {.book_depth = 1 << 16, .snapshot_interval = 0s, .bar_intervals = {1min}}, out);
  MarketDataEngine& e = **engine;
  std::string name = "AMZN_2021-04-12_34200000_57600000_message_10.csv";
  absl::StatusOr<LobsterFileName> file = ParseLobsterFileName(name);
  REQUIRE(file.ok());
  LobsterBook book({.instrument = 0, .date = file->date, .file_levels = 10});
  std::vector<std::string> lines = testing::DataLines("lobster/" + name);
  REQUIRE(lines.size() == 40'674);
  REQUIRE(e.OnBookSnapshot(0, {}, {}, 0, T(0), T(0)).ok());
  size_t deltas = 0;
  for (const std::string& line : lines) {
    absl::StatusOr<LobsterMessage> m = ParseLobsterMessage(line);
    REQUIRE(m.ok());
    absl::StatusOr<LobsterUpdate> u = book.Apply(*m);
    REQUIRE(u.ok());
    if (u->book_changed) {
      ++deltas;
      REQUIRE(
          e.OnBookDelta(0, u->bid_changes, u->ask_changes, 0, 0, u->exchange_time, u->exchange_time)
              .ok());
    }
    if (u->has_trade) REQUIRE(e.OnTrade(u->trade).ok());
    e.OnTime(u->exchange_time);
  }
  CHECK(e.counters().refused_deltas == 0);
  CHECK(e.counters().deltas == deltas);
  CHECK(out.delta_sequences.back() == deltas);
  CHECK(out.trades.size() == 9'022);
  CHECK(out.bars.size() >= 29);
  // The engine's book is the LOBSTER book, level for level.
  CHECK(e.book(0).BestBid()->price == book.book().BestBid()->price);
  CHECK(e.book(0).BestAsk()->qty == book.book().BestAsk()->qty);
}

}  // namespace
}  // namespace tradeplane::marketdata
