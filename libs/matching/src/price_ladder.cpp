#include "tradeplane/matching/price_ladder.h"

namespace tradeplane::matching {

size_t PriceLadder::LowerBound(Price price) const {
  size_t lo = 0;
  size_t hi = levels_.size();
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (Better(price, levels_[mid].price)) {
      lo = mid + 1;  // levels_[mid] is worse than price
    } else {
      hi = mid;
    }
  }
  return lo;
}

size_t PriceLadder::Find(Price price) const {
  size_t i = LowerBound(price);
  return i < levels_.size() && levels_[i].price == price ? i : npos;
}

size_t PriceLadder::FindOrInsert(Price price) {
  size_t i = LowerBound(price);
  if (i < levels_.size() && levels_[i].price == price) return i;
  PriceLevel level;
  level.price = price;
  levels_.insert(levels_.begin() + static_cast<std::ptrdiff_t>(i), level);
  return i;
}

void PriceLadder::Erase(size_t index) {
  levels_.erase(levels_.begin() + static_cast<std::ptrdiff_t>(index));
}

}  // namespace tradeplane::matching
