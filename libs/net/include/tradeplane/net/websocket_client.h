// WebSocketClient: one synchronous WebSocket connection over ws:// or wss://.
//
//   WebSocketClient ws;
//   absl::Status s = ws.Connect("wss://stream.binance.com:9443/stream?streams=btcusdt@trade",
//                               std::chrono::seconds(10));
//   while (s.ok()) {
//     absl::StatusOr<std::string> frame = ws.Receive(std::chrono::milliseconds(500));
//     if (frame.ok()) { Handle(*frame); continue; }
//     if (absl::IsDeadlineExceeded(frame.status())) continue;  // quiet; still open
//     break;  // UNAVAILABLE: the connection is gone; close_info() says how
//   }
//
// No automatic reconnect: when Receive or SendText returns UNAVAILABLE the
// connection is over, and the caller decides whether, when and how to
// reconnect (Connect again on the same object, e.g. after a backoff, then
// resubscribe and resynchronize its book). Binance also closes every stream
// after 24 hours; that arrives as UNAVAILABLE like any other close.
//
// Ping and pong: a ping from the server is answered with a pong (same
// payload) while Receive runs, which a feed does continuously; pongs and
// pings are never returned as frames. Binance pings every 3 minutes and
// disconnects a client that has not answered within 10.
//
// Statuses (messages name the endpoint and the reason):
//   Connect:  INVALID_ARGUMENT bad URL; DEADLINE_EXCEEDED; UNAVAILABLE (refused,
//             TLS failure, the server refused the upgrade: its HTTP status is in
//             the message and in refused_status()); FAILED_PRECONDITION if already open
//   Receive:  the next text (or binary) message's payload; DEADLINE_EXCEEDED when
//             none arrived in time (the connection stays open); UNAVAILABLE when
//             closed (close frame or lost connection); FAILED_PRECONDITION when
//             never connected
//   SendText: UNAVAILABLE when closed; DEADLINE_EXCEEDED (then the connection is
//             closed: a half-written frame cannot be resumed)
// Nothing throws.
//
// Thread-compatible: use one object from one thread at a time.
#ifndef TRADEPLANE_NET_WEBSOCKET_CLIENT_H_
#define TRADEPLANE_NET_WEBSOCKET_CLIENT_H_

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "tradeplane/net/http_message.h"
#include "tradeplane/net/tls_options.h"
#include "tradeplane/net/websocket_close_info.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace tradeplane::net {

struct WebSocketClientOptions {
  TlsClientOptions tls;
  // Extra headers for the upgrade request.
  HttpHeaders headers;
  // A larger incoming message closes the connection (close code 1009).
  size_t max_message_bytes = 16 * 1024 * 1024;
};

class WebSocketClient {
 public:
  WebSocketClient();
  explicit WebSocketClient(WebSocketClientOptions options);
  // An open connection is cut without a close frame (the server sees 1006);
  // call Close first for a clean end.
  ~WebSocketClient();
  WebSocketClient(const WebSocketClient&) = delete;
  WebSocketClient& operator=(const WebSocketClient&) = delete;

  // Resolves, connects, does the TLS and WebSocket handshakes within
  // `timeout`. A closed client may Connect again.
  absl::Status Connect(std::string_view url, std::chrono::milliseconds timeout);
  // Sends one text message.
  absl::Status SendText(std::string_view text, std::chrono::milliseconds timeout);
  // The next message.
  absl::StatusOr<std::string> Receive(std::chrono::milliseconds timeout);
  // Sends a close frame (1000) and waits, at most `timeout`, for the server's;
  // then the socket is closed either way. OK when already closed.
  absl::Status Close(std::chrono::milliseconds timeout);

  [[nodiscard]] bool is_open() const;
  // Valid once the connection has ended.
  [[nodiscard]] const WebSocketCloseInfo& close_info() const;
  // The HTTP status of the last refused upgrade (e.g. 404), or 0.
  [[nodiscard]] int refused_status() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tradeplane::net

#endif  // TRADEPLANE_NET_WEBSOCKET_CLIENT_H_
