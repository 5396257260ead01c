#include "displayed_book.h"

#include <algorithm>
#include <vector>

namespace tradeplane::surveillance {

template <typename Levels, typename Better>
void DisplayedBook::RemoveLevels(Side side, Levels& levels, Better better_than_limit) {
  while (!levels.empty() && better_than_limit(levels.begin()->first)) {
    RemoveOrdersAt(side, levels.begin()->first);
    levels.erase(levels.begin());
    ++stale_levels_removed_;
  }
}

void DisplayedBook::RemoveOrdersAt(Side side, int64_t price_raw) {
  // Rare (the file proved a level gone): a scan of the open orders is fine.
  std::vector<int64_t> gone;
  for (const auto& [id, order] : orders_) {
    if (order.side == side && order.price.raw() == price_raw) gone.push_back(id);
  }
  for (int64_t id : gone) orders_.erase(id);
}

bool DisplayedBook::Add(int64_t order_id, Side side, Price price, Quantity qty) {
  if (orders_.contains(order_id)) return false;
  int64_t p = price.raw();
  if (side == common::v1::SIDE_BUY) {
    // Asks at or below a new bid cannot still be there: they would have
    // traded with it.
    RemoveLevels(common::v1::SIDE_SELL, asks_, [p](int64_t ask) { return ask <= p; });
    bids_[p] += qty.raw();
  } else {
    RemoveLevels(common::v1::SIDE_BUY, bids_, [p](int64_t bid) { return bid >= p; });
    asks_[p] += qty.raw();
  }
  orders_.emplace(order_id, Order{side, price, qty});
  return true;
}

std::optional<DisplayedBook::Order> DisplayedBook::Reduce(int64_t order_id, Quantity qty,
                                                          bool executed) {
  auto it = orders_.find(order_id);
  if (it == orders_.end()) return std::nullopt;
  Order before = it->second;
  int64_t take = std::min(qty.raw(), before.remaining.raw());
  int64_t p = before.price.raw();
  auto reduce_level = [&](auto& levels) {
    auto level = levels.find(p);
    if (level == levels.end()) return;
    level->second -= take;
    if (level->second <= 0) levels.erase(level);
  };
  if (before.side == common::v1::SIDE_BUY) {
    reduce_level(bids_);
  } else {
    reduce_level(asks_);
  }
  it->second.remaining = Quantity::FromRaw(before.remaining.raw() - take);
  if (!it->second.remaining.is_positive()) orders_.erase(it);
  if (executed) {
    if (before.side == common::v1::SIDE_BUY) {
      RemoveLevels(common::v1::SIDE_BUY, bids_, [p](int64_t bid) { return bid > p; });
    } else {
      RemoveLevels(common::v1::SIDE_SELL, asks_, [p](int64_t ask) { return ask < p; });
    }
  }
  return before;
}

BookTop DisplayedBook::Top(size_t depth_levels) const {
  BookTop top;
  auto fill = [depth_levels](const auto& levels, Price* best, Quantity* best_qty, Quantity* depth) {
    size_t n = 0;
    int64_t sum = 0;
    for (const auto& [price, qty] : levels) {
      if (n == 0) {
        *best = Price::FromRaw(price);
        *best_qty = Quantity::FromRaw(qty);
      }
      sum += qty;
      if (++n == depth_levels) break;
    }
    *depth = Quantity::FromRaw(sum);
  };
  fill(bids_, &top.bid_price, &top.bid_qty, &top.bid_depth_qty);
  fill(asks_, &top.ask_price, &top.ask_qty, &top.ask_depth_qty);
  return top;
}

}  // namespace tradeplane::surveillance
