// How our orders meet the replayed market: consumption of displayed
// liquidity, queue position, trades at and through our price, crossing
// updates, snapshots and quotes (docs/explanation/simulated-matching.md).
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "engine_fixture.h"

namespace tradeplane::matching {
namespace {

using namespace testing;  // NOLINT: test builders
using orders::v1::LIQUIDITY_MAKER;
using orders::v1::ORDER_STATUS_FILLED;
using orders::v1::ORDER_STATUS_NEW;
using orders::v1::ORDER_STATUS_PARTIALLY_FILLED;

TEST_CASE("our aggressive order cannot take the same displayed liquidity twice", "[matching]") {
  EngineFixture f;
  f.Level(kSell, "100.00", "2");
  f.Limit(kBuy, "100.00", "2", kIoc);
  CHECK(f.Fills().size() == 1);
  f.Limit(kBuy, "100.00", "2", kIoc);
  CHECK(f.Fills().size() == 1);  // nothing left to take
  CHECK(f.LevelAt(kSell, "100.00").displayed == Q("2"));
  CHECK(f.LevelAt(kSell, "100.00").available == Q("0"));
}

TEST_CASE("the next replay update of a consumed level restores it", "[matching]") {
  EngineFixture f;
  f.Level(kSell, "100.00", "2");
  f.Limit(kBuy, "100.00", "1.5", kIoc);
  CHECK(f.LevelAt(kSell, "100.00").available == Q("0.5"));
  f.Level(kSell, "100.00", "2");  // same quantity: still an update of the level
  CHECK(f.LevelAt(kSell, "100.00").available == Q("2"));
  f.Limit(kBuy, "100.00", "2", kIoc);
  CHECK(f.Fills().size() == 2);
  CHECK(f.Fills()[1].qty == Q("2"));
}

TEST_CASE("a snapshot keeps what we consumed of levels whose quantity it does not change",
          "[matching]") {
  EngineFixture f;
  std::vector<marketdata::BookLevel> bids = {{P("99.00"), Q("1")}};
  std::vector<marketdata::BookLevel> asks = {{P("100.00"), Q("2")}, {P("100.01"), Q("3")}};
  REQUIRE(f.engine().ApplyBookSnapshot(bids, asks, SnapshotDepth::kFull, f.Now()).ok());
  f.Limit(kBuy, "100.01", "3", kIoc);
  CHECK(f.LevelAt(kSell, "100.00").available.is_zero());
  CHECK(f.LevelAt(kSell, "100.01").available == Q("2"));
  // The same book again: not an update of any level.
  REQUIRE(f.engine().ApplyBookSnapshot(bids, asks, SnapshotDepth::kFull, f.Now()).ok());
  CHECK(f.LevelAt(kSell, "100.00").available.is_zero());
  // 100.01 changes: restored; 100.00 does not: still consumed.
  asks[1].qty = Q("4");
  REQUIRE(f.engine().ApplyBookSnapshot(bids, asks, SnapshotDepth::kFull, f.Now()).ok());
  CHECK(f.LevelAt(kSell, "100.00").available.is_zero());
  CHECK(f.LevelAt(kSell, "100.01").available == Q("4"));
}

TEST_CASE("a full snapshot removes unlisted levels and a truncated one keeps those out of view",
          "[matching]") {
  EngineFixture f;
  std::vector<marketdata::BookLevel> bids = {
      {P("99.00"), Q("1")}, {P("98.00"), Q("1")}, {P("97.00"), Q("1")}};
  std::vector<marketdata::BookLevel> asks = {{P("100.00"), Q("1")}};
  REQUIRE(f.engine().ApplyBookSnapshot(bids, asks, SnapshotDepth::kFull, f.Now()).ok());
  // Top two bid levels only, 99.00 gone, 98.50 new: 97.00 is beyond the view.
  std::vector<marketdata::BookLevel> top = {{P("98.50"), Q("2")}, {P("98.00"), Q("1")}};
  REQUIRE(f.engine().ApplyBookSnapshot(top, asks, SnapshotDepth::kTruncated, f.Now()).ok());
  std::vector<MatchingEngine::LevelView> depth = f.engine().Depth(kBuy, 10);
  REQUIRE(depth.size() == 3);
  CHECK(depth[0].price == P("98.50"));
  CHECK(depth[1].price == P("98.00"));
  CHECK(depth[2].price == P("97.00"));
  REQUIRE(f.engine().ApplyBookSnapshot(top, asks, SnapshotDepth::kFull, f.Now()).ok());
  CHECK(f.engine().Depth(kBuy, 10).size() == 2);
}

TEST_CASE("a quote stream is a book of one level per side", "[matching]") {
  EngineFixture f;
  marketdata::Quote quote;
  quote.bid_price = P("99.00");
  quote.bid_qty = Q("1");
  quote.ask_price = P("101.00");
  quote.ask_qty = Q("2");
  quote.exchange_time = f.Now();
  REQUIRE(f.engine().ApplyQuote(quote).ok());
  quote.bid_price = P("99.50");
  quote.ask_price = P("100.50");
  REQUIRE(f.engine().ApplyQuote(quote).ok());
  REQUIRE(f.engine().Depth(kBuy, 10).size() == 1);
  REQUIRE(f.engine().Depth(kSell, 10).size() == 1);
  CHECK(f.engine().Depth(kBuy, 10)[0].price == P("99.50"));
  CHECK(f.engine().Depth(kSell, 10)[0].displayed == Q("2"));
}

TEST_CASE("a resting order's queue-ahead is the quantity displayed at its price on arrival",
          "[matching]") {
  EngineFixture f;
  f.Level(kBuy, "100.00", "5");
  SubmitResult joined = f.Limit(kBuy, "100.00", "1");
  SubmitResult improved = f.Limit(kBuy, "100.01", "1");
  CHECK(f.Order(joined.order_id).queue_ahead == Q("5"));
  CHECK(f.Order(improved.order_id).queue_ahead.is_zero());
}

TEST_CASE("replayed trades at our price use up the queue ahead first and then fill us",
          "[matching]") {
  EngineFixture f;
  f.Level(kBuy, "100.00", "5");
  SubmitResult r = f.Limit(kBuy, "100.00", "3");
  f.Trade("100.00", "3", kSell);
  CHECK(f.Fills().empty());
  CHECK(f.Order(r.order_id).queue_ahead == Q("2"));
  f.Trade("100.00", "3", kSell);  // 2 ahead, then 1 for us
  REQUIRE(f.Fills().size() == 1);
  CHECK(f.Fills()[0].qty == Q("1"));
  CHECK(f.Fills()[0].price == P("100.00"));
  CHECK(f.Fills()[0].liquidity == LIQUIDITY_MAKER);
  CHECK(f.Order(r.order_id).status == ORDER_STATUS_PARTIALLY_FILLED);
  CHECK(f.Order(r.order_id).queue_ahead.is_zero());
  f.Trade("100.00", "5", kSell);  // more than we need: we fill what remains
  CHECK(f.Fills().size() == 2);
  CHECK(f.Fills()[1].qty == Q("2"));
  CHECK(f.Order(r.order_id).status == ORDER_STATUS_FILLED);
  CHECK(f.LevelAt(kBuy, "100.00").own_orders == 0);
}

TEST_CASE("a replayed trade through our price fills us completely at our price", "[matching]") {
  EngineFixture f;
  f.Level(kSell, "101.00", "5");
  f.Level(kSell, "100.50", "5");
  SubmitResult r = f.Limit(kSell, "100.50", "2");
  CHECK(f.Order(r.order_id).queue_ahead == Q("5"));
  f.Trade("100.60", "0.001", kBuy);
  REQUIRE(f.Fills().size() == 1);
  CHECK(f.Fills()[0].qty == Q("2"));
  CHECK(f.Fills()[0].price == P("100.50"));
  CHECK(f.Order(r.order_id).status == ORDER_STATUS_FILLED);
}

TEST_CASE("a replayed trade on the other side of the book leaves our order alone", "[matching]") {
  EngineFixture f;
  SubmitResult r = f.Limit(kBuy, "100.00", "1");
  f.Trade("100.00", "5", kBuy);  // lifted an ask at 100.00: no seller hit our bid
  f.Trade("99.00", "5", kBuy);
  CHECK(f.Fills().empty());
  f.Trade("100.00", "5", common::v1::SIDE_UNSPECIFIED);  // unknown aggressor reaches both sides
  CHECK(f.Order(r.order_id).status == ORDER_STATUS_FILLED);
}

TEST_CASE("the queue ahead shrinks with the displayed quantity and never grows back",
          "[matching]") {
  EngineFixture f;
  f.Level(kSell, "100.00", "5");
  SubmitResult r = f.Limit(kSell, "100.00", "1");
  f.Level(kSell, "100.00", "2");  // 3 left the level: we assume from ahead of us
  CHECK(f.Order(r.order_id).queue_ahead == Q("2"));
  f.Level(kSell, "100.00", "8");  // newcomers join behind us
  CHECK(f.Order(r.order_id).queue_ahead == Q("2"));
  f.Level(kSell, "100.00", "0");
  CHECK(f.Order(r.order_id).queue_ahead.is_zero());
  CHECK(f.LevelAt(kSell, "100.00").own_orders == 1);  // the level stays for our order
}

TEST_CASE("replayed liquidity that crosses our resting order fills it at our price", "[matching]") {
  EngineFixture f;
  f.Level(kSell, "101.00", "5");
  SubmitResult r = f.Limit(kBuy, "100.00", "3");
  f.Level(kSell, "99.50", "2");
  REQUIRE(f.Fills().size() == 1);
  CHECK(f.Fills()[0].price == P("100.00"));
  CHECK(f.Fills()[0].qty == Q("2"));
  CHECK(f.Fills()[0].liquidity == LIQUIDITY_MAKER);
  CHECK(f.LevelAt(kSell, "99.50").available.is_zero());  // consumed by our fill
  CHECK(f.Order(r.order_id).status == ORDER_STATUS_PARTIALLY_FILLED);
  f.Level(kSell, "99.50", "4");  // restored: crosses again
  CHECK(f.Fills().size() == 2);
  CHECK(f.Fills()[1].qty == Q("1"));
  CHECK(f.Order(r.order_id).status == ORDER_STATUS_FILLED);
  CHECK(f.LevelAt(kSell, "99.50").available == Q("3"));
}

TEST_CASE("a crossing update fills our best-priced order first, then older before newer",
          "[matching]") {
  EngineFixture f;
  SubmitResult low = f.Limit(kBuy, "99.00", "1", kGtc, 1);
  SubmitResult old_high = f.Limit(kBuy, "100.00", "1", kGtc, 2);
  SubmitResult new_high = f.Limit(kBuy, "100.00", "1", kGtc, 3);
  f.ClearEvents();
  f.Level(kSell, "99.00", "2.5");
  std::vector<MatchEvent> fills = f.Fills();
  REQUIRE(fills.size() == 3);
  CHECK(fills[0].order_id == old_high.order_id);
  CHECK(fills[0].price == P("100.00"));
  CHECK(fills[1].order_id == new_high.order_id);
  CHECK(fills[2].order_id == low.order_id);
  CHECK(fills[2].qty == Q("0.5"));
  CHECK(fills[2].price == P("99.00"));
}

TEST_CASE("trades at one price fill our orders there oldest first, within the trade's quantity",
          "[matching]") {
  EngineFixture f;
  f.Level(kBuy, "100.00", "2");
  SubmitResult first = f.Limit(kBuy, "100.00", "2", kGtc, 1);
  f.Level(kBuy, "100.00", "5");
  SubmitResult second = f.Limit(kBuy, "100.00", "2", kGtc, 2);
  CHECK(f.Order(first.order_id).queue_ahead == Q("2"));
  CHECK(f.Order(second.order_id).queue_ahead == Q("5"));
  f.Trade("100.00", "4", kSell);
  CHECK(f.Order(first.order_id).filled_qty == Q("2"));
  CHECK(f.Order(second.order_id).filled_qty.is_zero());
  CHECK(f.Order(second.order_id).queue_ahead == Q("1"));
  f.Trade("100.00", "2", kSell);  // 1 ahead of the second order, then 1 for it
  CHECK(f.Order(second.order_id).filled_qty == Q("1"));
  CHECK(f.Order(second.order_id).status == ORDER_STATUS_PARTIALLY_FILLED);
}

TEST_CASE("a post-only order may rest against a displayed level we have consumed", "[matching]") {
  EngineFixture f;
  f.Level(kSell, "100.00", "1");
  f.Limit(kBuy, "100.00", "1", kIoc);
  SubmitResult r = f.PostOnly(kBuy, "100.00", "1");
  REQUIRE(r.accepted());
  CHECK(f.Order(r.order_id).status == ORDER_STATUS_NEW);
  f.Level(kSell, "100.00", "1");  // restored: it now crosses our resting bid
  CHECK(f.Order(r.order_id).status == ORDER_STATUS_FILLED);
}

TEST_CASE("bad replay input is refused and changes nothing", "[matching]") {
  EngineFixture f;
  f.Level(kBuy, "99.00", "1");
  CHECK(absl::IsInvalidArgument(f.engine().ApplyBookLevel(kBuy, P("99.00"), Q("-1"), f.Now())));
  CHECK(absl::IsInvalidArgument(f.engine().ApplyBookLevel(kBuy, P("0"), Q("1"), f.Now())));
  CHECK(absl::IsInvalidArgument(
      f.engine().ApplyBookLevel(common::v1::SIDE_UNSPECIFIED, P("99.00"), Q("1"), f.Now())));
  std::vector<marketdata::BookLevel> unsorted = {{P("98.00"), Q("1")}, {P("98.50"), Q("1")}};
  std::vector<marketdata::BookLevel> asks = {{P("100.00"), Q("1")}};
  CHECK(absl::IsInvalidArgument(
      f.engine().ApplyBookSnapshot(unsorted, asks, SnapshotDepth::kFull, f.Now())));
  std::vector<marketdata::BookLevel> negative = {{P("101.00"), Q("-1")}};
  CHECK(absl::IsInvalidArgument(
      f.engine().ApplyBookSnapshot({}, negative, SnapshotDepth::kFull, f.Now())));
  marketdata::Trade trade;
  trade.price = P("99.00");
  CHECK(absl::IsInvalidArgument(f.engine().ApplyTrade(trade)));
  std::vector<MatchingEngine::LevelView> depth = f.engine().Depth(kBuy, 10);
  REQUIRE(depth.size() == 1);
  CHECK(depth[0].displayed == Q("1"));
  CHECK(f.engine().Depth(kSell, 10).empty());
}

TEST_CASE("zero-quantity padding levels in a snapshot are skipped", "[matching]") {
  EngineFixture f;
  // LOBSTER pads empty levels with a dummy price and size 0.
  std::vector<marketdata::BookLevel> bids = {{P("99.00"), Q("1")},
                                             {Price::FromRaw(-9'999'999'999), Q("0")}};
  std::vector<marketdata::BookLevel> asks = {{P("100.00"), Q("1")},
                                             {Price::FromRaw(9'999'999'999), Q("0")}};
  REQUIRE(f.engine().ApplyBookSnapshot(bids, asks, SnapshotDepth::kTruncated, f.Now()).ok());
  CHECK(f.engine().Depth(kBuy, 10).size() == 1);
  CHECK(f.engine().Depth(kSell, 10).size() == 1);
}

// --- A real replay -------------------------------------------------------------

struct LobsterRow {
  std::vector<marketdata::BookLevel> bids;
  std::vector<marketdata::BookLevel> asks;
  int type = 0;
  Price price;
  Quantity size;
  int direction = 0;
  double time_s = 0;
};

// LOBSTER prices are dollars x 10,000: one unit is 1e5 raw fixed-point units.
std::vector<LobsterRow> ReadLobster(const std::string& messages, const std::string& books) {
  std::ifstream msg(messages);
  std::ifstream book(books);
  std::vector<LobsterRow> rows;
  std::string msg_line;
  std::string book_line;
  while (std::getline(msg, msg_line) && std::getline(book, book_line)) {
    LobsterRow row;
    std::stringstream m(msg_line);
    std::string cell;
    std::vector<std::string> cells;
    while (std::getline(m, cell, ',')) cells.push_back(cell);
    row.time_s = std::stod(cells[0]);
    row.type = std::stoi(cells[1]);
    row.size = *Quantity::FromUnits(std::stoll(cells[3]));
    row.price = Price::FromRaw(std::stoll(cells[4]) * 100'000);
    row.direction = std::stoi(cells[5]);
    std::stringstream b(book_line);
    std::vector<int64_t> values;
    while (std::getline(b, cell, ',')) values.push_back(std::stoll(cell));
    for (size_t level = 0; level + 3 < values.size(); level += 4) {
      row.asks.push_back(
          {Price::FromRaw(values[level] * 100'000), *Quantity::FromUnits(values[level + 1])});
      row.bids.push_back(
          {Price::FromRaw(values[level + 2] * 100'000), *Quantity::FromUnits(values[level + 3])});
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

TEST_CASE("a replay of a real NASDAQ book fills our passive orders only at their own prices",
          "[matching]") {
  const std::string dir = TRADEPLANE_SOURCE_DIR "/data/lobster/";
  std::vector<LobsterRow> rows =
      ReadLobster(dir + "AAPL_2012-06-21_34200000_57600000_message_10.csv",
                  dir + "AAPL_2012-06-21_34200000_57600000_orderbook_10.csv");
  REQUIRE(rows.size() == 999);

  auto run = [&rows] {
    FixtureOptions options;
    options.instrument.tick_size = P("0.01");
    options.instrument.lot_size = Q("1");
    options.instrument.min_qty = Q("1");
    EngineFixture f(options);
    std::vector<std::pair<Price, Side>> ours;
    for (size_t k = 0; k < rows.size(); ++k) {
      const LobsterRow& row = rows[k];
      Timestamp t = Timestamp::FromNanos(static_cast<int64_t>(row.time_s * 1e9));
      // The message, then the book after it (a trade is reported before the
      // book shows the executed quantity gone).
      if (row.type == 4 || row.type == 5) {
        marketdata::Trade trade;
        trade.price = row.price;
        trade.qty = row.size;
        // direction is the side of the resting order that was executed.
        trade.aggressor = row.direction == 1 ? kSell : kBuy;
        trade.exchange_time = t;
        REQUIRE(f.engine().ApplyTrade(trade).ok());
      }
      REQUIRE(f.engine().ApplyBookSnapshot(row.bids, row.asks, SnapshotDepth::kTruncated, t).ok());
      if (k % 100 == 0) {  // join both sides of the touch every 100 events
        f.Submit(kBuy, orders::v1::ORDER_TYPE_LIMIT, kGtc, row.bids[0].price.ToString(), "100");
        f.Submit(kSell, orders::v1::ORDER_TYPE_LIMIT, kGtc, row.asks[0].price.ToString(), "100");
      }
      // The invariant every replay call restores: no available replayed
      // quantity crosses one of our resting orders.
      std::vector<MatchingEngine::LevelView> bids = f.engine().Depth(kBuy, 1000);
      std::vector<MatchingEngine::LevelView> asks = f.engine().Depth(kSell, 1000);
      bool crossed = false;
      for (const auto& b : bids) {
        for (const auto& a : asks) {
          if (a.price <= b.price && ((b.own_orders > 0 && a.available.is_positive()) ||
                                     (a.own_orders > 0 && b.available.is_positive()))) {
            crossed = true;
          }
        }
      }
      INFO("after row " << k);
      REQUIRE_FALSE(crossed);
    }
    for (const MatchEvent& e : f.Fills()) {
      const EngineOrder& o = f.Order(e.order_id);
      REQUIRE(e.price == o.price);  // passive orders fill at their own price
      REQUIRE(e.liquidity == LIQUIDITY_MAKER);
    }
    std::vector<std::tuple<OrderId, TradeId, int64_t>> fills;
    for (const MatchEvent& e : f.Fills()) fills.emplace_back(e.order_id, e.trade_id, e.qty.raw());
    return fills;
  };
  auto fills = run();
  CHECK(fills.size() >= 5);  // the half minute moves through several of our quotes
  CHECK(fills == run());
}

}  // namespace
}  // namespace tradeplane::matching
