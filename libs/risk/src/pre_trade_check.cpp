#include "tradeplane/risk/pre_trade_check.h"

#include "tradeplane/core/enum_names.h"
#include "tradeplane/core/str_cat.h"
#include "tradeplane/risk/open_orders.h"

#include "exposure_check.h"
#include "order_description.h"
#include "price_collar.h"

namespace tradeplane::risk {
namespace {

using fixed_point::Int128;

std::string Fmt(int64_t raw) { return fixed_point::FormatRaw(raw); }
std::string Fmt128(Int128 raw) {
  if (raw > fixed_point::kMaxRaw) return "(above 9223372036)";
  if (raw < fixed_point::kMinRaw) return "(below -9223372036)";
  return Fmt(static_cast<int64_t>(raw));
}

std::string Seconds(Duration d) { return fixed_point::FormatRaw(d.count()); }

Decision CheckFields(const OrderIntent& intent, const RiskState& state) {
  if (intent.strategy_id.empty()) {
    return Decision::Refuse(v1::REFUSAL_CODE_INVALID_FIELD, "strategy_id is empty");
  }
  if (intent.client_order_id.empty() || intent.client_order_id.size() > kMaxClientOrderIdLength) {
    return Decision::Refuse(
        v1::REFUSAL_CODE_INVALID_FIELD,
        StrCat("client_order_id '", std::string_view(intent.client_order_id).substr(0, 64),
               "' must have 1 to ", kMaxClientOrderIdLength, " characters"));
  }
  if (intent.instrument >= state.instruments().size()) {
    return Decision::Refuse(
        v1::REFUSAL_CODE_UNKNOWN_INSTRUMENT,
        StrCat("instrument index ", intent.instrument, " is not in the instrument table"));
  }
  if (state.limits().instrument(intent.instrument) == nullptr) {
    return Decision::Refuse(
        v1::REFUSAL_CODE_UNKNOWN_INSTRUMENT,
        StrCat(state.instruments().at(intent.instrument).id.ToString(), " has no risk limits"));
  }
  if (SideSign(intent.side) == 0) {
    return Decision::Refuse(v1::REFUSAL_CODE_INVALID_FIELD, "side is not BUY or SELL");
  }
  if (intent.type != orders::v1::ORDER_TYPE_LIMIT && intent.type != orders::v1::ORDER_TYPE_MARKET &&
      intent.type != orders::v1::ORDER_TYPE_LIMIT_MAKER) {
    return Decision::Refuse(v1::REFUSAL_CODE_INVALID_FIELD,
                            "order type is not LIMIT, MARKET or LIMIT_MAKER");
  }
  if (intent.time_in_force != orders::v1::TIME_IN_FORCE_GTC &&
      intent.time_in_force != orders::v1::TIME_IN_FORCE_IOC &&
      intent.time_in_force != orders::v1::TIME_IN_FORCE_FOK) {
    return Decision::Refuse(v1::REFUSAL_CODE_INVALID_FIELD, "time in force is not GTC, IOC or FOK");
  }
  if (!intent.qty.is_positive()) {
    return Decision::Refuse(v1::REFUSAL_CODE_INVALID_FIELD,
                            StrCat("quantity ", intent.qty.ToString(), " is not positive"));
  }
  if (IsMarket(intent)) {
    if (!intent.price.is_zero()) {
      return Decision::Refuse(
          v1::REFUSAL_CODE_INVALID_FIELD,
          StrCat("a market order carries no price (got ", intent.price.ToString(), ")"));
    }
  } else if (!intent.price.is_positive()) {
    return Decision::Refuse(v1::REFUSAL_CODE_INVALID_FIELD,
                            intent.price.is_zero()
                                ? std::string("a limit order needs a price")
                                : StrCat("price ", intent.price.ToString(), " is not positive"));
  }
  if (state.open_orders().Find(intent.client_order_id) != nullptr) {
    return Decision::Refuse(
        v1::REFUSAL_CODE_INVALID_FIELD,
        StrCat("client_order_id ", intent.client_order_id, " is already used by an open order"));
  }
  return Decision::Approve();
}

Decision CheckMarketData(const OrderIntent& intent, const RiskState& state,
                         const InstrumentRiskLimits& il, Timestamp now) {
  const InstrumentMarket& m = state.market().at(intent.instrument);
  const InstrumentId& id = il.spec.id;
  if (!m.has_update()) {
    return Decision::Refuse(v1::REFUSAL_CODE_MARKET_DATA_STALE,
                            StrCat("no market data for ", id.ToString(), " has arrived yet"));
  }
  if (m.feed_down) {
    return Decision::Refuse(v1::REFUSAL_CODE_MARKET_DATA_STALE,
                            StrCat("the market data feed for ", id.ToString(), " is down"));
  }
  Duration age = now - m.last_update;
  if (il.stale_after.count() > 0 && age > il.stale_after) {
    return Decision::Refuse(v1::REFUSAL_CODE_MARKET_DATA_STALE,
                            StrCat("market data for ", id.ToString(), " is ", Seconds(age),
                                   " s old, above stale_after ", Seconds(il.stale_after), " s"));
  }
  if (m.Crossed()) {
    return Decision::Refuse(
        v1::REFUSAL_CODE_BOOK_CROSSED,
        StrCat("the book of ", id.ToString(), " is crossed (bid ", m.bid_price.ToString(),
               " at or above ask ", m.ask_price.ToString(), ")"));
  }
  if (!state.ReferencePrice(intent.instrument).has_value()) {
    return Decision::Refuse(
        v1::REFUSAL_CODE_NO_REFERENCE_PRICE,
        il.reference_price == v1::REFERENCE_PRICE_LAST
            ? StrCat("no last trade price for ", id.ToString(), " yet")
            : StrCat("no mid price for ", id.ToString(), ": a side of the book is empty"));
  }
  return Decision::Approve();
}

Decision CheckQuantityAndPrice(const OrderIntent& intent, const InstrumentRiskLimits& il) {
  if (!IsMarket(intent)) {
    if (absl::Status s = il.spec.CheckPrice(intent.price); !s.ok()) {
      return Decision::Refuse(v1::REFUSAL_CODE_OFF_TICK, std::string(ToStd(s.message())));
    }
  }
  if (absl::Status s = il.spec.CheckQuantity(intent.qty); !s.ok()) {
    return Decision::Refuse(v1::REFUSAL_CODE_OFF_LOT, std::string(ToStd(s.message())));
  }
  if (il.min_qty.is_positive() && intent.qty < il.min_qty) {
    return Decision::Refuse(v1::REFUSAL_CODE_QTY_BELOW_MIN,
                            StrCat("quantity ", intent.qty.ToString(), " is below min_qty ",
                                   il.min_qty.ToString(), " of ", il.spec.id.ToString()));
  }
  if (il.max_qty.is_positive() && intent.qty > il.max_qty) {
    return Decision::Refuse(v1::REFUSAL_CODE_QTY_ABOVE_MAX,
                            StrCat("quantity ", intent.qty.ToString(), " is above max_qty ",
                                   il.max_qty.ToString(), " of ", il.spec.id.ToString()));
  }
  return Decision::Approve();
}

Decision CheckNotional(const OrderIntent& intent, const RiskState& state,
                       const InstrumentRiskLimits& il, const StrategyRiskLimits& sl,
                       Amount notional) {
  const std::string& ccy = il.quote_currency;
  if (il.min_notional.is_positive() && notional < il.min_notional) {
    return Decision::Refuse(
        v1::REFUSAL_CODE_NOTIONAL_BELOW_MIN,
        StrCat("notional ", notional.ToString(), " ", ccy, " of the ", Describe(intent, state),
               " is below min_notional ", il.min_notional.ToString(), " ", ccy));
  }
  if (il.max_notional.is_positive() && notional > il.max_notional) {
    return Decision::Refuse(
        v1::REFUSAL_CODE_NOTIONAL_ABOVE_MAX,
        StrCat("notional ", notional.ToString(), " ", ccy, " of the ", Describe(intent, state),
               " is above max_notional ", il.max_notional.ToString(), " ", ccy));
  }
  if (!il.quote_rate.has_value()) {
    return Decision::Refuse(
        v1::REFUSAL_CODE_NO_CONVERSION_RATE,
        StrCat("no conversion rate from ", ccy, " (", il.spec.id.ToString(),
               ") to the valuation currency ", state.limits().valuation_currency()));
  }
  if (sl.max_order_notional.is_positive()) {
    absl::StatusOr<int64_t> value =
        fixed_point::MulRaw(notional.raw(), il.quote_rate->raw(), Rounding::kHalfEven);
    if (!value.ok() || *value > sl.max_order_notional.raw()) {
      const std::string& val_ccy = state.limits().valuation_currency();
      return Decision::Refuse(
          v1::REFUSAL_CODE_NOTIONAL_ABOVE_MAX,
          StrCat("notional ", value.ok() ? Fmt(*value) : std::string("(out of range)"), " ",
                 val_ccy, " of the ", Describe(intent, state), " is above strategy ", sl.id,
                 "'s max_notional ", sl.max_order_notional.ToString(), " ", val_ccy));
    }
  }
  return Decision::Approve();
}

// Whether the order can only bring the instrument's net position toward zero,
// even if every open order on its side fills first.
bool Reduces(const OrderIntent& intent, const RiskState& state) {
  const int64_t p = state.ledger().NetQty(intent.instrument).raw();
  const InstrumentOpenOrders& open = state.open_orders().ForInstrument(intent.instrument);
  if (IsBuy(intent)) {
    return p < 0 &&
           static_cast<Int128>(open.buy_qty.raw()) + intent.qty.raw() <= -static_cast<Int128>(p);
  }
  return p > 0 && static_cast<Int128>(open.sell_qty.raw()) + intent.qty.raw() <= p;
}

Decision CheckReducing(const OrderIntent& intent, const RiskState& state, bool reduces) {
  if (reduces) return Decision::Approve();
  bool reducing_mode = state.modes().mode() == v1::TRADING_MODE_REDUCING;
  if (!intent.reduce_only && !reducing_mode) return Decision::Approve();
  const InstrumentOpenOrders& open = state.open_orders().ForInstrument(intent.instrument);
  std::string why = StrCat("the ", Describe(intent, state), " would not reduce the position (",
                           state.ledger().NetQty(intent.instrument).ToString(), ", open ",
                           IsBuy(intent) ? "buys " : "sells ",
                           (IsBuy(intent) ? open.buy_qty : open.sell_qty).ToString(), ")");
  if (intent.reduce_only) {
    return Decision::Refuse(v1::REFUSAL_CODE_REDUCE_ONLY, StrCat("reduce-only: ", why));
  }
  return Decision::Refuse(v1::REFUSAL_CODE_MODE, StrCat("trading mode is REDUCING and ", why));
}

Decision CheckSelfTrade(const OrderIntent& intent, const RiskState& state) {
  const InstrumentOpenOrders& open = state.open_orders().ForInstrument(intent.instrument);
  bool crosses = false;
  Price resting;
  if (IsBuy(intent) && open.has_limit_sell) {
    crosses = IsMarket(intent) || intent.price >= open.lowest_sell;
    resting = open.lowest_sell;
  } else if (!IsBuy(intent) && open.has_limit_buy) {
    crosses = IsMarket(intent) || intent.price <= open.highest_buy;
    resting = open.highest_buy;
  }
  if (!crosses) return Decision::Approve();
  return Decision::Refuse(v1::REFUSAL_CODE_SELF_TRADE,
                          StrCat("the ", Describe(intent, state), " would cross our own resting ",
                                 IsBuy(intent) ? "sell" : "buy", " at ", resting.ToString()));
}

Decision CheckPosition(const OrderIntent& intent, const RiskState& state,
                       const InstrumentRiskLimits& il) {
  const int64_t p = state.ledger().NetQty(intent.instrument).raw();
  const InstrumentOpenOrders& open = state.open_orders().ForInstrument(intent.instrument);
  const Int128 max = il.max_position.raw();
  if (IsBuy(intent)) {
    Int128 projected = static_cast<Int128>(p) + open.buy_qty.raw() + intent.qty.raw();
    if (projected <= max) return Decision::Approve();
    return Decision::Refuse(
        v1::REFUSAL_CODE_MAX_POSITION,
        StrCat("projected long position ", Fmt128(projected), " of ", il.spec.id.ToString(),
               " (position ", Fmt(p), " + open buys ", open.buy_qty.ToString(), " + this order ",
               intent.qty.ToString(), ") is above max_position ", il.max_position.ToString()));
  }
  Int128 projected = static_cast<Int128>(p) - open.sell_qty.raw() - intent.qty.raw();
  if (projected >= -max) return Decision::Approve();
  return Decision::Refuse(
      v1::REFUSAL_CODE_MAX_POSITION,
      StrCat("projected short position ", Fmt128(projected), " of ", il.spec.id.ToString(),
             " (position ", Fmt(p), " - open sells ", open.sell_qty.ToString(), " - this order ",
             intent.qty.ToString(), ") is beyond max_position ", il.max_position.ToString()));
}

Decision CheckOpenOrdersAndRates(const OrderIntent& intent, const RiskState& state,
                                 const InstrumentRiskLimits& il, const StrategyRiskLimits& sl,
                                 Timestamp now) {
  const RiskLimits& limits = state.limits();
  size_t open = state.open_orders().size();
  if (open + 1 > limits.max_open_orders()) {
    return Decision::Refuse(v1::REFUSAL_CODE_MAX_OPEN_ORDERS,
                            StrCat(open, " orders are open: max_open_orders ",
                                   limits.max_open_orders(), " allows no more"));
  }
  if (sl.max_open_orders > 0) {
    uint32_t strategy_open = state.StrategyOpenOrders(intent.strategy_id);
    if (strategy_open + 1 > sl.max_open_orders) {
      return Decision::Refuse(
          v1::REFUSAL_CODE_MAX_OPEN_ORDERS,
          StrCat("strategy ", sl.id, " has ", strategy_open, " open orders: its max_open_orders ",
                 sl.max_open_orders, " allows no more"));
    }
  }
  if (!state.StrategyBucket(intent.strategy_id).CanTake(sl.order_rate, now)) {
    return Decision::Refuse(
        v1::REFUSAL_CODE_ORDER_RATE,
        StrCat("strategy ", sl.id, " is above its order rate of ", sl.order_rate.per_second,
               "/s (burst ", sl.order_rate.burst, ")"));
  }
  if (!state.OrderBucket(intent.instrument).CanTake(il.order_rate, now)) {
    return Decision::Refuse(
        v1::REFUSAL_CODE_ORDER_RATE,
        StrCat(il.spec.id.ToString(), " is above its order rate of ", il.order_rate.per_second,
               "/s (burst ", il.order_rate.burst, ")"));
  }
  return Decision::Approve();
}

Decision EvaluateCancel(const OrderIntent& intent, const RiskState& state, Timestamp now) {
  if (intent.strategy_id.empty()) {
    return Decision::Refuse(v1::REFUSAL_CODE_INVALID_FIELD, "strategy_id is empty");
  }
  std::string_view target = intent.cancel_client_order_id;
  const OpenOrder* order =
      target.size() <= kMaxClientOrderIdLength ? state.open_orders().Find(target) : nullptr;
  if (order == nullptr) {
    return Decision::Refuse(
        v1::REFUSAL_CODE_INVALID_FIELD,
        StrCat("cancel: no open order with client_order_id ", target.substr(0, 64)));
  }
  std::optional<uint32_t> slot = state.FindStrategySlot(intent.strategy_id);
  if (!slot.has_value() || *slot != order->strategy) {
    return Decision::Refuse(
        v1::REFUSAL_CODE_INVALID_FIELD,
        StrCat("cancel: order ", target, " belongs to another strategy than ", intent.strategy_id));
  }
  const InstrumentRiskLimits* il = state.limits().instrument(order->instrument);
  if (il != nullptr && !state.CancelBucket(order->instrument).CanTake(il->cancel_rate, now)) {
    return Decision::Refuse(v1::REFUSAL_CODE_CANCEL_RATE,
                            StrCat(il->spec.id.ToString(), " is above its cancel rate of ",
                                   il->cancel_rate.per_second, "/s"));
  }
  return Decision::Approve();
}

}  // namespace

Decision Evaluate(const OrderIntent& intent, const RiskState& state, Timestamp now) {
  if (intent.is_cancel()) return EvaluateCancel(intent, state, now);

  // 1. The intent itself.
  if (Decision d = CheckFields(intent, state); !d.approved) return d;
  const InstrumentRiskLimits& il = *state.limits().instrument(intent.instrument);

  // 2. Trading mode (REDUCING is decided at step 8, with the position).
  v1::TradingMode mode = state.modes().mode();
  if (mode != v1::TRADING_MODE_ACTIVE && mode != v1::TRADING_MODE_REDUCING) {
    return Decision::Refuse(v1::REFUSAL_CODE_MODE,
                            StrCat("trading mode is ", ShortEnumName(mode), ": no new orders"));
  }
  // 3. Strategy and instrument enabled, not blocked.
  const StrategyRiskLimits* sl = state.limits().strategy(intent.strategy_id);
  if (sl == nullptr || !sl->enabled) {
    return Decision::Refuse(
        v1::REFUSAL_CODE_STRATEGY_BLOCKED,
        StrCat("strategy ", intent.strategy_id,
               sl == nullptr ? " has no risk limits" : " is disabled in the risk limits"));
  }
  if (!il.enabled) {
    return Decision::Refuse(v1::REFUSAL_CODE_INSTRUMENT_DISABLED,
                            StrCat(il.spec.id.ToString(), " is disabled in the risk limits"));
  }
  if (const v1::Block* b = state.blocks().FindStrategy(intent.strategy_id)) {
    return Decision::Refuse(
        v1::REFUSAL_CODE_STRATEGY_BLOCKED,
        StrCat("strategy ", intent.strategy_id, " is blocked by ", b->actor(), " since ",
               FormatRfc3339(Timestamp::FromNanos(b->since_ns())), ": ", b->reason()));
  }
  if (const v1::Block* b = state.blocks().FindInstrument(intent.instrument)) {
    return Decision::Refuse(
        v1::REFUSAL_CODE_INSTRUMENT_BLOCKED,
        StrCat(il.spec.id.ToString(), " is blocked by ", b->actor(), " since ",
               FormatRfc3339(Timestamp::FromNanos(b->since_ns())), ": ", b->reason()));
  }
  // 4. Tick, lot, precision, min/max quantity.
  if (Decision d = CheckQuantityAndPrice(intent, il); !d.approved) return d;
  // 5. Market data fresh, book not crossed, a reference price.
  if (Decision d = CheckMarketData(intent, state, il, now); !d.approved) return d;
  // 6. Price collar (limit) or fillable depth within the collar (market),
  //    which also gives a market order's notional.
  Amount notional;
  if (Decision d = CheckCollar(intent, state, il, &notional); !d.approved) return d;
  // 7. Notional per order; the conversion rate; the strategy's notional cap.
  if (Decision d = CheckNotional(intent, state, il, *sl, notional); !d.approved) return d;
  // 8. Reduce-only, and REDUCING mode.
  bool reduces = Reduces(intent, state);
  if (Decision d = CheckReducing(intent, state, reduces); !d.approved) return d;
  // 9. Self-trade prevention.
  if (Decision d = CheckSelfTrade(intent, state); !d.approved) return d;
  // 10. Position limit.
  if (Decision d = CheckPosition(intent, state, il); !d.approved) return d;
  // 11. Gross and net exposure, concentration (not for orders that reduce).
  if (!reduces) {
    if (Decision d = CheckExposure(intent, state, il); !d.approved) return d;
  }
  // 12. Open orders and order rates.
  return CheckOpenOrdersAndRates(intent, state, il, *sl, now);
}

absl::Status RecordDecision(const OrderIntent& intent, const Decision& decision, Timestamp now,
                            RiskState* state) {
  if (!decision.approved) return absl::OkStatus();
  if (intent.is_cancel()) return state->RecordCancel(intent, now);
  return state->RecordNewOrder(intent, now);
}

Decision EvaluateAndRecord(const OrderIntent& intent, RiskState* state, Timestamp now) {
  Decision decision = Evaluate(intent, *state, now);
  absl::Status recorded = RecordDecision(intent, decision, now, state);
  if (!recorded.ok()) {
    // Evaluate approved what the state cannot hold (e.g. an open quantity
    // that overflows): refuse rather than send an order we do not track.
    return Decision::Refuse(v1::REFUSAL_CODE_INVALID_FIELD, std::string(ToStd(recorded.message())));
  }
  return decision;
}

}  // namespace tradeplane::risk
