// One side of the matching engine's book: price levels that hold both the
// replayed market's displayed quantity and a FIFO of our resting orders.
//
// Levels are a vector sorted worst to best, so the best price is at the back:
// a replay mostly changes levels near the touch, which then moves few
// elements, and the vector keeps its capacity (no allocation after warm-up).
#ifndef TRADEPLANE_MATCHING_PRICE_LADDER_H_
#define TRADEPLANE_MATCHING_PRICE_LADDER_H_

#include <cstddef>
#include <span>
#include <vector>

#include "tradeplane/core/fixed_point.h"
#include "tradeplane/core/instrument.h"
#include "tradeplane/matching/matching_ids.h"

namespace tradeplane::matching {

struct PriceLevel {
  Price price;
  Quantity displayed;  // the replayed market's quantity at this price
  // What our aggressive orders (or our resting orders crossed by this level)
  // took of `displayed` since the replay last updated this level.
  Quantity consumed;
  OrderId head = 0;  // our resting orders, oldest first; 0 = none
  OrderId tail = 0;

  Quantity available() const { return Quantity::FromRaw(displayed.raw() - consumed.raw()); }
  bool has_own() const { return head != 0; }
  bool empty() const { return displayed.is_zero() && head == 0; }
};

class PriceLadder {
 public:
  static constexpr size_t npos = static_cast<size_t>(-1);

  explicit PriceLadder(Side side) : side_(side) {}

  Side side() const { return side_; }
  // Whether `a` is a better price than `b` on this side (higher bid, lower ask).
  bool Better(Price a, Price b) const {
    return side_ == common::v1::SIDE_BUY ? a > b : a < b;
  }

  size_t size() const { return levels_.size(); }
  bool empty() const { return levels_.empty(); }
  // 0 is the worst level, size() - 1 the best.
  PriceLevel& at(size_t index) { return levels_[index]; }
  const PriceLevel& at(size_t index) const { return levels_[index]; }
  std::span<const PriceLevel> levels() const { return levels_; }

  // Binary search; npos when there is no level at `price`.
  size_t Find(Price price) const;
  // The index of the level at `price`, inserting an empty one when missing.
  // Invalidates references to levels.
  size_t FindOrInsert(Price price);
  // Invalidates references to levels at or after `index`.
  void Erase(size_t index);

  // How many of our orders rest on this side (lets replay events skip the
  // side when there are none).
  size_t own_orders() const { return own_orders_; }
  void AddOwn() { ++own_orders_; }
  void RemoveOwn() { --own_orders_; }

  void Reserve(size_t levels) { levels_.reserve(levels); }

 private:
  // The first index whose level is at least as good as `price`.
  size_t LowerBound(Price price) const;

  Side side_;
  std::vector<PriceLevel> levels_;
  size_t own_orders_ = 0;
};

}  // namespace tradeplane::matching

#endif  // TRADEPLANE_MATCHING_PRICE_LADDER_H_
