// The plain types HTTP travels in, on both sides: headers, a request as the
// server's handler sees it, a response as the client receives it or the
// handler returns it. Nothing here touches a socket.
#ifndef TRADEPLANE_NET_HTTP_MESSAGE_H_
#define TRADEPLANE_NET_HTTP_MESSAGE_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tradeplane/net/query_string.h"

#include "absl/status/statusor.h"

namespace tradeplane::net {

// Header fields in the order they were added; names compare without case
// (RFC 9110), values are kept as given. A name may repeat.
class HttpHeaders {
 public:
  HttpHeaders() = default;
  HttpHeaders(std::initializer_list<std::pair<std::string, std::string>> fields);

  // Appends a field, keeping any earlier one of the same name.
  void Add(std::string_view name, std::string_view value);
  // Replaces every field of that name with one field.
  void Set(std::string_view name, std::string_view value);
  void Remove(std::string_view name);
  // The first value of `name`, or nullopt.
  [[nodiscard]] std::optional<std::string_view> Get(std::string_view name) const;
  [[nodiscard]] bool Has(std::string_view name) const { return Get(name).has_value(); }

  [[nodiscard]] const std::vector<std::pair<std::string, std::string>>& fields() const {
    return fields_;
  }
  [[nodiscard]] bool empty() const { return fields_.empty(); }
  [[nodiscard]] size_t size() const { return fields_.size(); }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

// One request as an HttpServer handler (or a WebSocketServer accept
// callback) sees it.
struct HttpRequest {
  std::string method;     // as sent, e.g. "GET", "POST", "DELETE"
  std::string target;     // as sent: path plus '?' and the raw query
  std::string path;       // the target before '?', not decoded
  std::string raw_query;  // the target after '?', byte for byte (what Binance signs)
  HttpHeaders headers;
  std::string body;
  std::string remote_address;  // "127.0.0.1:53412"
  int version = 11;            // 10 for HTTP/1.0, 11 for HTTP/1.1

  // ParseQuery(raw_query).
  [[nodiscard]] absl::StatusOr<std::vector<QueryParam>> Query() const;
};

struct HttpResponse {
  int status = 200;
  HttpHeaders headers;
  std::string body;

  // Server side only, for fault injection: the server waits this long before
  // writing the response (without blocking its thread or other connections).
  std::chrono::milliseconds delay{0};
  // Server side only, for fault injection: close the connection without
  // writing any response.
  bool drop_connection = false;

  // A response with a Content-Type of "text/plain; charset=utf-8".
  static HttpResponse Text(int status, std::string body);
  // A response with a Content-Type of "application/json".
  static HttpResponse Json(int status, std::string body);

  // The Retry-After header in whole seconds (Binance sends seconds on 418 and
  // 429). nullopt when absent or not a plain non-negative integer (an HTTP
  // date is not interpreted).
  [[nodiscard]] std::optional<std::chrono::seconds> RetryAfter() const;
};

// The standard reason phrase of a status code ("Not Found"), or "" when unknown.
std::string_view HttpReasonPhrase(int status);

}  // namespace tradeplane::net

#endif  // TRADEPLANE_NET_HTTP_MESSAGE_H_
