// The displayed book a LOBSTER replay can rebuild from its message file
// alone: the orders submitted in the file, by price level. Orders resting
// before the file starts are unknown, so events on them change nothing here;
// levels the file proves gone (a new order that would cross them, an
// execution behind them) are removed. For the adapter, which runs before the
// detectors (not on their hot path).
#ifndef TRADEPLANE_SURVEILLANCE_DISPLAYED_BOOK_H_
#define TRADEPLANE_SURVEILLANCE_DISPLAYED_BOOK_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>

#include "tradeplane/core/fixed_point.h"
#include "tradeplane/core/instrument.h"
#include "tradeplane/surveillance/event.h"

#include "absl/container/flat_hash_map.h"

namespace tradeplane::surveillance {

class DisplayedBook {
 public:
  struct Order {
    Side side = common::v1::SIDE_UNSPECIFIED;
    Price price;
    Quantity remaining;
  };

  // False (and nothing changes) when the id is already open.
  bool Add(int64_t order_id, Side side, Price price, Quantity qty);
  // Takes up to `qty` from an open order; returns the order as it was, or
  // nothing when the id is unknown. `executed` also removes the levels
  // better than the order's (they would have traded first).
  std::optional<Order> Reduce(int64_t order_id, Quantity qty, bool executed);

  BookTop Top(size_t depth_levels) const;
  size_t open_orders() const { return orders_.size(); }
  uint64_t stale_levels_removed() const { return stale_levels_removed_; }

 private:
  using Bids = std::map<int64_t, int64_t, std::greater<>>;  // price raw -> qty raw, best first
  using Asks = std::map<int64_t, int64_t>;
  void RemoveOrdersAt(Side side, int64_t price_raw);
  template <typename Levels, typename Better>
  void RemoveLevels(Side side, Levels& levels, Better better_than_limit);

  absl::flat_hash_map<int64_t, Order> orders_;
  Bids bids_;
  Asks asks_;
  uint64_t stale_levels_removed_ = 0;
};

}  // namespace tradeplane::surveillance

#endif  // TRADEPLANE_SURVEILLANCE_DISPLAYED_BOOK_H_
