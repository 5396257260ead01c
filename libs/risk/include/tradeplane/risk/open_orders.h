// Our orders that may still trade: approved by risk and not yet filled,
// canceled, rejected or expired. Kept per instrument as the sums the checks
// need (open quantity per side, the best resting price per side for
// self-trade prevention) and per strategy as counts.
//
// No allocation after warm-up: order slots are reused through a free list,
// client order ids live inline in the slot (at most 36 characters), and the
// id index draws its nodes from a pool that keeps freed nodes.
#ifndef TRADEPLANE_RISK_OPEN_ORDERS_H_
#define TRADEPLANE_RISK_OPEN_ORDERS_H_

#include <cstdint>
#include <deque>
#include <memory_resource>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tradeplane/core/fixed_point.h"
#include "tradeplane/core/instrument.h"
#include "tradeplane/core/order.h"
#include "tradeplane/core/timestamp.h"

#include "absl/status/status.h"

namespace tradeplane::risk {

// Binance's limit, and the suite's (DESIGN.md, idempotency).
inline constexpr size_t kMaxClientOrderIdLength = 36;

struct OpenOrder {
  uint32_t strategy = 0;  // the strategy's slot in RiskState
  InstrumentIndex instrument = 0;
  Side side = common::v1::SIDE_UNSPECIFIED;
  OrderType type = orders::v1::ORDER_TYPE_LIMIT;
  Price price;  // zero for market orders
  Quantity remaining;
  bool reduce_only = false;
  bool cancel_requested = false;
  Timestamp placed;

  std::string_view client_order_id() const { return std::string_view(id_, id_length_); }

 private:
  friend class OpenOrders;
  char id_[kMaxClientOrderIdLength] = {};
  uint8_t id_length_ = 0;
};

struct InstrumentOpenOrders {
  Quantity buy_qty;   // remaining quantity of open buys
  Quantity sell_qty;  // remaining quantity of open sells
  uint32_t count = 0;
  // Resting prices a new order of ours must not cross.
  bool has_limit_buy = false;
  Price highest_buy;
  bool has_limit_sell = false;
  Price lowest_sell;
  uint32_t market_buys = 0;
  uint32_t market_sells = 0;
};

class OpenOrders {
 public:
  explicit OpenOrders(size_t instrument_count);
  OpenOrders(const OpenOrders&) = delete;
  OpenOrders& operator=(const OpenOrders&) = delete;

  // Refuses an empty or over-long id, an id already open, an instrument
  // outside the table, a non-positive quantity, or a sum that overflows.
  absl::Status Add(std::string_view client_order_id, const OpenOrder& order);
  const OpenOrder* Find(std::string_view client_order_id) const;
  // Lowers the remaining quantity by `filled`; the order leaves when nothing
  // remains. Returns the order's instrument, or nullopt for an unknown id.
  std::optional<InstrumentIndex> Reduce(std::string_view client_order_id, Quantity filled);
  // The order leaves (final status). Returns its instrument, or nullopt.
  std::optional<InstrumentIndex> Remove(std::string_view client_order_id);
  bool MarkCancelRequested(std::string_view client_order_id);

  size_t size() const { return by_id_.size(); }
  uint32_t CountForStrategy(uint32_t strategy) const {
    return strategy < count_by_strategy_.size() ? count_by_strategy_[strategy] : 0;
  }
  const InstrumentOpenOrders& ForInstrument(InstrumentIndex instrument) const {
    return by_instrument_[instrument];
  }
  // Calls f(const OpenOrder&) for every open order of `instrument`.
  template <typename F>
  void ForEachOnInstrument(InstrumentIndex instrument, F&& f) const {
    for (uint32_t slot : slots_by_instrument_[instrument]) f(slots_[slot]);
  }
  template <typename F>
  void ForEach(F&& f) const {
    for (const std::vector<uint32_t>& slots : slots_by_instrument_) {
      for (uint32_t slot : slots) f(slots_[slot]);
    }
  }

 private:
  void Unlink(uint32_t slot);
  void RecomputeBestPrices(InstrumentIndex instrument);

  std::deque<OpenOrder> slots_;  // a deque: slots never move, ids stay valid keys
  std::vector<uint32_t> free_slots_;
  std::pmr::unsynchronized_pool_resource pool_;
  std::pmr::unordered_map<std::string_view, uint32_t> by_id_{&pool_};
  std::vector<InstrumentOpenOrders> by_instrument_;
  std::vector<std::vector<uint32_t>> slots_by_instrument_;
  std::vector<uint32_t> count_by_strategy_;
};

}  // namespace tradeplane::risk

#endif  // TRADEPLANE_RISK_OPEN_ORDERS_H_
