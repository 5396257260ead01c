// The order endpoints of RestApi: new, test, cancel, query, cancel-replace,
// open orders and cancel-all.
#include "tradeplane/binance_api/vocabulary.h"
#include "tradeplane/core/ids.h"
#include "tradeplane/core/str_cat.h"

#include "json_out.h"
#include "rest_api.h"

namespace tradeplane::venue_sim {
namespace {

constexpr std::string_view kClientIdPattern = "^[\\.A-Z\\:/a-z0-9_-]{1,36}$";

// A client order id parameter: absent is fine (nullopt), present must be valid.
OrError<std::optional<std::string>> ReadClientId(RestParams& params, std::string_view name) {
  std::optional<std::string_view> v = params.Get(name);
  if (!v) return std::optional<std::string>();
  if (v->empty()) return binance_errors::ParamEmpty(name);
  if (!ValidateClientOrderId(*v).ok()) return binance_errors::IllegalChars(name, kClientIdPattern);
  return std::optional<std::string>(std::string(*v));
}

// cancelRestrictions: ONLY_NEW or ONLY_PARTIALLY_FILLED; "" = none.
OrError<std::string> ReadCancelRestrictions(RestParams& params) {
  std::optional<std::string_view> v = params.Get("cancelRestrictions");
  if (!v) return std::string();
  if (*v != "ONLY_NEW" && *v != "ONLY_PARTIALLY_FILLED") {
    return binance_errors::InvalidParameter("cancelRestrictions",
                                            "must be ONLY_NEW or ONLY_PARTIALLY_FILLED");
  }
  return std::string(*v);
}

bool RestrictionAllows(std::string_view restriction, const EngineOrder& o) {
  if (restriction == "ONLY_NEW") return o.status == orders::v1::ORDER_STATUS_NEW;
  if (restriction == "ONLY_PARTIALLY_FILLED") {
    return o.status == orders::v1::ORDER_STATUS_PARTIALLY_FILLED;
  }
  return true;
}

BinanceError RestrictedCancel() {
  return BinanceError{400, -2011, "Order was not canceled due to cancel restrictions.", ""};
}

}  // namespace

OrError<RestApi::ParsedOrder> RestApi::ReadNewOrder(Call& call, InstrumentIndex instrument) {
  RestParams& p = call.params;
  ParsedOrder out;
  out.order.account = call.account;
  out.order.instrument = instrument;

  OrError<std::string_view> side = p.Required("side");
  if (!side.ok()) return side.error;
  out.order.side = binance_api::SideFromText(*side);
  if (out.order.side == common::v1::SIDE_UNSPECIFIED) return binance_errors::InvalidSide();

  OrError<std::string_view> type = p.Required("type");
  if (!type.ok()) return type.error;
  out.order.type = binance_api::OrderTypeFromText(*type);
  if (out.order.type == orders::v1::ORDER_TYPE_UNSPECIFIED) {
    if (*type == "STOP_LOSS" || *type == "STOP_LOSS_LIMIT" || *type == "TAKE_PROFIT" ||
        *type == "TAKE_PROFIT_LIMIT") {
      return binance_errors::UnsupportedCombination(
          "Unsupported order combination: the simulator takes LIMIT, MARKET and LIMIT_MAKER.");
    }
    return binance_errors::InvalidOrderType();
  }
  bool limit = out.order.type == orders::v1::ORDER_TYPE_LIMIT;
  bool market = out.order.type == orders::v1::ORDER_TYPE_MARKET;

  std::optional<std::string_view> tif = p.Get("timeInForce");
  if (limit) {
    if (!tif || tif->empty()) return binance_errors::MandatoryMissing("timeInForce");
    out.order.time_in_force = binance_api::TimeInForceFromText(*tif);
    if (out.order.time_in_force == orders::v1::TIME_IN_FORCE_UNSPECIFIED) {
      return binance_errors::InvalidTimeInForce();
    }
  } else if (tif) {
    return binance_errors::ParamNotRequired("timeInForce");
  }

  for (std::string_view unsupported :
       {"quoteOrderQty", "stopPrice", "trailingDelta", "icebergQty", "pegPriceType"}) {
    if (p.Get(unsupported)) {
      return binance_errors::UnsupportedCombination(StrCat(
          "Unsupported order combination: the simulator does not take '", unsupported, "'."));
    }
  }
  OrError<std::optional<int64_t>> qty = p.Decimal("quantity");
  if (!qty.ok()) return qty.error;
  if (!qty->has_value()) return binance_errors::MandatoryMissing("quantity");
  out.order.qty = Quantity::FromRaw(**qty);

  OrError<std::optional<int64_t>> price = p.Decimal("price");
  if (!price.ok()) return price.error;
  if (market) {
    if (price->has_value()) return binance_errors::ParamNotRequired("price");
  } else {
    if (!price->has_value()) return binance_errors::MandatoryMissing("price");
    out.order.price = Price::FromRaw(**price);
  }

  OrError<std::optional<std::string>> client_id = ReadClientId(p, "newClientOrderId");
  if (!client_id.ok()) return client_id.error;
  out.order.client_order_id = client_id->value_or("");

  out.resp_type = limit || market ? OrderRespType::kFull : OrderRespType::kAck;
  if (std::optional<std::string_view> resp = p.Get("newOrderRespType")) {
    if (*resp == "ACK") {
      out.resp_type = OrderRespType::kAck;
    } else if (*resp == "RESULT") {
      out.resp_type = OrderRespType::kResult;
    } else if (*resp == "FULL") {
      out.resp_type = OrderRespType::kFull;
    } else {
      return binance_errors::InvalidParameter("newOrderRespType", "must be ACK, RESULT or FULL");
    }
  }
  if (std::optional<std::string_view> stp = p.Get("selfTradePreventionMode")) {
    if (*stp != "EXPIRE_TAKER") {
      return binance_errors::InvalidParameter(
          "selfTradePreventionMode", "the simulator prevents self-trades with EXPIRE_TAKER only");
    }
  }
  for (std::string_view ignored : {"strategyId", "strategyType"}) {
    OrError<std::optional<int64_t>> v = p.Int(ignored);
    if (!v.ok()) return v.error;
  }
  return out;
}

OrError<RestApi::OrderRef> RestApi::ReadOrderRef(Call& call, std::string_view id_name,
                                                 std::string_view client_id_name) {
  OrderRef ref;
  OrError<std::optional<int64_t>> id = call.params.Int(id_name);
  if (!id.ok()) return id.error;
  std::optional<std::string_view> client_id = call.params.Get(client_id_name);
  if (id->has_value()) {
    if (**id <= 0) return binance_errors::InvalidParameter(id_name, "must be positive");
    ref.order_id = static_cast<OrderId>(**id);
  }
  if (client_id && !client_id->empty()) ref.client_order_id = std::string(*client_id);
  if (ref.order_id == 0 && ref.client_order_id.empty()) {
    return BinanceError{400, -1102,
                        StrCat("Param '", client_id_name, "' or '", id_name,
                               "' must be sent, but both were empty/null!"),
                        ""};
  }
  return ref;
}

OrError<std::string> RestApi::NewOrder(Call& call) {
  OrError<InstrumentIndex> i = ReadSymbol(call, /*required=*/true);
  if (!i.ok()) return i.error;
  OrError<ParsedOrder> parsed = ReadNewOrder(call, *i);
  if (!parsed.ok()) return parsed.error;
  if (auto unread = call.params.CheckAllRead()) return *unread;

  PlaceResult result;
  Timestamp at;
  if (sim_.Execute(call.lock, [&](Timestamp t) {
        result = exchange_.Place(parsed->order, t);
        at = t;
      }) != Simulation::Outcome::kDone) {
    return binance_errors::BackendTimeout();
  }
  if (faults_.ack_delay.count() > 0) {
    call.extra.delay = faults_.ack_delay;
    ++faults_.acks_delayed;
  }
  if (result.order_id == 0) return RejectError(result.reject_reason);
  if (faults_.drop_acks > 0) {
    --faults_.drop_acks;
    ++faults_.acks_dropped;
    call.extra.drop_connection = true;
  }
  const EngineOrder* o = exchange_.Find(call.account, *i, result.order_id, "");
  JsonOut out;
  WriteNewOrderResponse(out, exchange_.spec(*i).id.symbol, *o, exchange_.meta(*i, o->id),
                        parsed->resp_type, result.fills, exchange_.spec(*i).quote_asset,
                        at.millis());
  return out.Take();
}

OrError<std::string> RestApi::TestOrder(Call& call) {
  OrError<InstrumentIndex> i = ReadSymbol(call, /*required=*/true);
  if (!i.ok()) return i.error;
  OrError<ParsedOrder> parsed = ReadNewOrder(call, *i);
  if (!parsed.ok()) return parsed.error;
  if (std::optional<std::string_view> rates = call.params.Get("computeCommissionRates")) {
    if (*rates == "true") {
      return binance_errors::UnsupportedCombination(
          "Unsupported order combination: computeCommissionRates is not simulated.");
    }
  }
  if (auto unread = call.params.CheckAllRead()) return *unread;
  return std::string("{}");
}

OrError<std::string> RestApi::CancelOrder(Call& call) {
  OrError<InstrumentIndex> i = ReadSymbol(call, /*required=*/true);
  if (!i.ok()) return i.error;
  OrError<OrderRef> ref = ReadOrderRef(call, "orderId", "origClientOrderId");
  if (!ref.ok()) return ref.error;
  OrError<std::optional<std::string>> cancel_id = ReadClientId(call.params, "newClientOrderId");
  if (!cancel_id.ok()) return cancel_id.error;
  OrError<std::string> restriction = ReadCancelRestrictions(call.params);
  if (!restriction.ok()) return restriction.error;
  if (auto unread = call.params.CheckAllRead()) return *unread;

  std::optional<BinanceError> error;
  std::string body;
  if (sim_.Execute(call.lock, [&](Timestamp t) {
        const EngineOrder* o =
            exchange_.Find(call.account, *i, ref->order_id, ref->client_order_id);
        if (o == nullptr || !o->is_open()) {
          error = binance_errors::CancelRejected();
          return;
        }
        if (!RestrictionAllows(*restriction, *o)) {
          error = RestrictedCancel();
          return;
        }
        const EngineOrder* canceled =
            exchange_.Cancel(call.account, *i, o->id, "", cancel_id->value_or(""), t);
        if (canceled == nullptr) {
          error = binance_errors::CancelRejected();
          return;
        }
        JsonOut out;
        WriteCancel(out, exchange_.spec(*i).id.symbol, *canceled, exchange_.meta(*i, canceled->id),
                    t.millis());
        body = out.Take();
      }) != Simulation::Outcome::kDone) {
    return binance_errors::BackendTimeout();
  }
  if (faults_.ack_delay.count() > 0) {
    call.extra.delay = faults_.ack_delay;
    ++faults_.acks_delayed;
  }
  if (error) return *error;
  return body;
}

OrError<std::string> RestApi::QueryOrder(Call& call) {
  OrError<InstrumentIndex> i = ReadSymbol(call, /*required=*/true);
  if (!i.ok()) return i.error;
  OrError<OrderRef> ref = ReadOrderRef(call, "orderId", "origClientOrderId");
  if (!ref.ok()) return ref.error;
  if (auto unread = call.params.CheckAllRead()) return *unread;
  sim_.CatchUp();
  const EngineOrder* o = exchange_.Find(call.account, *i, ref->order_id, ref->client_order_id);
  if (o == nullptr) return binance_errors::NoSuchOrder();
  JsonOut out;
  WriteOrder(out, exchange_.spec(*i).id.symbol, *o, exchange_.meta(*i, o->id));
  return out.Take();
}

OrError<std::string> RestApi::OpenOrders(Call& call) {
  OrError<InstrumentIndex> one = ReadSymbol(call, /*required=*/false);
  if (!one.ok() && one.error.code != 0) return one.error;
  if (auto unread = call.params.CheckAllRead()) return *unread;
  sim_.CatchUp();
  JsonOut out;
  out.BeginArray();
  for (InstrumentIndex i = 0; i < exchange_.instrument_count(); ++i) {
    if (one.ok() && *one != i) continue;
    for (const EngineOrder* o : exchange_.OpenOrders(call.account, i)) {
      WriteOrder(out, exchange_.spec(i).id.symbol, *o, exchange_.meta(i, o->id));
    }
  }
  out.EndArray();
  return out.Take();
}

OrError<std::string> RestApi::CancelOpenOrders(Call& call) {
  OrError<InstrumentIndex> i = ReadSymbol(call, /*required=*/true);
  if (!i.ok()) return i.error;
  if (auto unread = call.params.CheckAllRead()) return *unread;
  std::string body;
  bool none = false;
  if (sim_.Execute(call.lock, [&](Timestamp t) {
        std::vector<const EngineOrder*> canceled = exchange_.CancelAll(call.account, *i, t);
        if (canceled.empty()) {
          none = true;
          return;
        }
        JsonOut out;
        out.BeginArray();
        for (const EngineOrder* o : canceled) {
          WriteCancel(out, exchange_.spec(*i).id.symbol, *o, exchange_.meta(*i, o->id), t.millis());
        }
        out.EndArray();
        body = out.Take();
      }) != Simulation::Outcome::kDone) {
    return binance_errors::BackendTimeout();
  }
  if (faults_.ack_delay.count() > 0) {
    call.extra.delay = faults_.ack_delay;
    ++faults_.acks_delayed;
  }
  if (none) return binance_errors::CancelRejected();
  return body;
}

OrError<std::string> RestApi::CancelReplace(Call& call) {
  OrError<InstrumentIndex> i = ReadSymbol(call, /*required=*/true);
  if (!i.ok()) return i.error;
  OrError<std::string_view> mode = call.params.Required("cancelReplaceMode");
  if (!mode.ok()) return mode.error;
  bool allow_failure = *mode == "ALLOW_FAILURE";
  if (!allow_failure && *mode != "STOP_ON_FAILURE") {
    return binance_errors::InvalidParameter("cancelReplaceMode",
                                            "must be STOP_ON_FAILURE or ALLOW_FAILURE");
  }
  OrError<OrderRef> ref = ReadOrderRef(call, "cancelOrderId", "cancelOrigClientOrderId");
  if (!ref.ok()) return ref.error;
  OrError<std::optional<std::string>> cancel_id =
      ReadClientId(call.params, "cancelNewClientOrderId");
  if (!cancel_id.ok()) return cancel_id.error;
  OrError<std::string> restriction = ReadCancelRestrictions(call.params);
  if (!restriction.ok()) return restriction.error;
  (void)call.params.Get("orderRateLimitExceededMode");  // no order-count limits here
  OrError<ParsedOrder> parsed = ReadNewOrder(call, *i);
  if (!parsed.ok()) return parsed.error;
  if (auto unread = call.params.CheckAllRead()) return *unread;

  const std::string& symbol = exchange_.spec(*i).id.symbol;
  std::string cancel_json;  // the cancel's response or its error
  std::string new_json;     // the new order's response or its error; empty: not attempted
  bool cancel_ok = false;
  bool new_ok = false;
  if (sim_.Execute(call.lock, [&](Timestamp t) {
        const EngineOrder* o =
            exchange_.Find(call.account, *i, ref->order_id, ref->client_order_id);
        if (o == nullptr || !o->is_open()) {
          cancel_json = binance_errors::CancelRejected().ToJson();
        } else if (!RestrictionAllows(*restriction, *o)) {
          cancel_json = RestrictedCancel().ToJson();
        } else {
          const EngineOrder* canceled =
              exchange_.Cancel(call.account, *i, o->id, "", cancel_id->value_or(""), t);
          cancel_ok = canceled != nullptr;
          if (cancel_ok) {
            JsonOut out;
            WriteCancel(out, symbol, *canceled, exchange_.meta(*i, canceled->id), t.millis());
            cancel_json = out.Take();
          } else {
            cancel_json = binance_errors::CancelRejected().ToJson();
          }
        }
        if (!cancel_ok && !allow_failure) return;
        PlaceResult placed = exchange_.Place(parsed->order, t);
        new_ok = placed.order_id != 0;
        if (!new_ok) {
          new_json = RejectError(placed.reject_reason).ToJson();
          return;
        }
        const EngineOrder* n = exchange_.Find(call.account, *i, placed.order_id, "");
        JsonOut out;
        WriteNewOrderResponse(out, symbol, *n, exchange_.meta(*i, n->id), parsed->resp_type,
                              placed.fills, exchange_.spec(*i).quote_asset, t.millis());
        new_json = out.Take();
      }) != Simulation::Outcome::kDone) {
    return binance_errors::BackendTimeout();
  }
  if (faults_.ack_delay.count() > 0) {
    call.extra.delay = faults_.ack_delay;
    ++faults_.acks_delayed;
  }
  if (new_ok && faults_.drop_acks > 0) {
    --faults_.drop_acks;
    ++faults_.acks_dropped;
    call.extra.drop_connection = true;
  }
  std::string_view cancel_result = cancel_ok ? "SUCCESS" : "FAILURE";
  std::string_view new_result = new_json.empty() ? "NOT_ATTEMPTED" : new_ok ? "SUCCESS" : "FAILURE";
  std::string data = StrCat("\"cancelResult\":\"", cancel_result, "\",\"newOrderResult\":\"",
                            new_result, "\",\"cancelResponse\":", cancel_json,
                            ",\"newOrderResponse\":", new_json.empty() ? "null" : new_json);
  if (cancel_ok && new_ok) return StrCat("{", data, "}");
  // One of the two happened: 409 and -2021; neither: 400 and -2022.
  bool partial = cancel_ok || new_ok;
  return BinanceError{
      partial ? 409 : 400, partial ? -2021 : -2022,
      partial ? "Order cancel-replace partially failed." : "Order cancel-replace failed.",
      StrCat("\"data\":{", data, "}")};
}

}  // namespace tradeplane::venue_sim
