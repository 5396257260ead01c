#include "tradeplane/net/query_string.h"

#include <catch2/catch.hpp>

#include "tradeplane/core/str_cat.h"
#include "tradeplane/net/http_message.h"

namespace tradeplane::net {
namespace {

TEST_CASE("ParseQuery reads a signed Binance order query exactly, in order", "[net][query]") {
  std::string raw =
      "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000"
      "&timestamp=1499827319559&signature=c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b"
      "2838bd6b71";
  auto params = ParseQuery(raw);
  REQUIRE(params.ok());
  std::vector<QueryParam> expected = {
      {"symbol", "LTCBTC"},
      {"side", "BUY"},
      {"type", "LIMIT"},
      {"timeInForce", "GTC"},
      {"quantity", "1"},
      {"price", "0.1"},
      {"recvWindow", "5000"},
      {"timestamp", "1499827319559"},
      {"signature", "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71"}};
  CHECK(*params == expected);
  REQUIRE(FindQueryValue(*params, "price") != nullptr);
  CHECK(*FindQueryValue(*params, "price") == "0.1");
  CHECK(FindQueryValue(*params, "Price") == nullptr);  // names are case-sensitive
}

TEST_CASE("ParseQuery decodes escapes and plus, keeps duplicates and skips empty segments",
          "[net][query]") {
  auto params =
      ParseQuery("streams=btcusdt%40trade%2Fethusdt%40depth&note=a+b%20c%2B&&flag&x=&x=2");
  REQUIRE(params.ok());
  std::vector<QueryParam> expected = {{"streams", "btcusdt@trade/ethusdt@depth"},
                                      {"note", "a b c+"},
                                      {"flag", ""},
                                      {"x", ""},
                                      {"x", "2"}};
  CHECK(*params == expected);
  CHECK(*FindQueryValue(*params, "x") == "");  // the first of duplicates
  auto empty = ParseQuery("");
  REQUIRE(empty.ok());
  CHECK(empty->empty());
  // An Ed25519 signature is base64, percent-encoded: '+', '/' and '=' arrive escaped.
  auto signature = ParseQuery("signature=ab%2Bcd%2Fef%3D%3D");
  REQUIRE(signature.ok());
  CHECK((*signature)[0].value == "ab+cd/ef==");
}

TEST_CASE("ParseQuery refuses a broken escape and names where", "[net][query]") {
  auto bad_value = ParseQuery("symbol=BTCUSDT&price=1%2");
  REQUIRE_FALSE(bad_value.ok());
  CHECK(bad_value.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(ToStd(bad_value.status().message()).find("\"price\"") != std::string_view::npos);
  CHECK(ToStd(bad_value.status().message()).find("offset 22") != std::string_view::npos);
  auto bad_name = ParseQuery("a%zz=1");
  REQUIRE_FALSE(bad_name.ok());
  CHECK(ToStd(bad_name.status().message()).find("offset 1") != std::string_view::npos);
}

TEST_CASE("percent-encoding keeps only unreserved characters and round-trips every byte",
          "[net][query]") {
  CHECK(PercentEncode("AZaz09-._~") == "AZaz09-._~");
  CHECK(PercentEncode("a b+c/d=e&f") == "a%20b%2Bc%2Fd%3De%26f");
  CHECK(PercentEncode("\xff\x01") == "%FF%01");
  std::string all;
  for (int byte = 0; byte < 256; ++byte) all.push_back(static_cast<char>(byte));
  auto decoded = PercentDecode(PercentEncode(all));
  REQUIRE(decoded.ok());
  CHECK(*decoded == all);
  CHECK(*PercentDecode("a+b%2b%2B") == "a+b++");
  CHECK(*PercentDecode("a+b", /*plus_as_space=*/true) == "a b");
  CHECK_FALSE(PercentDecode("%").ok());
  CHECK_FALSE(PercentDecode("%g0").ok());
}

TEST_CASE("BuildQuery and ParseQuery round-trip names and values", "[net][query]") {
  std::vector<QueryParam> params = {
      {"symbol", "BTCUSDT"}, {"newClientOrderId", "tp-01J9ZK+/="}, {"note", "two words & more"}};
  std::string raw = BuildQuery(params);
  CHECK(raw == "symbol=BTCUSDT&newClientOrderId=tp-01J9ZK%2B%2F%3D&note=two%20words%20%26%20more");
  auto parsed = ParseQuery(raw);
  REQUIRE(parsed.ok());
  CHECK(*parsed == params);
}

TEST_CASE("headers compare names without case and Retry-After reads whole seconds", "[net][http]") {
  HttpHeaders headers{{"X-MBX-APIKEY", "key"}, {"Set-Cookie", "a"}};
  headers.Add("set-cookie", "b");
  CHECK(headers.Get("x-mbx-apikey") == "key");
  CHECK(headers.Get("SET-COOKIE") == "a");
  CHECK(headers.size() == 3);
  headers.Set("Set-Cookie", "c");
  CHECK(headers.size() == 2);
  CHECK(headers.Get("set-cookie") == "c");
  headers.Remove("X-MBX-APIKEY");
  CHECK_FALSE(headers.Has("x-mbx-apikey"));

  HttpResponse response = HttpResponse::Json(429, "{}");
  CHECK(response.headers.Get("content-type") == "application/json");
  CHECK_FALSE(response.RetryAfter().has_value());
  response.headers.Set("Retry-After", " 7 ");
  CHECK(response.RetryAfter() == std::chrono::seconds(7));
  response.headers.Set("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT");
  CHECK_FALSE(response.RetryAfter().has_value());
  response.headers.Set("Retry-After", "-1");
  CHECK_FALSE(response.RetryAfter().has_value());

  HttpRequest request;
  request.raw_query = "symbol=BTCUSDT&limit=100";
  auto query = request.Query();
  REQUIRE(query.ok());
  CHECK(*FindQueryValue(*query, "limit") == "100");
  CHECK(HttpReasonPhrase(413) == "Content Too Large");
  CHECK(HttpReasonPhrase(299).empty());
}

}  // namespace
}  // namespace tradeplane::net
