#include "rest_api.h"

#include <algorithm>

#include "tradeplane/core/clock.h"
#include "tradeplane/core/str_cat.h"
#include "tradeplane/service/service_runtime.h"

#include "json_out.h"
#include <rapidjson/document.h>

namespace tradeplane::venue_sim {
namespace {

constexpr int64_t kDefaultRecvWindowMs = 5000;
constexpr int64_t kMaxRecvWindowMs = 60'000;
constexpr int64_t kMaxAheadMs = 1000;

bool IsApiKeyText(std::string_view key) {
  if (key.empty() || key.size() > 128) return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  });
}

bool IsSymbolText(std::string_view s) {
  if (s.empty() || s.size() > 20) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_' || c == '.';
  });
}

int64_t WallMs() { return SystemClock::Instance().Now().millis(); }

}  // namespace

RestApi::RestApi(Simulation& sim, StreamHub& hub, Faults& faults,
                 absl::flat_hash_map<std::string, ApiKeyEntry> keys, RestOptions options,
                 telemetry::MetricsRegistry& metrics)
    : sim_(sim),
      exchange_(sim.exchange()),
      hub_(hub),
      faults_(faults),
      keys_(std::move(keys)),
      options_(options),
      limiter_(options.weight_limit_per_minute),
      metrics_(metrics),
      requests_name_(service::MetricName(ServiceId::kVenueSim, "requests_total")),
      errors_name_(service::MetricName(ServiceId::kVenueSim, "request_errors_total")),
      bad_input_name_(service::MetricName(ServiceId::kVenueSim, "bad_input_total")) {
  using S = Security;
  // Weights as Binance's spot API documents them.
  routes_ = {
      {"GET", "/api/v3/ping", "ping", 1, S::kNone, &RestApi::Ping},
      {"GET", "/api/v3/time", "time", 1, S::kNone, &RestApi::Time},
      {"GET", "/api/v3/exchangeInfo", "exchangeInfo", 20, S::kNone, &RestApi::ExchangeInfo},
      {"GET", "/api/v3/depth", "depth", 5, S::kNone, &RestApi::Depth},
      {"POST", "/api/v3/order", "order", 1, S::kSigned, &RestApi::NewOrder},
      {"POST", "/api/v3/order/test", "orderTest", 1, S::kSigned, &RestApi::TestOrder},
      {"DELETE", "/api/v3/order", "cancelOrder", 1, S::kSigned, &RestApi::CancelOrder},
      {"GET", "/api/v3/order", "queryOrder", 4, S::kSigned, &RestApi::QueryOrder},
      {"POST", "/api/v3/order/cancelReplace", "cancelReplace", 1, S::kSigned,
       &RestApi::CancelReplace},
      {"GET", "/api/v3/openOrders", "openOrders", 6, S::kSigned, &RestApi::OpenOrders},
      {"DELETE", "/api/v3/openOrders", "cancelOpenOrders", 1, S::kSigned,
       &RestApi::CancelOpenOrders},
      {"GET", "/api/v3/myTrades", "myTrades", 20, S::kSigned, &RestApi::MyTrades},
      {"GET", "/api/v3/account", "account", 20, S::kSigned, &RestApi::Account},
      {"POST", "/api/v3/userDataStream", "userDataStream", 2, S::kUserStream,
       &RestApi::StartUserStream},
      {"PUT", "/api/v3/userDataStream", "userDataStream", 2, S::kUserStream,
       &RestApi::KeepAliveUserStream},
      {"DELETE", "/api/v3/userDataStream", "userDataStream", 2, S::kUserStream,
       &RestApi::CloseUserStream},
  };
}

int64_t RestApi::ServerTimeMs() const {
  return options_.fixed_server_time_ms != 0 ? options_.fixed_server_time_ms : WallMs();
}

const RestApi::Route* RestApi::FindRoute(std::string_view method, std::string_view path) const {
  for (const Route& r : routes_) {
    if (r.method == method && r.path == path) return &r;
  }
  return nullptr;
}

int RestApi::WeightOf(const Route& route, RestParams& params) const {
  if (route.handler == &RestApi::Depth) {
    // By limit: 1-100: 5, 101-500: 25, 501-1000: 50, 1001-5000: 250.
    int64_t limit = 100;
    if (params.Has("limit")) {
      RestParams copy = params;
      OrError<std::optional<int64_t>> l = copy.Int("limit");
      if (l.ok() && l->has_value()) limit = **l;
    }
    return limit <= 100 ? 5 : limit <= 500 ? 25 : limit <= 1000 ? 50 : 250;
  }
  if (route.handler == &RestApi::OpenOrders && !params.Has("symbol")) return 80;
  if (route.handler == &RestApi::MyTrades && params.Has("orderId")) return 5;
  return route.weight;
}

void RestApi::Count(std::string_view endpoint, int status, int code) {
  metrics_
      .GetCounter(requests_name_, "REST requests by endpoint and HTTP status.",
                  {{"endpoint", std::string(endpoint)}, {"status", std::to_string(status)}})
      .Increment();
  if (code != 0) {
    metrics_
        .GetCounter(errors_name_, "REST error answers by endpoint and Binance error code.",
                    {{"endpoint", std::string(endpoint)}, {"code", std::to_string(code)}})
        .Increment();
  }
}

std::optional<BinanceError> RestApi::Authenticate(const Route& route, Call& call) {
  auto bad = [&](std::string_view kind) {
    metrics_
        .GetCounter(bad_input_name_, "Input refused, by class (never a crash).",
                    {{"kind", std::string(kind)}})
        .Increment();
  };
  if (route.security == Security::kNone) return std::nullopt;
  std::optional<std::string_view> key = call.request.headers.Get("X-MBX-APIKEY");
  if (!key || !IsApiKeyText(*key)) {
    bad("api_key");
    return binance_errors::BadApiKeyFormat();
  }
  auto entry = keys_.find(std::string(*key));
  if (entry == keys_.end()) {
    bad("api_key");
    return binance_errors::RejectedApiKey();
  }
  call.account = entry->second.account;
  if (route.security != Security::kSigned) return std::nullopt;

  OrError<std::optional<int64_t>> timestamp = call.params.Int("timestamp");
  if (!timestamp.ok()) return timestamp.error;
  if (!timestamp->has_value()) return binance_errors::MandatoryMissing("timestamp");
  OrError<std::optional<int64_t>> window = call.params.Int("recvWindow");
  if (!window.ok()) return window.error;
  int64_t recv_window = window->value_or(kDefaultRecvWindowMs);
  if (recv_window <= 0 || recv_window > kMaxRecvWindowMs)
    return binance_errors::InvalidRecvWindow();
  std::optional<std::string_view> signature = call.params.Get("signature");
  if (!signature || signature->empty()) return binance_errors::MandatoryMissing("signature");

  int64_t server_ms = ServerTimeMs();
  if (**timestamp >= server_ms + kMaxAheadMs) {
    bad("timestamp");
    return binance_errors::TimestampAhead();
  }
  if (server_ms - **timestamp > recv_window) {
    bad("timestamp");
    return binance_errors::TimestampOutsideRecvWindow();
  }
  SignedText text = SplitSignature(call.request.raw_query, call.request.body);
  if (text.signatures != 1 || !entry->second.credential->Verify(text.payload, text.signature)) {
    bad("signature");
    return binance_errors::BadSignature();
  }
  return std::nullopt;
}

net::HttpResponse RestApi::Handle(const net::HttpRequest& request) {
  const Route* route = FindRoute(request.method, request.path);
  std::string_view endpoint = route != nullptr ? route->name : "unknown";
  std::unique_lock<std::mutex> lock(sim_.mu());
  if (sim_.frozen() && (!sim_.WaitWhileFrozen(lock) || stopping_.load())) {
    net::HttpResponse gone;
    gone.drop_connection = true;  // restarted or stopping while frozen: no answer
    return gone;
  }

  auto answer = [&](const BinanceError& e, std::optional<int> used) {
    Count(endpoint, e.http_status, e.code);
    net::HttpResponse r = ErrorResponse(e);
    if (used) r.headers.Set("X-MBX-USED-WEIGHT-1M", std::to_string(*used));
    return r;
  };

  // Injected faults stand in front of everything, as a venue's front end would.
  if (faults_.error_responses > 0) {
    --faults_.error_responses;
    ++faults_.errors_sent;
    BinanceError e = binance_errors::Disconnected();
    e.http_status = faults_.error_status;
    return answer(e, std::nullopt);
  }
  if (faults_.rate_limited_responses > 0) {
    --faults_.rate_limited_responses;
    ++faults_.rate_limits_sent;
    net::HttpResponse r = answer(binance_errors::TooManyRequests(limiter_.limit()), std::nullopt);
    r.headers.Set("Retry-After", std::to_string(faults_.retry_after_s));
    return r;
  }
  if (route == nullptr) {
    metrics_
        .GetCounter(bad_input_name_, "Input refused, by class (never a crash).",
                    {{"kind", "endpoint"}})
        .Increment();
    return answer(binance_errors::UnknownEndpoint(request.method, request.path), std::nullopt);
  }

  OrError<RestParams> params = RestParams::Parse(request.raw_query, request.body);
  int weight = params.ok() ? WeightOf(*route, *params) : route->weight;
  RequestWeightLimiter::Decision d = limiter_.Add(request.remote_address, weight, WallMs());
  if (!d.allowed) {
    net::HttpResponse r = answer(binance_errors::TooManyRequests(limiter_.limit()), d.used);
    r.headers.Set("Retry-After", std::to_string(d.retry_after_s));
    return r;
  }
  if (!params.ok()) {
    metrics_
        .GetCounter(bad_input_name_, "Input refused, by class (never a crash).",
                    {{"kind", "query"}})
        .Increment();
    return answer(params.error, d.used);
  }

  Call call{request, std::move(*params), 0, lock, {}};
  if (std::optional<BinanceError> refused = Authenticate(*route, call)) {
    return answer(*refused, d.used);
  }
  OrError<std::string> body = (this->*(route->handler))(call);
  if (!body.ok()) {
    if (body.error.code == -1104 || body.error.code == -1100 || body.error.code == -1101) {
      metrics_
          .GetCounter(bad_input_name_, "Input refused, by class (never a crash).",
                      {{"kind", "query"}})
          .Increment();
    }
    net::HttpResponse r = answer(body.error, d.used);
    r.delay = call.extra.delay;
    return r;
  }
  Count(endpoint, 200, 0);
  net::HttpResponse r = net::HttpResponse::Json(200, std::move(*body));
  r.headers.Set("X-MBX-USED-WEIGHT-1M", std::to_string(d.used));
  r.delay = call.extra.delay;
  r.drop_connection = call.extra.drop_connection;
  return r;
}

OrError<InstrumentIndex> RestApi::ReadSymbol(Call& call, bool required) {
  std::optional<std::string_view> symbol = call.params.Get("symbol");
  if (!symbol || symbol->empty()) {
    if (required) return binance_errors::MandatoryMissing("symbol");
    return BinanceError{0, 0, "", ""};  // absent, and allowed: code 0
  }
  if (!IsSymbolText(*symbol)) return binance_errors::IllegalChars("symbol", "^[A-Z0-9-_.]{1,20}$");
  std::optional<InstrumentIndex> i = exchange_.FindSymbol(*symbol);
  if (!i) return binance_errors::InvalidSymbol();
  return *i;
}

OrError<std::string> RestApi::Ping(Call& call) {
  if (auto unread = call.params.CheckAllRead()) return *unread;
  return std::string("{}");
}

OrError<std::string> RestApi::Time(Call& call) {
  if (auto unread = call.params.CheckAllRead()) return *unread;
  return StrCat("{\"serverTime\":", ServerTimeMs(), "}");
}

OrError<std::string> RestApi::ExchangeInfo(Call& call) {
  std::vector<InstrumentIndex> chosen;
  OrError<InstrumentIndex> one = ReadSymbol(call, /*required=*/false);
  if (one.ok()) {
    chosen.push_back(*one);
  } else if (one.error.code != 0) {
    return one.error;
  }
  if (std::optional<std::string_view> list = call.params.Get("symbols")) {
    // symbols=["BTCUSDT","BNBBTC"]
    rapidjson::Document doc;
    doc.Parse(list->data(), list->size());
    if (doc.HasParseError() || !doc.IsArray() || doc.Empty()) {
      return binance_errors::IllegalChars("symbols", "^\\[(\"[A-Z0-9-_.]{1,20}\"(,)?){1,}\\]$");
    }
    for (const auto& v : doc.GetArray()) {
      if (!v.IsString()) return binance_errors::IllegalCharsAnywhere();
      std::optional<InstrumentIndex> i =
          exchange_.FindSymbol(std::string_view(v.GetString(), v.GetStringLength()));
      if (!i) return binance_errors::InvalidSymbol();
      chosen.push_back(*i);
    }
  }
  if (auto unread = call.params.CheckAllRead()) return *unread;
  if (chosen.empty()) {
    for (InstrumentIndex i = 0; i < exchange_.instrument_count(); ++i) chosen.push_back(i);
  }
  JsonOut out;
  out.BeginObject().Str("timezone", "UTC").Num("serverTime", ServerTimeMs());
  out.Key("rateLimits").BeginArray();
  out.BeginObject()
      .Str("rateLimitType", "REQUEST_WEIGHT")
      .Str("interval", "MINUTE")
      .Num("intervalNum", 1)
      .Num("limit", limiter_.limit())
      .EndObject();
  out.EndArray();
  out.Key("exchangeFilters").BeginArray().EndArray();
  out.Key("symbols").BeginArray();
  for (InstrumentIndex i : chosen) {
    const InstrumentSpec& s = exchange_.spec(i);
    int64_t min_qty = s.min_qty.is_positive() ? s.min_qty.raw() : s.lot_size.raw();
    int64_t max_qty = s.max_qty.is_positive() ? s.max_qty.raw() : 9'000'000'000'000'000'000;
    out.BeginObject()
        .Str("symbol", s.id.symbol)
        .Str("status", "TRADING")
        .Str("baseAsset", s.base_asset)
        .Num("baseAssetPrecision", 8)
        .Str("quoteAsset", s.quote_asset)
        .Num("quotePrecision", 8)
        .Num("quoteAssetPrecision", 8)
        .Num("baseCommissionPrecision", 8)
        .Num("quoteCommissionPrecision", 8);
    out.Key("orderTypes").BeginArray().String("LIMIT").String("LIMIT_MAKER").String("MARKET");
    out.EndArray()
        .Flag("icebergAllowed", false)
        .Flag("ocoAllowed", false)
        .Flag("otoAllowed", false)
        .Flag("quoteOrderQtyMarketAllowed", false)
        .Flag("allowTrailingStop", false)
        .Flag("cancelReplaceAllowed", true)
        .Flag("isSpotTradingAllowed", true)
        .Flag("isMarginTradingAllowed", false);
    out.Key("filters").BeginArray();
    out.BeginObject()
        .Str("filterType", "PRICE_FILTER")
        .Money("minPrice", s.tick_size.raw())
        .Money("maxPrice", 0)
        .Money("tickSize", s.tick_size.raw())
        .EndObject();
    out.BeginObject()
        .Str("filterType", "LOT_SIZE")
        .Money("minQty", min_qty)
        .Money("maxQty", max_qty)
        .Money("stepSize", s.lot_size.raw())
        .EndObject();
    out.BeginObject()
        .Str("filterType", "MARKET_LOT_SIZE")
        .Money("minQty", min_qty)
        .Money("maxQty", max_qty)
        .Money("stepSize", s.lot_size.raw())
        .EndObject();
    // The matching library checks the minimum notional of limit orders only.
    out.BeginObject()
        .Str("filterType", "NOTIONAL")
        .Money("minNotional", s.min_notional.raw())
        .Flag("applyMinToMarket", false)
        .Money("maxNotional", 9'000'000'000'000'000'000)
        .Flag("applyMaxToMarket", false)
        .Num("avgPriceMins", 0)
        .EndObject();
    out.BeginObject()
        .Str("filterType", "MIN_NOTIONAL")
        .Money("minNotional", s.min_notional.raw())
        .Flag("applyToMarket", false)
        .Num("avgPriceMins", 0)
        .EndObject();
    out.EndArray();
    out.Key("permissions").BeginArray().EndArray();
    out.Key("permissionSets").BeginArray().BeginArray().String("SPOT").EndArray().EndArray();
    out.Str("defaultSelfTradePreventionMode", "EXPIRE_TAKER");
    out.Key("allowedSelfTradePreventionModes").BeginArray().String("EXPIRE_TAKER").EndArray();
    out.EndObject();
  }
  out.EndArray().EndObject();
  return out.Take();
}

OrError<std::string> RestApi::Depth(Call& call) {
  OrError<InstrumentIndex> i = ReadSymbol(call, /*required=*/true);
  if (!i.ok()) return i.error;
  OrError<std::optional<int64_t>> limit = call.params.Int("limit");
  if (!limit.ok()) return limit.error;
  int64_t n = limit->value_or(100);
  if (n <= 0) return binance_errors::InvalidParameter("limit", "must be at least 1");
  n = std::min<int64_t>(n, 5000);  // Binance truncates larger limits to 5000
  if (auto unread = call.params.CheckAllRead()) return *unread;
  sim_.CatchUp();
  std::vector<std::pair<int64_t, int64_t>> bids;
  std::vector<std::pair<int64_t, int64_t>> asks;
  const BookPublisher& book = exchange_.book(*i);
  book.Snapshot(static_cast<size_t>(n), &bids, &asks);
  JsonOut out;
  out.BeginObject().Num("lastUpdateId", static_cast<int64_t>(book.last_update_id()));
  auto levels = [&](std::string_view key, const std::vector<std::pair<int64_t, int64_t>>& side) {
    out.Key(key).BeginArray();
    for (const auto& [price, qty] : side) out.BeginArray().Dec(price).Dec(qty).EndArray();
    out.EndArray();
  };
  levels("bids", bids);
  levels("asks", asks);
  out.EndObject();
  return out.Take();
}

BinanceError RestApi::RejectError(OrderReason reason) {
  switch (reason) {
    case OrderReason::kInvalidClientOrderId:
      return binance_errors::IllegalChars("newClientOrderId", "^[\\.A-Z\\:/a-z0-9_-]{1,36}$");
    case OrderReason::kDuplicateClientOrderId:
      return binance_errors::NewOrderRejected("Duplicate order sent.");
    case OrderReason::kInvalidSide:
      return binance_errors::InvalidSide();
    case OrderReason::kInvalidOrderType:
      return binance_errors::InvalidOrderType();
    case OrderReason::kInvalidTimeInForce:
      return binance_errors::InvalidTimeInForce();
    case OrderReason::kInvalidQuantity:
      return binance_errors::FilterFailure("LOT_SIZE");
    case OrderReason::kInvalidPrice:
      return binance_errors::FilterFailure("PRICE_FILTER");
    case OrderReason::kBelowMinNotional:
    case OrderReason::kNotionalTooLarge:
      return binance_errors::FilterFailure("NOTIONAL");
    case OrderReason::kWouldTakeLiquidity:
      return binance_errors::NewOrderRejected("Order would immediately match and take.");
    case OrderReason::kInsufficientBalance:
      return binance_errors::NewOrderRejected(
          "Account has insufficient balance for requested action.");
    default:
      return binance_errors::NewOrderRejected(std::string(matching::OrderReasonText(reason)));
  }
}

}  // namespace tradeplane::venue_sim
