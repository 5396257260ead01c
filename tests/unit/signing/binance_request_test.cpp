#include "tradeplane/signing/binance_request.h"

#include <string>

#include <catch2/catch.hpp>

#include "tradeplane/signing/base64.h"
#include "tradeplane/signing/binance_endpoints.h"
#include "tradeplane/signing/ed25519.h"
#include "tradeplane/signing/key_material.h"
#include "tradeplane/signing/signing_key.h"

#include "venue_request_builders.h"

namespace tradeplane::signing {
namespace {

using signer::v1::VenueRequest;
using testing::AddParams;
using testing::BinanceDocOrder;

constexpr std::string_view kDocQuery =
    "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&"
    "timestamp=1499827319559";

signer::v1::KeyMetadata Metadata(signer::v1::Algorithm algorithm) {
  signer::v1::KeyMetadata m;
  m.set_key_id("k");
  m.set_version(1);
  m.set_algorithm(algorithm);
  m.set_purpose(signer::v1::KEY_PURPOSE_VENUE_API);
  return m;
}

TEST_CASE("the query string is Binance's documented example, and its HMAC signature too",
          "[signing][binance]") {
  absl::StatusOr<std::string> query = BuildBinanceQuery(BinanceDocOrder(), true);
  REQUIRE(query.ok());
  CHECK(*query == kDocQuery);
  absl::StatusOr<KeyMaterial> material = KeyMaterial::FromHmacSecret(
      "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j");
  REQUIRE(material.ok());
  absl::StatusOr<SigningKey> key =
      SigningKey::Create(Metadata(signer::v1::ALGORITHM_HMAC_SHA256), *material);
  REQUIRE(key.ok());
  absl::StatusOr<std::string> signature = key->SignVenueQuery(*query);
  REQUIRE(signature.ok());
  CHECK(*signature == "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71");
  CHECK(AppendBinanceSignature(*query, *signature) ==
        std::string(kDocQuery) +
            "&signature=c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71");
}

TEST_CASE("an Ed25519 signature is base64, verifies, and is percent-encoded in the query",
          "[signing][binance]") {
  // RFC 8410's example key, in the PKCS#8 form Binance users generate.
  absl::StatusOr<KeyMaterial> material = KeyMaterial::FromEd25519Pem(
      "-----BEGIN PRIVATE KEY-----\n"
      "MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n"
      "-----END PRIVATE KEY-----\n");
  REQUIRE(material.ok());
  absl::StatusOr<SigningKey> key =
      SigningKey::Create(Metadata(signer::v1::ALGORITHM_ED25519), *material);
  REQUIRE(key.ok());
  absl::StatusOr<std::string> signature = key->SignVenueQuery(kDocQuery);
  REQUIRE(signature.ok());
  CHECK(signature->size() == 88);  // 64 bytes in base64
  absl::StatusOr<std::string> raw = Base64Decode(*signature);
  REQUIRE(raw.ok());
  REQUIRE(raw->size() == 64);
  Ed25519Signature bytes;
  std::copy(raw->begin(), raw->end(), bytes.begin());
  absl::StatusOr<Ed25519PublicKey> public_key = Ed25519PublicKey::FromPem(
      "-----BEGIN PUBLIC KEY-----\n"
      "MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n"
      "-----END PUBLIC KEY-----\n");
  REQUIRE(public_key.ok());
  CHECK(public_key->Verify(kDocQuery, bytes));
  std::string query = AppendBinanceSignature(kDocQuery, *signature);
  std::string tail = query.substr(query.find("&signature=") + 11);
  CHECK(tail.find('=') == std::string::npos);
  CHECK(tail.find('+') == std::string::npos);
  CHECK(tail.find('/') == std::string::npos);
  CHECK(tail.ends_with("%3D%3D"));
  // A known encoding: the three base64 punctuation characters.
  std::string encoded;
  AppendPercentEncoded("a+b/c=", &encoded);
  CHECK(encoded == "a%2Bb%2Fc%3D");
}

TEST_CASE("parameter values are percent-encoded except RFC 3986's unreserved characters",
          "[signing][binance]") {
  VenueRequest request;
  request.set_venue(common::v1::VENUE_BINANCE);
  request.set_kind(signer::v1::REQUEST_KIND_QUERY);
  request.set_method("GET");
  request.set_path("/api/v3/order");
  AddParams(&request, {{"symbol", "BTCUSDT"}, {"origClientOrderId", "x-A1_b.c~d:e/f g&h=i"}});
  request.set_timestamp_ms(1700000000000);
  request.set_recv_window_ms(60000);
  absl::StatusOr<std::string> query = BuildBinanceQuery(request, true);
  REQUIRE(query.ok());
  CHECK(*query ==
        "symbol=BTCUSDT&origClientOrderId=x-A1_b.c~d%3Ae%2Ff%20g%26h%3Di&recvWindow=60000&"
        "timestamp=1700000000000");
}

TEST_CASE("a listen-key request carries no timestamp, recvWindow or signature",
          "[signing][binance]") {
  VenueRequest request;
  request.set_venue(common::v1::VENUE_BINANCE);
  request.set_kind(signer::v1::REQUEST_KIND_USER_STREAM);
  request.set_method("PUT");
  request.set_path("/api/v3/userDataStream");
  AddParams(&request,
            {{"listenKey", "pqia91ma19a5s61cv6a81va65sdf19v8a65a1a5s61cv6a81va65sdf19v8a65a1"}});
  absl::StatusOr<signer::v1::RequestKind> kind =
      ClassifyBinanceEndpoint(request.venue(), request.method(), request.path());
  REQUIRE(kind.ok());
  CHECK_FALSE(IsSignedRequestKind(*kind));
  absl::StatusOr<std::string> query = BuildBinanceQuery(request, false);
  REQUIRE(query.ok());
  CHECK(*query == "listenKey=pqia91ma19a5s61cv6a81va65sdf19v8a65a1a5s61cv6a81va65sdf19v8a65a1");
}

TEST_CASE("parameters the signer adds, and unsafe text, are refused from the caller",
          "[signing][binance]") {
  struct Case {
    const char* name;
    const char* value;
    const char* expect;
  };
  const Case cases[] = {
      {"timestamp", "1", "added by the signer"},
      {"recvWindow", "5000", "added by the signer"},
      {"signature", "abc", "added by the signer"},
      {"Signature", "abc", "added by the signer"},
      {"newClientOrderId", "caf\xc3\xa9", "non-ASCII"},
      {"newClientOrderId", "a\nb", "control"},
      {"newClientOrderId", "a\tb", "control"},
      {"new ClientOrderId", "x", "letters and digits"},
      {"", "x", "no name"},
      {"price", "", "empty value"},
  };
  for (const Case& c : cases) {
    VenueRequest request = BinanceDocOrder();
    AddParams(&request, {{c.name, c.value}});
    absl::StatusOr<std::string> query = BuildBinanceQuery(request, true);
    INFO("parameter " << c.name);
    REQUIRE_FALSE(query.ok());
    CHECK(std::string(query.status().message()).find(c.expect) != std::string::npos);
  }
  VenueRequest duplicate = BinanceDocOrder();
  AddParams(&duplicate, {{"symbol", "BTCUSDT"}});
  CHECK_FALSE(BuildBinanceQuery(duplicate, true).ok());
}

TEST_CASE("recvWindow, timestamp, method and path are checked", "[signing][binance]") {
  VenueRequest request = BinanceDocOrder();
  request.set_recv_window_ms(0);
  CHECK_FALSE(BuildBinanceQuery(request, true).ok());
  request.set_recv_window_ms(60001);
  CHECK_FALSE(BuildBinanceQuery(request, true).ok());
  request = BinanceDocOrder();
  request.set_timestamp_ms(0);
  CHECK_FALSE(BuildBinanceQuery(request, true).ok());
  request = BinanceDocOrder();
  request.set_method("PATCH");
  CHECK_FALSE(BuildBinanceQuery(request, true).ok());
  request = BinanceDocOrder();
  request.set_path("/api/v3/order?symbol=X");
  CHECK_FALSE(BuildBinanceQuery(request, true).ok());
  request.set_path("/api/v3/../sapi/v1/capital/withdraw/apply");
  CHECK_FALSE(BuildBinanceQuery(request, true).ok());
}

TEST_CASE("the endpoint decides the kind: a withdrawal labelled as an order is refused",
          "[signing][binance]") {
  VenueRequest request;
  request.set_venue(common::v1::VENUE_BINANCE);
  request.set_kind(signer::v1::REQUEST_KIND_ORDER);
  request.set_method("POST");
  request.set_path("/sapi/v1/capital/withdraw/apply");
  AddParams(&request, {{"coin", "USDT"}, {"address", "TX1"}, {"amount", "100"}});
  absl::StatusOr<VenueRequestFacts> facts = ReadVenueRequestFacts(request);
  REQUIRE_FALSE(facts.ok());
  CHECK(facts.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(std::string(facts.status().message()).find("WITHDRAWAL") != std::string::npos);

  request.set_kind(signer::v1::REQUEST_KIND_WITHDRAWAL);
  facts = ReadVenueRequestFacts(request);
  REQUIRE(facts.ok());
  CHECK(facts->kind == signer::v1::REQUEST_KIND_WITHDRAWAL);

  request.set_path("/sapi/v1/asset/transfer");
  facts = ReadVenueRequestFacts(request);
  REQUIRE_FALSE(facts.ok());
  CHECK(facts.status().code() == absl::StatusCode::kNotFound);

  CHECK(ClassifyBinanceEndpoint(common::v1::VENUE_BINANCE, "GET", "/api/v3/account").value() ==
        signer::v1::REQUEST_KIND_QUERY);
  CHECK(
      ClassifyBinanceEndpoint(common::v1::VENUE_BINANCE_USDM, "DELETE", "/fapi/v1/order").value() ==
      signer::v1::REQUEST_KIND_CANCEL);
  CHECK(ClassifyBinanceEndpoint(common::v1::VENUE_SIM, "POST", "/api/v3/order").value() ==
        signer::v1::REQUEST_KIND_ORDER);
  CHECK(
      ClassifyBinanceEndpoint(common::v1::VENUE_NASDAQ, "POST", "/api/v3/order").status().code() ==
      absl::StatusCode::kInvalidArgument);
}

TEST_CASE("an order's notional is the largest of declared, price times quantity and quote",
          "[signing][binance]") {
  VenueRequest request = BinanceDocOrder();  // 1 at 0.1
  request.set_notional(Amount::Parse("0.05").value().raw());
  absl::StatusOr<VenueRequestFacts> facts = ReadVenueRequestFacts(request);
  REQUIRE(facts.ok());
  CHECK(facts->notional == Amount::Parse("0.1").value());
  CHECK(facts->symbol == "LTCBTC");
  CHECK(facts->side == common::v1::SIDE_BUY);

  request.set_notional(Amount::Parse("2.5").value().raw());
  facts = ReadVenueRequestFacts(request);
  REQUIRE(facts.ok());
  CHECK(facts->notional == Amount::Parse("2.5").value());

  VenueRequest market;
  market.set_venue(common::v1::VENUE_BINANCE);
  market.set_kind(signer::v1::REQUEST_KIND_ORDER);
  market.set_method("POST");
  market.set_path("/api/v3/order");
  AddParams(
      &market,
      {{"symbol", "BTCUSDT"}, {"side", "SELL"}, {"type", "MARKET"}, {"quoteOrderQty", "1500.25"}});
  facts = ReadVenueRequestFacts(market);
  REQUIRE(facts.ok());
  CHECK(facts->notional == Amount::Parse("1500.25").value());
  CHECK(facts->side == common::v1::SIDE_SELL);
}

TEST_CASE("declared symbol and side must agree with the parameters", "[signing][binance]") {
  VenueRequest request = BinanceDocOrder();
  request.set_symbol("BTCUSDT");
  CHECK_FALSE(ReadVenueRequestFacts(request).ok());
  request = BinanceDocOrder();
  request.set_side(common::v1::SIDE_SELL);
  CHECK_FALSE(ReadVenueRequestFacts(request).ok());
  request = BinanceDocOrder();
  request.mutable_params(1)->set_value("HOLD");
  request.clear_side();
  CHECK_FALSE(ReadVenueRequestFacts(request).ok());
  request = BinanceDocOrder();
  request.mutable_params(5)->set_value("0.1.2");
  CHECK_FALSE(ReadVenueRequestFacts(request).ok());
}

}  // namespace
}  // namespace tradeplane::signing
