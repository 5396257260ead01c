// Everything the pre-trade check reads, and the events that change it.
//
// RiskState holds the limits in force, the market as risk sees it, our open
// orders, the positions and PnL (PositionLedger), the rate buckets, the
// trading mode and the blocks. The service feeds it events in the order it
// receives them and asks PreTradeCheck for decisions; nothing here reads a
// clock or does I/O.
//
// Exposure: each instrument's exposure is valued in the valuation currency at
// its reference price (mid or last, as its limits say) and the conversion
// rate of its quote currency: Value(q) = Notional(ref, q) * rate, each step
// rounded half-even. Per instrument, with P the net position and B, S the
// open buy and sell quantities:
//   long  = Value(P + B)   (every open buy fills)
//   short = Value(P - S)   (every open sell fills)
//   gross = max(|long|, |short|)
// and the totals over instruments: gross exposure = sum of gross; the net
// exposure's worst cases sum(long) and sum(short). They are cached and updated
// for the one instrument an event touches (O(1)), so a check reads them in
// O(1). An instrument with a position or open orders that cannot be valued
// (no reference price, no rate) is counted as unvalued; exposure checks then
// refuse rather than guess.
//
// A limits swap (ApplyLimits) keeps positions, open orders, rate buckets,
// market data, mode and blocks; it only recomputes what derives from limits.
#ifndef TRADEPLANE_RISK_RISK_STATE_H_
#define TRADEPLANE_RISK_RISK_STATE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "tradeplane/core/instrument.h"
#include "tradeplane/core/order.h"
#include "tradeplane/core/timestamp.h"
#include "tradeplane/marketdata/events.h"
#include "tradeplane/risk/blocks.h"
#include "tradeplane/risk/market_state.h"
#include "tradeplane/risk/open_orders.h"
#include "tradeplane/risk/position_ledger.h"
#include "tradeplane/risk/risk_limits.h"
#include "tradeplane/risk/token_bucket.h"
#include "tradeplane/risk/trading_mode.h"
#include "tradeplane/risk/v1/risk.pb.h"

#include "absl/status/statusor.h"

namespace tradeplane::risk {

struct InstrumentExposure {
  // False when the instrument has a position or open orders that cannot be
  // valued; `unvalued_code` says why (NO_REFERENCE_PRICE, NO_CONVERSION_RATE,
  // or INVALID_FIELD for a value out of range).
  bool valued = true;
  RefusalCode unvalued_code = v1::REFUSAL_CODE_UNSPECIFIED;
  int64_t position_value = 0;  // Value(P), raw valuation-currency units
  int64_t long_value = 0;      // Value(P + B)
  int64_t short_value = 0;     // Value(P - S)
  int64_t gross_value = 0;     // max(|long|, |short|)
};

struct ExposureTotals {
  fixed_point::Int128 gross = 0;
  fixed_point::Int128 net = 0;                // sum of Value(P)
  fixed_point::Int128 net_if_buys_fill = 0;   // sum of long values
  fixed_point::Int128 net_if_sells_fill = 0;  // sum of short values
  size_t unvalued = 0;                        // instruments that could not be valued
};

class RiskState {
 public:
  // `instruments` must outlive the state; `limits` must be built against it.
  RiskState(const InstrumentTable* instruments, std::shared_ptr<const RiskLimits> limits,
            TradingModeController modes, LedgerOptions ledger_options = {});

  // The limits swap.
  void ApplyLimits(std::shared_ptr<const RiskLimits> limits);
  const RiskLimits& limits() const { return *limits_; }
  const std::shared_ptr<const RiskLimits>& shared_limits() const { return limits_; }
  const InstrumentTable& instruments() const { return *instruments_; }

  // Market data; `received` is the service's receive time.
  void OnQuote(const marketdata::Quote& quote, Timestamp received);
  void OnBook(const marketdata::BookView& book, Timestamp received);
  void OnTrade(const marketdata::Trade& trade, Timestamp received);
  void OnFeedDown(InstrumentIndex instrument);

  // An approved new order: it is open (pending) from now on and takes a token
  // from its strategy's and its instrument's buckets. PreTradeCheck's
  // RecordDecision calls this.
  absl::Status RecordNewOrder(const OrderIntent& intent, Timestamp now);
  // An approved cancel: takes a token from the instrument's cancel bucket.
  absl::Status RecordCancel(const OrderIntent& intent, Timestamp now);
  // An order still open at the venue, at start (from execution's journal).
  absl::Status RestoreOpenOrder(std::string_view client_order_id, std::string_view strategy_id,
                                InstrumentIndex instrument, Side side, OrderType type, Price price,
                                Quantity remaining, bool reduce_only, Timestamp placed);
  // Final statuses (FILLED, CANCELED, REJECTED, EXPIRED) remove the order;
  // other statuses change nothing (fills lower the open quantity).
  void OnOrderStatus(std::string_view client_order_id, OrderStatus status);
  absl::StatusOr<FillOutcome> OnFill(const Fill& fill);

  absl::Status RestorePosition(const v1::Position& position);
  void SetStartingEquity(Amount equity) { ledger_.SetStartingEquity(equity); }
  void RestorePnl(const v1::PnlSummary& last) { ledger_.RestorePnl(last); }
  absl::StatusOr<v1::PnlSummary> RevaluePnl(Timestamp now) { return ledger_.Revalue(now); }
  // The ledger's positions with the open buy and sell quantities filled in.
  std::vector<v1::Position> Positions(bool by_strategy) const;

  TradingModeController& modes() { return modes_; }
  const TradingModeController& modes() const { return modes_; }
  Blocks& blocks() { return blocks_; }
  const Blocks& blocks() const { return blocks_; }

  const MarketState& market() const { return market_; }
  const OpenOrders& open_orders() const { return *open_orders_; }
  const PositionLedger& ledger() const { return ledger_; }

  const InstrumentExposure& exposure(InstrumentIndex instrument) const {
    return exposures_[instrument];
  }
  const ExposureTotals& exposure_totals() const { return totals_; }
  // The first instrument that cannot be valued (for a refusal's sentence).
  std::optional<InstrumentIndex> FirstUnvalued() const;
  // The reference price an instrument is valued at, per its limits (mid when
  // it has none).
  std::optional<Price> ReferencePrice(InstrumentIndex instrument) const {
    return market_.at(instrument).Reference(reference_kind_[instrument]);
  }
  // Value(q) in the valuation currency, raw; nullopt when it cannot be valued.
  std::optional<int64_t> Value(InstrumentIndex instrument, fixed_point::Int128 qty_raw) const;

  // The strategy's slot (OpenOrder::strategy), nullopt if it never sent an order.
  std::optional<uint32_t> FindStrategySlot(std::string_view strategy_id) const {
    auto it = strategy_slots_.find(strategy_id);
    if (it == strategy_slots_.end()) return std::nullopt;
    return it->second;
  }
  // Rate buckets; a strategy that never sent an order has a full bucket.
  const TokenBucket& StrategyBucket(std::string_view strategy_id) const;
  uint32_t StrategyOpenOrders(std::string_view strategy_id) const;
  const TokenBucket& OrderBucket(InstrumentIndex instrument) const {
    return instrument_buckets_[instrument].orders;
  }
  const TokenBucket& CancelBucket(InstrumentIndex instrument) const {
    return instrument_buckets_[instrument].cancels;
  }

  // The enabled instrument whose market data is oldest (never updated counts
  // as oldest), for the market-data breaker; nullopt without enabled instruments.
  std::optional<std::pair<InstrumentIndex, Timestamp>> StalestMarketData() const;

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  struct InstrumentBuckets {
    TokenBucket orders;
    TokenBucket cancels;
  };

  uint32_t StrategySlot(std::string_view strategy_id);
  void DeriveFromLimits();
  void RefreshExposure(InstrumentIndex instrument);
  void OnMarketUpdate(InstrumentIndex instrument);

  const InstrumentTable* instruments_;
  std::shared_ptr<const RiskLimits> limits_;
  TradingModeController modes_;
  Blocks blocks_;
  MarketState market_;
  std::unique_ptr<OpenOrders> open_orders_;  // not movable: kept behind a pointer
  PositionLedger ledger_;

  std::vector<v1::ReferencePrice> reference_kind_;
  std::vector<std::optional<Price>> rate_;  // quote currency -> valuation currency
  std::vector<InstrumentExposure> exposures_;
  ExposureTotals totals_;

  std::unordered_map<std::string, uint32_t, Hash, std::equal_to<>> strategy_slots_;
  std::vector<TokenBucket> strategy_buckets_;  // by slot
  std::vector<InstrumentBuckets> instrument_buckets_;
};

}  // namespace tradeplane::risk

#endif  // TRADEPLANE_RISK_RISK_STATE_H_
