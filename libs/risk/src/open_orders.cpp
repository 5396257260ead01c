#include "tradeplane/risk/open_orders.h"

#include <algorithm>
#include <cstring>

#include "tradeplane/core/str_cat.h"

#include "raw_sum.h"

namespace tradeplane::risk {
namespace {

constexpr size_t kOrdersReservedPerInstrument = 16;
constexpr size_t kIdIndexBuckets = 1024;

bool IsBuy(const OpenOrder& order) { return order.side == common::v1::SIDE_BUY; }
bool IsMarket(const OpenOrder& order) { return order.type == orders::v1::ORDER_TYPE_MARKET; }

}  // namespace

OpenOrders::OpenOrders(size_t instrument_count)
    : by_instrument_(instrument_count), slots_by_instrument_(instrument_count) {
  for (std::vector<uint32_t>& slots : slots_by_instrument_) {
    slots.reserve(kOrdersReservedPerInstrument);
  }
  by_id_.reserve(kIdIndexBuckets);
}

absl::Status OpenOrders::Add(std::string_view client_order_id, const OpenOrder& order) {
  if (client_order_id.empty() || client_order_id.size() > kMaxClientOrderIdLength) {
    return absl::InvalidArgumentError(StrCat("client_order_id '", client_order_id.substr(0, 64),
                                             "' must have 1 to ", kMaxClientOrderIdLength,
                                             " characters"));
  }
  if (order.instrument >= by_instrument_.size()) {
    return absl::InvalidArgumentError(
        StrCat("instrument index ", order.instrument, " is not in the instrument table"));
  }
  if (!order.remaining.is_positive()) {
    return absl::InvalidArgumentError(StrCat("open order ", client_order_id, ": quantity ",
                                             order.remaining.ToString(), " is not positive"));
  }
  if (by_id_.find(client_order_id) != by_id_.end()) {
    return absl::AlreadyExistsError(
        StrCat("client_order_id ", client_order_id, " is already an open order"));
  }
  InstrumentOpenOrders& agg = by_instrument_[order.instrument];
  Quantity& side_qty = IsBuy(order) ? agg.buy_qty : agg.sell_qty;
  std::optional<int64_t> new_side_qty = SumRaw(side_qty.raw(), order.remaining.raw());
  if (!new_side_qty.has_value()) {
    return absl::OutOfRangeError(StrCat("open quantity on the side of ", client_order_id,
                                        " is outside the fixed-point range"));
  }

  uint32_t slot;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
    slots_[slot] = order;
  } else {
    slot = static_cast<uint32_t>(slots_.size());
    slots_.push_back(order);
  }
  OpenOrder& stored = slots_[slot];
  std::memcpy(stored.id_, client_order_id.data(), client_order_id.size());
  stored.id_length_ = static_cast<uint8_t>(client_order_id.size());
  by_id_.emplace(stored.client_order_id(), slot);
  slots_by_instrument_[order.instrument].push_back(slot);
  if (count_by_strategy_.size() <= order.strategy) count_by_strategy_.resize(order.strategy + 1);
  ++count_by_strategy_[order.strategy];

  side_qty = Quantity::FromRaw(*new_side_qty);
  ++agg.count;
  if (IsMarket(stored)) {
    ++(IsBuy(stored) ? agg.market_buys : agg.market_sells);
  } else if (IsBuy(stored)) {
    if (!agg.has_limit_buy || stored.price > agg.highest_buy) agg.highest_buy = stored.price;
    agg.has_limit_buy = true;
  } else {
    if (!agg.has_limit_sell || stored.price < agg.lowest_sell) agg.lowest_sell = stored.price;
    agg.has_limit_sell = true;
  }
  return absl::OkStatus();
}

const OpenOrder* OpenOrders::Find(std::string_view client_order_id) const {
  auto it = by_id_.find(client_order_id);
  return it == by_id_.end() ? nullptr : &slots_[it->second];
}

std::optional<InstrumentIndex> OpenOrders::Reduce(std::string_view client_order_id,
                                                  Quantity filled) {
  auto it = by_id_.find(client_order_id);
  if (it == by_id_.end()) return std::nullopt;
  uint32_t slot = it->second;
  OpenOrder& order = slots_[slot];
  InstrumentIndex instrument = order.instrument;
  if (!filled.is_positive()) return instrument;
  if (filled >= order.remaining) {
    Unlink(slot);
    return instrument;
  }
  InstrumentOpenOrders& agg = by_instrument_[instrument];
  Quantity& side_qty = IsBuy(order) ? agg.buy_qty : agg.sell_qty;
  // Both are below the side's sum, which is in range: no overflow.
  side_qty = Quantity::FromRaw(side_qty.raw() - filled.raw());
  order.remaining = Quantity::FromRaw(order.remaining.raw() - filled.raw());
  return instrument;
}

std::optional<InstrumentIndex> OpenOrders::Remove(std::string_view client_order_id) {
  auto it = by_id_.find(client_order_id);
  if (it == by_id_.end()) return std::nullopt;
  InstrumentIndex instrument = slots_[it->second].instrument;
  Unlink(it->second);
  return instrument;
}

bool OpenOrders::MarkCancelRequested(std::string_view client_order_id) {
  auto it = by_id_.find(client_order_id);
  if (it == by_id_.end()) return false;
  slots_[it->second].cancel_requested = true;
  return true;
}

void OpenOrders::Unlink(uint32_t slot) {
  OpenOrder& order = slots_[slot];
  InstrumentOpenOrders& agg = by_instrument_[order.instrument];
  Quantity& side_qty = IsBuy(order) ? agg.buy_qty : agg.sell_qty;
  side_qty = Quantity::FromRaw(side_qty.raw() - order.remaining.raw());
  --agg.count;
  if (IsMarket(order)) --(IsBuy(order) ? agg.market_buys : agg.market_sells);
  --count_by_strategy_[order.strategy];
  std::vector<uint32_t>& slots = slots_by_instrument_[order.instrument];
  auto pos = std::find(slots.begin(), slots.end(), slot);
  *pos = slots.back();
  slots.pop_back();
  by_id_.erase(order.client_order_id());
  free_slots_.push_back(slot);
  RecomputeBestPrices(order.instrument);
}

// O(open orders on the instrument): a removal rescans the instrument's few
// orders instead of keeping a sorted structure that allocates.
void OpenOrders::RecomputeBestPrices(InstrumentIndex instrument) {
  InstrumentOpenOrders& agg = by_instrument_[instrument];
  agg.has_limit_buy = agg.has_limit_sell = false;
  agg.highest_buy = agg.lowest_sell = Price::Zero();
  for (uint32_t slot : slots_by_instrument_[instrument]) {
    const OpenOrder& o = slots_[slot];
    if (IsMarket(o)) continue;
    if (IsBuy(o)) {
      if (!agg.has_limit_buy || o.price > agg.highest_buy) agg.highest_buy = o.price;
      agg.has_limit_buy = true;
    } else {
      if (!agg.has_limit_sell || o.price < agg.lowest_sell) agg.lowest_sell = o.price;
      agg.has_limit_sell = true;
    }
  }
}

}  // namespace tradeplane::risk
