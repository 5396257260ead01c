// WebSocketServer: accepts WebSocket clients on a port of its own and pushes
// text to them.
//
// It runs on its own port, apart from any HttpServer (the venue simulator
// serves REST on one port and streams on another, as Binance does). A plain
// HTTP request that is not an upgrade gets 426 Upgrade Required.
//
//   WebSocketServer::Callbacks cb;
//   cb.accept = [&](const HttpRequest& req) {    // "/ws/<listenKey>", "/stream?streams=a/b"
//     return KnownKey(req.path) ? WebSocketAcceptDecision::Accept()
//                               : WebSocketAcceptDecision::Refuse(404, "unknown listen key");
//   };
//   cb.on_open = [&](ConnectionId id, const HttpRequest& req) { Subscribe(id, req.raw_query); };
//   cb.on_close = [&](ConnectionId id, const WebSocketCloseInfo& why) { Forget(id); };
//   auto server = WebSocketServer::Start({.port = 0}, std::move(cb));
//   (*server)->Broadcast(R"({"stream":"btcusdt@trade","data":{...}})");
//
// Threads: the server runs one thread of its own; every callback is called on
// it, one at a time (callbacks never run concurrently with each other; they
// synchronize only with the caller's other threads). Send, Broadcast, Close,
// Drop and CloseAll may be called from any thread, callbacks included: they
// queue the work for the server's thread and return at once. Messages to one
// connection go out in the order they were queued; a Close queued after a
// Send goes out after it.
//
// A client whose queued, unsent messages exceed max_queued_bytes is
// disconnected (a slow consumer, as Binance does) and Send returns
// RESOURCE_EXHAUSTED. A client that goes silent is found by pings: the server
// pings after idle_timeout / 2 of silence and drops the connection when
// nothing arrives by idle_timeout. Every end of a connection, whoever caused
// it, calls on_close exactly once (for connections that on_open was called
// for); when Stop's grace period runs out before a client answers the close,
// its on_close is called on the thread calling Stop, after the server's
// thread has ended.
#ifndef TRADEPLANE_NET_WEBSOCKET_SERVER_H_
#define TRADEPLANE_NET_WEBSOCKET_SERVER_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "tradeplane/net/http_message.h"
#include "tradeplane/net/tls_options.h"
#include "tradeplane/net/websocket_close_info.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace tradeplane::net {

// Unique for the server's life, from 1, never reused.
using ConnectionId = uint64_t;

struct WebSocketAcceptDecision {
  bool accept = true;
  HttpResponse refusal;  // sent instead of the upgrade when !accept

  static WebSocketAcceptDecision Accept() { return {}; }
  static WebSocketAcceptDecision Refuse(int status, std::string body) {
    return {false, HttpResponse::Text(status, std::move(body))};
  }
};

struct WebSocketServerOptions {
  std::string bind_address = "127.0.0.1";
  uint16_t port = 0;  // 0: the kernel picks a free port (see port())
  size_t max_header_bytes = 16 * 1024;
  // A larger incoming message closes the connection (close code 1009).
  size_t max_message_bytes = 1024 * 1024;
  // Per connection: queued, unsent bytes beyond this disconnect the client.
  size_t max_queued_bytes = 16 * 1024 * 1024;
  // Silence before the server pings is half of this; silence for all of it
  // drops the connection. Zero: never (no pings, no idle drop).
  std::chrono::milliseconds idle_timeout{60'000};
  // Set: serve wss with this certificate.
  std::optional<TlsServerOptions> tls;
};

class WebSocketServer {
 public:
  struct Callbacks {
    // Decides on each upgrade request; unset accepts every one. An exception
    // thrown refuses with 500.
    std::function<WebSocketAcceptDecision(const HttpRequest& upgrade)> accept;
    // The handshake is done; `id` can be sent to from now on.
    std::function<void(ConnectionId id, const HttpRequest& upgrade)> on_open;
    // A text (or binary) message from the client.
    std::function<void(ConnectionId id, std::string_view message)> on_message;
    // The connection has ended, for whatever reason; `id` is gone.
    std::function<void(ConnectionId id, const WebSocketCloseInfo& why)> on_close;
  };

  // Binds, listens and starts the server's thread. UNAVAILABLE when the
  // address cannot be bound, INVALID_ARGUMENT for a bad address or TLS files.
  static absl::StatusOr<std::unique_ptr<WebSocketServer>> Start(WebSocketServerOptions options,
                                                                Callbacks callbacks);
  // Stop().
  ~WebSocketServer();
  WebSocketServer(const WebSocketServer&) = delete;
  WebSocketServer& operator=(const WebSocketServer&) = delete;

  [[nodiscard]] uint16_t port() const;
  [[nodiscard]] std::string address() const;  // "127.0.0.1:7801"
  // Connections open now (handshake done, not yet closed).
  [[nodiscard]] size_t connection_count() const;

  // Queues one text message. NOT_FOUND: no such open connection;
  // RESOURCE_EXHAUSTED: the client is too slow (it is being disconnected);
  // FAILED_PRECONDITION: the server is stopped.
  absl::Status Send(ConnectionId id, std::string text);
  // Queues `text` to every open connection; returns how many.
  absl::StatusOr<size_t> Broadcast(std::string text);
  // Closes with a close frame (after what is already queued). `code` is an
  // RFC 6455 code: 1000 normal, 1001 going away, 1008 policy, 1011 error,
  // 3000-4999 application-defined; INVALID_ARGUMENT for a reserved one (1005).
  absl::Status Close(ConnectionId id, int code = 1000, std::string reason = "");
  // Cuts the TCP connection at once, without a close frame (fault injection:
  // the client sees a lost connection, close code 1006).
  absl::Status Drop(ConnectionId id);
  // Close() every open connection; returns how many.
  absl::StatusOr<size_t> CloseAll(int code = 1001, std::string reason = "");

  // Closes every connection (1001 going away), stops accepting and joins the
  // thread. Idempotent; must not be called from a callback.
  void Stop();

 private:
  class Impl;
  explicit WebSocketServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tradeplane::net

#endif  // TRADEPLANE_NET_WEBSOCKET_SERVER_H_
