// HttpClient: synchronous HTTP/1.1 over http:// and https://, with keep-alive.
//
//   HttpClient client;
//   absl::StatusOr<HttpResponse> r = client.Request(
//       "GET", "https://api.binance.com/api/v3/depth?symbol=BTCUSDT&limit=100",
//       {{"X-MBX-APIKEY", key}}, "", std::chrono::seconds(5));
//
// A response of any status (200, 418, 429, 503...) is an OK StatusOr: the
// status code, headers (Retry-After included) and body are the caller's to
// judge. A Status is returned only when no complete response arrived:
//   INVALID_ARGUMENT   the URL or method is malformed
//   DEADLINE_EXCEEDED  the whole exchange (resolve, connect, TLS, write,
//                      read) did not finish within `timeout` (a DNS lookup
//                      cannot be interrupted; the call returns at the
//                      deadline and the lookup finishes in the background)
//   UNAVAILABLE        resolve failed, connection refused or reset, TLS
//                      handshake failed (e.g. an untrusted certificate), the
//                      peer closed before answering
//   RESOURCE_EXHAUSTED the response is larger than the configured limits
//   INTERNAL           anything unexpected
// Messages say what (method), where (scheme://host:port/path, without the
// query) and why. Nothing throws.
//
// Keep-alive: one open connection is kept per origin (scheme, host, port) and
// reused by the next request to it. A kept connection the server has closed
// meanwhile is noticed before use and replaced. If a reused connection fails
// before any byte of the response arrives, an idempotent request (GET, HEAD,
// PUT, DELETE, OPTIONS) is sent once more on a fresh connection; a POST is
// not (the server may have acted on it) and returns UNAVAILABLE. After a
// timeout or any error the connection is closed, never reused.
//
// Thread-compatible: one client per thread (it owns its sockets and event
// loop, which run only inside Request).
#ifndef TRADEPLANE_NET_HTTP_CLIENT_H_
#define TRADEPLANE_NET_HTTP_CLIENT_H_

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "tradeplane/net/http_message.h"
#include "tradeplane/net/tls_options.h"

#include "absl/status/statusor.h"

namespace tradeplane::net {

struct HttpClientOptions {
  TlsClientOptions tls;
  // Sent unless the request's headers carry their own User-Agent.
  std::string user_agent = "tradeplane";
  size_t max_response_header_bytes = 64 * 1024;
  size_t max_response_body_bytes = 64 * 1024 * 1024;
  // Kept connections (one per origin); the least recently used goes first.
  size_t max_idle_connections = 4;
};

class HttpClient {
 public:
  HttpClient();
  explicit HttpClient(HttpClientOptions options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends one request and reads the whole response. `headers` go as given
  // (Host, Content-Length and, when absent, User-Agent are added); `body` is
  // sent when non-empty or when the method is POST or PUT (Content-Length: 0).
  // `timeout` bounds the whole call.
  absl::StatusOr<HttpResponse> Request(std::string_view method, std::string_view url,
                                       const HttpHeaders& headers, std::string_view body,
                                       std::chrono::milliseconds timeout);

  absl::StatusOr<HttpResponse> Get(std::string_view url, const HttpHeaders& headers,
                                   std::chrono::milliseconds timeout) {
    return Request("GET", url, headers, "", timeout);
  }
  absl::StatusOr<HttpResponse> Post(std::string_view url, const HttpHeaders& headers,
                                    std::string_view body, std::chrono::milliseconds timeout) {
    return Request("POST", url, headers, body, timeout);
  }

  // Closes every kept connection.
  void CloseIdleConnections();

  // How many TCP connections this client has opened so far (keep-alive shows
  // as requests outnumbering connections).
  [[nodiscard]] size_t connections_opened() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tradeplane::net

#endif  // TRADEPLANE_NET_HTTP_CLIENT_H_
