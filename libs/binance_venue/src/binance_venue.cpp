#include "tradeplane/binance_venue/binance_venue.h"

#include "tradeplane/binance_api/vocabulary.h"
#include "tradeplane/core/enum_names.h"
#include "tradeplane/core/str_cat.h"
#include "tradeplane/execution/venue_error.h"
#include "tradeplane/net/query_string.h"

namespace tradeplane::binance_venue {
namespace {

using execution::MakeVenueError;
using execution::VenueError;
using execution::VenueErrorKind;
using execution::VenueErrorReason;
using execution::VenueOrder;
using execution::VenueOrderRequest;

constexpr size_t kMaxTradesPerPage = 1000;  // Binance's myTrades limit

}  // namespace

BinanceVenue::BinanceVenue(const InstrumentTable& instruments, RequestSigner& signer,
                           const Clock& clock, BinanceVenueOptions options)
    : instruments_(instruments),
      signer_(signer),
      clock_(clock),
      options_(std::move(options)),
      http_(net::HttpClientOptions{.tls = options_.tls}) {}

BinanceVenue::~BinanceVenue() { StopUserStream(); }

const std::string& BinanceVenue::Symbol(InstrumentIndex instrument) const {
  return instruments_.at(instrument).id.symbol;
}

void BinanceVenue::Remember(const VenueOrder& order) {
  if (order.venue_order_id.empty() || order.client_order_id.empty()) return;
  std::lock_guard<std::mutex> lock(ids_mu_);
  client_id_by_venue_id_[order.venue_order_id] = order.client_order_id;
}

std::string BinanceVenue::ClientIdOf(const std::string& venue_order_id) {
  std::lock_guard<std::mutex> lock(ids_mu_);
  auto it = client_id_by_venue_id_.find(venue_order_id);
  return it == client_id_by_venue_id_.end() ? std::string() : it->second;
}

absl::StatusOr<std::string> BinanceVenue::Call(const CallSpec& spec) {
  std::lock_guard<std::mutex> lock(http_mu_);
  return CallOn(http_, spec);
}

absl::StatusOr<std::string> BinanceVenue::CallOn(net::HttpClient& http, const CallSpec& spec) {
  std::string what = StrCat(spec.method, " ", spec.path);
  signer::v1::VenueRequest request;
  request.set_venue(options_.venue);
  request.set_kind(spec.kind);
  request.set_method(std::string(spec.method));
  request.set_path(std::string(spec.path));
  for (const Param& p : spec.params) {
    signer::v1::Param* param = request.add_params();
    param->set_name(p.name);
    param->set_value(p.value);
  }
  if (spec.kind != signer::v1::REQUEST_KIND_USER_STREAM) {
    request.set_timestamp_ms(clock_.Now().millis());
    request.set_recv_window_ms(options_.recv_window_ms);
  }
  request.set_symbol(spec.symbol);
  request.set_side(spec.side);
  request.set_notional(spec.notional.raw());
  absl::StatusOr<SignedRequest> signed_request = signer_.Sign(request);
  if (!signed_request.ok()) {
    // Nothing went to the venue: unreachable signer = transient, refusal = definitive.
    const absl::Status& s = signed_request.status();
    std::string message = StrCat(what, ": ", ToStd(s.message()));
    if (s.code() == absl::StatusCode::kPermissionDenied) {
      return execution::DefinitiveVenueError(VenueErrorReason::kUnauthorized, message);
    }
    return execution::TransientVenueError(VenueErrorReason::kConnectionFailed, message);
  }
  std::string url = StrCat(options_.rest_url, spec.path);
  if (!signed_request->query_string.empty()) StrAppend(&url, "?", signed_request->query_string);
  net::HttpHeaders headers;
  headers.Add("X-MBX-APIKEY", signed_request->api_key);
  absl::StatusOr<net::HttpResponse> response =
      http.Request(spec.method, url, headers, "", options_.timeout);
  if (!response.ok()) {
    const absl::Status& s = response.status();
    std::string message = StrCat(what, ": ", ToStd(s.message()));
    if (spec.order_entry &&
        (s.code() == absl::StatusCode::kDeadlineExceeded ||
         s.code() == absl::StatusCode::kUnavailable || s.code() == absl::StatusCode::kInternal)) {
      return execution::UnknownOutcomeVenueError(
          StrCat(message, " (sent; the venue's answer did not arrive)"));
    }
    if (s.code() == absl::StatusCode::kDeadlineExceeded) {
      return execution::TransientVenueError(VenueErrorReason::kTimeout, message);
    }
    if (s.code() == absl::StatusCode::kInvalidArgument) {
      return execution::DefinitiveVenueError(VenueErrorReason::kRejected, message);
    }
    return execution::TransientVenueError(VenueErrorReason::kConnectionFailed, message);
  }
  if (response->status >= 200 && response->status < 300) return std::move(response->body);
  std::optional<BinanceError> error = ParseError(response->body);
  int64_t retry_after_ms = 0;
  if (std::optional<std::chrono::seconds> after = response->RetryAfter()) {
    retry_after_ms = std::chrono::duration_cast<std::chrono::milliseconds>(*after).count();
  }
  VenueError classified =
      ClassifyHttpError(response->status, error, retry_after_ms, spec.order_entry);
  std::string detail = error.has_value() ? StrCat(error->code, " ", error->msg)
                                         : std::string(response->body.substr(0, 200));
  return MakeVenueError(classified, StrCat(what, ": HTTP ", response->status, ": ", detail));
}

absl::Status BinanceVenue::Unparseable(const CallSpec& spec, const absl::Status& why) const {
  VenueError e;
  e.http_status = 200;
  if (spec.order_entry) {
    e.kind = VenueErrorKind::kUnknownOutcome;
    e.reason = VenueErrorReason::kNoResponse;
  } else {
    e.kind = VenueErrorKind::kTransient;
    e.reason = VenueErrorReason::kServerError;
  }
  return MakeVenueError(e, StrCat(spec.method, " ", spec.path,
                                  ": the venue's answer does not parse: ", ToStd(why.message())));
}

absl::StatusOr<std::vector<InstrumentSpec>> BinanceVenue::FetchInstruments(
    const BinanceVenueOptions& options, const std::vector<std::string>& symbols) {
  net::HttpClient http(net::HttpClientOptions{.tls = options.tls});
  std::string url = StrCat(options.rest_url, "/api/v3/exchangeInfo");
  absl::StatusOr<net::HttpResponse> r = http.Get(url, {}, options.timeout);
  if (!r.ok()) return r.status();
  if (r->status != 200) {
    return absl::UnavailableError(StrCat("GET /api/v3/exchangeInfo: HTTP ", r->status, ": ",
                                         std::string(r->body.substr(0, 200))));
  }
  return ParseExchangeInfo(r->body, options.venue, symbols);
}

absl::StatusOr<execution::SubmitAck> BinanceVenue::Submit(const VenueOrderRequest& request) {
  if (request.instrument >= instruments_.size()) {
    return execution::DefinitiveVenueError(VenueErrorReason::kUnknownSymbol,
                                           StrCat("instrument index ", request.instrument));
  }
  CallSpec spec{.method = "POST", .path = "/api/v3/order", .kind = signer::v1::REQUEST_KIND_ORDER};
  spec.order_entry = true;
  spec.symbol = Symbol(request.instrument);
  spec.side = request.side;
  spec.params = {{"symbol", spec.symbol},
                 {"side", std::string(binance_api::SideText(request.side))},
                 {"type", std::string(binance_api::OrderTypeText(request.type))}};
  if (request.type == orders::v1::ORDER_TYPE_LIMIT) {
    spec.params.push_back(
        {"timeInForce", std::string(binance_api::TimeInForceText(request.time_in_force))});
  }
  spec.params.push_back({"quantity", request.qty.ToString()});
  if (request.type != orders::v1::ORDER_TYPE_MARKET) {
    spec.params.push_back({"price", request.price.ToString()});
    absl::StatusOr<Amount> notional = Notional(request.price, request.qty, Rounding::kCeiling);
    if (notional.ok()) spec.notional = *notional;
  }
  spec.params.push_back({"newClientOrderId", request.client_order_id});
  spec.params.push_back({"newOrderRespType", "FULL"});
  absl::StatusOr<std::string> body = Call(spec);
  if (!body.ok()) return body.status();
  absl::StatusOr<execution::SubmitAck> ack = ParseSubmitResponse(*body, json());
  if (!ack.ok()) return Unparseable(spec, ack.status());
  Remember(ack->order);
  return ack;
}

absl::StatusOr<VenueOrder> BinanceVenue::Cancel(InstrumentIndex instrument,
                                                std::string_view client_order_id) {
  return CancelOne(instrument, "origClientOrderId", client_order_id, /*ours=*/true);
}

absl::StatusOr<VenueOrder> BinanceVenue::CancelByVenueOrderId(InstrumentIndex instrument,
                                                              std::string_view venue_order_id) {
  return CancelOne(instrument, "orderId", venue_order_id, /*ours=*/false);
}

absl::StatusOr<VenueOrder> BinanceVenue::CancelOne(InstrumentIndex instrument,
                                                   std::string_view id_param, std::string_view id,
                                                   bool ours) {
  CallSpec spec{
      .method = "DELETE", .path = "/api/v3/order", .kind = signer::v1::REQUEST_KIND_CANCEL};
  spec.order_entry = true;
  spec.symbol = Symbol(instrument);
  spec.params = {{"symbol", spec.symbol}, {std::string(id_param), std::string(id)}};
  absl::StatusOr<std::string> body = Call(spec);
  if (!body.ok()) return body.status();
  absl::StatusOr<VenueOrder> order = ParseOrder(*body, json());
  if (!order.ok()) return Unparseable(spec, order.status());
  if (ours) Remember(*order);
  return order;
}

absl::StatusOr<std::vector<VenueOrder>> BinanceVenue::CancelAll(InstrumentIndex instrument) {
  CallSpec spec{
      .method = "DELETE", .path = "/api/v3/openOrders", .kind = signer::v1::REQUEST_KIND_CANCEL};
  spec.order_entry = true;
  spec.symbol = Symbol(instrument);
  spec.params = {{"symbol", spec.symbol}};
  absl::StatusOr<std::string> body = Call(spec);
  if (!body.ok()) {
    // -2011 "Unknown order sent.": there was nothing open to cancel.
    std::optional<VenueError> e = execution::GetVenueError(body.status());
    if (e.has_value() && e->reason == VenueErrorReason::kUnknownOrder) {
      return std::vector<VenueOrder>();
    }
    return body.status();
  }
  absl::StatusOr<std::vector<VenueOrder>> orders = ParseOrderArray(*body, json());
  if (!orders.ok()) return Unparseable(spec, orders.status());
  return orders;
}

absl::StatusOr<VenueOrder> BinanceVenue::QueryOrder(InstrumentIndex instrument,
                                                    std::string_view client_order_id) {
  CallSpec spec{.method = "GET", .path = "/api/v3/order"};
  spec.symbol = Symbol(instrument);
  spec.params = {{"symbol", spec.symbol}, {"origClientOrderId", std::string(client_order_id)}};
  absl::StatusOr<std::string> body = Call(spec);
  if (!body.ok()) return body.status();
  absl::StatusOr<VenueOrder> order = ParseOrder(*body, json());
  if (!order.ok()) return Unparseable(spec, order.status());
  Remember(*order);
  return order;
}

absl::StatusOr<std::vector<VenueOrder>> BinanceVenue::OpenOrders(
    std::optional<InstrumentIndex> instrument) {
  CallSpec spec{.method = "GET", .path = "/api/v3/openOrders"};
  if (instrument.has_value()) {
    spec.symbol = Symbol(*instrument);
    spec.params = {{"symbol", spec.symbol}};
  }
  absl::StatusOr<std::string> body = Call(spec);
  if (!body.ok()) return body.status();
  // Orders on symbols we do not trade are the reconciler's business: with no
  // instrument asked for, keep the ones we can name.
  JsonContext context = json();
  absl::StatusOr<std::vector<VenueOrder>> orders = ParseOrderArray(*body, context);
  if (!orders.ok()) return Unparseable(spec, orders.status());
  for (const VenueOrder& o : *orders) Remember(o);
  return orders;
}

absl::StatusOr<execution::FillPage> BinanceVenue::FillsSince(InstrumentIndex instrument,
                                                             execution::FillCheckpoint since,
                                                             size_t limit) {
  if (limit == 0) {
    return execution::DefinitiveVenueError(VenueErrorReason::kRejected,
                                           "fills: limit must be positive");
  }
  limit = std::min(limit, kMaxTradesPerPage);
  CallSpec spec{.method = "GET", .path = "/api/v3/myTrades"};
  spec.symbol = Symbol(instrument);
  spec.params = {{"symbol", spec.symbol},
                 {"fromId", std::to_string(since.after_trade_id + 1)},
                 {"limit", std::to_string(limit)}};
  absl::StatusOr<std::string> body = Call(spec);
  if (!body.ok()) return body.status();
  absl::StatusOr<std::vector<TradeRecord>> trades = ParseMyTrades(*body, json());
  if (!trades.ok()) return Unparseable(spec, trades.status());
  execution::FillPage page;
  page.next = since;
  for (TradeRecord& t : *trades) {
    if (t.trade_id <= since.after_trade_id) continue;
    t.fill.client_order_id = ClientIdOf(t.fill.venue_order_id);
    page.next.after_trade_id = std::max(page.next.after_trade_id, t.trade_id);
    page.fills.push_back(std::move(t.fill));
  }
  page.more = trades->size() >= limit;
  return page;
}

absl::StatusOr<std::vector<execution::VenueBalance>> BinanceVenue::Balances() {
  CallSpec spec{.method = "GET", .path = "/api/v3/account"};
  absl::StatusOr<std::string> body = Call(spec);
  if (!body.ok()) return body.status();
  absl::StatusOr<std::vector<execution::VenueBalance>> balances = ParseAccount(*body);
  if (!balances.ok()) return Unparseable(spec, balances.status());
  return balances;
}

absl::StatusOr<VenueOrder> BinanceVenue::CancelReplace(std::string_view cancel_client_order_id,
                                                       const VenueOrderRequest& replacement) {
  CallSpec spec{.method = "POST",
                .path = "/api/v3/order/cancelReplace",
                .kind = signer::v1::REQUEST_KIND_ORDER};
  spec.order_entry = true;
  spec.symbol = Symbol(replacement.instrument);
  spec.side = replacement.side;
  spec.params = {{"symbol", spec.symbol},
                 {"side", std::string(binance_api::SideText(replacement.side))},
                 {"type", std::string(binance_api::OrderTypeText(replacement.type))},
                 {"cancelReplaceMode", "STOP_ON_FAILURE"},
                 {"cancelOrigClientOrderId", std::string(cancel_client_order_id)}};
  if (replacement.type == orders::v1::ORDER_TYPE_LIMIT) {
    spec.params.push_back(
        {"timeInForce", std::string(binance_api::TimeInForceText(replacement.time_in_force))});
  }
  spec.params.push_back({"quantity", replacement.qty.ToString()});
  if (replacement.type != orders::v1::ORDER_TYPE_MARKET) {
    spec.params.push_back({"price", replacement.price.ToString()});
    absl::StatusOr<Amount> notional =
        Notional(replacement.price, replacement.qty, Rounding::kCeiling);
    if (notional.ok()) spec.notional = *notional;
  }
  spec.params.push_back({"newClientOrderId", replacement.client_order_id});
  absl::StatusOr<std::string> body = Call(spec);
  if (!body.ok()) return body.status();
  absl::StatusOr<VenueOrder> order = ParseCancelReplaceResponse(*body, json());
  if (!order.ok()) return Unparseable(spec, order.status());
  Remember(*order);
  return order;
}

absl::StatusOr<std::vector<execution::VenueUpdate>> BinanceVenue::PollUpdates() {
  std::vector<execution::VenueUpdate> out;
  std::lock_guard<std::mutex> lock(updates_mu_);
  out.swap(updates_);
  return out;
}

std::vector<std::string> BinanceVenue::TakeStreamErrors() {
  std::vector<std::string> out;
  std::lock_guard<std::mutex> lock(updates_mu_);
  out.swap(stream_errors_);
  return out;
}

StreamStats BinanceVenue::stream_stats() const {
  std::lock_guard<std::mutex> lock(updates_mu_);
  return stats_;
}

}  // namespace tradeplane::binance_venue
