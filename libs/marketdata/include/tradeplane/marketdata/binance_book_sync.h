// Binance's documented procedure for keeping a local order book from the
// depth stream and REST snapshots, as a pure state machine over an OrderBook.
//
// Spot (developers.binance.com, "How to manage a local order book correctly"):
//   buffer stream updates; take a snapshot; drop updates with u <= lastUpdateId;
//   the first applied update has U <= lastUpdateId + 1 <= u; each later update
//   has U == previous u + 1.
// USD-M futures (the same page for derivatives):
//   drop updates with u < lastUpdateId (strictly: the update ending exactly at
//   lastUpdateId is the first one applied, and the recordings need it: for
//   AKROUSDT the next update's pu equals lastUpdateId but its U is above it);
//   the first applied update has U <= lastUpdateId <= u; each later update's pu
//   equals the previous u.
// Any gap puts the sync in kNeedsResync: the caller fetches a new snapshot,
// while updates keep being buffered so that the snapshot can be joined to the
// stream.
//
// Sequences: the venue's ids are checked here (last_update_id() is the last
// applied u, or the snapshot's lastUpdateId); the OrderBook's own sequence
// counts the updates applied since the last snapshot (0 at the snapshot, then
// 1, 2...: the contract's book_sequence), because a futures join can apply an
// update whose u equals the snapshot's id.
//
// No I/O: the caller feeds parsed frames and snapshots in the order it
// received them. Buffering copies updates (only while awaiting a snapshot);
// the steady state applies each update to the book without allocating.
#ifndef TRADEPLANE_MARKETDATA_BINANCE_BOOK_SYNC_H_
#define TRADEPLANE_MARKETDATA_BINANCE_BOOK_SYNC_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>

#include "tradeplane/marketdata/binance_format.h"
#include "tradeplane/marketdata/order_book.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace tradeplane::marketdata {

struct BinanceBookSyncOptions {
  BinanceMarket market = BinanceMarket::kSpot;
  std::string symbol;  // when set, frames and snapshots of another symbol are refused
  OrderBookOptions book;
  // Updates kept while awaiting a snapshot; beyond it the oldest is discarded
  // (it is older than any snapshot fetched from now on, or the join fails and
  // asks for another snapshot).
  size_t max_buffered_updates = 10'000;
};

enum class BookSyncState : uint8_t {
  kAwaitingSnapshot,  // from the start: buffering
  kSynced,            // updates apply to the book
  kNeedsResync,       // a gap was seen: buffering, fetch a new snapshot
};

std::string_view BookSyncStateName(BookSyncState state);

// What became of one update.
enum class SyncAction : uint8_t {
  kBuffered,  // kept until a snapshot arrives
  kDropped,   // already contained in the snapshot
  kApplied,
};

struct BinanceBookSyncCounters {
  uint64_t snapshots = 0;         // snapshots applied to the book
  uint64_t applied = 0;           // updates applied
  uint64_t dropped = 0;           // updates already contained in a snapshot
  uint64_t buffered = 0;          // updates that went through the buffer
  uint64_t buffer_overflows = 0;  // buffered updates discarded as too old
  uint64_t resyncs = 0;           // times the sync fell into kNeedsResync
  uint64_t stale = 0;             // updates at or before the applied u (repeats), ignored
};

class BinanceBookSync {
 public:
  explicit BinanceBookSync(BinanceBookSyncOptions options);

  // One depth update from the stream. Errors:
  //  - DataLoss: a gap (or the book refused the update); the sync is now in
  //    kNeedsResync and this update is buffered for the next snapshot;
  //  - OutOfRange: u is not after the last applied u (the sequence went
  //    backwards or repeated); ignored, still in sync;
  //  - InvalidArgument: another symbol, or a futures update without pu.
  absl::StatusOr<SyncAction> OnDepthUpdate(const BinanceDepthUpdate& update);

  // A REST snapshot: replaces the book and joins the buffered updates to it.
  // DataLoss when the buffer does not join (the snapshot is older than the
  // buffered updates, or a buffered update leaves a gap): kNeedsResync, and
  // the updates not yet applied stay buffered.
  absl::Status OnSnapshot(const BinanceDepthSnapshot& snapshot);

  BookSyncState state() const { return state_; }
  bool needs_snapshot() const { return state_ != BookSyncState::kSynced; }
  // The venue's last applied u (the snapshot's lastUpdateId before any update).
  uint64_t last_update_id() const { return last_update_id_; }
  const OrderBook& book() const { return book_; }
  OrderBook& mutable_book() { return book_; }  // for View()
  size_t buffered_updates() const { return buffer_.size(); }
  const BinanceBookSyncCounters& counters() const { return counters_; }

 private:
  absl::StatusOr<SyncAction> Process(const BinanceDepthUpdate& update);
  absl::Status Gap(std::string reason);
  void Buffer(const BinanceDepthUpdate& update);
  bool IsFutures() const { return options_.market == BinanceMarket::kUsdmFutures; }

  BinanceBookSyncOptions options_;
  OrderBook book_;
  std::deque<BinanceDepthUpdate> buffer_;
  BookSyncState state_ = BookSyncState::kAwaitingSnapshot;
  bool awaiting_first_update_ = false;  // synced, but no update joined to the snapshot yet
  uint64_t snapshot_update_id_ = 0;
  uint64_t last_update_id_ = 0;
  BinanceBookSyncCounters counters_;
};

}  // namespace tradeplane::marketdata

#endif  // TRADEPLANE_MARKETDATA_BINANCE_BOOK_SYNC_H_
