#include "tradeplane/marketdata/order_book.h"

#include <vector>

#include <catch2/catch.hpp>

#include "book_test_values.h"

namespace tradeplane::marketdata {
namespace {

using testing::L;
using testing::Message;
using testing::P;
using testing::Q;

OrderBook SyncedBook(OrderBookOptions options = {}) {
  OrderBook book(options);
  std::vector<BookLevel> bids = {L("99", "5"), L("100", "2"), L("98", "7")};
  std::vector<BookLevel> asks = {L("102", "4"), L("101", "3"), L("103", "0"), L("104", "9")};
  REQUIRE(book.ApplySnapshot(10, bids, asks, Timestamp::FromSeconds(1)).ok());
  return book;
}

absl::Status Delta(OrderBook& book, uint64_t previous, uint64_t sequence,
                   std::vector<BookLevel> bids, std::vector<BookLevel> asks) {
  return book.ApplyDelta(BookUpdate{.previous_sequence = previous,
                                    .sequence = sequence,
                                    .bids = bids,
                                    .asks = asks,
                                    .exchange_time = Timestamp::FromSeconds(2)});
}

TEST_CASE("a snapshot sorts its levels, skips empty ones and gives best, mid and spread",
          "[marketdata][order_book]") {
  OrderBook book = SyncedBook();
  CHECK(book.state() == BookState::kSynced);
  CHECK(book.sequence() == 10);
  CHECK(book.Depth(BookSide::kBid) == 3);
  CHECK(book.Depth(BookSide::kAsk) == 3);  // the zero-size 103 level is not a level
  CHECK(book.BestBid()->price == P("100"));
  CHECK(book.BestBid()->qty == Q("2"));
  CHECK(book.BestAsk()->price == P("101"));
  CHECK(*book.Mid() == P("100.5"));
  CHECK(*book.Spread() == P("1"));
  CHECK(book.Level(BookSide::kBid, 2).price == P("98"));
  CHECK(book.Level(BookSide::kAsk, 2).price == P("104"));
  CHECK(book.QuantityAt(BookSide::kAsk, P("102")) == Q("4"));
  CHECK(book.QuantityAt(BookSide::kAsk, P("103")) == Q("0"));
}

TEST_CASE("the mid rounds half-even at the last decimal", "[marketdata][order_book]") {
  OrderBook book({});
  std::vector<BookLevel> bids = {L("0.000000001", "1")};
  std::vector<BookLevel> asks = {L("0.000000002", "1")};
  REQUIRE(book.ApplySnapshot(1, bids, asks, Timestamp()).ok());
  CHECK(book.Mid()->raw() == 2);  // 1.5 units -> 2 (even)
  OrderBook empty({});
  CHECK_FALSE(empty.Mid().has_value());
  CHECK_FALSE(empty.BestBid().has_value());
}

TEST_CASE("deltas set, replace and remove levels and advance the sequence",
          "[marketdata][order_book]") {
  OrderBook book = SyncedBook();
  REQUIRE(
      Delta(book, 10, 11, {L("100.5", "1"), L("99", "0")}, {L("101", "6"), L("105", "1")}).ok());
  CHECK(book.sequence() == 11);
  CHECK(book.exchange_time() == Timestamp::FromSeconds(2));
  CHECK(book.BestBid()->price == P("100.5"));
  CHECK(book.Depth(BookSide::kBid) == 3);  // 100.5 added, 99 removed
  CHECK(book.QuantityAt(BookSide::kBid, P("99")).is_zero());
  CHECK(book.BestAsk()->qty == Q("6"));
  CHECK(book.Depth(BookSide::kAsk) == 4);
  // Removing a level the book does not hold is normal and changes nothing.
  REQUIRE(Delta(book, 11, 12, {L("97", "0")}, {}).ok());
  CHECK(book.Depth(BookSide::kBid) == 3);
}

TEST_CASE("a delta that does not follow the book's sequence is refused and asks for a resync",
          "[marketdata][order_book]") {
  OrderBook book = SyncedBook();
  absl::Status gap = Delta(book, 11, 12, {L("100", "1")}, {});
  CHECK(gap.code() == absl::StatusCode::kDataLoss);
  CHECK_THAT(Message(gap), Catch::Contains("follows 11 but the book is at sequence 10"));
  CHECK_THAT(Message(gap), Catch::Contains("resync"));
  CHECK(book.state() == BookState::kNeedsResync);
  CHECK(book.last_fault() == BookFault::kSequenceGap);
  CHECK(book.BestBid()->qty == Q("2"));  // nothing applied
  // Even the delta that would have followed is refused until a snapshot.
  absl::Status next = Delta(book, 10, 11, {L("100", "1")}, {});
  CHECK(next.code() == absl::StatusCode::kFailedPrecondition);
  CHECK_THAT(Message(next), Catch::Contains("awaits a resync snapshot"));
  std::vector<BookLevel> bids = {L("100", "1")};
  std::vector<BookLevel> asks = {L("101", "1")};
  REQUIRE(book.ApplySnapshot(20, bids, asks, Timestamp()).ok());
  CHECK(Delta(book, 20, 21, {L("99", "1")}, {}).ok());
}

TEST_CASE("a delta before any snapshot is refused", "[marketdata][order_book]") {
  OrderBook book({});
  absl::Status s = Delta(book, 0, 1, {L("1", "1")}, {});
  CHECK(s.code() == absl::StatusCode::kFailedPrecondition);
  CHECK_THAT(Message(s), Catch::Contains("no snapshot yet"));
  CHECK(book.state() == BookState::kEmpty);
}

TEST_CASE("a delta whose sequence goes backwards is ignored and the book stays in sync",
          "[marketdata][order_book]") {
  OrderBook book = SyncedBook();
  REQUIRE(Delta(book, 10, 11, {L("100", "3")}, {}).ok());
  absl::Status back = Delta(book, 9, 10, {L("100", "8")}, {});
  CHECK(back.code() == absl::StatusCode::kAlreadyExists);
  CHECK_THAT(Message(back), Catch::Contains("went backwards or repeated"));
  CHECK(book.last_fault() == BookFault::kStaleSequence);
  CHECK(book.state() == BookState::kSynced);
  CHECK(book.BestBid()->qty == Q("3"));
  CHECK(Delta(book, 11, 12, {L("100", "4")}, {}).ok());
}

TEST_CASE("a negative size is refused before anything of the delta changes",
          "[marketdata][order_book]") {
  OrderBook book = SyncedBook();
  // The first level is valid, the second is not: neither may be applied.
  absl::Status s = Delta(book, 10, 11, {L("100", "9"), L("99", "-1")}, {});
  CHECK(s.code() == absl::StatusCode::kInvalidArgument);
  CHECK_THAT(Message(s), Catch::Contains("bid level 1 (price 99, quantity -1): negative quantity"));
  CHECK(book.last_fault() == BookFault::kNegativeSize);
  CHECK(book.needs_resync());
  CHECK(book.BestBid()->qty == Q("2"));
  CHECK(book.sequence() == 10);
}

TEST_CASE("a non-positive or off-tick price is refused", "[marketdata][order_book]") {
  OrderBook zero = SyncedBook();
  absl::Status s = Delta(zero, 10, 11, {}, {L("0", "1")});
  CHECK_THAT(Message(s), Catch::Contains("price must be positive"));
  CHECK(zero.last_fault() == BookFault::kNonPositivePrice);

  OrderBook ticked = SyncedBook({.tick_size = P("0.5")});
  CHECK(Delta(ticked, 10, 11, {L("100.5", "1")}, {}).ok());
  absl::Status off = Delta(ticked, 11, 12, {L("100.25", "1")}, {});
  CHECK(off.code() == absl::StatusCode::kInvalidArgument);
  CHECK_THAT(Message(off), Catch::Contains("not a multiple of the tick 0.5"));
  CHECK(ticked.last_fault() == BookFault::kOffTick);
  CHECK(ticked.needs_resync());
}

TEST_CASE("an update that crosses or locks the book is reported and asks for a resync",
          "[marketdata][order_book]") {
  OrderBook crossed = SyncedBook();
  absl::Status s = Delta(crossed, 10, 11, {L("101.5", "1")}, {});
  CHECK(s.code() == absl::StatusCode::kDataLoss);
  CHECK_THAT(Message(s), Catch::Contains("book crossed: best bid 101.5 > best ask 101"));
  CHECK(crossed.last_fault() == BookFault::kCrossed);
  CHECK(crossed.needs_resync());

  OrderBook locked = SyncedBook();
  absl::Status l = Delta(locked, 10, 11, {}, {L("100", "1")});
  CHECK_THAT(Message(l), Catch::Contains("book locked"));
  CHECK(locked.last_fault() == BookFault::kLocked);

  OrderBook allowed = SyncedBook({.allow_locked = true});
  CHECK(Delta(allowed, 10, 11, {}, {L("100", "1")}).ok());
}

TEST_CASE("a snapshot with a duplicate, negative or crossed level is refused",
          "[marketdata][order_book]") {
  OrderBook book({});
  std::vector<BookLevel> dup = {L("1", "1"), L("1", "2")};
  absl::Status d = book.ApplySnapshot(1, dup, {}, Timestamp());
  CHECK_THAT(Message(d), Catch::Contains("bid price 1 twice"));
  CHECK(book.last_fault() == BookFault::kDuplicateLevel);
  CHECK(book.needs_resync());
  CHECK(book.Depth(BookSide::kBid) == 0);

  std::vector<BookLevel> negative = {L("1", "-2")};
  CHECK_THAT(Message(book.ApplySnapshot(1, {}, negative, Timestamp())),
             Catch::Contains("snapshot ask level 0 (price 1, quantity -2): negative quantity"));

  std::vector<BookLevel> bids = {L("2", "1")};
  std::vector<BookLevel> asks = {L("1.5", "1")};
  absl::Status c = book.ApplySnapshot(1, bids, asks, Timestamp());
  CHECK_THAT(Message(c), Catch::Contains("snapshot refused: book crossed"));
  CHECK(book.Depth(BookSide::kBid) == 0);
  CHECK(book.needs_resync());
}

TEST_CASE("depth is bounded: worse levels are dropped and a better one evicts the worst",
          "[marketdata][order_book]") {
  OrderBook book({.max_depth = 3});
  std::vector<BookLevel> bids = {L("10", "1"), L("9", "1"), L("8", "1"), L("7", "1")};
  REQUIRE(book.ApplySnapshot(1, bids, {}, Timestamp()).ok());
  CHECK(book.Depth(BookSide::kBid) == 3);
  CHECK(book.Level(BookSide::kBid, 2).price == P("8"));  // 7 was beyond the depth
  REQUIRE(Delta(book, 1, 2, {L("6", "5")}, {}).ok());    // beyond the depth: dropped
  CHECK(book.QuantityAt(BookSide::kBid, P("6")).is_zero());
  REQUIRE(Delta(book, 2, 3, {L("9.5", "2")}, {}).ok());  // evicts 8
  CHECK(book.Depth(BookSide::kBid) == 3);
  CHECK(book.Level(BookSide::kBid, 0).price == P("10"));
  CHECK(book.Level(BookSide::kBid, 1).price == P("9.5"));
  CHECK(book.Level(BookSide::kBid, 2).price == P("9"));
  REQUIRE(Delta(book, 3, 4, {L("11", "2")}, {}).ok());  // a new best evicts 9
  CHECK(book.Level(BookSide::kBid, 0).price == P("11"));
  CHECK(book.Level(BookSide::kBid, 2).price == P("9.5"));
  // After the top empties the side shows fewer levels: 9 and 8 are not known again.
  REQUIRE(Delta(book, 4, 5, {L("11", "0")}, {}).ok());
  CHECK(book.Depth(BookSide::kBid) == 2);
}

TEST_CASE("top levels and the book view list the best levels first", "[marketdata][order_book]") {
  OrderBook book = SyncedBook({.instrument = 7});
  std::vector<BookLevel> top(2);
  REQUIRE(book.TopLevels(BookSide::kBid, top) == 2);
  CHECK(top[0].price == P("100"));
  CHECK(top[1].price == P("99"));
  BookView view = book.View(2);
  CHECK(view.instrument == 7);
  CHECK(view.sequence == 10);
  REQUIRE(view.bids.size() == 2);
  REQUIRE(view.asks.size() == 2);
  CHECK(view.bids[0].price == P("100"));
  CHECK(view.asks[0].price == P("101"));
  CHECK(view.asks[1].price == P("102"));
  CHECK(book.View(50).asks.size() == 3);
  CHECK(book.LevelsAtOrBetter(BookSide::kAsk, P("102")) == 2);
  CHECK(book.LevelsAtOrBetter(BookSide::kBid, P("98.5")) == 2);
}

TEST_CASE("quantity up to a price counts the levels a taker at that limit could take",
          "[marketdata][order_book]") {
  OrderBook book = SyncedBook();
  CHECK(*book.QuantityUpTo(BookSide::kAsk, P("102")) == Q("7"));  // 3 @ 101 + 4 @ 102
  CHECK(*book.QuantityUpTo(BookSide::kAsk, P("100.99")) == Q("0"));
  CHECK(*book.QuantityUpTo(BookSide::kAsk, P("1000")) == Q("16"));
  CHECK(*book.QuantityUpTo(BookSide::kBid, P("99")) == Q("7"));  // 2 @ 100 + 5 @ 99
  CHECK(*book.QuantityUpTo(BookSide::kBid, P("101")) == Q("0"));
}

TEST_CASE("the fill estimate walks the book and averages exactly", "[marketdata][order_book]") {
  OrderBook book = SyncedBook();
  // Buy 5: 3 @ 101 + 2 @ 102 = 507, average 101.4.
  absl::StatusOr<FillEstimate> buy = book.EstimateFill(BookSide::kAsk, Q("5"));
  REQUIRE(buy.ok());
  CHECK(buy->complete);
  CHECK(buy->filled == Q("5"));
  CHECK(buy->notional == Amount::FromRaw(507 * kFixedPointScale));
  CHECK(buy->average_price == P("101.4"));
  CHECK(buy->worst_price == P("102"));
  CHECK(buy->levels_taken == 2);
  // Sell 3: 2 @ 100 + 1 @ 99 = 299, average 99.666666666(6...).
  absl::StatusOr<FillEstimate> sell = book.EstimateFill(BookSide::kBid, Q("3"));
  REQUIRE(sell.ok());
  CHECK(sell->average_price == P("99.666666667"));
  CHECK(book.EstimateFill(BookSide::kBid, Q("3"), Rounding::kFloor)->average_price ==
        P("99.666666666"));
  // More than the book holds: incomplete, priced on what there is.
  absl::StatusOr<FillEstimate> big = book.EstimateFill(BookSide::kAsk, Q("100"));
  REQUIRE(big.ok());
  CHECK_FALSE(big->complete);
  CHECK(big->filled == Q("16"));
  CHECK(big->worst_price == P("104"));
  absl::StatusOr<FillEstimate> none = book.EstimateFill(BookSide::kAsk, Q("0"));
  CHECK_THAT(Message(none.status()), Catch::Contains("positive quantity"));
}

}  // namespace
}  // namespace tradeplane::marketdata
