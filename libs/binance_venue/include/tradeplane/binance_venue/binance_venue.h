// BinanceVenue: the Venue interface over the Binance spot REST API and its
// user-data stream. The same adapter talks to the real exchange, its testnet
// or the venue simulator: only the base URLs differ.
//
// REST (every SIGNED request signed by the signer service through a
// RequestSigner: this process never holds the secret):
//   Submit        POST   /api/v3/order (newClientOrderId, newOrderRespType=FULL)
//   Cancel        DELETE /api/v3/order (origClientOrderId)
//   CancelAll     DELETE /api/v3/openOrders
//   QueryOrder    GET    /api/v3/order (origClientOrderId)
//   OpenOrders    GET    /api/v3/openOrders
//   FillsSince    GET    /api/v3/myTrades (fromId)
//   Balances      GET    /api/v3/account
//   CancelReplace POST   /api/v3/order/cancelReplace
//   FetchInstruments GET /api/v3/exchangeInfo (public)
// Each signed request carries timestamp (the clock's) and recvWindow.
//
// Errors carry a VenueError (libs/execution venue_error.h):
//   transient        connection refused, a timeout of a read, 5xx of a read,
//                    429/418 (retry_after_ms from Retry-After), -1021
//                    (timestamp outside recvWindow), the signer unreachable;
//   definitive       4xx with Binance's code: -2010 insufficient balance /
//                    duplicate / would take, -1121 bad symbol, -1013 and
//                    -11xx filter and parameter failures, -2011/-2013
//                    unknown order, -2014/-2015 keys, the signer's refusal;
//   unknown outcome  an order-entry request (POST/DELETE order) that timed
//                    out, lost its connection, got a 5xx or -1007/-1006:
//                    it may have been carried out; query before retrying.
// A 2xx answer that does not parse is an error too, with http_status set to
// the 2xx code (unknown outcome for order entry, transient for reads): the
// caller can tell "the venue answered, we could not read it" from silence.
//
// User-data stream (StartUserStream): a thread of its own creates a listen
// key (POST /api/v3/userDataStream, API key only), connects
// <ws_url>/ws/<listenKey>, turns executionReport events into VenueUpdates
// (PollUpdates), keeps the key alive (PUT, every keepalive interval), and
// reconnects with exponential backoff when the connection ends or the key
// expires. After a reconnect TakeStreamGap() is true once: events may have
// been missed, and the caller fills the gap (QueryOrder for its open orders,
// FillsSince from the last trade it saw).
//
// REST calls are thread-safe (serialized on one HTTP client); updates are
// produced on the stream thread and consumed by PollUpdates on any thread.
#ifndef TRADEPLANE_BINANCE_VENUE_BINANCE_VENUE_H_
#define TRADEPLANE_BINANCE_VENUE_BINANCE_VENUE_H_

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "tradeplane/binance_venue/binance_json.h"
#include "tradeplane/binance_venue/request_signer.h"
#include "tradeplane/core/clock.h"
#include "tradeplane/core/instrument.h"
#include "tradeplane/execution/venue.h"
#include "tradeplane/net/http_client.h"
#include "tradeplane/net/tls_options.h"

#include "absl/status/statusor.h"

namespace tradeplane::binance_venue {

struct BinanceVenueOptions {
  Venue venue = common::v1::VENUE_BINANCE;
  std::string rest_url = "https://api.binance.com";
  std::string ws_url = "wss://stream.binance.com:9443";
  uint32_t recv_window_ms = 5000;
  std::chrono::milliseconds timeout{5000};  // one REST call
  // Binance expires a listen key 60 minutes after the last keep-alive.
  std::chrono::milliseconds keepalive_interval{std::chrono::minutes(30)};
  std::chrono::milliseconds reconnect_backoff{250};
  std::chrono::milliseconds max_reconnect_backoff{std::chrono::seconds(30)};
  net::TlsClientOptions tls;
};

// Counters for the service's metrics and status.
struct StreamStats {
  bool connected = false;
  uint64_t connects = 0;
  uint64_t events = 0;
  uint64_t parse_errors = 0;
  uint64_t keepalives = 0;
};

class BinanceVenue final : public execution::Venue {
 public:
  // `instruments` and `signer` must outlive the venue.
  BinanceVenue(const InstrumentTable& instruments, RequestSigner& signer, const Clock& clock,
               BinanceVenueOptions options);
  ~BinanceVenue() override;
  BinanceVenue(const BinanceVenue&) = delete;
  BinanceVenue& operator=(const BinanceVenue&) = delete;

  // Instrument reference data: GET /api/v3/exchangeInfo (public, unsigned).
  static absl::StatusOr<std::vector<InstrumentSpec>> FetchInstruments(
      const BinanceVenueOptions& options, const std::vector<std::string>& symbols);

  // Starts the stream thread (returns at once; the first connection is
  // attempted on that thread). Idempotent.
  void StartUserStream();
  // Stops it, closing the connection and deleting the listen key.
  void StopUserStream();
  // Called on the stream thread whenever updates, a gap or a stream error
  // wait to be taken. Set before StartUserStream.
  void SetNotifier(std::function<void()> notify) { notify_ = std::move(notify); }
  // True once after each reconnect (not after the first connect).
  bool TakeStreamGap() { return gap_.exchange(false); }
  // Stream messages that did not parse since the last call (each one a
  // sentence naming what was wrong; the message text is cut to 200 bytes).
  std::vector<std::string> TakeStreamErrors();
  StreamStats stream_stats() const;

  // Cancels `cancel_client_order_id` and places `replacement` in one request
  // (cancelReplaceMode=STOP_ON_FAILURE). Returns the new order.
  absl::StatusOr<execution::VenueOrder> CancelReplace(
      std::string_view cancel_client_order_id, const execution::VenueOrderRequest& replacement);
  // Cancels by the venue's order id (an order we did not place).
  absl::StatusOr<execution::VenueOrder> CancelByVenueOrderId(InstrumentIndex instrument,
                                                             std::string_view venue_order_id);

  // --- Venue ---------------------------------------------------------------------
  absl::StatusOr<execution::SubmitAck> Submit(const execution::VenueOrderRequest& request) override;
  absl::StatusOr<execution::VenueOrder> Cancel(InstrumentIndex instrument,
                                               std::string_view client_order_id) override;
  absl::StatusOr<std::vector<execution::VenueOrder>> CancelAll(InstrumentIndex instrument) override;
  absl::StatusOr<execution::VenueOrder> QueryOrder(InstrumentIndex instrument,
                                                   std::string_view client_order_id) override;
  absl::StatusOr<std::vector<execution::VenueOrder>> OpenOrders(
      std::optional<InstrumentIndex> instrument) override;
  absl::StatusOr<execution::FillPage> FillsSince(InstrumentIndex instrument,
                                                 execution::FillCheckpoint since,
                                                 size_t limit) override;
  absl::StatusOr<std::vector<execution::VenueBalance>> Balances() override;
  absl::StatusOr<std::vector<execution::VenueUpdate>> PollUpdates() override;

 private:
  struct Param {
    std::string name;
    std::string value;
  };
  struct CallSpec {
    std::string_view method;
    std::string_view path;
    signer::v1::RequestKind kind = signer::v1::REQUEST_KIND_QUERY;
    std::vector<Param> params;
    bool order_entry = false;  // POST/DELETE of an order: silence = unknown outcome
    std::string symbol;
    Side side = common::v1::SIDE_UNSPECIFIED;
    Amount notional;
  };
  // Signs (when needed), sends, and classifies a non-2xx answer. The body of
  // a 2xx answer is returned.
  absl::StatusOr<std::string> Call(const CallSpec& spec);
  absl::StatusOr<std::string> CallOn(net::HttpClient& http, const CallSpec& spec);
  // A 2xx body that the parser refused.
  absl::Status Unparseable(const CallSpec& spec, const absl::Status& why) const;
  JsonContext json() const { return {&instruments_, options_.venue}; }
  const std::string& Symbol(InstrumentIndex instrument) const;
  void Remember(const execution::VenueOrder& order);
  // DELETE /api/v3/order by `id_param` (origClientOrderId or orderId);
  // `ours`: the order is one we placed, remembered for the stream's reports.
  absl::StatusOr<execution::VenueOrder> CancelOne(InstrumentIndex instrument,
                                                  std::string_view id_param, std::string_view id,
                                                  bool ours);
  std::string ClientIdOf(const std::string& venue_order_id);

  void StreamLoop();
  void Push(execution::VenueUpdate update);
  void PushError(std::string error);

  const InstrumentTable& instruments_;
  RequestSigner& signer_;
  const Clock& clock_;
  BinanceVenueOptions options_;

  std::mutex http_mu_;
  net::HttpClient http_;

  std::mutex ids_mu_;
  // Binance's myTrades names orders by orderId only; fills get our client
  // order id from what we saw of the order.
  std::unordered_map<std::string, std::string> client_id_by_venue_id_;

  std::function<void()> notify_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> gap_{false};
  std::unique_ptr<std::thread> stream_thread_;
  mutable std::mutex updates_mu_;
  std::vector<execution::VenueUpdate> updates_;
  std::vector<std::string> stream_errors_;
  StreamStats stats_;
};

}  // namespace tradeplane::binance_venue

#endif  // TRADEPLANE_BINANCE_VENUE_BINANCE_VENUE_H_
