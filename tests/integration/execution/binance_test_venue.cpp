#include "binance_test_venue.h"

#include <catch2/catch.hpp>

#include "tradeplane/core/fixed_point.h"
#include "tradeplane/core/str_cat.h"
#include "tradeplane/net/query_string.h"
#include "tradeplane/signing/hex.h"
#include "tradeplane/signing/hmac_sha256.h"

namespace tradeplane::testing {
namespace {

using net::HttpResponse;

std::string Dec(int64_t raw) { return fixed_point::FormatRawWithDecimals(raw, 8); }

HttpResponse Error(int status, int code, const std::string& msg) {
  return HttpResponse::Json(status, StrCat(R"({"code":)", code, R"(,"msg":")", msg, R"("})"));
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int64_t Quote(int64_t price, int64_t qty) {
  return static_cast<int64_t>(static_cast<fixed_point::Int128>(price) * qty / kFixedPointScale);
}

}  // namespace

BinanceTestVenue::BinanceTestVenue(std::string api_key, std::string secret)
    : api_key_(std::move(api_key)), secret_(std::move(secret)) {
  net::WebSocketServer::Callbacks callbacks;
  callbacks.accept = [](const net::HttpRequest& upgrade) {
    return upgrade.path.starts_with("/ws/lk-") ? net::WebSocketAcceptDecision::Accept()
                                               : net::WebSocketAcceptDecision::Refuse(404, "");
  };
  callbacks.on_open = [this](net::ConnectionId id, const net::HttpRequest&) {
    std::lock_guard<std::mutex> lock(mu_);
    streams_.insert(id);
  };
  callbacks.on_close = [this](net::ConnectionId id, const net::WebSocketCloseInfo&) {
    std::lock_guard<std::mutex> lock(mu_);
    streams_.erase(id);
  };
  auto ws = net::WebSocketServer::Start({}, std::move(callbacks));
  REQUIRE(ws.ok());
  ws_ = std::move(*ws);
  // Last: its handler thread reads ws_ (ThreadSanitizer saw the race when
  // the REST server started first).
  auto http = net::HttpServer::Start({}, [this](const net::HttpRequest& r) { return Handle(r); });
  REQUIRE(http.ok());
  http_ = std::move(*http);
}

BinanceTestVenue::~BinanceTestVenue() {
  ws_->Stop();
  http_->Stop();
}

std::string BinanceTestVenue::rest_url() const { return "http://" + http_->address(); }
std::string BinanceTestVenue::ws_url() const { return "ws://" + ws_->address(); }

void BinanceTestVenue::FailNextOrders(int n, int status, int retry_after_s) {
  std::lock_guard<std::mutex> lock(mu_);
  fail_next_ = n;
  fail_status_ = status;
  retry_after_s_ = retry_after_s;
}

void BinanceTestVenue::DropNextOrderAcks(int n) {
  std::lock_guard<std::mutex> lock(mu_);
  drop_next_ = n;
}

void BinanceTestVenue::DropStreams(bool mute) {
  std::set<net::ConnectionId> ids;
  {
    std::lock_guard<std::mutex> lock(mu_);
    muted_ = mute;
    ids = streams_;
  }
  for (net::ConnectionId id : ids) (void)ws_->Drop(id);
}

void BinanceTestVenue::Unmute() {
  std::lock_guard<std::mutex> lock(mu_);
  muted_ = false;
}

void BinanceTestVenue::GarbleNextEvents(int n) {
  std::lock_guard<std::mutex> lock(mu_);
  garble_next_ = n;
}

int BinanceTestVenue::orders_placed() const {
  std::lock_guard<std::mutex> lock(mu_);
  return placed_;
}
int BinanceTestVenue::order_requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return order_requests_;
}
int BinanceTestVenue::bad_signatures() const {
  std::lock_guard<std::mutex> lock(mu_);
  return bad_signatures_;
}
int BinanceTestVenue::stream_connections() const {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int>(streams_.size());
}
std::string BinanceTestVenue::status_of(const std::string& client_order_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = orders_.find(client_order_id);
  return it == orders_.end() ? "" : it->second.status;
}

std::string BinanceTestVenue::OrderJson(const Order& o) const {
  return StrCat(R"({"symbol":"BTCUSDT","orderId":)", o.id, R"(,"orderListId":-1,"clientOrderId":")",
                o.client_order_id, R"(","price":")", Dec(o.price), R"(","origQty":")", Dec(o.qty),
                R"(","executedQty":")", Dec(o.executed), R"(","cummulativeQuoteQty":")",
                Dec(o.quote), R"(","status":")", o.status, R"(","timeInForce":")", o.tif,
                R"(","type":")", o.type, R"(","side":")", o.side, R"(","time":)", o.time_ms,
                R"(,"updateTime":)", NowMs(), "}");
}

std::string BinanceTestVenue::ReportJson(const Order& o, const std::string& exec_type,
                                         const Trade* t) const {
  return StrCat(R"({"e":"executionReport","E":)", NowMs(), R"(,"s":"BTCUSDT","c":")",
                o.client_order_id, R"(","S":")", o.side, R"(","o":")", o.type, R"(","f":")", o.tif,
                R"(","q":")", Dec(o.qty), R"(","p":")", Dec(o.price), R"(","C":"","x":")",
                exec_type, R"(","X":")", o.status, R"(","r":"NONE","i":)", o.id, R"(,"l":")",
                Dec(t != nullptr ? t->qty : 0), R"(","z":")", Dec(o.executed), R"(","L":")",
                Dec(t != nullptr ? t->price : 0), R"(","n":"0","N":"USDT","T":)", NowMs(),
                R"(,"t":)", t != nullptr ? t->id : -1, R"(,"m":)", t != nullptr ? "true" : "false",
                R"(,"Z":")", Dec(o.quote), R"("})");
}

void BinanceTestVenue::Push(const std::string& event) {
  std::string text = event;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (muted_) return;
    if (garble_next_ > 0) {
      --garble_next_;
      text = "{not json: " + event.substr(0, 20);
    }
  }
  (void)ws_->Broadcast(text);
}

BinanceTestVenue::Trade BinanceTestVenue::MakeTrade(Order& o, int64_t qty) {
  Trade t{next_trade_id_++, o.id, o.price, qty, o.side == "BUY", NowMs()};
  trades_.push_back(t);
  o.executed += qty;
  o.quote += Quote(o.price, qty);
  o.status = o.executed == o.qty ? "FILLED" : "PARTIALLY_FILLED";
  return t;
}

void BinanceTestVenue::Fill(const std::string& client_order_id, const std::string& qty) {
  std::string report;
  {
    std::lock_guard<std::mutex> lock(mu_);
    Order& o = orders_.at(client_order_id);
    Trade t = MakeTrade(o, *fixed_point::ParseRaw(qty));
    report = ReportJson(o, "TRADE", &t);
  }
  Push(report);
}

bool BinanceTestVenue::SignatureOk(const net::HttpRequest& request) const {
  auto key = request.headers.Get("X-MBX-APIKEY");
  if (!key.has_value() || *key != api_key_) return false;
  size_t at = request.raw_query.rfind("&signature=");
  if (at == std::string::npos) return false;
  std::string_view payload(request.raw_query.data(), at);
  std::string_view signature = std::string_view(request.raw_query).substr(at + 11);
  signing::HmacSha256Tag tag = signing::HmacSha256(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(secret_.data()), secret_.size()),
      payload);
  return signing::HexEncode(std::span<const uint8_t>(tag.data(), tag.size())) == signature;
}

HttpResponse BinanceTestVenue::Handle(const net::HttpRequest& request) {
  const std::string& path = request.path;
  if (path == "/api/v3/exchangeInfo") {
    return HttpResponse::Json(
        200,
        R"({"symbols":[{"symbol":"BTCUSDT","baseAsset":"BTC","quoteAsset":"USDT","filters":[)"
        R"({"filterType":"PRICE_FILTER","minPrice":"0.01","maxPrice":"1000000","tickSize":"0.01"},)"
        R"({"filterType":"LOT_SIZE","minQty":"0.001","maxQty":"9000","stepSize":"0.001"}]}]})");
  }
  if (path == "/api/v3/userDataStream") {
    auto key = request.headers.Get("X-MBX-APIKEY");
    if (!key.has_value() || *key != api_key_) return Error(401, -2015, "Invalid API-key");
    if (request.method == "POST") return HttpResponse::Json(200, R"({"listenKey":"lk-1"})");
    return HttpResponse::Json(200, "{}");
  }
  if (!SignatureOk(request)) {
    std::lock_guard<std::mutex> lock(mu_);
    ++bad_signatures_;
    return Error(400, -1022, "Signature for this request is not valid.");
  }
  auto params = net::ParseQuery(request.raw_query);
  REQUIRE(params.ok());
  auto param = [&](const char* name) {
    const std::string* v = net::FindQueryValue(*params, name);
    return v == nullptr ? std::string() : *v;
  };
  std::vector<std::string> reports;
  HttpResponse response;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (path == "/api/v3/order" && request.method == "POST") {
      ++order_requests_;
      if (fail_next_ > 0) {
        --fail_next_;
        HttpResponse r = fail_status_ == 429 ? Error(429, -1003, "Too many requests.")
                                             : Error(fail_status_, -1000, "Internal error.");
        if (retry_after_s_ > 0) r.headers.Set("Retry-After", std::to_string(retry_after_s_));
        return r;
      }
      std::string id = param("newClientOrderId");
      auto existing = orders_.find(id);
      if (existing != orders_.end()) {
        return Error(400, -2010, "Duplicate order sent.");
      }
      Order o;
      o.id = next_order_id_++;
      o.client_order_id = id;
      o.side = param("side");
      o.type = param("type");
      o.tif = param("timeInForce").empty() ? "GTC" : param("timeInForce");
      o.price = *fixed_point::ParseRaw(param("price").empty() ? "0" : param("price"));
      o.qty = *fixed_point::ParseRaw(param("quantity"));
      o.status = "NEW";
      o.time_ms = NowMs();
      ++placed_;
      reports.push_back(ReportJson(o, "NEW", nullptr));
      std::string fills;
      bool crosses = (o.side == "BUY" && o.price >= market_price_) ||
                     (o.side == "SELL" && o.price <= market_price_ && o.price > 0);
      if (crosses) {
        Trade t = MakeTrade(o, o.qty);
        reports.push_back(ReportJson(o, "TRADE", &t));
        fills = StrCat(R"([{"price":")", Dec(t.price), R"(","qty":")", Dec(t.qty),
                       R"(","commission":"0","commissionAsset":"USDT","tradeId":)", t.id, "}]");
      }
      orders_[id] = o;
      std::string body = OrderJson(o);
      body.pop_back();
      StrAppend(&body, R"(,"transactTime":)", NowMs(), R"(,"fills":)", fills.empty() ? "[]" : fills,
                "}");
      response = HttpResponse::Json(200, body);
      if (drop_next_ > 0) {
        --drop_next_;
        response.drop_connection = true;
      }
    } else if (path == "/api/v3/order") {
      auto it = orders_.find(param("origClientOrderId"));
      if (it == orders_.end()) {
        return request.method == "GET" ? Error(400, -2013, "Order does not exist.")
                                       : Error(400, -2011, "Unknown order sent.");
      }
      Order& o = it->second;
      if (request.method == "DELETE") {
        if (o.status != "NEW" && o.status != "PARTIALLY_FILLED") {
          return Error(400, -2011, "Unknown order sent.");
        }
        o.status = "CANCELED";
        reports.push_back(ReportJson(o, "CANCELED", nullptr));
        std::string body = OrderJson(o);
        body.pop_back();
        StrAppend(&body, R"(,"origClientOrderId":")", o.client_order_id, R"("})");
        response = HttpResponse::Json(200, body);
      } else {
        response = HttpResponse::Json(200, OrderJson(o));
      }
    } else if (path == "/api/v3/openOrders") {
      std::string body = "[";
      for (auto& [id, o] : orders_) {
        if (o.status != "NEW" && o.status != "PARTIALLY_FILLED") continue;
        if (request.method == "DELETE") {
          o.status = "CANCELED";
          reports.push_back(ReportJson(o, "CANCELED", nullptr));
        }
        if (body.size() > 1) body += ",";
        body += OrderJson(o);
      }
      body += "]";
      if (request.method == "DELETE" && body == "[]") {
        return Error(400, -2011, "Unknown order sent.");
      }
      response = HttpResponse::Json(200, body);
    } else if (path == "/api/v3/myTrades") {
      int64_t from = param("fromId").empty() ? 0 : std::stoll(param("fromId"));
      size_t limit = param("limit").empty() ? 500 : std::stoul(param("limit"));
      std::string body = "[";
      size_t n = 0;
      for (const Trade& t : trades_) {
        if (t.id < from || n >= limit) continue;
        if (n++ > 0) body += ",";
        body += StrCat(R"({"symbol":"BTCUSDT","id":)", t.id, R"(,"orderId":)", t.order_id,
                       R"(,"orderListId":-1,"price":")", Dec(t.price), R"(","qty":")", Dec(t.qty),
                       R"(","quoteQty":")", Dec(Quote(t.price, t.qty)),
                       R"(","commission":"0","commissionAsset":"USDT","time":)", t.time_ms,
                       R"(,"isBuyer":)", t.buyer ? "true" : "false",
                       R"(,"isMaker":true,"isBestMatch":true})");
      }
      body += "]";
      response = HttpResponse::Json(200, body);
    } else if (path == "/api/v3/account") {
      response = HttpResponse::Json(
          200, R"({"balances":[{"asset":"USDT","free":"1000.0","locked":"0.0"}]})");
    } else {
      return Error(404, -1, "unknown path");
    }
  }
  for (const std::string& r : reports) Push(r);
  return response;
}

}  // namespace tradeplane::testing
