// RestApi: the Binance spot REST subset on port 7800 (docs/reference/venue-sim.md).
//
// Every request goes through, in this order: the freeze and injected faults;
// the route (unknown: 404); the request weight (X-MBX-USED-WEIGHT-1M on every
// answer; over the per-minute limit: 429, -1003, Retry-After); the
// parameters (query string and form body together); the API key
// (X-MBX-APIKEY: -2014 malformed, -2015 unknown) for USER_STREAM and SIGNED
// endpoints; for SIGNED ones the timestamp (-1021 if more than 1000 ms ahead
// of the server's time or older than recvWindow, default 5000, at most
// 60000) and the signature (-1022), verified on the raw text as Binance
// defines it; then the endpoint. Errors are Binance's JSON
// {"code":..,"msg":..} with its HTTP statuses.
//
// The handler runs on the HTTP server's thread and holds the simulation's
// lock while it works (released while a request waits for its latency).
#ifndef TRADEPLANE_SERVICES_VENUE_SIM_REST_API_H_
#define TRADEPLANE_SERVICES_VENUE_SIM_REST_API_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tradeplane/net/http_message.h"
#include "tradeplane/telemetry/metrics.h"

#include "absl/container/flat_hash_map.h"
#include "api_credential.h"
#include "binance_error.h"
#include "binance_json.h"
#include "exchange.h"
#include "faults.h"
#include "request_weight_limiter.h"
#include "rest_params.h"
#include "simulation.h"
#include "stream_hub.h"

namespace tradeplane::venue_sim {

struct RestOptions {
  int weight_limit_per_minute = 6000;
  // Test only: the server's time frozen at this value (ms); 0 = the system clock.
  int64_t fixed_server_time_ms = 0;
};

// An API key the simulator accepts, and the account it trades for.
struct ApiKeyEntry {
  std::shared_ptr<const ApiCredential> credential;
  AccountId account = 0;
};

class RestApi {
 public:
  // `bad_input(kind)` counts refused input by class (endpoint, query,
  // api_key, signature, timestamp).
  RestApi(Simulation& sim, StreamHub& hub, Faults& faults,
          absl::flat_hash_map<std::string, ApiKeyEntry> keys, RestOptions options,
          telemetry::MetricsRegistry& metrics);

  // The HttpServer handler.
  net::HttpResponse Handle(const net::HttpRequest& request);

  // Server time in ms (fixed in tests).
  int64_t ServerTimeMs() const;
  // Wakes requests held by a freeze or a latency wait (restart, shutdown).
  void set_stopping(bool stopping) { stopping_.store(stopping); }

 private:
  enum class Security { kNone, kUserStream, kSigned };
  struct Call {
    const net::HttpRequest& request;
    RestParams params;
    AccountId account = 0;
    std::unique_lock<std::mutex>& lock;
    net::HttpResponse extra;  // delay / drop set by faults
  };
  using Handler = OrError<std::string> (RestApi::*)(Call&);
  struct Route {
    std::string_view method;
    std::string_view path;
    std::string_view name;  // the metrics label
    int weight;
    Security security;
    Handler handler;
  };

  const Route* FindRoute(std::string_view method, std::string_view path) const;
  int WeightOf(const Route& route, RestParams& params) const;
  std::optional<BinanceError> Authenticate(const Route& route, Call& call);
  void Count(std::string_view endpoint, int status, int code);

  // Market data and the exchange.
  OrError<std::string> Ping(Call& call);
  OrError<std::string> Time(Call& call);
  OrError<std::string> ExchangeInfo(Call& call);
  OrError<std::string> Depth(Call& call);
  // Orders (rest_orders.cpp).
  OrError<std::string> NewOrder(Call& call);
  OrError<std::string> TestOrder(Call& call);
  OrError<std::string> CancelOrder(Call& call);
  OrError<std::string> QueryOrder(Call& call);
  OrError<std::string> CancelReplace(Call& call);
  OrError<std::string> OpenOrders(Call& call);
  OrError<std::string> CancelOpenOrders(Call& call);
  // Account (rest_account.cpp).
  OrError<std::string> MyTrades(Call& call);
  OrError<std::string> Account(Call& call);
  OrError<std::string> StartUserStream(Call& call);
  OrError<std::string> KeepAliveUserStream(Call& call);
  OrError<std::string> CloseUserStream(Call& call);

  // Parameter helpers shared by the endpoints.
  OrError<InstrumentIndex> ReadSymbol(Call& call, bool required);
  struct ParsedOrder {
    venue_sim::NewOrder order;
    OrderRespType resp_type = OrderRespType::kFull;
  };
  // The new-order parameters (POST order, order/test, cancelReplace).
  OrError<ParsedOrder> ReadNewOrder(Call& call, InstrumentIndex instrument);
  // orderId / origClientOrderId (names given, for cancelReplace's cancel*).
  struct OrderRef {
    OrderId order_id = 0;
    std::string client_order_id;
  };
  OrError<OrderRef> ReadOrderRef(Call& call, std::string_view id_name,
                                 std::string_view client_id_name);
  static BinanceError RejectError(OrderReason reason);

  Simulation& sim_;
  Exchange& exchange_;
  StreamHub& hub_;
  Faults& faults_;
  absl::flat_hash_map<std::string, ApiKeyEntry> keys_;
  RestOptions options_;
  RequestWeightLimiter limiter_;  // under the simulation's lock
  std::vector<Route> routes_;
  std::atomic<bool> stopping_{false};
  telemetry::MetricsRegistry& metrics_;
  std::string requests_name_;
  std::string errors_name_;
  std::string bad_input_name_;
};

}  // namespace tradeplane::venue_sim

#endif  // TRADEPLANE_SERVICES_VENUE_SIM_REST_API_H_
