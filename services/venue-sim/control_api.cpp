#include "control_api.h"

#include <algorithm>
#include <charconv>
#include <mutex>
#include <optional>
#include <vector>

#include "tradeplane/binance_api/vocabulary.h"
#include "tradeplane/core/str_cat.h"
#include "tradeplane/net/query_string.h"

#include "binance_json.h"
#include "json_out.h"

namespace tradeplane::venue_sim {
namespace {

net::HttpResponse Error(int status, std::string_view why) {
  JsonOut out;
  out.BeginObject().Str("error", why).EndObject();
  return net::HttpResponse::Json(status, out.Take());
}

net::HttpResponse Ok(std::string body) { return net::HttpResponse::Json(200, std::move(body)); }

// A control request's parameters (query string only).
class Params {
 public:
  static std::optional<Params> Parse(const net::HttpRequest& request) {
    absl::StatusOr<std::vector<net::QueryParam>> q = net::ParseQuery(request.raw_query);
    if (!q.ok()) return std::nullopt;
    return Params(std::move(*q));
  }
  const std::string* Get(std::string_view name) const { return net::FindQueryValue(q_, name); }
  // nullopt with `error` set when present but not an integer in [min, max].
  std::optional<int64_t> Int(std::string_view name, int64_t fallback, int64_t min, int64_t max,
                             std::string* error) const {
    const std::string* v = Get(name);
    if (v == nullptr) return fallback;
    int64_t n = 0;
    auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
    if (ec != std::errc() || end != v->data() + v->size() || n < min || n > max) {
      *error = StrCat(name, " must be an integer from ", min, " to ", max);
      return std::nullopt;
    }
    return n;
  }

 private:
  explicit Params(std::vector<net::QueryParam> q) : q_(std::move(q)) {}
  std::vector<net::QueryParam> q_;
};

}  // namespace

ControlApi::ControlApi(Simulation& sim, StreamHub& hub, Faults& faults, Hooks hooks)
    : sim_(sim), exchange_(sim.exchange()), hub_(hub), faults_(faults), hooks_(std::move(hooks)) {}

std::string ControlApi::PositionJson() {
  ReplayPosition p = sim_.Position();
  JsonOut out;
  out.BeginObject()
      .Num("events", static_cast<int64_t>(p.delivered))
      .Num("pass", p.pass)
      .Num("origin_ms", p.origin.millis())
      .Num("last_event_ms", p.last_event.millis())
      .Num("sim_time_ms", p.now.millis())
      .Str("sim_time", FormatRfc3339(p.now))
      .Flag("finished", p.finished)
      .Flag("running", p.running)
      .Flag("frozen", p.frozen)
      .Flag("lockstep", hooks_.lockstep)
      .Num("pending_requests", static_cast<int64_t>(p.pending_requests))
      .EndObject();
  return out.Take();
}

net::HttpResponse ControlApi::Handle(const net::HttpRequest& request) {
  const std::string& path = request.path;
  bool post = request.method == "POST";
  if (request.method == "GET" && path == "/control/state") return State();
  if (request.method == "GET" && path == "/control/position") {
    std::lock_guard<std::mutex> lock(sim_.mu());
    return Ok(PositionJson());
  }
  if (post && path == "/control/step") return Step(request);
  if (post && (path == "/control/run" || path == "/control/pause")) {
    std::lock_guard<std::mutex> lock(sim_.mu());
    if (path == "/control/run") {
      sim_.Run();
    } else {
      sim_.Pause();
    }
    return Ok(PositionJson());
  }
  if (post && path == "/control/order") return PlaceOrder(request);
  if (post && path == "/control/balance") return Transfer(request);
  if (request.method == "DELETE" && path == "/control/order") return CancelOrder(request);
  if (post && path == "/control/listen-keys/expire") {
    size_t n = hub_.ExpireListenKeys(/*all=*/true);
    return Ok(StrCat("{\"expired\":", n, "}"));
  }
  if (post && path.starts_with("/control/faults/")) {
    return SetFault(std::string_view(path).substr(16), request);
  }
  return Error(404, StrCat("unknown control endpoint ", request.method, " ", path));
}

net::HttpResponse ControlApi::Step(const net::HttpRequest& request) {
  std::optional<Params> p = Params::Parse(request);
  if (!p) return Error(400, "malformed query string");
  std::string error;
  std::optional<int64_t> events = p->Int("events", 1, 1, 100'000'000, &error);
  if (!events) return Error(400, error);
  std::lock_guard<std::mutex> lock(sim_.mu());
  if (sim_.running()) return Error(409, "the replay is running: POST /control/pause first");
  if (sim_.frozen()) return Error(409, "the simulator is frozen: POST /control/faults/unfreeze");
  size_t delivered = sim_.Step(static_cast<size_t>(*events));
  // Everything those events caused (fills, user-data events, stream frames)
  // was queued to the connections before Step returned.
  return Ok(StrCat("{\"delivered\":", delivered, ",\"position\":", PositionJson(), "}"));
}

net::HttpResponse ControlApi::SetFault(std::string_view fault, const net::HttpRequest& request) {
  std::optional<Params> p = Params::Parse(request);
  if (!p) return Error(400, "malformed query string");
  std::string error;
  if (fault == "restart") {
    if (!hooks_.restart) return Error(409, "restart is not available");
    absl::Status s = hooks_.restart();
    if (!s.ok()) return Error(500, ToStd(s.message()));
    return Ok("{\"restarted\":true}");
  }
  if (fault == "disconnect") {
    std::optional<InstrumentIndex> instrument;
    if (const std::string* symbol = p->Get("symbol")) {
      instrument = exchange_.FindSymbol(*symbol);
      if (!instrument) return Error(400, StrCat("unknown symbol ", *symbol));
    }
    size_t n = hub_.Disconnect(instrument);
    return Ok(StrCat("{\"disconnected\":", n, "}"));
  }
  std::lock_guard<std::mutex> lock(sim_.mu());
  if (fault == "ack-delay") {
    std::optional<int64_t> ms = p->Int("ms", 0, 0, 600'000, &error);
    if (!ms) return Error(400, error);
    faults_.ack_delay = std::chrono::milliseconds(*ms);
  } else if (fault == "drop-acks") {
    std::optional<int64_t> n = p->Int("count", 1, 0, 1'000'000, &error);
    if (!n) return Error(400, error);
    faults_.drop_acks = *n;
  } else if (fault == "errors") {
    std::optional<int64_t> n = p->Int("count", 1, 0, 1'000'000, &error);
    std::optional<int64_t> status = p->Int("status", 503, 500, 599, &error);
    if (!n || !status) return Error(400, error);
    faults_.error_responses = *n;
    faults_.error_status = static_cast<int>(*status);
  } else if (fault == "rate-limit") {
    std::optional<int64_t> n = p->Int("count", 1, 0, 1'000'000, &error);
    std::optional<int64_t> retry = p->Int("retry_after_s", 10, 0, 86'400, &error);
    if (!n || !retry) return Error(400, error);
    faults_.rate_limited_responses = *n;
    faults_.retry_after_s = static_cast<int>(*retry);
  } else if (fault == "freeze") {
    sim_.Freeze();
  } else if (fault == "unfreeze") {
    sim_.Unfreeze();
  } else if (fault == "clear") {
    Faults cleared;
    cleared.acks_delayed = faults_.acks_delayed;
    cleared.acks_dropped = faults_.acks_dropped;
    cleared.errors_sent = faults_.errors_sent;
    cleared.rate_limits_sent = faults_.rate_limits_sent;
    faults_ = cleared;
    sim_.Unfreeze();
  } else {
    return Error(404, StrCat("unknown fault '", fault, "'"));
  }
  return Ok("{\"ok\":true}");
}

net::HttpResponse ControlApi::PlaceOrder(const net::HttpRequest& request) {
  std::optional<Params> p = Params::Parse(request);
  if (!p) return Error(400, "malformed query string");
  const std::string* account = p->Get("account");
  const std::string* symbol = p->Get("symbol");
  const std::string* side = p->Get("side");
  const std::string* type = p->Get("type");
  const std::string* quantity = p->Get("quantity");
  if (account == nullptr || account->empty() || symbol == nullptr || side == nullptr ||
      quantity == nullptr) {
    return Error(400, "account, symbol, side and quantity are required");
  }
  std::lock_guard<std::mutex> lock(sim_.mu());
  std::optional<InstrumentIndex> i = exchange_.FindSymbol(*symbol);
  if (!i) return Error(400, StrCat("unknown symbol ", *symbol));
  NewOrder o;
  o.instrument = *i;
  o.side = binance_api::SideFromText(*side);
  std::string t = type == nullptr ? "LIMIT" : *type;
  o.type = binance_api::OrderTypeFromText(t);
  const std::string* tif = p->Get("timeInForce");
  std::string tif_text = tif == nullptr ? (t == "LIMIT" ? "GTC" : "") : *tif;
  o.time_in_force = binance_api::TimeInForceFromText(tif_text);
  absl::StatusOr<Quantity> qty = Quantity::Parse(*quantity);
  if (!qty.ok()) return Error(400, StrCat("quantity: ", ToStd(qty.status().message())));
  o.qty = *qty;
  if (const std::string* price = p->Get("price")) {
    absl::StatusOr<Price> px = Price::Parse(*price);
    if (!px.ok()) return Error(400, StrCat("price: ", ToStd(px.status().message())));
    o.price = *px;
  }
  if (const std::string* cid = p->Get("newClientOrderId")) o.client_order_id = *cid;
  // The account is created (with the initial balances) on first use: another
  // client of the venue, or one of our API keys trading out of band.
  o.account = exchange_.Account(*account);
  sim_.CatchUp();
  Timestamp now = sim_.Now();
  PlaceResult result = exchange_.Place(o, now);
  if (result.order_id == 0) {
    return Error(400, StrCat("order rejected: ", matching::OrderReasonText(result.reject_reason)));
  }
  const EngineOrder* placed = exchange_.Find(o.account, *i, result.order_id, "");
  JsonOut out;
  WriteNewOrderResponse(out, *symbol, *placed, exchange_.meta(*i, placed->id), OrderRespType::kFull,
                        result.fills, exchange_.spec(*i).quote_asset, now.millis());
  return Ok(out.Take());
}

net::HttpResponse ControlApi::Transfer(const net::HttpRequest& request) {
  std::optional<Params> p = Params::Parse(request);
  if (!p) return Error(400, "malformed query string");
  const std::string* account = p->Get("account");
  const std::string* asset = p->Get("asset");
  const std::string* delta_text = p->Get("delta");
  if (account == nullptr || account->empty() || asset == nullptr || delta_text == nullptr) {
    return Error(400, "account, asset and delta are required");
  }
  const bool asset_ok = !asset->empty() && asset->size() <= 20 &&
                        std::all_of(asset->begin(), asset->end(), [](char c) {
                          return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
                        });
  if (!asset_ok) {
    return Error(400, StrCat("asset '", *asset, "': 1 to 20 capital letters or digits"));
  }
  absl::StatusOr<Amount> delta = Amount::Parse(*delta_text);
  if (!delta.ok()) return Error(400, StrCat("delta: ", ToStd(delta.status().message())));
  if (delta->is_zero()) return Error(400, "delta: must not be zero");
  std::lock_guard<std::mutex> lock(sim_.mu());
  AccountId id = exchange_.Account(*account);
  absl::StatusOr<Amount> free = exchange_.Transfer(id, *asset, *delta);
  if (!free.ok()) return Error(400, std::string(ToStd(free.status().message())));
  JsonOut out;
  out.BeginObject().Str("account", *account).Str("asset", *asset).Money("free", free->raw());
  out.EndObject();
  return Ok(out.Take());
}

net::HttpResponse ControlApi::CancelOrder(const net::HttpRequest& request) {
  std::optional<Params> p = Params::Parse(request);
  if (!p) return Error(400, "malformed query string");
  const std::string* account = p->Get("account");
  const std::string* symbol = p->Get("symbol");
  if (account == nullptr || symbol == nullptr) return Error(400, "account and symbol are required");
  std::string error;
  std::optional<int64_t> order_id = p->Int("orderId", 0, 0, INT64_MAX, &error);
  if (!order_id) return Error(400, error);
  const std::string* client_id = p->Get("origClientOrderId");
  std::lock_guard<std::mutex> lock(sim_.mu());
  std::optional<InstrumentIndex> i = exchange_.FindSymbol(*symbol);
  if (!i) return Error(400, StrCat("unknown symbol ", *symbol));
  std::optional<AccountId> a = exchange_.FindAccount(*account);
  if (!a) return Error(404, StrCat("unknown account ", *account));
  sim_.CatchUp();
  Timestamp now = sim_.Now();
  const EngineOrder* canceled = exchange_.Cancel(
      *a, *i, static_cast<OrderId>(*order_id),
      client_id == nullptr ? std::string_view() : std::string_view(*client_id), "", now);
  if (canceled == nullptr) return Error(404, "no such open order");
  JsonOut out;
  WriteCancel(out, *symbol, *canceled, exchange_.meta(*i, canceled->id), now.millis());
  return Ok(out.Take());
}

net::HttpResponse ControlApi::State() {
  std::lock_guard<std::mutex> lock(sim_.mu());
  JsonOut out;
  out.BeginObject().Key("replay").Raw(PositionJson());
  out.Key("instruments").BeginArray();
  for (InstrumentIndex i = 0; i < exchange_.instrument_count(); ++i) {
    const BookPublisher& book = exchange_.book(i);
    std::vector<std::pair<int64_t, int64_t>> bids;
    std::vector<std::pair<int64_t, int64_t>> asks;
    book.Snapshot(1, &bids, &asks);
    out.BeginObject()
        .Str("symbol", exchange_.spec(i).id.symbol)
        .Num("last_update_id", static_cast<int64_t>(book.last_update_id()))
        .Num("bid_levels", static_cast<int64_t>(book.levels(true)))
        .Num("ask_levels", static_cast<int64_t>(book.levels(false)))
        .Money("best_bid", bids.empty() ? 0 : bids[0].first)
        .Money("best_ask", asks.empty() ? 0 : asks[0].first)
        .EndObject();
  }
  out.EndArray();
  out.Key("accounts").BeginArray();
  for (AccountId a = 1; a <= exchange_.account_count(); ++a) {
    out.BeginObject().Str("name", exchange_.account_name(a)).Num("id", a);
    out.Key("balances").BeginArray();
    absl::StatusOr<std::vector<matching::AssetBalance>> balances = exchange_.Balances(a);
    if (balances.ok()) {
      for (const matching::AssetBalance& b : *balances) {
        out.BeginObject()
            .Str("asset", b.asset)
            .Money("free", b.free.raw())
            .Money("locked", b.locked.raw())
            .EndObject();
      }
    }
    out.EndArray();
    out.Key("orders").BeginArray();
    for (InstrumentIndex i = 0; i < exchange_.instrument_count(); ++i) {
      for (const EngineOrder* o : exchange_.AllOrders(a, i)) {
        WriteOrder(out, exchange_.spec(i).id.symbol, *o, exchange_.meta(i, o->id));
      }
    }
    out.EndArray();
    out.Key("trades").BeginArray();
    for (InstrumentIndex i = 0; i < exchange_.instrument_count(); ++i) {
      for (const AccountTrade& t : exchange_.Trades(a, i)) {
        WriteMyTrade(out, exchange_.spec(i).id.symbol, t, exchange_.spec(i).quote_asset);
      }
    }
    out.EndArray().EndObject();
  }
  out.EndArray();
  StreamHub::Stats s = hub_.stats();
  out.Key("streams")
      .BeginObject()
      .Num("connections", static_cast<int64_t>(s.connections))
      .Num("market_subscriptions", static_cast<int64_t>(s.market_subscriptions))
      .Num("user_subscriptions", static_cast<int64_t>(s.user_subscriptions))
      .Num("listen_keys", static_cast<int64_t>(s.listen_keys))
      .Num("frames", static_cast<int64_t>(s.frames))
      .Num("bad_messages", static_cast<int64_t>(s.bad_messages))
      .EndObject();
  out.Key("faults")
      .BeginObject()
      .Num("ack_delay_ms", faults_.ack_delay.count())
      .Num("drop_acks", faults_.drop_acks)
      .Num("error_responses", faults_.error_responses)
      .Num("rate_limited_responses", faults_.rate_limited_responses)
      .Num("acks_delayed", static_cast<int64_t>(faults_.acks_delayed))
      .Num("acks_dropped", static_cast<int64_t>(faults_.acks_dropped))
      .Num("errors_sent", static_cast<int64_t>(faults_.errors_sent))
      .Num("rate_limits_sent", static_cast<int64_t>(faults_.rate_limits_sent))
      .EndObject();
  const ExchangeCounters& c = exchange_.counters();
  out.Key("counters")
      .BeginObject()
      .Num("orders_accepted", static_cast<int64_t>(c.orders_accepted))
      .Num("orders_rejected", static_cast<int64_t>(c.orders_rejected))
      .Num("cancels", static_cast<int64_t>(c.cancels))
      .Num("fills", static_cast<int64_t>(c.fills))
      .Num("public_trades", static_cast<int64_t>(c.public_trades))
      .Num("replay_errors", static_cast<int64_t>(c.replay_errors))
      .EndObject();
  out.EndObject();
  return Ok(out.Take());
}

}  // namespace tradeplane::venue_sim
