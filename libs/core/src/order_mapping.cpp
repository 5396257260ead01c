#include "tradeplane/core/order_mapping.h"

#include "tradeplane/core/ids.h"
#include "tradeplane/core/str_cat.h"

namespace tradeplane {
namespace {

absl::StatusOr<InstrumentIndex> Resolve(const common::v1::InstrumentId& id,
                                        const InstrumentTable& instruments) {
  std::optional<InstrumentIndex> i = instruments.Find(id.venue(), id.symbol());
  if (!i) {
    return absl::NotFoundError(
        StrCat("unknown instrument ", InstrumentId::FromProto(id).ToString()));
  }
  return *i;
}

}  // namespace

absl::StatusOr<OrderIntent> IntentFromProto(const signal::v1::OrderIntent& p,
                                            const InstrumentTable& instruments) {
  if (p.intent_id().empty()) return absl::InvalidArgumentError("intent_id is empty");
  // A cancel names the order it cancels (cancel_client_order_id, checked
  // below) and places none: its own client_order_id may be empty.
  if (p.cancel_client_order_id().empty() || !p.client_order_id().empty()) {
    absl::Status id_ok = ValidateClientOrderId(p.client_order_id());
    if (!id_ok.ok())
      return absl::InvalidArgumentError(StrCat("client_order_id: ", ToStd(id_ok.message())));
  }
  if (p.strategy_id().empty()) return absl::InvalidArgumentError("strategy_id is empty");
  absl::StatusOr<InstrumentIndex> instrument = Resolve(p.instrument(), instruments);
  if (!instrument.ok()) return instrument.status();
  OrderIntent i;
  i.intent_id = p.intent_id();
  i.client_order_id = p.client_order_id();
  i.strategy_id = p.strategy_id();
  i.instrument = *instrument;
  i.reason = p.reason();
  i.confidence = p.confidence();
  i.created = Timestamp::FromNanos(p.created_ns());
  i.cancel_client_order_id = p.cancel_client_order_id();
  if (i.is_cancel()) {
    absl::Status c = ValidateClientOrderId(i.cancel_client_order_id);
    if (!c.ok())
      return absl::InvalidArgumentError(StrCat("cancel_client_order_id: ", ToStd(c.message())));
    return i;
  }
  if (p.side() != common::v1::SIDE_BUY && p.side() != common::v1::SIDE_SELL) {
    return absl::InvalidArgumentError("side must be BUY or SELL");
  }
  i.side = p.side();
  i.type = p.order_type() == orders::v1::ORDER_TYPE_UNSPECIFIED ? orders::v1::ORDER_TYPE_LIMIT
                                                                : p.order_type();
  i.time_in_force = p.time_in_force() == orders::v1::TIME_IN_FORCE_UNSPECIFIED
                        ? orders::v1::TIME_IN_FORCE_GTC
                        : p.time_in_force();
  i.qty = Quantity::FromRaw(p.qty());
  i.price = Price::FromRaw(p.price());
  i.reduce_only = p.reduce_only();
  if (!i.qty.is_positive()) {
    return absl::InvalidArgumentError(StrCat("qty ", i.qty.ToString(), " is not positive"));
  }
  if (i.type != orders::v1::ORDER_TYPE_MARKET && !i.price.is_positive()) {
    return absl::InvalidArgumentError(
        StrCat("a limit order needs a positive price (got ", i.price.ToString(), ")"));
  }
  if (i.type == orders::v1::ORDER_TYPE_MARKET && i.price.is_negative()) {
    return absl::InvalidArgumentError("price is negative");
  }
  return i;
}

void IntentToProto(const OrderIntent& i, const InstrumentTable& instruments,
                   signal::v1::OrderIntent* out) {
  out->set_intent_id(i.intent_id);
  out->set_client_order_id(i.client_order_id);
  out->set_strategy_id(i.strategy_id);
  instruments.at(i.instrument).id.ToProto(out->mutable_instrument());
  out->set_side(i.side);
  out->set_order_type(i.type);
  out->set_time_in_force(i.time_in_force);
  out->set_qty(i.qty.raw());
  out->set_price(i.price.raw());
  out->set_reduce_only(i.reduce_only);
  out->set_reason(i.reason);
  out->set_confidence(i.confidence);
  out->set_created_ns(i.created.nanos());
  out->set_cancel_client_order_id(i.cancel_client_order_id);
}

absl::StatusOr<Fill> FillFromProto(const orders::v1::Fill& p, const InstrumentTable& instruments) {
  if (p.fill_id().empty()) return absl::InvalidArgumentError("fill_id is empty");
  absl::StatusOr<InstrumentIndex> instrument = Resolve(p.instrument(), instruments);
  if (!instrument.ok()) return instrument.status();
  if (p.side() != common::v1::SIDE_BUY && p.side() != common::v1::SIDE_SELL) {
    return absl::InvalidArgumentError(StrCat("fill ", p.fill_id(), ": side must be BUY or SELL"));
  }
  if (p.qty() <= 0 || p.price() <= 0) {
    return absl::InvalidArgumentError(
        StrCat("fill ", p.fill_id(), ": price and quantity must be positive"));
  }
  Fill f;
  f.fill_id = p.fill_id();
  f.client_order_id = p.client_order_id();
  f.venue_order_id = p.venue_order_id();
  f.venue_trade_id = p.venue_trade_id();
  f.strategy_id = p.strategy_id();
  f.instrument = *instrument;
  f.side = p.side();
  f.price = Price::FromRaw(p.price());
  f.qty = Quantity::FromRaw(p.qty());
  f.fee = Amount::FromRaw(p.fee());
  f.fee_asset = p.fee_asset();
  f.liquidity = p.liquidity();
  f.time = Timestamp::FromNanos(p.exchange_time_ns());
  return f;
}

void FillToProto(const Fill& f, const InstrumentTable& instruments, orders::v1::Fill* out) {
  out->set_fill_id(f.fill_id);
  out->set_client_order_id(f.client_order_id);
  out->set_venue_order_id(f.venue_order_id);
  out->set_venue_trade_id(f.venue_trade_id);
  out->set_strategy_id(f.strategy_id);
  instruments.at(f.instrument).id.ToProto(out->mutable_instrument());
  out->set_side(f.side);
  out->set_price(f.price.raw());
  out->set_qty(f.qty.raw());
  out->set_fee(f.fee.raw());
  out->set_fee_asset(f.fee_asset);
  out->set_liquidity(f.liquidity);
  out->set_exchange_time_ns(f.time.nanos());
}

}  // namespace tradeplane
