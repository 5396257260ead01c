#include "tradeplane/marketdata/lobster_book.h"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "book_test_values.h"
#include "data_lines.h"

namespace tradeplane::marketdata {
namespace {

using testing::DataLines;
using testing::Message;
using testing::P;
using testing::Q;

constexpr CivilDate kDay{2012, 6, 21};

LobsterMessage Msg(std::string_view line) {
  absl::StatusOr<LobsterMessage> m = ParseLobsterMessage(line);
  REQUIRE(m.ok());
  return *m;
}

LobsterUpdate Apply(LobsterBook& book, std::string_view line) {
  absl::StatusOr<LobsterUpdate> update = book.Apply(Msg(line));
  INFO(line << ": " << Message(update.status()));
  REQUIRE(update.ok());
  return *update;
}

std::string Refusal(LobsterBook& book, std::string_view line) {
  absl::StatusOr<LobsterUpdate> update = book.Apply(Msg(line));
  REQUIRE_FALSE(update.ok());
  CHECK(book.needs_resync());
  return Message(update.status());
}

// A book seeded with `row` (levels of 10 columns' worth: 4 per level).
LobsterBook Seeded(std::string_view row, size_t levels, LobsterBookOptions options = {}) {
  options.date = kDay;
  options.file_levels = levels;
  LobsterBook book(options);
  absl::StatusOr<LobsterBookRow> parsed = ParseLobsterBookRow(row, levels);
  REQUIRE(parsed.ok());
  REQUIRE(book.Seed(*parsed).ok());
  return book;
}

constexpr std::string_view kEmptyTwoLevels =
    "9999999999,0,-9999999999,0,9999999999,0,-9999999999,0";

TEST_CASE("submits, cancels, executions and deletes move their level by their sizes",
          "[marketdata][lobster_book]") {
  LobsterBook book = Seeded(kEmptyTwoLevels, 2);
  CHECK(book.IsSideComplete(BookSide::kBid));
  Apply(book, "34200.1,1,11,100,1000000,1");  // buy 100 @ 100
  Apply(book, "34200.2,1,12,50,1000000,1");   // buy 50 @ 100
  Apply(book, "34200.3,1,13,30,1010000,-1");  // sell 30 @ 101
  CHECK(book.book().BestBid()->qty == Q("150"));
  CHECK(book.open_orders() == 3);
  Apply(book, "34200.4,2,11,40,1000000,1");  // cancel 40 of order 11
  CHECK(book.book().BestBid()->qty == Q("110"));
  LobsterUpdate exec = Apply(book, "34200.5,4,12,50,1000000,1");  // order 12 filled
  CHECK(exec.has_trade);
  CHECK(exec.trade.price == P("100"));
  CHECK(exec.trade.qty == Q("50"));
  CHECK(exec.trade.aggressor == common::v1::SIDE_SELL);  // a buy order was hit
  CHECK(exec.trade.trade_id == 1);
  CHECK(FormatRfc3339(exec.exchange_time) == "2012-06-21T13:30:00.500000000Z");
  CHECK(book.open_orders() == 2);
  Apply(book, "34200.6,3,11,60,1000000,1");  // delete the rest of order 11
  CHECK_FALSE(book.book().BestBid().has_value());
  CHECK(book.book().BestAsk()->qty == Q("30"));
  CHECK(book.open_orders() == 1);
  CHECK(book.counters().unknown_order_events == 0);
  CHECK(book.counters().messages == 6);
}

TEST_CASE("hidden executions and cross trades are trades that leave the book alone",
          "[marketdata][lobster_book]") {
  LobsterBook book = Seeded(kEmptyTwoLevels, 2);
  Apply(book, "34200.1,1,11,100,1000000,1");
  LobsterUpdate hidden = Apply(book, "34200.2,5,0,7,1005000,-1,UBSS");
  CHECK(hidden.has_trade);
  CHECK_FALSE(hidden.book_changed);
  CHECK(hidden.trade.aggressor == common::v1::SIDE_BUY);
  CHECK(std::string(hidden.trade.participant, 4) == "UBSS");
  LobsterUpdate cross = Apply(book, "34200.3,6,-1,500,1002000,-1");
  CHECK(cross.trade.aggressor == common::v1::SIDE_UNSPECIFIED);
  CHECK(cross.trade.trade_id == 2);
  CHECK(book.book().BestBid()->qty == Q("100"));
  LobsterUpdate halt = Apply(book, "34200.4,7,0,0,-1,-1");
  CHECK(halt.halt == LobsterHaltState::kHalted);
  CHECK(book.halt_state() == LobsterHaltState::kHalted);
  CHECK_FALSE(halt.has_trade);
}

TEST_CASE("events on unknown order ids reduce the seeded levels", "[marketdata][lobster_book]") {
  // Bids 100 x 300 and 99 x 200 (a full two-level side), asks 101 x 50.
  LobsterBook book = Seeded("1010000,50,1000000,300,9999999999,0,990000,200", 2);
  CHECK(book.KnownLevels(BookSide::kBid) == 2);
  CHECK_FALSE(book.IsSideComplete(BookSide::kBid));
  CHECK(book.IsSideComplete(BookSide::kAsk));
  Apply(book, "34200.1,4,777,100,1000000,1");  // order 777 rested before the file
  CHECK(book.book().BestBid()->qty == Q("200"));
  Apply(book, "34200.2,3,778,200,990000,1");
  CHECK(book.book().QuantityAt(BookSide::kBid, P("99")).is_zero());
  CHECK(book.counters().unknown_order_events == 2);
  CHECK(book.counters().events_outside_known == 0);
  // More than the known level holds: the data contradicts the seed.
  CHECK_THAT(Refusal(book, "34200.3,2,779,500,1000000,1"),
             Catch::Contains("the known bid level holds only 200"));
  CHECK_THAT(Message(book.Apply(Msg("34200.4,1,1,1,1000000,1")).status()),
             Catch::Contains("seed it again"));
}

TEST_CASE("a known order must match its side, price and remaining size in the known range",
          "[marketdata][lobster_book]") {
  LobsterBook book = Seeded(kEmptyTwoLevels, 2);
  Apply(book, "34200.1,1,11,100,1000000,1");
  LobsterBook wrong_price = Seeded(kEmptyTwoLevels, 2);
  Apply(wrong_price, "34200.1,1,11,100,1000000,1");
  CHECK_THAT(Refusal(wrong_price, "34200.2,3,11,100,990000,1"),
             Catch::Contains("the order rests on the bid side at 100"));
  CHECK_THAT(Refusal(book, "34200.2,3,11,60,1000000,1"),
             Catch::Contains("the order has 100 shares left"));
  LobsterBook duplicate = Seeded(kEmptyTwoLevels, 2);
  Apply(duplicate, "34200.1,1,11,100,1000000,1");
  CHECK_THAT(Refusal(duplicate, "34200.2,1,11,5,990000,1"), Catch::Contains("already open"));
}

TEST_CASE("a message earlier than the previous one is refused", "[marketdata][lobster_book]") {
  LobsterBook book = Seeded(kEmptyTwoLevels, 2);
  Apply(book, "34200.5,1,11,100,1000000,1");
  absl::StatusOr<LobsterUpdate> back = book.Apply(Msg("34200.4,1,12,100,1000000,1"));
  CHECK(back.status().code() == absl::StatusCode::kOutOfRange);
  CHECK_THAT(Message(back.status()), Catch::Contains("time went backwards"));
  CHECK(book.needs_resync());
  CHECK(book.book().BestBid()->qty == Q("100"));
}

TEST_CASE("an order off the tick is refused", "[marketdata][lobster_book]") {
  LobsterBook book = Seeded(kEmptyTwoLevels, 2, {.tick_size = P("0.01")});
  Apply(book, "34200.1,1,11,100,1000100,1");
  CHECK_THAT(Refusal(book, "34200.2,1,12,100,1000050,1"),
             Catch::Contains("not a multiple of the tick 0.01"));
}

TEST_CASE("the known range narrows to N levels and never widens again",
          "[marketdata][lobster_book]") {
  LobsterBook book = Seeded("1010000,50,1000000,300,9999999999,0,-9999999999,0", 2);
  CHECK(book.IsSideComplete(BookSide::kBid));
  CHECK(book.KnownLevels(BookSide::kBid) == 1);
  Apply(book, "34200.1,1,21,10,990000,1");  // bids 100, 99: the side holds N = 2
  CHECK_FALSE(book.IsSideComplete(BookSide::kBid));
  CHECK(book.KnownLevels(BookSide::kBid) == 2);
  Apply(book, "34200.2,1,22,10,1005000,1");  // 100.5 pushes 99 out of the window
  CHECK(book.KnownLevels(BookSide::kBid) == 2);
  CHECK(book.book().Depth(BookSide::kBid) == 3);
  Apply(book, "34200.3,3,22,10,1005000,1");  // 99 comes back into view, but is not known
  CHECK(book.KnownLevels(BookSide::kBid) == 1);
  CHECK(book.book().Depth(BookSide::kBid) == 2);
}

TEST_CASE("outside the known range quantities clamp and stale levels are removed",
          "[marketdata][lobster_book]") {
  LobsterBookOptions options;
  options.date = kDay;
  LobsterBook book(options);  // unseeded: nothing is known
  CHECK(book.KnownLevels(BookSide::kBid) == 0);
  Apply(book, "34200.1,1,11,100,1010000,1");  // a bid at 101 whose fate the file may not show
  Apply(book, "34200.2,1,12,5,1000000,1");
  Apply(book, "34200.3,3,99,40,1000000,1");  // unknown order larger than what the book counted
  CHECK(book.book().BestBid()->price == P("101"));
  CHECK(book.book().QuantityAt(BookSide::kBid, P("100")).is_zero());
  // An ask at 100.5 would cross the bid at 101: that bid is gone.
  Apply(book, "34200.4,1,13,10,1005000,-1");
  CHECK_FALSE(book.book().BestBid().has_value());
  CHECK(book.counters().stale_levels_removed == 1);
  Apply(book, "34200.5,1,14,10,990000,1");
  Apply(book, "34200.6,1,15,10,980000,1");
  // A visible execution at 98 shows there is no better bid.
  Apply(book, "34200.7,4,15,10,980000,1");
  CHECK_FALSE(book.book().BestBid().has_value());
  CHECK(book.counters().stale_levels_removed == 2);
  CHECK(book.counters().events_outside_known == 2);
  CHECK(book.counters().unknown_order_events == 1);
}

// Replays the AAPL messages from the book in the order-book file's first row
// and compares every later row with the book, level by level, as far as the
// replay can know.
//
// What cannot be known, and why:
//  1. Row k of the order-book file is the book after message k. The seed is
//     row 1, so messages 2..999 are replayed and rows 2..999 compared (998).
//  2. The seed shows the 10 best levels of each side; nothing deeper.
//  3. The message file has only the events within the 10 best levels at
//     their time (LOBSTER's level-10 files leave out events deeper in the
//     book). Proof in this very file: the ask level 587.65 x 1160 of rows 1-4
//     is gone by row 13, where the 10th ask is 587.90, deeper than it, and no
//     message ever names 587.65.
//  So a price whose events may have been left out is unknown for the rest of
//  the replay: per side, the prices at or better than the seeded 10th level
//  are known, and once the known prices hold 10 levels the 10th becomes the
//  new boundary (LobsterBook::KnownLevels). When top levels empty, the levels
//  that come into view from below are not known: the file shows them, but the
//  replay cannot have their quantity (they were never seeded, or their events
//  may be missing since they left the window). Known prices are contiguous
//  from the best, so the comparison covers the best KnownLevels() levels of
//  each side. A side that had fewer than 10 levels would be known entirely,
//  empty levels included (IsSideComplete); both sides of this seed are full.
// Everything the replay knows must equal the file exactly: price and size of
// the level at the same depth, with no extra or missing level.
TEST_CASE("replaying the AAPL messages reproduces every known level of the order-book file",
          "[marketdata][lobster_book][data]") {
  std::vector<std::string> messages =
      DataLines("lobster/AAPL_2012-06-21_34200000_57600000_message_10.csv");
  std::vector<std::string> rows =
      DataLines("lobster/AAPL_2012-06-21_34200000_57600000_orderbook_10.csv");
  REQUIRE(messages.size() == 999);
  REQUIRE(rows.size() == 999);
  absl::StatusOr<LobsterFileName> name =
      ParseLobsterFileName("AAPL_2012-06-21_34200000_57600000_message_10.csv");
  REQUIRE(name.ok());
  LobsterBook book({.date = name->date, .file_levels = name->levels, .tick_size = P("0.01")});
  LobsterBookRow truth;
  REQUIRE(ParseLobsterBookRow(rows[0], 10, &truth).ok());
  REQUIRE(book.Seed(truth).ok());

  size_t rows_compared = 0;
  size_t levels_compared = 0;
  size_t levels_unknown = 0;
  size_t mismatches = 0;
  std::vector<BookLevel> ours(10);
  for (size_t k = 1; k < messages.size(); ++k) {
    absl::StatusOr<LobsterMessage> message = ParseLobsterMessage(messages[k]);
    REQUIRE(message.ok());
    absl::StatusOr<LobsterUpdate> update = book.Apply(*message);
    if (!update.ok()) FAIL("message " << k + 1 << ": " << Message(update.status()));
    REQUIRE(ParseLobsterBookRow(rows[k], 10, &truth).ok());
    ++rows_compared;
    for (BookSide side : {BookSide::kBid, BookSide::kAsk}) {
      const std::vector<BookLevel>& file = side == BookSide::kBid ? truth.bids : truth.asks;
      size_t have = book.book().TopLevels(side, ours);
      size_t known = book.KnownLevels(side);
      bool complete = book.IsSideComplete(side);
      for (size_t i = 0; i < 10; ++i) {
        if (i >= known && !complete) {
          ++levels_unknown;
          continue;
        }
        ++levels_compared;
        bool same = i < file.size()
                        ? (i < have && ours[i].price == file[i].price && ours[i].qty == file[i].qty)
                        : i >= have;
        if (!same) {
          ++mismatches;
          UNSCOPED_INFO("row " << k + 1 << " " << BookSideName(side) << " level " << i + 1);
        }
      }
    }
  }
  CHECK(mismatches == 0);
  CHECK(rows_compared == 998);
  CHECK(levels_compared == 6403);
  CHECK(levels_unknown == 19960 - 6403);
  CHECK(book.counters().messages == 998);
  CHECK(book.counters().trades == 159);  // 98 visible + 61 hidden executions
  CHECK(book.counters().stale_levels_removed == 0);
  CHECK(book.counters().events_outside_known == 172);
  CHECK(book.counters().unknown_order_events == 10);
}

// The AMZN file has no order-book file, so the replay starts from an empty,
// unknown book: it checks that 40,674 real messages apply without a refusal
// and yield every trade, not level values.
TEST_CASE("the AMZN messages replay from an empty book without a refusal",
          "[marketdata][lobster_book][data]") {
  std::vector<std::string> lines =
      DataLines("lobster/AMZN_2021-04-12_34200000_57600000_message_10.csv");
  REQUIRE(lines.size() == 40674);
  LobsterBook book({.date = {2021, 4, 12}, .file_levels = 10, .tick_size = P("0.01")});
  size_t cross_trades = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    absl::StatusOr<LobsterMessage> message = ParseLobsterMessage(lines[i]);
    REQUIRE(message.ok());
    absl::StatusOr<LobsterUpdate> update = book.Apply(*message);
    if (!update.ok()) FAIL("message " << i + 1 << ": " << Message(update.status()));
    if (update->has_trade && update->trade.aggressor == common::v1::SIDE_UNSPECIFIED) {
      ++cross_trades;
      CHECK(update->trade.qty == Q("45725"));
      CHECK(update->trade.price == P("3355.21"));
      CHECK(FormatRfc3339(update->exchange_time) == "2021-04-12T13:30:01.117864772Z");
    }
  }
  CHECK(book.counters().trades == 5389 + 3632 + 1);
  CHECK(cross_trades == 1);
  CHECK(book.KnownLevels(BookSide::kBid) == 0);
  CHECK(book.counters().stale_levels_removed == 301);
  REQUIRE(book.book().BestBid().has_value());
  CHECK(book.book().BestBid()->price < book.book().BestAsk()->price);
}

}  // namespace
}  // namespace tradeplane::marketdata
