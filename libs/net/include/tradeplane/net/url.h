// URLs the suite dials: http, https, ws and wss, nothing else.
//
// ParseUrl splits "wss://stream.binance.com:9443/stream?streams=a@trade/b@depth"
// into scheme, host, port (80/443 when absent), path and the raw query text.
// The query is kept byte for byte as given, because Binance signs the query
// string's exact text: decode it with ParseQuery (query_string.h) only to read
// it, never to rebuild what was signed.
#ifndef TRADEPLANE_NET_URL_H_
#define TRADEPLANE_NET_URL_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace tradeplane::net {

struct Url {
  std::string scheme;  // lower case: "http", "https", "ws" or "wss"
  std::string host;    // as written (lower-cased); an IPv6 literal without its brackets
  uint16_t port = 0;   // explicit, or 80 (http, ws) / 443 (https, wss)
  std::string path;    // starts with '/'; "/" when the URL has none
  std::string query;   // the raw text after '?', without the '?'; may be empty

  // https and wss.
  [[nodiscard]] bool tls() const { return scheme == "https" || scheme == "wss"; }
  // The request target sent on the wire: path, plus '?' and the query when there is one.
  [[nodiscard]] std::string target() const;
  // "host:port" ("[::1]:8080" for IPv6), what error messages and logs name.
  [[nodiscard]] std::string host_port() const;
  // The Host header: the port is omitted when it is the scheme's default.
  [[nodiscard]] std::string host_header() const;
  // scheme://host:port/path, without the query (messages name the endpoint,
  // not the signed parameters).
  [[nodiscard]] std::string Endpoint() const;
  // The whole URL again, query included.
  [[nodiscard]] std::string ToString() const;
};

// Accepts scheme://host[:port][/path][?query][#fragment] with scheme http,
// https, ws or wss (any case). The fragment is dropped (it is never sent).
// Refused with InvalidArgument, saying why: another scheme, user info ("@"),
// an empty or malformed host, a port outside 1..65535, and spaces or control
// characters anywhere (percent-encode them first).
absl::StatusOr<Url> ParseUrl(std::string_view text);

}  // namespace tradeplane::net

#endif  // TRADEPLANE_NET_URL_H_
