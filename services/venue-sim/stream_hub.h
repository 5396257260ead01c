// StreamHub: the simulator's WebSocket face (port 7801), as Binance's spot
// streams are laid out:
//   /ws/<stream>                raw frames of one stream (or of a listen key)
//   /stream?streams=<a>/<b>/... combined frames {"stream":"<a>","data":{...}}
//   /ws, /stream                nothing until the client subscribes
// Streams: <symbol>@depth@100ms and <symbol>@depth (depthUpdate),
// <symbol>@bookTicker, <symbol>@aggTrade, <symbol>@trade (symbols in lower
// case), and <listenKey> (the account's executionReport and
// outboundAccountPosition). Clients may send Binance's JSON requests
// {"method":"SUBSCRIBE"|"UNSUBSCRIBE"|"LIST_SUBSCRIPTIONS","params":[...],"id":n};
// anything else is answered {"error":{"code":2,"msg":...},"id":...}, counted,
// and after 10 such messages the connection is closed (1008).
//
// Listen keys (REST userDataStream): one per account, 60 characters; a key
// not kept alive for the TTL (60 minutes) expires: its streams get
// {"e":"listenKeyExpired",...} and end.
//
// Thread-safe: the WebSocket server's callbacks and the publishers (under the
// simulation's lock) meet only on the hub's own mutex.
#ifndef TRADEPLANE_SERVICES_VENUE_SIM_STREAM_HUB_H_
#define TRADEPLANE_SERVICES_VENUE_SIM_STREAM_HUB_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "tradeplane/net/websocket_server.h"
#include "tradeplane/telemetry/metrics.h"

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "exchange.h"

namespace tradeplane::venue_sim {

class StreamHub final : public StreamSink {
 public:
  struct Metrics {
    telemetry::Counter* frames = nullptr;        // frames queued to clients
    telemetry::Counter* bad_messages = nullptr;  // garbage from clients
    telemetry::Counter* refused = nullptr;       // upgrades refused (bad path or stream)
    telemetry::Gauge* connections = nullptr;
  };

  // `symbols`: the instruments' symbols by index (upper case, as traded).
  StreamHub(std::vector<std::string> symbols, std::chrono::seconds listen_key_ttl, Metrics metrics);
  ~StreamHub() override;

  absl::Status Start(net::WebSocketServerOptions options);
  // Closes every connection (1001) and stops the server. Idempotent.
  void Stop();
  uint16_t port() const;

  // --- Listen keys (REST) -----------------------------------------------------
  // The account's key, extended for another TTL; a new one when it has none.
  std::string CreateListenKey(AccountId account);
  // False when the key does not exist (or is another account's).
  bool KeepAlive(std::string_view key, AccountId account);
  bool CloseListenKey(std::string_view key, AccountId account);
  // Expires keys idle for longer than the TTL (or all of them): their
  // streams get listenKeyExpired and end. Returns how many expired.
  size_t ExpireListenKeys(bool all);
  // Forgets every key without a word (a restart of the venue).
  void ForgetListenKeys();

  // --- Faults -----------------------------------------------------------------
  // Cuts (without a close frame) every connection, or those subscribed to a
  // stream of `instrument`. Returns how many.
  size_t Disconnect(std::optional<InstrumentIndex> instrument);

  // --- StreamSink ---------------------------------------------------------------
  void PublishMarket(InstrumentIndex instrument, MarketStream stream,
                     const std::string& data) override;
  void PublishUser(AccountId account, const std::string& data) override;

  struct Stats {
    size_t connections = 0;
    size_t market_subscriptions = 0;
    size_t user_subscriptions = 0;
    size_t listen_keys = 0;
    uint64_t frames = 0;
    uint64_t bad_messages = 0;
  };
  Stats stats() const;

 private:
  // One stream a connection is subscribed to.
  struct Stream {
    std::string name;  // as the client named it (the combined frame's "stream")
    bool user = false;
    InstrumentIndex instrument = 0;
    MarketStream kind = MarketStream::kDepth;
    std::string listen_key;  // user streams
  };
  struct Connection {
    bool combined = false;
    std::vector<Stream> streams;
    int bad_messages = 0;
  };
  struct ListenKey {
    AccountId account = 0;
    int64_t last_keepalive_ns = 0;  // monotonic
  };

  // Parses one stream name; nullopt (with `why`) when it is not one we serve.
  std::optional<Stream> ParseStream(std::string_view name, std::string* why) const;
  // The streams a connection asks for in its URL.
  bool ParsePath(const net::HttpRequest& request, bool* combined, std::vector<Stream>* streams,
                 std::string* why) const;

  net::WebSocketAcceptDecision OnAccept(const net::HttpRequest& request);
  void OnOpen(net::ConnectionId id, const net::HttpRequest& request);
  void OnMessage(net::ConnectionId id, std::string_view message);
  void OnClose(net::ConnectionId id);
  void Reply(net::ConnectionId id, const std::string& text);
  void BadMessage(net::ConnectionId id, Connection& c, int code, std::string_view msg,
                  std::string_view request_id_json);
  void Send(net::ConnectionId id, const Connection& c, const Stream& s, const std::string& data);
  void EndUserStreams(const std::string& key);

  std::vector<std::string> symbols_;        // upper case, by instrument index
  std::vector<std::string> lower_symbols_;  // lower case
  std::chrono::seconds ttl_;
  Metrics metrics_;

  mutable std::mutex mu_;
  std::unique_ptr<net::WebSocketServer> server_;
  uint16_t port_ = 0;
  absl::flat_hash_map<net::ConnectionId, Connection> connections_;
  absl::flat_hash_map<std::string, ListenKey> listen_keys_;
  std::mt19937_64 random_;
  uint64_t frames_ = 0;
  uint64_t bad_messages_ = 0;
};

}  // namespace tradeplane::venue_sim

#endif  // TRADEPLANE_SERVICES_VENUE_SIM_STREAM_HUB_H_
