// Signed requests as Binance defines them, against the simulator as a process.
#include <catch2/catch.hpp>

#include "tradeplane/core/str_cat.h"
#include "tradeplane/signing/hex.h"
#include "tradeplane/signing/hmac_sha256.h"

#include "venue_sim_fixture.h"

namespace tradeplane::venue_sim_test {
namespace {

// The documentation's request and its signature (timestamp 1499827319559).
constexpr char kDocQuery[] =
    "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&"
    "timestamp=1499827319559";
constexpr char kDocSignature[] = "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71";
constexpr int64_t kDocTimestamp = 1499827319559;

net::HttpHeaders DocKey() { return {{"X-MBX-APIKEY", kDocApiKey}}; }

TEST_CASE("the Binance documentation's HMAC example verifies and a tampered one is refused",
          "[venue-sim][signature]") {
  // The simulator's clock is fixed at the example's timestamp (a test-only
  // override), so the 2017 request is inside its recvWindow.
  VenueSim sim;
  sim.Start({.fixed_server_time_ms = kDocTimestamp});

  // Example 1: everything in the query string.
  Response q =
      sim.Rest("POST", StrCat("/api/v3/order?", kDocQuery, "&signature=", kDocSignature), DocKey());
  INFO(q.body);
  CHECK(q.status == 200);
  CHECK(q.Str("symbol") == "LTCBTC");
  CHECK(q.Str("status") == "NEW");  // nothing to trade against: it rests
  CHECK(Raw(q.Str("price")) == Raw("0.1"));

  // Example 2: everything in the body.
  Response b =
      sim.Rest("POST", "/api/v3/order", DocKey(), StrCat(kDocQuery, "&signature=", kDocSignature));
  INFO(b.body);
  CHECK(b.status == 200);

  // Example 3: query and body mixed; the signed text is the query string
  // followed directly by the body.
  std::string query = "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC";
  std::string body = "quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559";
  signing::HmacSha256Tag tag =
      signing::HmacSha256(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(kDocSecret),
                                                   sizeof(kDocSecret) - 1),
                          query + body);
  CHECK(signing::HexEncode(tag) ==
        "0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77");
  Response m = sim.Rest("POST", "/api/v3/order?" + query, DocKey(),
                        body + "&signature=" + signing::HexEncode(tag));
  INFO(m.body);
  CHECK(m.status == 200);

  // Upper-case hex is the same signature.
  std::string upper = kDocSignature;
  for (char& c : upper) c = static_cast<char>(std::toupper(c));
  CHECK(sim.Rest("POST", StrCat("/api/v3/order?", kDocQuery, "&signature=", upper), DocKey())
            .status == 200);

  // One character changed, in the signature or in the signed text.
  std::string tampered = kDocSignature;
  tampered[10] = tampered[10] == 'a' ? 'b' : 'a';
  Response t =
      sim.Rest("POST", StrCat("/api/v3/order?", kDocQuery, "&signature=", tampered), DocKey());
  CHECK(t.status == 400);
  CHECK(t.code() == -1022);
  CHECK(t.Str("msg") == "Signature for this request is not valid.");
  std::string other_qty = kDocQuery;
  other_qty.replace(other_qty.find("quantity=1"), 10, "quantity=2");
  Response t2 =
      sim.Rest("POST", StrCat("/api/v3/order?", other_qty, "&signature=", kDocSignature), DocKey());
  CHECK(t2.code() == -1022);

  // The four orders that verified are the account's open orders.
  Response open = sim.Signed("GET", "/api/v3/openOrders", "symbol=LTCBTC");
  INFO(open.body);
  REQUIRE(open.json.IsArray());
  CHECK(open.json.Size() == 4);
}

TEST_CASE("Ed25519 keys verify and every credential failure has its Binance code",
          "[venue-sim][signature]") {
  VenueSim sim;
  sim.Start({});

  // An Ed25519 signature (RFC 8032 test key), base64 and URL-encoded.
  Response ed = sim.SignedEd25519("GET", "/api/v3/account", "omitZeroBalances=true");
  INFO(ed.body);
  CHECK(ed.status == 200);
  CHECK(ed.json.HasMember("balances"));
  // The same request with the HMAC key's signature under the Ed25519 key.
  Response wrong = sim.Signed("GET", "/api/v3/account", "", kEdApiKey);
  CHECK(wrong.code() == -1022);

  // API key: missing or malformed -2014, unknown -2015 (HTTP 401).
  Response none = sim.Get("/api/v3/account?timestamp=1&signature=00");
  CHECK(none.status == 401);
  CHECK(none.code() == -2014);
  Response bad_format =
      sim.Rest("GET", "/api/v3/account?timestamp=1&signature=00", {{"X-MBX-APIKEY", "not a key!"}});
  CHECK(bad_format.code() == -2014);
  Response unknown = sim.Signed("GET", "/api/v3/account", "", "UnknownKey123");
  CHECK(unknown.status == 401);
  CHECK(unknown.code() == -2015);

  // Timestamps: older than recvWindow, more than 1000 ms ahead, window too large.
  int64_t now = sim.timestamp_ms();
  auto with_timestamp = [&](int64_t ts, std::string extra) {
    std::string q = StrCat(extra, "timestamp=", ts);
    signing::HmacSha256Tag tag =
        signing::HmacSha256(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(kDocSecret),
                                                     sizeof(kDocSecret) - 1),
                            q);
    return sim.Rest("GET", StrCat("/api/v3/account?", q, "&signature=", signing::HexEncode(tag)),
                    DocKey());
  };
  Response old = with_timestamp(now - 60'000, "");
  CHECK(old.code() == -1021);
  CHECK(old.Str("msg") == "Timestamp for this request is outside of the recvWindow.");
  CHECK(with_timestamp(now - 60'000, "recvWindow=59000&").code() == -1021);
  CHECK(with_timestamp(now - 30'000, "recvWindow=60000&").status == 200);
  Response ahead = with_timestamp(now + 30'000, "");
  CHECK(ahead.code() == -1021);
  CHECK(ahead.Str("msg") == "Timestamp for this request was 1000ms ahead of the server's time.");
  CHECK(with_timestamp(now, "recvWindow=60001&").code() == -1131);

  // Missing timestamp or signature: -1102.
  Response no_ts = sim.Rest("GET", "/api/v3/account?signature=00", DocKey());
  CHECK(no_ts.code() == -1102);
  Response no_sig = sim.Rest("GET", StrCat("/api/v3/account?timestamp=", now), DocKey());
  CHECK(no_sig.code() == -1102);
  CHECK(no_sig.Str("msg").find("'signature'") != std::string::npos);

  // USER_STREAM needs the key but no signature.
  Response key = sim.Keyed("POST", "/api/v3/userDataStream");
  INFO(key.body);
  CHECK(key.status == 200);
  CHECK(key.Str("listenKey").size() == 60);
  CHECK(sim.Rest("POST", "/api/v3/userDataStream").code() == -2014);
}

}  // namespace
}  // namespace tradeplane::venue_sim_test
