// One side of the matching engine's book: price levels that hold both the
// replayed market's displayed quantity and a FIFO of our resting orders.
//
// Levels live in an ordered map, best price first, whose nodes come from a
// pool owned by the ladder: finding, adding and removing a level are
// O(log levels) wherever it is in the book (a Binance depth stream changes
// levels far from the touch too), references to levels stay valid while other
// levels come and go, and a removed level's node is reused for the next one,
// so a replay allocates nothing once the pool has grown to the book's size.
#ifndef TRADEPLANE_MATCHING_PRICE_LADDER_H_
#define TRADEPLANE_MATCHING_PRICE_LADDER_H_

#include <cstddef>
#include <map>
#include <memory_resource>

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
  // Orders prices best first: descending for bids, ascending for asks.
  struct BestFirst {
    bool bids = true;
    bool operator()(Price a, Price b) const { return bids ? a > b : a < b; }
  };
  using Map = std::pmr::map<Price, PriceLevel, BestFirst>;
  using iterator = Map::iterator;
  using const_iterator = Map::const_iterator;

  explicit PriceLadder(Side side)
      : side_(side), levels_(BestFirst{side == common::v1::SIDE_BUY}, &pool_) {}
  PriceLadder(const PriceLadder&) = delete;
  PriceLadder& operator=(const PriceLadder&) = delete;

  Side side() const { return side_; }
  // Whether `a` is a better price than `b` on this side (higher bid, lower ask).
  bool Better(Price a, Price b) const { return levels_.key_comp()(a, b); }

  size_t size() const { return levels_.size(); }
  bool empty() const { return levels_.empty(); }
  // Best level first.
  iterator begin() { return levels_.begin(); }
  iterator end() { return levels_.end(); }
  const_iterator begin() const { return levels_.begin(); }
  const_iterator end() const { return levels_.end(); }

  // Null when there is no level at `price`.
  PriceLevel* Find(Price price) {
    auto it = levels_.find(price);
    return it == levels_.end() ? nullptr : &it->second;
  }
  const PriceLevel* Find(Price price) const {
    auto it = levels_.find(price);
    return it == levels_.end() ? nullptr : &it->second;
  }
  // The level at `price`, added empty when missing.
  PriceLevel& FindOrInsert(Price price) {
    auto [it, inserted] = levels_.try_emplace(price);
    if (inserted) it->second.price = price;
    return it->second;
  }
  // Removes the level; returns the next (worse) one.
  iterator Erase(iterator it) { return levels_.erase(it); }
  void Erase(const PriceLevel& level) { levels_.erase(level.price); }

  // How many of our orders rest on this side (lets replay events skip the
  // side when there are none).
  size_t own_orders() const { return own_orders_; }
  void AddOwn() { ++own_orders_; }
  void RemoveOwn() { --own_orders_; }

 private:
  Side side_;
  // Declared before the map, which allocates from it.
  std::pmr::unsynchronized_pool_resource pool_;
  Map levels_;
  size_t own_orders_ = 0;
};

}  // namespace tradeplane::matching

#endif  // TRADEPLANE_MATCHING_PRICE_LADDER_H_
