// MarketDataEngine: what the market-data service does with normalized events,
// without the service's I/O — so the backtest runs the very same logic.
//
// Per instrument it keeps the published L2 book (bounded depth), our book
// sequence, the bars and the feed status, and tells a Listener what to
// publish:
//  - books: a snapshot resets the book; each accepted delta gets the next
//    book sequence (monotonic per instrument for the engine's life, so a
//    subscriber applies a delta only when it follows what it has, and a
//    BookSnapshot says which sequence it reflects). A delta the book refuses
//    (gap, crossed, negative size) is never published: the instrument goes
//    RESYNCING until the source gives a new snapshot.
//  - quotes: from the feed's own top-of-book stream when it has one
//    (OnQuote); otherwise derived from the book whenever its top changes.
//  - trades, and bars built from them for every configured interval.
//  - status: STALE when nothing arrived for `stale_after`, LIVE again on the
//    next update; RESYNCING/RESYNCED around a resync; HALTED/DISCONNECTED
//    when the source says so.
//  - a full snapshot of every synced book every `snapshot_interval`.
// Single-threaded; allocation-free per event after warm-up.
#ifndef TRADEPLANE_MARKETDATA_MARKET_DATA_ENGINE_H_
#define TRADEPLANE_MARKETDATA_MARKET_DATA_ENGINE_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "tradeplane/core/instrument.h"
#include "tradeplane/marketdata/bar_aggregator.h"
#include "tradeplane/marketdata/events.h"
#include "tradeplane/marketdata/order_book.h"
#include "tradeplane/marketdata/v1/marketdata.pb.h"

#include "absl/status/status.h"

namespace tradeplane::marketdata {

using FeedStatus = marketdata::v1::FeedStatus;

struct BookDelta {
  InstrumentIndex instrument = 0;
  uint64_t book_sequence = 0;
  std::span<const BookLevel> bids;  // absolute quantities; zero removes the level
  std::span<const BookLevel> asks;
  uint64_t venue_first_update_id = 0;
  uint64_t venue_last_update_id = 0;
  Timestamp exchange_time;
  Timestamp receive_time;
};

struct BookSnapshot {
  InstrumentIndex instrument = 0;
  uint64_t book_sequence = 0;  // the next delta carries book_sequence + 1
  BookView view;
  uint64_t venue_update_id = 0;
  Timestamp exchange_time;
};

class MarketDataListener {
 public:
  virtual ~MarketDataListener() = default;
  virtual void OnQuote(const Quote& quote) = 0;
  virtual void OnTrade(const Trade& trade) = 0;
  virtual void OnBookDelta(const BookDelta& delta) = 0;
  virtual void OnBookSnapshot(const BookSnapshot& snapshot) = 0;
  virtual void OnBar(const Bar& bar) = 0;
  virtual void OnStatus(InstrumentIndex instrument, FeedStatus status, std::string_view reason,
                        Timestamp last_update) = 0;
};

struct MarketDataEngineOptions {
  size_t book_depth = 1000;
  // Levels in published snapshots (and snapshot replies).
  size_t snapshot_levels = 100;
  Duration stale_after = std::chrono::seconds(5);
  Duration snapshot_interval = std::chrono::seconds(10);  // 0 = none
  std::vector<Duration> bar_intervals;                    // e.g. 1 s and 1 min
};

struct MarketDataCounters {
  uint64_t snapshots = 0;
  uint64_t deltas = 0;
  uint64_t refused_deltas = 0;  // not published: the book refused them
  uint64_t quotes = 0;
  uint64_t trades = 0;
  uint64_t refused_trades = 0;  // non-positive price or size, unknown instrument
  uint64_t late_trades = 0;     // for a bar interval already closed (still published)
  uint64_t bars = 0;
  uint64_t resyncs = 0;
  uint64_t stale_transitions = 0;
};

class MarketDataEngine {
 public:
  static absl::StatusOr<std::unique_ptr<MarketDataEngine>> Create(
      const InstrumentTable& instruments, MarketDataEngineOptions options,
      MarketDataListener& listener);

  // A full book from the source (e.g. a Binance REST snapshot, a seeded
  // LOBSTER book). Refused (and the instrument left RESYNCING) if the book
  // refuses it.
  absl::Status OnBookSnapshot(InstrumentIndex instrument, std::span<const BookLevel> bids,
                              std::span<const BookLevel> asks, uint64_t venue_update_id,
                              Timestamp exchange_time, Timestamp receive_time);
  // Changed levels from the source, in order.
  absl::Status OnBookDelta(InstrumentIndex instrument, std::span<const BookLevel> bids,
                           std::span<const BookLevel> asks, uint64_t venue_first_update_id,
                           uint64_t venue_last_update_id, Timestamp exchange_time,
                           Timestamp receive_time);
  // The source lost its book (a gap): publish RESYNCING, refuse deltas
  // until its next snapshot.
  void OnSourceResync(InstrumentIndex instrument, std::string_view reason, Timestamp now);
  absl::Status OnQuote(const Quote& quote);
  absl::Status OnTrade(const Trade& trade);
  // HALTED, DISCONNECTED, LIVE... as the source knows it.
  void OnSourceStatus(InstrumentIndex instrument, FeedStatus status, std::string_view reason,
                      Timestamp now);
  // Advances time: staleness, bar closes, periodic snapshots.
  void OnTime(Timestamp now);

  // The book as it stands, for snapshot requests (false if not synced).
  bool Snapshot(InstrumentIndex instrument, size_t levels, BookSnapshot* out);
  FeedStatus status(InstrumentIndex instrument) const { return states_[instrument].status; }
  uint64_t book_sequence(InstrumentIndex instrument) const {
    return states_[instrument].book_sequence;
  }
  Timestamp last_update(InstrumentIndex instrument) const {
    return states_[instrument].last_update;
  }
  const OrderBook& book(InstrumentIndex instrument) const { return *states_[instrument].book; }
  const MarketDataCounters& counters() const { return counters_; }
  const InstrumentTable& instruments() const { return instruments_; }

 private:
  struct InstrumentState {
    std::unique_ptr<OrderBook> book;
    std::vector<BarAggregator> bars;
    uint64_t book_sequence = 0;
    uint64_t venue_update_id = 0;
    FeedStatus status = marketdata::v1::FEED_STATUS_UNSPECIFIED;
    Timestamp last_update;
    bool explicit_quotes = false;
    bool resyncing = false;
    BookLevel last_bid{};
    BookLevel last_ask{};
  };

  MarketDataEngine(const InstrumentTable& instruments, MarketDataEngineOptions options,
                   MarketDataListener& listener)
      : instruments_(instruments), options_(std::move(options)), listener_(listener) {}
  absl::Status Check(InstrumentIndex instrument) const;
  void Touch(InstrumentIndex instrument, Timestamp receive_time);
  void SetStatus(InstrumentIndex instrument, FeedStatus status, std::string_view reason,
                 Timestamp now);
  void MaybeDerivedQuote(InstrumentIndex instrument, Timestamp exchange_time,
                         Timestamp receive_time);
  void PublishSnapshot(InstrumentIndex instrument);

  const InstrumentTable& instruments_;
  MarketDataEngineOptions options_;
  MarketDataListener& listener_;
  std::vector<InstrumentState> states_;
  Timestamp next_snapshot_;
  MarketDataCounters counters_;
};

}  // namespace tradeplane::marketdata

#endif  // TRADEPLANE_MARKETDATA_MARKET_DATA_ENGINE_H_
