#include "tradeplane/net/url.h"

#include <catch2/catch.hpp>

#include "tradeplane/core/str_cat.h"

namespace tradeplane::net {
namespace {

TEST_CASE("ParseUrl splits a Binance combined-stream URL and keeps the raw query", "[net][url]") {
  auto url = ParseUrl("wss://stream.binance.com:9443/stream?streams=btcusdt@trade/ethusdt@depth");
  REQUIRE(url.ok());
  CHECK(url->scheme == "wss");
  CHECK(url->host == "stream.binance.com");
  CHECK(url->port == 9443);
  CHECK(url->path == "/stream");
  CHECK(url->query == "streams=btcusdt@trade/ethusdt@depth");
  CHECK(url->tls());
  CHECK(url->target() == "/stream?streams=btcusdt@trade/ethusdt@depth");
  CHECK(url->host_port() == "stream.binance.com:9443");
  CHECK(url->host_header() == "stream.binance.com:9443");
  CHECK(url->Endpoint() == "wss://stream.binance.com:9443/stream");
  CHECK(url->ToString() ==
        "wss://stream.binance.com:9443/stream?streams=btcusdt@trade/ethusdt@depth");
}

TEST_CASE("ParseUrl gives each scheme its default port and a root path", "[net][url]") {
  struct Case {
    const char* text;
    uint16_t port;
    bool tls;
  };
  for (const Case& c :
       {Case{"http://localhost", 80, false}, Case{"https://api.binance.com", 443, true},
        Case{"ws://localhost", 80, false}, Case{"wss://example.org", 443, true}}) {
    auto url = ParseUrl(c.text);
    REQUIRE(url.ok());
    CHECK(url->port == c.port);
    CHECK(url->tls() == c.tls);
    CHECK(url->path == "/");
    CHECK(url->query.empty());
    CHECK(url->target() == "/");
    // The Host header leaves a default port out.
    CHECK(url->host_header() == url->host);
  }
}

TEST_CASE("ParseUrl keeps a signed query byte for byte", "[net][url]") {
  std::string query =
      "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000"
      "&timestamp=1499827319559&signature=c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b"
      "2838bd6b71";
  auto url = ParseUrl(StrCat("https://api.binance.com/api/v3/order?", query));
  REQUIRE(url.ok());
  CHECK(url->path == "/api/v3/order");
  CHECK(url->query == query);
  auto encoded = ParseUrl("http://h/p?note=a%20b%2Bc&x=1+2");
  REQUIRE(encoded.ok());
  CHECK(encoded->query == "note=a%20b%2Bc&x=1+2");  // not decoded here
}

TEST_CASE("ParseUrl lower-cases scheme and host, reads IPv6 and drops the fragment", "[net][url]") {
  auto url = ParseUrl("HTTP://LocalHost:7800/api/v3/ping#section");
  REQUIRE(url.ok());
  CHECK(url->scheme == "http");
  CHECK(url->host == "localhost");
  CHECK(url->port == 7800);
  CHECK(url->path == "/api/v3/ping");
  CHECK(url->target() == "/api/v3/ping");

  auto v6 = ParseUrl("ws://[::1]:7801/ws/abc");
  REQUIRE(v6.ok());
  CHECK(v6->host == "::1");
  CHECK(v6->port == 7801);
  CHECK(v6->host_port() == "[::1]:7801");
  CHECK(v6->host_header() == "[::1]:7801");

  auto query_only = ParseUrl("http://127.0.0.1:4318?x=1");
  REQUIRE(query_only.ok());
  CHECK(query_only->path == "/");
  CHECK(query_only->query == "x=1");
  CHECK(query_only->target() == "/?x=1");
}

TEST_CASE("ParseUrl refuses what it cannot dial and says why", "[net][url]") {
  struct Case {
    const char* text;
    const char* why;
  };
  for (const Case& c : {
           Case{"ftp://host/file", "scheme \"ftp\""},
           Case{"localhost:8080/x", "no scheme"},
           Case{"http:///path", "no host"},
           Case{"http://:80/", "no host"},
           Case{"http://host:0/", "port \"0\""},
           Case{"http://host:65536/", "port \"65536\""},
           Case{"http://host:8a/", "port \"8a\""},
           Case{"http://host:/", "port \"\""},
           Case{"http://user:pw@host/", "user information"},
           Case{"http://host/a b", "space"},
           Case{"http://ho$t/", "not allowed in a host"},
           Case{"http://[::1/", "closing ']'"},
       }) {
    INFO(c.text);
    auto url = ParseUrl(c.text);
    REQUIRE_FALSE(url.ok());
    CHECK(url.status().code() == absl::StatusCode::kInvalidArgument);
    CHECK(ToStd(url.status().message()).find(c.why) != std::string_view::npos);
    CHECK(ToStd(url.status().message()).find(c.text) != std::string_view::npos);
  }
}

}  // namespace
}  // namespace tradeplane::net
