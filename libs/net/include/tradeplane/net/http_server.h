// HttpServer: HTTP/1.1 on one port, every request handed to one handler.
//
//   auto server = HttpServer::Start({.port = 0}, [&](const HttpRequest& req) {
//     if (req.method == "GET" && req.path == "/api/v3/ping") return HttpResponse::Json(200, "{}");
//     return HttpResponse::Json(404, R"({"code":-1,"msg":"unknown path"})");
//   });
//   int port = (*server)->port();
//
// Threads: the server runs one thread of its own. The handler is called on
// that thread, one request at a time, in arrival order per connection, so
// handlers never run concurrently with each other; they must synchronize only
// with the caller's other threads (a mutex around shared state, or an
// atomic). A handler that blocks stalls every connection: to answer late, set
// HttpResponse::delay instead of sleeping. A handler that throws gets its
// client a 500; the server keeps serving.
//
// What the server answers by itself (and then closes the connection):
//   400 a request that is not valid HTTP/1.x
//   413 a body larger than max_body_bytes (refused from Content-Length,
//       before the body is read)
//   431 a request line plus headers larger than max_header_bytes
// Keep-alive follows the request (HTTP/1.1 default on; "Connection: close"
// off); a response carrying "Connection: close" closes after it is written.
// "Expect: 100-continue" is honoured. An idle connection is closed after
// idle_timeout.
#ifndef TRADEPLANE_NET_HTTP_SERVER_H_
#define TRADEPLANE_NET_HTTP_SERVER_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "tradeplane/net/http_message.h"
#include "tradeplane/net/tls_options.h"

#include "absl/status/statusor.h"

namespace tradeplane::net {

struct HttpServerOptions {
  std::string bind_address = "127.0.0.1";  // an IPv4 or IPv6 literal; "0.0.0.0" for all
  uint16_t port = 0;                       // 0: the kernel picks a free port (see port())
  size_t max_header_bytes = 16 * 1024;
  size_t max_body_bytes = 4 * 1024 * 1024;
  // A connection with no complete request for this long is closed.
  std::chrono::milliseconds idle_timeout{30'000};
  // Set: serve https with this certificate.
  std::optional<TlsServerOptions> tls;
};

class HttpServer {
 public:
  using Handler = std::function<HttpResponse(const HttpRequest&)>;

  // Binds, listens and starts the server's thread. UNAVAILABLE when the
  // address cannot be bound (in use, not local), INVALID_ARGUMENT for a bad
  // address or TLS files that cannot be loaded.
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(HttpServerOptions options,
                                                           Handler handler);
  // Stop().
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // The port actually bound.
  [[nodiscard]] uint16_t port() const;
  // "127.0.0.1:7800".
  [[nodiscard]] std::string address() const;

  // Stops accepting, lets a handler that is running finish and its response
  // be written (for at most two seconds), closes every other connection
  // (a response held back by `delay` is dropped) and joins the thread.
  // Idempotent; must not be called from the handler.
  void Stop();

 private:
  class Impl;
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tradeplane::net

#endif  // TRADEPLANE_NET_HTTP_SERVER_H_
