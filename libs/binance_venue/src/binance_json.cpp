#include "tradeplane/binance_venue/binance_json.h"

#include <charconv>

#include "tradeplane/binance_api/vocabulary.h"
#include "tradeplane/core/enum_names.h"
#include "tradeplane/core/str_cat.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

namespace tradeplane::binance_venue {
namespace {

using execution::VenueError;
using execution::VenueErrorKind;
using execution::VenueErrorReason;
using execution::VenueOrder;
using rapidjson::Value;

// Every number is kept as its text (money must never pass through double).
constexpr unsigned kParseFlags = rapidjson::kParseNumbersAsStringsFlag;

absl::StatusOr<rapidjson::Document> ParseJson(std::string_view body, std::string_view what) {
  rapidjson::Document doc;
  doc.Parse<kParseFlags>(body.data(), body.size());
  if (doc.HasParseError()) {
    return absl::DataLossError(StrCat(what, ": the venue's answer is not JSON (",
                                      rapidjson::GetParseError_En(doc.GetParseError()),
                                      " at offset ", doc.GetErrorOffset(), ")"));
  }
  return doc;
}

const Value* Member(const Value& object, const char* name) {
  if (!object.IsObject()) return nullptr;
  auto it = object.FindMember(name);
  return it == object.MemberEnd() ? nullptr : &it->value;
}

absl::Status Missing(std::string_view what, const char* name) {
  return absl::DataLossError(StrCat(what, ": field '", name, "' is missing or of the wrong type"));
}

absl::StatusOr<std::string> Text(const Value& object, const char* name, std::string_view what) {
  const Value* v = Member(object, name);
  if (v == nullptr || !v->IsString()) return Missing(what, name);
  return std::string(v->GetString(), v->GetStringLength());
}

std::string OptionalText(const Value& object, const char* name) {
  const Value* v = Member(object, name);
  if (v == nullptr || !v->IsString()) return "";
  return std::string(v->GetString(), v->GetStringLength());
}

absl::StatusOr<int64_t> Integer(const Value& object, const char* name, std::string_view what) {
  const Value* v = Member(object, name);
  if (v == nullptr || !v->IsString()) return Missing(what, name);
  std::string_view text(v->GetString(), v->GetStringLength());
  int64_t out = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return absl::DataLossError(StrCat(what, ": field '", name, "' is not an integer: ", text));
  }
  return out;
}

bool Boolean(const Value& object, const char* name) {
  const Value* v = Member(object, name);
  return v != nullptr && v->IsBool() && v->GetBool();
}

template <typename T>
absl::StatusOr<T> Decimal(const Value& object, const char* name, std::string_view what) {
  absl::StatusOr<std::string> text = Text(object, name, what);
  if (!text.ok()) return text.status();
  absl::StatusOr<T> value = T::Parse(*text);
  if (!value.ok()) {
    return absl::DataLossError(
        StrCat(what, ": field '", name, "': ", ToStd(value.status().message())));
  }
  return *value;
}

absl::StatusOr<OrderStatus> StatusFromText(std::string_view s, std::string_view what) {
  std::optional<OrderStatus> status = binance_api::OrderStatusFromText(s);
  if (!status.has_value()) {
    return absl::DataLossError(StrCat(what, ": unknown order status '", s, "'"));
  }
  return *status;
}

absl::StatusOr<InstrumentIndex> Instrument(const Value& object, const char* name,
                                           const JsonContext& context, std::string_view what) {
  absl::StatusOr<std::string> symbol = Text(object, name, what);
  if (!symbol.ok()) return symbol.status();
  std::optional<InstrumentIndex> i = context.instruments->Find(context.venue, *symbol);
  if (!i.has_value()) {
    return absl::NotFoundError(
        StrCat(what, ": symbol ", *symbol, " is not an instrument we trade"));
  }
  return *i;
}

absl::StatusOr<VenueOrder> OrderFromObject(const Value& o, const JsonContext& context) {
  constexpr std::string_view kWhat = "order";
  VenueOrder v;
  absl::StatusOr<InstrumentIndex> instrument = Instrument(o, "symbol", context, kWhat);
  if (!instrument.ok()) return instrument.status();
  v.instrument = *instrument;
  // A cancel's answer names the canceled order in origClientOrderId and the
  // cancel request itself in clientOrderId.
  v.client_order_id = OptionalText(o, "origClientOrderId");
  if (v.client_order_id.empty()) {
    absl::StatusOr<std::string> id = Text(o, "clientOrderId", kWhat);
    if (!id.ok()) return id.status();
    v.client_order_id = *id;
  }
  absl::StatusOr<int64_t> order_id = Integer(o, "orderId", kWhat);
  if (!order_id.ok()) return order_id.status();
  v.venue_order_id = std::to_string(*order_id);
  absl::StatusOr<std::string> status = Text(o, "status", kWhat);
  if (!status.ok()) return status.status();
  absl::StatusOr<OrderStatus> st = StatusFromText(*status, kWhat);
  if (!st.ok()) return st.status();
  v.status = *st;
  v.side = binance_api::SideFromText(OptionalText(o, "side"));
  v.type = binance_api::OrderTypeFromText(OptionalText(o, "type"));
  v.time_in_force = binance_api::TimeInForceFromText(OptionalText(o, "timeInForce"));
  absl::StatusOr<Price> price = Decimal<Price>(o, "price", kWhat);
  if (!price.ok()) return price.status();
  v.price = *price;
  absl::StatusOr<Quantity> qty = Decimal<Quantity>(o, "origQty", kWhat);
  if (!qty.ok()) return qty.status();
  v.qty = *qty;
  absl::StatusOr<Quantity> filled = Decimal<Quantity>(o, "executedQty", kWhat);
  if (!filled.ok()) return filled.status();
  v.filled_qty = *filled;
  absl::StatusOr<Amount> quote = Decimal<Amount>(o, "cummulativeQuoteQty", kWhat);
  if (!quote.ok()) return quote.status();
  v.filled_quote = *quote;
  for (const char* time_field : {"updateTime", "transactTime", "time"}) {
    if (absl::StatusOr<int64_t> ms = Integer(o, time_field, kWhat); ms.ok()) {
      v.updated = Timestamp::FromMillis(*ms);
      break;
    }
  }
  return v;
}

}  // namespace

std::optional<BinanceError> ParseError(std::string_view body) {
  rapidjson::Document doc;
  doc.Parse<kParseFlags>(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsObject()) return std::nullopt;
  absl::StatusOr<int64_t> code = Integer(doc, "code", "error");
  if (!code.ok()) return std::nullopt;
  return BinanceError{*code, OptionalText(doc, "msg")};
}

VenueError ClassifyHttpError(int http_status, const std::optional<BinanceError>& error,
                             int64_t retry_after_ms, bool order_entry) {
  VenueError e;
  e.http_status = http_status;
  e.venue_code = error.has_value() ? static_cast<int32_t>(error->code) : 0;
  auto transient = [&](VenueErrorReason reason) {
    e.kind = VenueErrorKind::kTransient;
    e.reason = reason;
    return e;
  };
  auto definitive = [&](VenueErrorReason reason) {
    e.kind = VenueErrorKind::kDefinitive;
    e.reason = reason;
    return e;
  };
  auto unknown = [&]() {
    e.kind = VenueErrorKind::kUnknownOutcome;
    e.reason = VenueErrorReason::kNoResponse;
    return e;
  };
  if (http_status == 429 || http_status == 418) {
    e.retry_after_ms = retry_after_ms;
    return transient(VenueErrorReason::kRateLimited);
  }
  const int64_t code = e.venue_code;
  // -1007 "Timeout waiting for response from backend server. Send status
  // unknown; execution status unknown." and -1006 (unexpected backend answer).
  if (code == -1007 || code == -1006) {
    return order_entry ? unknown() : transient(VenueErrorReason::kTimeout);
  }
  if (http_status >= 500) {
    return order_entry ? unknown() : transient(VenueErrorReason::kServerError);
  }
  if (code == -1003 || code == -1015) {
    e.retry_after_ms = retry_after_ms;
    return transient(VenueErrorReason::kRateLimited);
  }
  if (code == -1021) return transient(VenueErrorReason::kTimeout);  // timestamp outside recvWindow
  if (code == -1001) return transient(VenueErrorReason::kConnectionFailed);  // disconnected
  if (code == -1121) return definitive(VenueErrorReason::kUnknownSymbol);
  if (code == -2011 || code == -2013) return definitive(VenueErrorReason::kUnknownOrder);
  if (code == -2014 || code == -2015 || code == -1022 || code == -1002 || http_status == 401 ||
      http_status == 403) {
    return definitive(VenueErrorReason::kUnauthorized);
  }
  if (code == -2010 && error.has_value()) {
    const std::string& msg = error->msg;
    if (msg.find("insufficient balance") != std::string::npos) {
      return definitive(VenueErrorReason::kInsufficientBalance);
    }
    if (msg.find("Duplicate order") != std::string::npos) {
      return definitive(VenueErrorReason::kDuplicateOrder);
    }
    if (msg.find("immediately match and take") != std::string::npos) {
      return definitive(VenueErrorReason::kWouldTakeLiquidity);
    }
    return definitive(VenueErrorReason::kRejected);
  }
  if (code == -1013 || (code <= -1100 && code >= -1199)) {
    return definitive(VenueErrorReason::kInvalidOrder);  // filters, parameters
  }
  return definitive(VenueErrorReason::kRejected);
}

std::string FillId(Venue venue, std::string_view symbol, uint64_t trade_id) {
  return StrCat(ShortEnumName(venue), ":", symbol, ":", trade_id);
}

absl::StatusOr<VenueOrder> ParseOrder(std::string_view body, const JsonContext& context) {
  absl::StatusOr<rapidjson::Document> doc = ParseJson(body, "order");
  if (!doc.ok()) return doc.status();
  return OrderFromObject(*doc, context);
}

absl::StatusOr<std::vector<VenueOrder>> ParseOrderArray(std::string_view body,
                                                        const JsonContext& context) {
  absl::StatusOr<rapidjson::Document> doc = ParseJson(body, "orders");
  if (!doc.ok()) return doc.status();
  if (!doc->IsArray()) return absl::DataLossError("orders: the venue's answer is not an array");
  std::vector<VenueOrder> out;
  for (const Value& entry : doc->GetArray()) {
    if (Member(entry, "orderListId") != nullptr && Member(entry, "orders") != nullptr) continue;
    absl::StatusOr<VenueOrder> o = OrderFromObject(entry, context);
    if (!o.ok()) return o.status();
    out.push_back(std::move(*o));
  }
  return out;
}

absl::StatusOr<execution::SubmitAck> ParseSubmitResponse(std::string_view body,
                                                         const JsonContext& context) {
  absl::StatusOr<rapidjson::Document> doc = ParseJson(body, "new order");
  if (!doc.ok()) return doc.status();
  execution::SubmitAck ack;
  absl::StatusOr<VenueOrder> order = OrderFromObject(*doc, context);
  if (!order.ok()) return order.status();
  ack.order = std::move(*order);
  const Value* fills = Member(*doc, "fills");
  if (fills == nullptr || !fills->IsArray()) return ack;
  const InstrumentSpec& spec = context.instruments->at(ack.order.instrument);
  for (const Value& f : fills->GetArray()) {
    constexpr std::string_view kWhat = "new order fill";
    absl::StatusOr<int64_t> trade_id = Integer(f, "tradeId", kWhat);
    absl::StatusOr<Price> price = Decimal<Price>(f, "price", kWhat);
    absl::StatusOr<Quantity> qty = Decimal<Quantity>(f, "qty", kWhat);
    absl::StatusOr<Amount> fee = Decimal<Amount>(f, "commission", kWhat);
    if (!trade_id.ok()) return trade_id.status();
    if (!price.ok()) return price.status();
    if (!qty.ok()) return qty.status();
    if (!fee.ok()) return fee.status();
    Fill fill;
    fill.fill_id = FillId(context.venue, spec.id.symbol, static_cast<uint64_t>(*trade_id));
    fill.client_order_id = ack.order.client_order_id;
    fill.venue_order_id = ack.order.venue_order_id;
    fill.venue_trade_id = std::to_string(*trade_id);
    fill.instrument = ack.order.instrument;
    fill.side = ack.order.side;
    fill.price = *price;
    fill.qty = *qty;
    fill.fee = *fee;
    fill.fee_asset = OptionalText(f, "commissionAsset");
    // A FULL response's fills are this order taking liquidity.
    fill.liquidity = orders::v1::LIQUIDITY_TAKER;
    fill.time = ack.order.updated;
    ack.fills.push_back(std::move(fill));
  }
  return ack;
}

absl::StatusOr<VenueOrder> ParseCancelReplaceResponse(std::string_view body,
                                                      const JsonContext& context) {
  absl::StatusOr<rapidjson::Document> doc = ParseJson(body, "cancel-replace");
  if (!doc.ok()) return doc.status();
  const Value* created = Member(*doc, "newOrderResponse");
  if (created == nullptr || !created->IsObject()) {
    return absl::DataLossError("cancel-replace: no newOrderResponse in the venue's answer");
  }
  return OrderFromObject(*created, context);
}

absl::StatusOr<std::vector<TradeRecord>> ParseMyTrades(std::string_view body,
                                                       const JsonContext& context) {
  absl::StatusOr<rapidjson::Document> doc = ParseJson(body, "trades");
  if (!doc.ok()) return doc.status();
  if (!doc->IsArray()) return absl::DataLossError("trades: the venue's answer is not an array");
  std::vector<TradeRecord> out;
  for (const Value& t : doc->GetArray()) {
    constexpr std::string_view kWhat = "trade";
    absl::StatusOr<InstrumentIndex> instrument = Instrument(t, "symbol", context, kWhat);
    absl::StatusOr<int64_t> id = Integer(t, "id", kWhat);
    absl::StatusOr<int64_t> order_id = Integer(t, "orderId", kWhat);
    absl::StatusOr<Price> price = Decimal<Price>(t, "price", kWhat);
    absl::StatusOr<Quantity> qty = Decimal<Quantity>(t, "qty", kWhat);
    absl::StatusOr<Amount> fee = Decimal<Amount>(t, "commission", kWhat);
    absl::StatusOr<int64_t> time_ms = Integer(t, "time", kWhat);
    for (const absl::Status& s : {instrument.status(), id.status(), order_id.status(),
                                  price.status(), qty.status(), fee.status(), time_ms.status()}) {
      if (!s.ok()) return s;
    }
    TradeRecord r;
    r.trade_id = static_cast<uint64_t>(*id);
    Fill& f = r.fill;
    f.fill_id = FillId(context.venue, context.instruments->at(*instrument).id.symbol, r.trade_id);
    f.venue_order_id = std::to_string(*order_id);
    f.venue_trade_id = std::to_string(*id);
    f.instrument = *instrument;
    f.side = Boolean(t, "isBuyer") ? common::v1::SIDE_BUY : common::v1::SIDE_SELL;
    f.price = *price;
    f.qty = *qty;
    f.fee = *fee;
    f.fee_asset = OptionalText(t, "commissionAsset");
    f.liquidity = Boolean(t, "isMaker") ? orders::v1::LIQUIDITY_MAKER : orders::v1::LIQUIDITY_TAKER;
    f.time = Timestamp::FromMillis(*time_ms);
    out.push_back(std::move(r));
  }
  return out;
}

absl::StatusOr<std::vector<execution::VenueBalance>> ParseAccount(std::string_view body) {
  absl::StatusOr<rapidjson::Document> doc = ParseJson(body, "account");
  if (!doc.ok()) return doc.status();
  const Value* balances = Member(*doc, "balances");
  if (balances == nullptr || !balances->IsArray()) return Missing("account", "balances");
  std::vector<execution::VenueBalance> out;
  for (const Value& b : balances->GetArray()) {
    constexpr std::string_view kWhat = "balance";
    absl::StatusOr<std::string> asset = Text(b, "asset", kWhat);
    absl::StatusOr<Amount> free = Decimal<Amount>(b, "free", kWhat);
    absl::StatusOr<Amount> locked = Decimal<Amount>(b, "locked", kWhat);
    if (!asset.ok()) return asset.status();
    if (!free.ok()) return free.status();
    if (!locked.ok()) return locked.status();
    out.push_back({*asset, *free, *locked});
  }
  return out;
}

absl::StatusOr<std::vector<InstrumentSpec>> ParseExchangeInfo(
    std::string_view body, Venue venue, const std::vector<std::string>& symbols) {
  absl::StatusOr<rapidjson::Document> doc = ParseJson(body, "exchangeInfo");
  if (!doc.ok()) return doc.status();
  const Value* list = Member(*doc, "symbols");
  if (list == nullptr || !list->IsArray()) return Missing("exchangeInfo", "symbols");
  std::vector<InstrumentSpec> out;
  for (const Value& s : list->GetArray()) {
    absl::StatusOr<std::string> symbol = Text(s, "symbol", "exchangeInfo");
    if (!symbol.ok()) return symbol.status();
    if (!symbols.empty() && std::find(symbols.begin(), symbols.end(), *symbol) == symbols.end()) {
      continue;
    }
    std::string what = StrCat("exchangeInfo ", *symbol);
    InstrumentSpec spec;
    spec.id = {venue, *symbol};
    spec.base_asset = OptionalText(s, "baseAsset");
    spec.quote_asset = OptionalText(s, "quoteAsset");
    const Value* filters = Member(s, "filters");
    if (filters == nullptr || !filters->IsArray()) return Missing(what, "filters");
    for (const Value& f : filters->GetArray()) {
      std::string type = OptionalText(f, "filterType");
      if (type == "PRICE_FILTER") {
        absl::StatusOr<Price> tick = Decimal<Price>(f, "tickSize", what);
        if (!tick.ok()) return tick.status();
        spec.tick_size = *tick;
      } else if (type == "LOT_SIZE") {
        absl::StatusOr<Quantity> step = Decimal<Quantity>(f, "stepSize", what);
        absl::StatusOr<Quantity> min = Decimal<Quantity>(f, "minQty", what);
        absl::StatusOr<Quantity> max = Decimal<Quantity>(f, "maxQty", what);
        if (!step.ok()) return step.status();
        if (!min.ok()) return min.status();
        if (!max.ok()) return max.status();
        spec.lot_size = *step;
        spec.min_qty = *min;
        spec.max_qty = *max;
      } else if (type == "NOTIONAL" || type == "MIN_NOTIONAL") {
        absl::StatusOr<Amount> min = Decimal<Amount>(f, "minNotional", what);
        if (!min.ok()) return min.status();
        spec.min_notional = *min;
      }
    }
    if (!spec.tick_size.is_positive() || !spec.lot_size.is_positive()) {
      return absl::DataLossError(
          StrCat(what, ": PRICE_FILTER tickSize and LOT_SIZE stepSize must be positive"));
    }
    out.push_back(std::move(spec));
  }
  return out;
}

absl::StatusOr<std::string> ParseListenKey(std::string_view body) {
  absl::StatusOr<rapidjson::Document> doc = ParseJson(body, "listen key");
  if (!doc.ok()) return doc.status();
  return Text(*doc, "listenKey", "listen key");
}

absl::StatusOr<StreamEvent> ParseStreamEvent(std::string_view text, const JsonContext& context) {
  absl::StatusOr<rapidjson::Document> doc = ParseJson(text, "user data event");
  if (!doc.ok()) return doc.status();
  const Value* e = doc.operator->();
  if (const Value* wrapped = Member(*e, "event"); wrapped != nullptr && wrapped->IsObject()) {
    e = wrapped;
  }
  StreamEvent out;
  out.event_type = OptionalText(*e, "e");
  if (out.event_type == "listenKeyExpired") {
    out.kind = StreamEvent::Kind::kListenKeyExpired;
    return out;
  }
  if (out.event_type != "executionReport") return out;
  out.kind = StreamEvent::Kind::kExecutionReport;
  constexpr std::string_view kWhat = "executionReport";
  absl::StatusOr<InstrumentIndex> instrument = Instrument(*e, "s", context, kWhat);
  if (!instrument.ok()) return instrument.status();
  absl::StatusOr<std::string> exec_type = Text(*e, "x", kWhat);
  absl::StatusOr<std::string> status = Text(*e, "X", kWhat);
  absl::StatusOr<int64_t> order_id = Integer(*e, "i", kWhat);
  absl::StatusOr<Quantity> qty = Decimal<Quantity>(*e, "q", kWhat);
  absl::StatusOr<Price> price = Decimal<Price>(*e, "p", kWhat);
  absl::StatusOr<Quantity> cum_qty = Decimal<Quantity>(*e, "z", kWhat);
  absl::StatusOr<int64_t> time_ms = Integer(*e, "E", kWhat);
  for (const absl::Status& s : {exec_type.status(), status.status(), order_id.status(),
                                qty.status(), price.status(), cum_qty.status(), time_ms.status()}) {
    if (!s.ok()) return s;
  }
  absl::StatusOr<OrderStatus> st = StatusFromText(*status, kWhat);
  if (!st.ok()) return st.status();
  execution::VenueUpdate& u = out.update;
  VenueOrder& o = u.order;
  // A cancel's report carries the canceled order's id in "C" and the cancel
  // request's own id in "c".
  std::string original = OptionalText(*e, "C");
  o.client_order_id = original.empty() ? OptionalText(*e, "c") : original;
  o.venue_order_id = std::to_string(*order_id);
  o.instrument = *instrument;
  o.side = binance_api::SideFromText(OptionalText(*e, "S"));
  o.type = binance_api::OrderTypeFromText(OptionalText(*e, "o"));
  o.time_in_force = binance_api::TimeInForceFromText(OptionalText(*e, "f"));
  o.price = *price;
  o.qty = *qty;
  o.filled_qty = *cum_qty;
  if (absl::StatusOr<Amount> quote = Decimal<Amount>(*e, "Z", kWhat); quote.ok()) {
    o.filled_quote = *quote;
  }
  o.status = *st;
  std::string reason = OptionalText(*e, "r");
  if (reason == "NONE") reason.clear();
  o.reason = reason;
  u.reason = reason;
  int64_t event_ms = *time_ms;
  if (absl::StatusOr<int64_t> t = Integer(*e, "T", kWhat); t.ok()) event_ms = *t;
  u.time = Timestamp::FromMillis(event_ms);
  o.updated = u.time;
  const std::string& x = *exec_type;
  if (x == "NEW") {
    u.kind = execution::VenueUpdateKind::kAccepted;
  } else if (x == "CANCELED") {
    u.kind = execution::VenueUpdateKind::kCanceled;
  } else if (x == "REJECTED") {
    u.kind = execution::VenueUpdateKind::kRejected;
  } else if (x == "EXPIRED" || x == "TRADE_PREVENTION") {
    u.kind = execution::VenueUpdateKind::kExpired;
  } else if (x == "TRADE") {
    u.kind = execution::VenueUpdateKind::kFill;
    absl::StatusOr<int64_t> trade_id = Integer(*e, "t", kWhat);
    absl::StatusOr<Price> last_price = Decimal<Price>(*e, "L", kWhat);
    absl::StatusOr<Quantity> last_qty = Decimal<Quantity>(*e, "l", kWhat);
    if (!trade_id.ok()) return trade_id.status();
    if (!last_price.ok()) return last_price.status();
    if (!last_qty.ok()) return last_qty.status();
    out.trade_id = static_cast<uint64_t>(*trade_id);
    Fill& f = u.fill;
    f.fill_id = FillId(context.venue, context.instruments->at(*instrument).id.symbol, out.trade_id);
    f.client_order_id = o.client_order_id;
    f.venue_order_id = o.venue_order_id;
    f.venue_trade_id = std::to_string(*trade_id);
    f.instrument = *instrument;
    f.side = o.side;
    f.price = *last_price;
    f.qty = *last_qty;
    if (absl::StatusOr<Amount> fee = Decimal<Amount>(*e, "n", kWhat); fee.ok()) f.fee = *fee;
    f.fee_asset = OptionalText(*e, "N");
    f.liquidity = Boolean(*e, "m") ? orders::v1::LIQUIDITY_MAKER : orders::v1::LIQUIDITY_TAKER;
    f.time = u.time;
  } else {
    // REPLACED and anything newer: not an order change we act on.
    out.kind = StreamEvent::Kind::kOther;
  }
  return out;
}

}  // namespace tradeplane::binance_venue
