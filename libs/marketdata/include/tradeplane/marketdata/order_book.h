// An L2 (price-level) order book for one instrument.
//
// The book is fed a snapshot, then deltas that each name the sequence they
// follow; it refuses anything it cannot apply exactly and then says so until
// the caller resyncs it with a new snapshot. It performs no I/O and reads no
// clock. Thread-compatible (one instance per thread).
//
// Storage: each side is a flat vector sorted worst level first, best level
// last, with capacity reserved up front. Finding a level is a binary search;
// inserting or erasing one moves only the levels better than it, so the
// common update (near the top) touches a few elements and never allocates
// once the vectors have reached their working size.
//
// Bounded depth: a side keeps at most `max_depth` levels. A new level worse
// than the worst kept one is dropped, and when a better level arrives on a
// full side the worst kept level is dropped. What that implies: the book is
// exact only for the levels it holds; after top levels are removed it shows
// fewer levels than the venue has (the dropped ones are not known again until
// the venue sends them or a snapshot is applied), a level the venue later
// updates below a dropped one reappears with a hole above it, and depth
// queries (QuantityUpTo, EstimateFill) see only the kept levels, so a sweep
// larger than the kept depth reports itself incomplete.
#ifndef TRADEPLANE_MARKETDATA_ORDER_BOOK_H_
#define TRADEPLANE_MARKETDATA_ORDER_BOOK_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "tradeplane/core/fixed_point.h"
#include "tradeplane/core/instrument.h"
#include "tradeplane/core/timestamp.h"
#include "tradeplane/marketdata/events.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace tradeplane::marketdata {

enum class BookSide : uint8_t { kBid, kAsk };

std::string_view BookSideName(BookSide side);  // "bid", "ask"

struct OrderBookOptions {
  InstrumentIndex instrument = 0;
  // Levels kept per side (> 0). See the file comment for what dropping implies.
  size_t max_depth = 1000;
  // When positive, every price must be a multiple of it.
  Price tick_size;
  // A locked book (best bid == best ask) cannot persist on one venue's
  // continuous book (the orders would have matched), so by default it is
  // treated like a crossed one. Set for aggregated or auction books.
  bool allow_locked = false;
};

// Levels carry absolute quantities; a quantity of zero removes the level (a
// removal of a level the book does not hold is normal and changes nothing).
struct BookUpdate {
  // The sequence the book must be at for this update to apply; a feed with
  // consecutive numbers uses sequence - 1, Binance futures uses `pu`.
  uint64_t previous_sequence = 0;
  uint64_t sequence = 0;  // the book's sequence after the update
  std::span<const BookLevel> bids;
  std::span<const BookLevel> asks;
  Timestamp exchange_time;
};

enum class BookState : uint8_t {
  kEmpty,        // no snapshot yet
  kSynced,       // deltas apply
  kNeedsResync,  // an update was refused or left the book corrupt: apply a snapshot
};

// Why the last update was refused (for counters; the Status says it in words).
enum class BookFault : uint8_t {
  kNone,
  kNotSynced,      // no snapshot yet, or a previous fault awaits a snapshot
  kSequenceGap,    // previous_sequence is not the book's sequence
  kStaleSequence,  // sequence <= the book's: already applied, ignored
  kNegativeSize,
  kNonPositivePrice,
  kOffTick,
  kDuplicateLevel,  // the same price twice on one side of a snapshot
  kCrossed,         // best bid > best ask after the update
  kLocked,          // best bid == best ask and locked books are not allowed
};

std::string_view BookFaultName(BookFault fault);

// What taking `requested` from one side of the book would cost.
struct FillEstimate {
  Quantity requested;
  Quantity filled;      // == requested when complete, less when the book is thin
  Amount notional;      // sum of price x qty over the levels taken, half-even
  Price average_price;  // notional / filled at the rounding asked for; 0 if nothing
  Price worst_price;    // the last level taken; 0 if nothing
  size_t levels_taken = 0;
  bool complete = false;
};

class OrderBook {
 public:
  explicit OrderBook(const OrderBookOptions& options);

  // Replaces the book. Levels may come in any order; zero-quantity levels are
  // skipped (feeds use them for "empty"); a negative quantity, a non-positive
  // or off-tick price, a duplicate price or a crossed/locked result refuses
  // the snapshot and leaves the book empty in kNeedsResync. Only the best
  // `max_depth` levels of each side are kept.
  absl::Status ApplySnapshot(uint64_t sequence, std::span<const BookLevel> bids,
                             std::span<const BookLevel> asks, Timestamp exchange_time);

  // Applies one delta. Returns:
  //  - OK: applied;
  //  - AlreadyExists (kStaleSequence): a delta at or before the book's
  //    sequence; ignored, the book stays in sync;
  //  - any other error: the delta was refused (or, for kCrossed/kLocked,
  //    applied and found to corrupt the book) and the book is now in
  //    kNeedsResync: every further delta is refused with FailedPrecondition
  //    until ApplySnapshot. The levels are validated before anything changes,
  //    so a refused delta never half-applies.
  absl::Status ApplyDelta(const BookUpdate& update);

  // For a caller that detects a gap the book cannot see (e.g. a feed-level
  // sequence): refuse deltas until the next snapshot.
  void MarkNeedsResync();

  BookState state() const { return state_; }
  bool needs_resync() const { return state_ != BookState::kSynced; }
  BookFault last_fault() const { return last_fault_; }
  uint64_t sequence() const { return sequence_; }
  Timestamp exchange_time() const { return exchange_time_; }
  const OrderBookOptions& options() const { return options_; }

  std::optional<BookLevel> BestBid() const;
  std::optional<BookLevel> BestAsk() const;
  // (bid + ask) / 2, half-even at the 1e-9 scale; empty unless both sides exist.
  std::optional<Price> Mid() const;
  std::optional<Price> Spread() const;

  size_t Depth(BookSide side) const { return Levels(side).size(); }
  // Level `index` counted from the best (0); index < Depth(side).
  BookLevel Level(BookSide side, size_t index) const;
  // The quantity resting at `price`, zero if none.
  Quantity QuantityAt(BookSide side, Price price) const;
  // How many levels are at `price` or better.
  size_t LevelsAtOrBetter(BookSide side, Price price) const;
  // Copies up to out.size() levels, best first; returns how many.
  size_t TopLevels(BookSide side, std::span<BookLevel> out) const;
  // The best `max_levels` of each side. The spans point into buffers owned by
  // the book and stay valid until the next call of View or of a mutator.
  BookView View(size_t max_levels);

  // The quantity on `side` at prices at least as good as `limit` for the
  // taker (asks at or below it, bids at or above it): what a limit order at
  // `limit` could take at once.
  absl::StatusOr<Quantity> QuantityUpTo(BookSide side, Price limit) const;
  // Walks `side` from the best level taking `qty` (> 0): the price a market
  // order would get (a buy takes the asks). Exact: sums price x qty in 128
  // bits and rounds once.
  absl::StatusOr<FillEstimate> EstimateFill(BookSide side, Quantity qty,
                                            Rounding average_rounding = Rounding::kHalfEven) const;

 private:
  std::vector<BookLevel>& Levels(BookSide side) { return side == BookSide::kBid ? bids_ : asks_; }
  const std::vector<BookLevel>& Levels(BookSide side) const {
    return side == BookSide::kBid ? bids_ : asks_;
  }
  absl::Status CheckLevel(BookSide side, size_t index, const BookLevel& level);
  void SetLevel(BookSide side, BookLevel level);
  absl::Status CheckNotCrossed();
  absl::Status Fault(BookFault fault, absl::Status status);

  OrderBookOptions options_;
  // Worst first, best last (bids ascending, asks descending by price).
  std::vector<BookLevel> bids_;
  std::vector<BookLevel> asks_;
  std::vector<BookLevel> view_bids_;
  std::vector<BookLevel> view_asks_;
  BookState state_ = BookState::kEmpty;
  BookFault last_fault_ = BookFault::kNone;
  uint64_t sequence_ = 0;
  Timestamp exchange_time_;
};

}  // namespace tradeplane::marketdata

#endif  // TRADEPLANE_MARKETDATA_ORDER_BOOK_H_
