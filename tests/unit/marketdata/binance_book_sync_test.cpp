#include "tradeplane/marketdata/binance_book_sync.h"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "book_test_values.h"
#include "data_lines.h"

namespace tradeplane::marketdata {
namespace {

using testing::DataLines;
using testing::L;
using testing::Message;
using testing::Q;

// One recording: its depth updates, book tickers and snapshots, in the order
// they were received (a snapshot received at the same instant as a frame
// comes after it).
struct Recording {
  BinanceMarket market;
  struct Event {
    Timestamp receive_time;
    int kind;  // 0 depth update, 1 book ticker, 2 snapshot
    size_t index;
  };
  std::vector<BinanceDepthUpdate> updates;
  std::vector<BinanceBookTicker> tickers;
  std::vector<BinanceDepthSnapshot> snapshots;
  std::vector<Event> events;
};

Recording Load(const std::string& name) {
  Recording r;
  r.market = name.starts_with("usdm") ? BinanceMarket::kUsdmFutures : BinanceMarket::kSpot;
  BinanceParser parser;
  BinanceFrame frame;
  std::vector<std::string> ws = DataLines("binance/" + name + ".ws.log");
  REQUIRE(ws.size() > 1);
  for (size_t i = 1; i < ws.size(); ++i) {
    if (ws[i].empty()) continue;
    REQUIRE(parser.ParseWsLogLine(ws[i], &frame).ok());
    if (frame.kind == BinanceEventKind::kDepthUpdate) {
      r.events.push_back({frame.receive_time, 0, r.updates.size()});
      r.updates.push_back(frame.depth);
    } else if (frame.kind == BinanceEventKind::kBookTicker) {
      r.events.push_back({frame.receive_time, 1, r.tickers.size()});
      r.tickers.push_back(frame.book_ticker);
    }
  }
  BinanceDepthSnapshot snapshot;
  for (const std::string& line : DataLines("binance/" + name + ".rest.log")) {
    if (line.empty()) continue;
    REQUIRE(parser.ParseRestLogLine(line, &snapshot).ok());
    r.events.push_back({snapshot.receive_time, 2, r.snapshots.size()});
    r.snapshots.push_back(snapshot);
  }
  std::stable_sort(r.events.begin(), r.events.end(),
                   [](const Recording::Event& a, const Recording::Event& b) {
                     return a.receive_time < b.receive_time;
                   });
  return r;
}

std::string SymbolOf(const Recording& r, const Recording::Event& e) {
  switch (e.kind) {
    case 0:
      return r.updates[e.index].symbol;
    case 1:
      return r.tickers[e.index].symbol;
    default:
      return r.snapshots[e.index].symbol;
  }
}

BinanceBookSyncOptions Options(BinanceMarket market, const std::string& symbol) {
  return BinanceBookSyncOptions{.market = market,
                                .symbol = symbol,
                                .book = {.max_depth = 1000},
                                .max_buffered_updates = 1000};
}

std::vector<BookLevel> AllLevels(const OrderBook& book, BookSide side) {
  std::vector<BookLevel> levels(book.Depth(side));
  book.TopLevels(side, levels);
  return levels;
}

bool SameLevels(const std::vector<BookLevel>& a, const std::vector<BookLevel>& b) {
  return std::equal(
      a.begin(), a.end(), b.begin(), b.end(),
      [](const BookLevel& x, const BookLevel& y) { return x.price == y.price && x.qty == y.qty; });
}

struct SymbolResult {
  BinanceBookSyncCounters counters;
  size_t ticker_matches = 0;
};

// Runs the procedure for every symbol of a recording, checking after every
// event that the book is not crossed, and that whenever the book has applied
// the update ending at u, its top equals the book ticker stamped u (the
// ticker stream is not batched, so that ticker may arrive before or after the
// depth update: it is looked up by id, not by arrival).
std::map<std::string, SymbolResult> Replay(const Recording& r) {
  std::map<std::string, std::map<uint64_t, const BinanceBookTicker*>> tickers;
  for (const BinanceBookTicker& t : r.tickers) tickers[t.symbol][t.update_id] = &t;
  std::map<std::string, BinanceBookSync> syncs;
  std::map<std::string, SymbolResult> results;
  std::map<std::string, uint64_t> last_checked;
  for (const Recording::Event& e : r.events) {
    if (e.kind == 1) continue;
    std::string symbol = SymbolOf(r, e);
    auto it = syncs.try_emplace(symbol, Options(r.market, symbol)).first;
    BinanceBookSync& sync = it->second;
    SymbolResult& result = results[symbol];
    if (e.kind == 0) {
      absl::StatusOr<SyncAction> action = sync.OnDepthUpdate(r.updates[e.index]);
      INFO(symbol << " update " << r.updates[e.index].final_update_id << ": "
                  << Message(action.status()));
      REQUIRE(action.ok());
    } else {
      absl::Status s = sync.OnSnapshot(r.snapshots[e.index]);
      INFO(symbol << " snapshot: " << Message(s));
      REQUIRE(s.ok());
    }
    if (sync.state() != BookSyncState::kSynced) continue;
    const OrderBook& book = sync.book();
    if (book.BestBid() && book.BestAsk()) REQUIRE(book.BestBid()->price < book.BestAsk()->price);
    uint64_t u = sync.last_update_id();
    auto ticker = tickers[symbol].find(u);
    if (ticker != tickers[symbol].end() && last_checked[symbol] != u) {
      last_checked[symbol] = u;
      const BinanceBookTicker& t = *ticker->second;
      INFO(symbol << " ticker " << u);
      CHECK(book.BestBid()->price == t.bid_price);
      CHECK(book.BestBid()->qty == t.bid_qty);
      CHECK(book.BestAsk()->price == t.ask_price);
      CHECK(book.BestAsk()->qty == t.ask_qty);
      ++result.ticker_matches;
    }
  }
  for (auto& [symbol, sync] : syncs) {
    CHECK(sync.state() == BookSyncState::kSynced);
    CHECK(sync.buffered_updates() == 0);
    results[symbol].counters = sync.counters();
  }
  return results;
}

void CheckCounts(const std::map<std::string, SymbolResult>& results, const std::string& symbol,
                 uint64_t applied, uint64_t dropped, uint64_t buffered) {
  INFO(symbol);
  REQUIRE(results.count(symbol) == 1);
  const BinanceBookSyncCounters& c = results.at(symbol).counters;
  CHECK(c.snapshots == 1);
  CHECK(c.applied == applied);
  CHECK(c.dropped == dropped);
  CHECK(c.buffered == buffered);
  CHECK(c.resyncs == 0);
  CHECK(c.stale == 0);
}

// Expected counts, from the procedure applied to the files by hand: the
// updates received before each snapshot are buffered; those the snapshot
// contains are dropped; every later one is applied.
TEST_CASE("the spot recording syncs every symbol with the documented counts",
          "[marketdata][binance_sync][data]") {
  Recording r = Load("spot-2021-10-12");
  std::map<std::string, SymbolResult> results = Replay(r);
  REQUIRE(results.size() == 4);
  // NKNUSDT: snapshot 499869752; the first update (499869750-499869752) is
  // dropped and the next, starting at 499869753, is the first applied.
  CheckCounts(results, "NKNUSDT", 149, 1, 1);
  CheckCounts(results, "BLZETH", 9, 1, 1);
  CheckCounts(results, "LRCBTC", 13, 2, 1);  // the second dropped one arrives after the snapshot
  CheckCounts(results, "RUNEEUR", 1, 1, 1);
  size_t tickers = 0;
  for (auto& [symbol, result] : results) tickers += result.ticker_matches;
  CHECK(tickers == 26);
}

TEST_CASE("the futures recording syncs every symbol with the documented counts",
          "[marketdata][binance_sync][data]") {
  Recording r = Load("usdm-futures-2021-07-22");
  std::map<std::string, SymbolResult> results = Replay(r);
  REQUIRE(results.size() == 4);
  CheckCounts(results, "SUSHIUSDT", 252, 3, 1);
  // AKROUSDT: the update ending exactly at lastUpdateId 600859605486 is the
  // first applied (futures drop only u < lastUpdateId); the next one's U is
  // above lastUpdateId and joins through pu.
  CheckCounts(results, "AKROUSDT", 188, 1, 1);
  CheckCounts(results, "KEEPUSDT", 132, 3, 1);
  CheckCounts(results, "CTKUSDT", 180, 5, 1);
  size_t tickers = 0;
  for (auto& [symbol, result] : results) tickers += result.ticker_matches;
  CHECK(tickers == 50);
}

TEST_CASE("NKNUSDT joins the stream exactly where the data README says",
          "[marketdata][binance_sync][data]") {
  Recording r = Load("spot-2021-10-12");
  BinanceBookSync sync(Options(BinanceMarket::kSpot, "NKNUSDT"));
  std::vector<SyncAction> actions;
  for (const Recording::Event& e : r.events) {
    if (SymbolOf(r, e) != "NKNUSDT") continue;
    if (e.kind == 0) {
      absl::StatusOr<SyncAction> a = sync.OnDepthUpdate(r.updates[e.index]);
      REQUIRE(a.ok());
      actions.push_back(*a);
      if (actions.size() == 1) {
        CHECK(r.updates[e.index].first_update_id == 499869750);
        CHECK(r.updates[e.index].final_update_id == 499869752);
        CHECK(*a == SyncAction::kBuffered);
        CHECK(sync.state() == BookSyncState::kAwaitingSnapshot);
      }
      if (actions.size() == 2) {
        CHECK(r.updates[e.index].first_update_id == 499869753);
        CHECK(*a == SyncAction::kApplied);
      }
    } else if (e.kind == 2) {
      CHECK(r.snapshots[e.index].last_update_id == 499869752);
      REQUIRE(sync.OnSnapshot(r.snapshots[e.index]).ok());
      CHECK(sync.counters().dropped == 1);
      CHECK(sync.last_update_id() == 499869752);
    }
  }
  CHECK(sync.counters().applied == 149);
}

// Removes one update from the stream: the sync must notice the gap, ask for a
// snapshot, keep buffering, and after a later snapshot reach exactly the book
// of an uninterrupted replay. The later snapshot is the uninterrupted book at
// the update `snapshot_at` updates after the gap (what the REST endpoint would
// have answered then).
void CheckGapRecovery(const std::string& file, const std::string& symbol, size_t gap_at,
                      size_t snapshot_at) {
  Recording r = Load(file);
  BinanceBookSync reference(Options(r.market, symbol));
  BinanceBookSync gapped(Options(r.market, symbol));
  std::vector<const Recording::Event*> events;
  for (const Recording::Event& e : r.events) {
    if (e.kind != 1 && SymbolOf(r, e) == symbol) events.push_back(&e);
  }
  BinanceDepthSnapshot later;
  later.market = r.market;
  later.symbol = symbol;
  bool have_later = false;
  bool saw_gap = false;
  size_t live_updates = 0;  // updates after the reference is synced
  size_t removed_index = SIZE_MAX;
  for (const Recording::Event* e : events) {
    if (e->kind == 2) {
      REQUIRE(reference.OnSnapshot(r.snapshots[e->index]).ok());
      REQUIRE(gapped.OnSnapshot(r.snapshots[e->index]).ok());
      continue;
    }
    const BinanceDepthUpdate& u = r.updates[e->index];
    bool reference_synced = reference.state() == BookSyncState::kSynced;
    REQUIRE(reference.OnDepthUpdate(u).ok());
    if (reference_synced) ++live_updates;
    if (live_updates == gap_at && removed_index == SIZE_MAX) {
      removed_index = e->index;  // the update that never reaches `gapped`
      continue;
    }
    absl::StatusOr<SyncAction> action = gapped.OnDepthUpdate(u);
    if (removed_index != SIZE_MAX && !saw_gap) {
      // The first update after the removed one reveals the gap.
      CHECK(action.status().code() == absl::StatusCode::kDataLoss);
      CHECK_THAT(Message(action.status()), Catch::Contains("fetch a new snapshot"));
      CHECK(gapped.state() == BookSyncState::kNeedsResync);
      CHECK(gapped.buffered_updates() == 1);
      saw_gap = true;
    } else if (saw_gap && !have_later) {
      CHECK(*action == SyncAction::kBuffered);
    }
    if (live_updates == gap_at + snapshot_at && !have_later) {
      // The venue's snapshot at this point: the uninterrupted book.
      later.last_update_id = reference.last_update_id();
      later.bids = AllLevels(reference.book(), BookSide::kBid);
      later.asks = AllLevels(reference.book(), BookSide::kAsk);
      absl::Status s = gapped.OnSnapshot(later);
      INFO(Message(s));
      REQUIRE(s.ok());
      CHECK(gapped.state() == BookSyncState::kSynced);
      CHECK(gapped.last_update_id() == reference.last_update_id());
      have_later = true;
    }
  }
  REQUIRE(saw_gap);
  REQUIRE(have_later);
  CHECK(gapped.counters().resyncs == 1);
  CHECK(gapped.counters().snapshots == 2);
  CHECK(gapped.state() == BookSyncState::kSynced);
  CHECK(gapped.last_update_id() == reference.last_update_id());
  CHECK(SameLevels(AllLevels(gapped.book(), BookSide::kBid),
                   AllLevels(reference.book(), BookSide::kBid)));
  CHECK(SameLevels(AllLevels(gapped.book(), BookSide::kAsk),
                   AllLevels(reference.book(), BookSide::kAsk)));
  CHECK(gapped.book().Depth(BookSide::kBid) > 100);
}

TEST_CASE("a missing spot update leads to a resync and a later snapshot restores the book",
          "[marketdata][binance_sync][data]") {
  CheckGapRecovery("spot-2021-10-12", "NKNUSDT", 20, 30);
}

TEST_CASE("a missing futures update leads to a resync and a later snapshot restores the book",
          "[marketdata][binance_sync][data]") {
  CheckGapRecovery("usdm-futures-2021-07-22", "SUSHIUSDT", 40, 60);
}

BinanceDepthUpdate Update(uint64_t first, uint64_t last, uint64_t previous = 0,
                          std::vector<BookLevel> bids = {}) {
  BinanceDepthUpdate u;
  u.symbol = "X";
  u.first_update_id = first;
  u.final_update_id = last;
  u.has_previous_final_update_id = previous != 0;
  u.previous_final_update_id = previous;
  u.bids = std::move(bids);
  return u;
}

BinanceDepthSnapshot Snapshot(uint64_t last_update_id) {
  BinanceDepthSnapshot s;
  s.symbol = "X";
  s.last_update_id = last_update_id;
  s.bids = {L("1", "1")};
  s.asks = {L("2", "1")};
  return s;
}

TEST_CASE("a spot snapshot older than the buffered updates asks for another",
          "[marketdata][binance_sync]") {
  BinanceBookSync sync(Options(BinanceMarket::kSpot, "X"));
  CHECK(*sync.OnDepthUpdate(Update(105, 110)) == SyncAction::kBuffered);
  absl::Status s = sync.OnSnapshot(Snapshot(100));  // 101..104 are missing
  CHECK(s.code() == absl::StatusCode::kDataLoss);
  CHECK_THAT(Message(s), Catch::Contains("starts at U 105, past lastUpdateId + 1"));
  CHECK(sync.state() == BookSyncState::kNeedsResync);
  CHECK(sync.buffered_updates() == 1);
  REQUIRE(sync.OnSnapshot(Snapshot(106)).ok());  // 105-110 straddles 107
  CHECK(sync.counters().applied == 1);
  CHECK(sync.last_update_id() == 110);
  CHECK(sync.book().sequence() == 1);  // the book counts updates since the snapshot
  CHECK(*sync.OnDepthUpdate(Update(111, 111, 0, {L("1", "5")})) == SyncAction::kApplied);
  CHECK(sync.book().BestBid()->qty == Q("5"));
}

TEST_CASE("a spot update that does not start at the previous u + 1 is a gap",
          "[marketdata][binance_sync]") {
  BinanceBookSync sync(Options(BinanceMarket::kSpot, "X"));
  REQUIRE(sync.OnSnapshot(Snapshot(100)).ok());
  CHECK(*sync.OnDepthUpdate(Update(99, 101)) == SyncAction::kApplied);
  absl::StatusOr<SyncAction> gap = sync.OnDepthUpdate(Update(103, 104));
  CHECK_THAT(Message(gap.status()), Catch::Contains("U 103 is not the previous u + 1 = 102"));
  CHECK(sync.needs_snapshot());
  CHECK(sync.book().needs_resync());
}

TEST_CASE("a depth update whose sequence goes backwards is ignored", "[marketdata][binance_sync]") {
  BinanceBookSync sync(Options(BinanceMarket::kSpot, "X"));
  REQUIRE(sync.OnSnapshot(Snapshot(100)).ok());
  REQUIRE(sync.OnDepthUpdate(Update(101, 105)).ok());
  absl::StatusOr<SyncAction> back = sync.OnDepthUpdate(Update(101, 103));
  CHECK(back.status().code() == absl::StatusCode::kOutOfRange);
  CHECK_THAT(Message(back.status()), Catch::Contains("went backwards or repeated"));
  CHECK(sync.state() == BookSyncState::kSynced);
  CHECK(sync.counters().stale == 1);
  CHECK(*sync.OnDepthUpdate(Update(106, 106)) == SyncAction::kApplied);
}

TEST_CASE("futures updates chain through pu, and the update ending at lastUpdateId applies",
          "[marketdata][binance_sync]") {
  BinanceBookSync sync(Options(BinanceMarket::kUsdmFutures, "X"));
  REQUIRE(sync.OnDepthUpdate(Update(90, 95, 89)).ok());
  REQUIRE(sync.OnDepthUpdate(Update(96, 100, 95)).ok());
  REQUIRE(sync.OnSnapshot(Snapshot(100)).ok());
  CHECK(sync.counters().dropped == 1);
  CHECK(sync.counters().applied == 1);  // u == lastUpdateId: applied on futures
  CHECK(*sync.OnDepthUpdate(Update(120, 130, 100)) == SyncAction::kApplied);
  absl::StatusOr<SyncAction> gap = sync.OnDepthUpdate(Update(131, 140, 129));
  CHECK_THAT(Message(gap.status()), Catch::Contains("pu 129 is not the previous u 130"));
  CHECK(sync.state() == BookSyncState::kNeedsResync);
  absl::StatusOr<SyncAction> no_pu = sync.OnDepthUpdate(Update(141, 150));
  CHECK_THAT(Message(no_pu.status()), Catch::Contains("has no pu"));
}

TEST_CASE("another symbol's data is refused and the buffer is bounded",
          "[marketdata][binance_sync]") {
  BinanceBookSyncOptions options = Options(BinanceMarket::kSpot, "X");
  options.max_buffered_updates = 2;
  BinanceBookSync sync(options);
  BinanceDepthUpdate other = Update(1, 2);
  other.symbol = "Y";
  CHECK_THAT(Message(sync.OnDepthUpdate(other).status()),
             Catch::Contains("depth update for Y given to the book of X"));
  BinanceDepthSnapshot other_snapshot = Snapshot(5);
  other_snapshot.symbol = "Y";
  CHECK_THAT(Message(sync.OnSnapshot(other_snapshot)), Catch::Contains("snapshot for Y"));
  REQUIRE(sync.OnDepthUpdate(Update(1, 2)).ok());
  REQUIRE(sync.OnDepthUpdate(Update(3, 4)).ok());
  REQUIRE(sync.OnDepthUpdate(Update(5, 6)).ok());
  CHECK(sync.buffered_updates() == 2);
  CHECK(sync.counters().buffer_overflows == 1);
  REQUIRE(sync.OnSnapshot(Snapshot(4)).ok());
  CHECK(sync.counters().dropped == 1);
  CHECK(sync.counters().applied == 1);
}

TEST_CASE("a corrupt update in the stream makes the sync ask for a snapshot",
          "[marketdata][binance_sync]") {
  BinanceBookSync sync(Options(BinanceMarket::kSpot, "X"));
  REQUIRE(sync.OnSnapshot(Snapshot(100)).ok());
  // A bid at 3 crosses the ask at 2.
  absl::StatusOr<SyncAction> crossed = sync.OnDepthUpdate(Update(101, 101, 0, {L("3", "1")}));
  CHECK(crossed.status().code() == absl::StatusCode::kDataLoss);
  CHECK_THAT(Message(crossed.status()), Catch::Contains("book crossed"));
  CHECK(sync.state() == BookSyncState::kNeedsResync);

  BinanceBookSyncOptions ticked = Options(BinanceMarket::kSpot, "X");
  ticked.book.tick_size = testing::P("0.5");
  BinanceBookSync off_tick(ticked);
  REQUIRE(off_tick.OnSnapshot(Snapshot(100)).ok());
  absl::StatusOr<SyncAction> off = off_tick.OnDepthUpdate(Update(101, 101, 0, {L("1.25", "1")}));
  CHECK(off.status().code() == absl::StatusCode::kDataLoss);
  CHECK_THAT(Message(off.status()), Catch::Contains("not a multiple of the tick 0.5"));
  CHECK(off_tick.state() == BookSyncState::kNeedsResync);
  CHECK(off_tick.book().BestBid()->qty == Q("1"));  // nothing applied
}

}  // namespace
}  // namespace tradeplane::marketdata
