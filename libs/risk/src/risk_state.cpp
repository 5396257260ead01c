#include "tradeplane/risk/risk_state.h"

#include <algorithm>
#include <map>
#include <utility>

#include "tradeplane/core/str_cat.h"

#include "absl/status/status.h"

namespace tradeplane::risk {
namespace {

using fixed_point::Int128;

bool IsFinal(OrderStatus status) {
  switch (status) {
    case orders::v1::ORDER_STATUS_FILLED:
    case orders::v1::ORDER_STATUS_CANCELED:
    case orders::v1::ORDER_STATUS_REJECTED:
    case orders::v1::ORDER_STATUS_EXPIRED:
      return true;
    default:
      return false;
  }
}

int64_t AbsRaw(int64_t v) { return v < 0 ? -v : v; }  // in range: never INT64_MIN

}  // namespace

RiskState::RiskState(const InstrumentTable* instruments, std::shared_ptr<const RiskLimits> limits,
                     TradingModeController modes, LedgerOptions ledger_options)
    : instruments_(instruments),
      limits_(std::move(limits)),
      modes_(std::move(modes)),
      blocks_(instruments),
      market_(instruments->size()),
      open_orders_(std::make_unique<OpenOrders>(instruments->size())),
      ledger_(instruments, ledger_options),
      reference_kind_(instruments->size(), v1::REFERENCE_PRICE_MID),
      rate_(instruments->size()),
      exposures_(instruments->size()),
      instrument_buckets_(instruments->size()) {
  DeriveFromLimits();
}

void RiskState::ApplyLimits(std::shared_ptr<const RiskLimits> limits) {
  limits_ = std::move(limits);
  DeriveFromLimits();
}

void RiskState::DeriveFromLimits() {
  ValuationConfig valuation;
  valuation.currency = limits_->valuation_currency();
  valuation.rates = limits_->rates();
  valuation.quote_currencies.resize(instruments_->size());
  for (size_t i = 0; i < instruments_->size(); ++i) {
    auto index = static_cast<InstrumentIndex>(i);
    const InstrumentRiskLimits* il = limits_->instrument(index);
    if (il != nullptr) {
      valuation.quote_currencies[i] = il->quote_currency;
      reference_kind_[i] = il->reference_price;
      rate_[i] = il->quote_rate;
    } else {
      reference_kind_[i] = v1::REFERENCE_PRICE_MID;
      rate_[i] = limits_->Rate(instruments_->at(index).quote_asset);
    }
  }
  ledger_.SetValuation(std::move(valuation));
  for (size_t i = 0; i < instruments_->size(); ++i) {
    RefreshExposure(static_cast<InstrumentIndex>(i));
  }
}

std::optional<int64_t> RiskState::Value(InstrumentIndex instrument, Int128 qty_raw) const {
  if (qty_raw == 0) return 0;
  if (qty_raw > fixed_point::kMaxRaw || qty_raw < fixed_point::kMinRaw) return std::nullopt;
  std::optional<Price> ref = ReferencePrice(instrument);
  const std::optional<Price>& rate = rate_[instrument];
  if (!ref.has_value() || !rate.has_value()) return std::nullopt;
  absl::StatusOr<Amount> notional =
      Notional(*ref, Quantity::FromRaw(static_cast<int64_t>(qty_raw)), Rounding::kHalfEven);
  if (!notional.ok()) return std::nullopt;
  absl::StatusOr<int64_t> value =
      fixed_point::MulRaw(notional->raw(), rate->raw(), Rounding::kHalfEven);
  if (!value.ok()) return std::nullopt;
  return *value;
}

void RiskState::RefreshExposure(InstrumentIndex instrument) {
  InstrumentExposure& e = exposures_[instrument];
  if (e.valued) {
    totals_.gross -= e.gross_value;
    totals_.net -= e.position_value;
    totals_.net_if_buys_fill -= e.long_value;
    totals_.net_if_sells_fill -= e.short_value;
  } else {
    --totals_.unvalued;
  }
  e = InstrumentExposure{};
  const int64_t p = ledger_.NetQty(instrument).raw();
  const InstrumentOpenOrders& open = open_orders_->ForInstrument(instrument);
  const int64_t b = open.buy_qty.raw();
  const int64_t s = open.sell_qty.raw();
  if (p != 0 || b != 0 || s != 0) {
    std::optional<int64_t> position = Value(instrument, p);
    std::optional<int64_t> long_value = Value(instrument, static_cast<Int128>(p) + b);
    std::optional<int64_t> short_value = Value(instrument, static_cast<Int128>(p) - s);
    if (position && long_value && short_value) {
      e.position_value = *position;
      e.long_value = *long_value;
      e.short_value = *short_value;
      e.gross_value = std::max(AbsRaw(*long_value), AbsRaw(*short_value));
    } else {
      e.valued = false;
      e.unvalued_code = !ReferencePrice(instrument).has_value()
                            ? v1::REFUSAL_CODE_NO_REFERENCE_PRICE
                        : !rate_[instrument].has_value() ? v1::REFUSAL_CODE_NO_CONVERSION_RATE
                                                         : v1::REFUSAL_CODE_INVALID_FIELD;
    }
  }
  if (e.valued) {
    totals_.gross += e.gross_value;
    totals_.net += e.position_value;
    totals_.net_if_buys_fill += e.long_value;
    totals_.net_if_sells_fill += e.short_value;
  } else {
    ++totals_.unvalued;
  }
}

std::optional<InstrumentIndex> RiskState::FirstUnvalued() const {
  if (totals_.unvalued == 0) return std::nullopt;
  for (size_t i = 0; i < exposures_.size(); ++i) {
    if (!exposures_[i].valued) return static_cast<InstrumentIndex>(i);
  }
  return std::nullopt;
}

void RiskState::OnMarketUpdate(InstrumentIndex instrument) {
  if (std::optional<Price> mid = market_.at(instrument).Mid()) ledger_.SetMark(instrument, *mid);
  RefreshExposure(instrument);
}

void RiskState::OnQuote(const marketdata::Quote& quote, Timestamp received) {
  if (quote.instrument >= instruments_->size()) return;
  market_.OnQuote(quote, received);
  OnMarketUpdate(quote.instrument);
}

void RiskState::OnBook(const marketdata::BookView& book, Timestamp received) {
  if (book.instrument >= instruments_->size()) return;
  market_.OnBook(book, received);
  OnMarketUpdate(book.instrument);
}

void RiskState::OnTrade(const marketdata::Trade& trade, Timestamp received) {
  if (trade.instrument >= instruments_->size()) return;
  market_.OnTrade(trade, received);
  // The mid (the ledger's mark) did not move; the last price may be the reference.
  if (reference_kind_[trade.instrument] == v1::REFERENCE_PRICE_LAST) {
    RefreshExposure(trade.instrument);
  }
}

void RiskState::OnFeedDown(InstrumentIndex instrument) { market_.OnFeedDown(instrument); }

uint32_t RiskState::StrategySlot(std::string_view strategy_id) {
  auto it = strategy_slots_.find(strategy_id);
  if (it != strategy_slots_.end()) return it->second;
  auto slot = static_cast<uint32_t>(strategy_buckets_.size());
  strategy_slots_.emplace(std::string(strategy_id), slot);
  strategy_buckets_.emplace_back();
  return slot;
}

const TokenBucket& RiskState::StrategyBucket(std::string_view strategy_id) const {
  static const TokenBucket kFull;
  auto it = strategy_slots_.find(strategy_id);
  return it == strategy_slots_.end() ? kFull : strategy_buckets_[it->second];
}

uint32_t RiskState::StrategyOpenOrders(std::string_view strategy_id) const {
  auto it = strategy_slots_.find(strategy_id);
  return it == strategy_slots_.end() ? 0 : open_orders_->CountForStrategy(it->second);
}

absl::Status RiskState::RecordNewOrder(const OrderIntent& intent, Timestamp now) {
  if (intent.instrument >= instruments_->size()) {
    return absl::InvalidArgumentError(
        StrCat("instrument index ", intent.instrument, " is not in the instrument table"));
  }
  uint32_t slot = StrategySlot(intent.strategy_id);
  OpenOrder order;
  order.strategy = slot;
  order.instrument = intent.instrument;
  order.side = intent.side;
  order.type = intent.type;
  order.price = intent.type == orders::v1::ORDER_TYPE_MARKET ? Price::Zero() : intent.price;
  order.remaining = intent.qty;
  order.reduce_only = intent.reduce_only;
  order.placed = now;
  absl::Status added = open_orders_->Add(intent.client_order_id, order);
  if (!added.ok()) return added;
  if (const StrategyRiskLimits* sl = limits_->strategy(intent.strategy_id)) {
    strategy_buckets_[slot].Take(sl->order_rate, now);
  }
  if (const InstrumentRiskLimits* il = limits_->instrument(intent.instrument)) {
    instrument_buckets_[intent.instrument].orders.Take(il->order_rate, now);
  }
  RefreshExposure(intent.instrument);
  return absl::OkStatus();
}

absl::Status RiskState::RecordCancel(const OrderIntent& intent, Timestamp now) {
  const OpenOrder* order = open_orders_->Find(intent.cancel_client_order_id);
  if (order == nullptr) {
    return absl::NotFoundError(
        StrCat("no open order with client_order_id ", intent.cancel_client_order_id));
  }
  InstrumentIndex instrument = order->instrument;
  open_orders_->MarkCancelRequested(intent.cancel_client_order_id);
  if (const InstrumentRiskLimits* il = limits_->instrument(instrument)) {
    instrument_buckets_[instrument].cancels.Take(il->cancel_rate, now);
  }
  return absl::OkStatus();
}

absl::Status RiskState::RestoreOpenOrder(std::string_view client_order_id,
                                         std::string_view strategy_id, InstrumentIndex instrument,
                                         Side side, OrderType type, Price price, Quantity remaining,
                                         bool reduce_only, Timestamp placed) {
  if (instrument >= instruments_->size()) {
    return absl::InvalidArgumentError(StrCat("open order ", client_order_id, ": instrument index ",
                                             instrument, " is not in the instrument table"));
  }
  if (SideSign(side) == 0) {
    return absl::InvalidArgumentError(
        StrCat("open order ", client_order_id, ": side is unspecified"));
  }
  OpenOrder order;
  order.strategy = StrategySlot(strategy_id);
  order.instrument = instrument;
  order.side = side;
  order.type = type;
  order.price = type == orders::v1::ORDER_TYPE_MARKET ? Price::Zero() : price;
  order.remaining = remaining;
  order.reduce_only = reduce_only;
  order.placed = placed;
  absl::Status added = open_orders_->Add(client_order_id, order);
  if (!added.ok()) return added;
  RefreshExposure(instrument);
  return absl::OkStatus();
}

void RiskState::OnOrderStatus(std::string_view client_order_id, OrderStatus status) {
  if (!IsFinal(status)) return;
  if (std::optional<InstrumentIndex> instrument = open_orders_->Remove(client_order_id)) {
    RefreshExposure(*instrument);
  }
}

absl::StatusOr<FillOutcome> RiskState::OnFill(const Fill& fill) {
  absl::StatusOr<FillOutcome> outcome = ledger_.ApplyFill(fill);
  if (!outcome.ok() || *outcome == FillOutcome::kDuplicate) return outcome;
  open_orders_->Reduce(fill.client_order_id, fill.qty);
  RefreshExposure(fill.instrument);
  return outcome;
}

absl::Status RiskState::RestorePosition(const v1::Position& position) {
  absl::Status restored = ledger_.RestorePosition(position);
  if (!restored.ok()) return restored;
  if (std::optional<InstrumentIndex> index =
          instruments_->Find(InstrumentId::FromProto(position.instrument()))) {
    RefreshExposure(*index);
  }
  return absl::OkStatus();
}

std::vector<v1::Position> RiskState::Positions(bool by_strategy) const {
  std::vector<v1::Position> positions = ledger_.Positions(by_strategy);
  // Open quantities by (instrument, strategy id; empty = all).
  std::map<std::pair<InstrumentIndex, std::string>, std::pair<int64_t, int64_t>> open;
  std::vector<std::string_view> strategy_names(strategy_buckets_.size());
  for (const auto& [name, slot] : strategy_slots_) strategy_names[slot] = name;
  open_orders_->ForEach([&](const OpenOrder& o) {
    std::string key = by_strategy ? std::string(strategy_names[o.strategy]) : std::string();
    auto& [buy, sell] = open[{o.instrument, key}];
    (o.side == common::v1::SIDE_BUY ? buy : sell) += o.remaining.raw();
  });
  for (v1::Position& p : positions) {
    std::optional<InstrumentIndex> index =
        instruments_->Find(InstrumentId::FromProto(p.instrument()));
    auto it = open.find({*index, p.strategy_id()});
    if (it == open.end()) continue;
    p.set_open_buy_qty(it->second.first);
    p.set_open_sell_qty(it->second.second);
    open.erase(it);
  }
  // Open orders where nothing has traded yet.
  for (const auto& [key, qty] : open) {
    v1::Position& p = positions.emplace_back();
    instruments_->at(key.first).id.ToProto(p.mutable_instrument());
    p.set_strategy_id(key.second);
    p.set_quote_currency(ledger_.quote_currency(key.first));
    if (std::optional<Price> mark = ledger_.mark(key.first)) p.set_mark_price(mark->raw());
    p.set_open_buy_qty(qty.first);
    p.set_open_sell_qty(qty.second);
  }
  return positions;
}

std::optional<std::pair<InstrumentIndex, Timestamp>> RiskState::StalestMarketData() const {
  std::optional<std::pair<InstrumentIndex, Timestamp>> stalest;
  for (const InstrumentRiskLimits& il : limits_->instruments()) {
    if (!il.enabled) continue;
    Timestamp t = market_.at(il.instrument).last_update;
    if (!stalest.has_value() || t < stalest->second) stalest = {il.instrument, t};
  }
  return stalest;
}

}  // namespace tradeplane::risk
