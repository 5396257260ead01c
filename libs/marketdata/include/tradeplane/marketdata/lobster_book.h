// An order-by-order (L3) book driven by LOBSTER messages, yielding the L2
// book (an OrderBook) and the trades.
//
// What a replay can know. A LOBSTER message file for N levels contains only
// the events that changed the book within its top N levels at the time
// (LOBSTER: "the 'message' file contains indicators for the type of event
// causing an update of the limit order book in the requested price range").
// An order placed, cancelled or executed deeper than level N leaves no
// message. Orders resting before the file starts are not in it either; the
// book can be seeded from a row of the order-book file, which gives the
// aggregate quantity of the N best levels and nothing deeper.
//
// So the book tracks, per side, the range of prices whose quantity it knows
// exactly:
//   - seeded from a row whose side has fewer than N levels: the whole side
//     (nothing rests deeper, and every event on the side is in the file);
//   - seeded from a full side: prices at or better than the seeded N-th level;
//   - not seeded: nothing.
// The range can only shrink: when the known range holds N levels, the N-th
// becomes the boundary, because prices beyond it have left the file's window
// and events there may be missing from then on. A price that left the window
// is never known again: when top levels empty, the levels that come into
// view from below are ones whose events the file may have omitted.
// KnownLevels() says how many best levels are exact.
//
// Inside the known range the book is strict: an event must agree with what
// the book holds (an unknown order id reduces its seeded level, which must
// not go negative; a known order must match its side, price and remaining
// size), else the message is refused and the book needs a new seed. Outside
// it the book is lenient: quantities are clamped at zero, and levels that the
// file proves stale are removed (a new order that would cross or lock the
// opposite side shows that the opposite levels in its way are gone, e.g.
// orders taken in the opening cross, which has no per-order messages; a
// visible execution at a price shows there is no better level on its side).
//
// Hot path: open orders are in a flat hash map reserved up front; level
// changes go through OrderBook deltas. No allocation per message after
// warm-up. Thread-compatible.
#ifndef TRADEPLANE_MARKETDATA_LOBSTER_BOOK_H_
#define TRADEPLANE_MARKETDATA_LOBSTER_BOOK_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "tradeplane/core/fixed_point.h"
#include "tradeplane/core/instrument.h"
#include "tradeplane/core/timestamp.h"
#include "tradeplane/marketdata/events.h"
#include "tradeplane/marketdata/lobster_format.h"
#include "tradeplane/marketdata/order_book.h"

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace tradeplane::marketdata {

struct LobsterBookOptions {
  InstrumentIndex instrument = 0;
  CivilDate date{};         // the trading day (from the file name): times become UTC
  size_t file_levels = 10;  // N, from the file name
  // Price levels kept per side; far more than a day's range so nothing the
  // orders refer to is ever dropped.
  size_t max_depth = 1 << 16;
  Price tick_size;  // when positive, resting orders must be on it
  size_t expected_open_orders = 1 << 16;
};

// What one message did.
struct LobsterUpdate {
  Timestamp exchange_time;
  bool book_changed = false;
  // When book_changed: the levels the message changed, with their new
  // quantity (zero = the level is gone). Valid until the next Apply.
  std::span<const BookLevel> bid_changes;
  std::span<const BookLevel> ask_changes;
  bool has_trade = false;  // types 4, 5 and 6
  // Price, size and time of the execution; the aggressor is the side opposite
  // the resting order (for hidden executions LOBSTER's direction may be
  // masked, so it is as reliable as the file), SIDE_UNSPECIFIED for cross
  // trades (an auction has no aggressor); trade_id is a running count.
  Trade trade;
  LobsterHaltState halt = LobsterHaltState::kNone;  // type 7
};

struct LobsterBookCounters {
  uint64_t messages = 0;
  uint64_t trades = 0;
  uint64_t unknown_order_events = 0;  // events on orders not submitted in the file
  uint64_t events_outside_known = 0;  // cancels, deletes, executions applied leniently
  uint64_t stale_levels_removed = 0;  // levels the file proved gone
};

class LobsterBook {
 public:
  // Starts unseeded: an empty book whose quantities are all unknown.
  explicit LobsterBook(const LobsterBookOptions& options);

  // Replaces the book with one row of the order-book file (the book after
  // message k); the replay continues with message k + 1. Forgets every order.
  absl::Status Seed(const LobsterBookRow& row);

  // Applies one message. A refusal leaves the book unchanged and in
  // needs_resync() until the next Seed: a message time before the previous
  // one, a submit of an open order id, an event that contradicts the known
  // range, or a level the OrderBook refuses (off tick, crossed).
  absl::StatusOr<LobsterUpdate> Apply(const LobsterMessage& message);

  const OrderBook& book() const { return book_; }
  BookView View(size_t max_levels) { return book_.View(max_levels); }
  // How many best levels of `side` hold exactly the venue's quantities.
  size_t KnownLevels(BookSide side) const;
  // Whether every level of `side` is known: it had fewer than N levels when
  // seeded and has never filled N since (so an empty level is empty).
  bool IsSideComplete(BookSide side) const;
  bool needs_resync() const { return needs_resync_; }
  size_t open_orders() const { return orders_.size(); }
  LobsterHaltState halt_state() const { return halt_state_; }
  const LobsterBookCounters& counters() const { return counters_; }

 private:
  enum class Knowledge : uint8_t { kNothing, kWholeSide, kUpToBoundary };
  struct SideKnowledge {
    Knowledge knowledge = Knowledge::kNothing;
    Price boundary;  // for kUpToBoundary: the worst known price
  };
  struct Order {
    BookSide side;
    Price price;
    Quantity remaining;
  };

  bool IsKnown(BookSide side, Price price) const;
  void NarrowKnowledge(BookSide side);
  absl::StatusOr<Timestamp> ToUtc(Duration time_after_midnight) const;
  absl::Status RemoveStaleLevels(BookSide side, Price price, bool or_equal, int64_t order_id);
  absl::Status Reduce(const LobsterMessage& message, BookSide side);
  void Change(BookSide side, Price price, Quantity qty);
  absl::Status Refuse(absl::Status status);

  LobsterBookOptions options_;
  OrderBook book_;
  absl::flat_hash_map<int64_t, Order> orders_;
  SideKnowledge known_[2];
  std::vector<BookLevel> bid_changes_;
  std::vector<BookLevel> ask_changes_;
  LobsterBookCounters counters_;
  LobsterHaltState halt_state_ = LobsterHaltState::kNone;
  Duration last_time_{0};
  uint64_t sequence_ = 0;
  bool needs_resync_ = false;
  // UTC of local midnight when the date has one offset all day (not a DST
  // transition Sunday); the per-message conversion is then one addition.
  bool single_offset_day_ = false;
  Timestamp local_midnight_utc_;
};

}  // namespace tradeplane::marketdata

#endif  // TRADEPLANE_MARKETDATA_LOBSTER_BOOK_H_
