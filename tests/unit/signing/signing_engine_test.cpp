// The whole decision for one SignRequest, from an unlocked keystore.
#include "tradeplane/signing/signing_engine.h"

#include <optional>
#include <string>

#include <catch2/catch.hpp>

#include "tradeplane/signing/byte_view.h"
#include "tradeplane/signing/evm_transaction.h"
#include "tradeplane/signing/hex.h"
#include "tradeplane/signing/request_digest.h"

#include "test_entropy.h"
#include "venue_request_builders.h"

namespace tradeplane::signing {
namespace {

using signer::v1::SignRequest;
using signer::v1::SignResponse;

constexpr int64_t kT0 = 1'499'827'000'000'000'000;
const Timestamp kDocTime = Timestamp::FromMillis(1499827319559);
constexpr const char* kApiKey = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
constexpr const char* kTo = "0x3535353535353535353535353535353535353535";

template <typename T>
T Must(absl::StatusOr<T> value) {
  INFO(value.status().ToString());
  REQUIRE(value.ok());
  return *std::move(value);
}

void MustOk(const absl::Status& status) {
  INFO(status.ToString());
  REQUIRE(status.ok());
}

class EngineFixture {
 public:
  EngineFixture() : engine_(nonces_) {
    absl::StatusOr<SecretBytes> passphrase = SecretBytes::Copy(std::string_view("pw"));
    REQUIRE(passphrase.ok());
    store_.emplace(Must(Keystore::Create(*passphrase, KdfLimits::Minimum(), entropy_)));
    signer::v1::KeyPolicy venue;
    venue.add_allowed_venues(common::v1::VENUE_BINANCE);
    venue.add_allowed_kinds(signer::v1::REQUEST_KIND_ORDER);
    venue.add_allowed_kinds(signer::v1::REQUEST_KIND_USER_STREAM);
    venue.set_max_timestamp_skew_ms(5000);
    venue.set_window_s(60);
    venue.set_max_requests_per_window(3);
    MustOk(
        store_->AddKey({"hmac", signer::v1::KEY_PURPOSE_VENUE_API, kApiKey, venue, kT0},
                       Must(KeyMaterial::FromHmacSecret(
                           "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"))));
    MustOk(store_->AddKey({"ed", signer::v1::KEY_PURPOSE_VENUE_API, "ed-api-key", venue, kT0},
                          Must(KeyMaterial::FromEd25519Pem(
                              "-----BEGIN PRIVATE KEY-----\n"
                              "MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n"
                              "-----END PRIVATE KEY-----\n"))));
    signer::v1::KeyPolicy wallet;
    wallet.add_allowed_kinds(signer::v1::REQUEST_KIND_EVM_TRANSACTION);
    wallet.add_allowed_chain_ids(1);
    wallet.add_allowed_destinations(kTo);
    wallet.set_max_evm_value_wei("1000000000000000000");
    MustOk(
        store_->AddKey({"wallet", signer::v1::KEY_PURPOSE_EVM_WALLET, "", wallet, kT0},
                       Must(KeyMaterial::FromSecp256k1Hex(
                           "4646464646464646464646464646464646464646464646464646464646464646"))));
    MustOk(engine_.LoadKeys(*store_));
  }

  SigningEngine& engine() { return engine_; }
  Keystore& store() { return *store_; }
  InMemoryNonceAllocator& nonces() { return nonces_; }
  testing::SeededEntropy& entropy() { return entropy_; }

 private:
  testing::SeededEntropy entropy_{42};
  InMemoryNonceAllocator nonces_;
  std::optional<Keystore> store_;
  SigningEngine engine_;
};

SignRequest VenueRequest(const char* key_id, const char* request_id = "req-1") {
  SignRequest request;
  request.set_request_id(request_id);
  request.set_key_id(key_id);
  *request.mutable_venue() = testing::BinanceDocOrder();
  return request;
}

SignRequest Eip155Request(bool with_nonce) {
  SignRequest request;
  request.set_request_id("evm-1");
  request.set_key_id("wallet");
  signer::v1::EvmTransaction* tx = request.mutable_evm();
  tx->set_type(signer::v1::EVM_TX_TYPE_LEGACY);
  tx->set_chain_id(1);
  if (with_nonce) tx->set_nonce(9);
  tx->set_gas_price_wei("20000000000");
  tx->set_gas_limit(21000);
  tx->set_to(kTo);
  tx->set_value_wei("1000000000000000000");
  return request;
}

TEST_CASE("the engine signs Binance's documented order with the HMAC key", "[signing][engine]") {
  EngineFixture f;
  SignRequest request = VenueRequest("hmac");
  SignResponse response = f.engine().Sign(request, kDocTime);
  INFO(response.reason());
  REQUIRE(response.signed_());
  CHECK(response.refusal() == signer::v1::SIGN_REFUSAL_UNSPECIFIED);
  CHECK(response.key_id() == "hmac");
  CHECK(response.key_version() == 1);
  CHECK(response.api_key() == kApiKey);
  CHECK(response.signature() == "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71");
  CHECK(response.query_string() ==
        "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&"
        "timestamp=1499827319559&signature="
        "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71");
  CHECK(response.request_digest() == RequestDigest(request));
}

TEST_CASE("the engine signs with Ed25519 and a retry gives the same signature",
          "[signing][engine]") {
  EngineFixture f;
  SignResponse first = f.engine().Sign(VenueRequest("ed"), kDocTime);
  SignResponse second = f.engine().Sign(VenueRequest("ed"), kDocTime);
  REQUIRE(first.signed_());
  REQUIRE(second.signed_());
  CHECK(first.signature().size() == 88);
  CHECK(first.signature() == second.signature());
  CHECK(first.api_key() == "ed-api-key");
}

TEST_CASE("the engine refuses with the right code at each step", "[signing][engine]") {
  EngineFixture f;
  SECTION("malformed request") {
    SignRequest request = VenueRequest("hmac", "");
    CHECK(f.engine().Sign(request, kDocTime).refusal() == signer::v1::SIGN_REFUSAL_MALFORMED);
    request = VenueRequest("hmac");
    request.clear_venue();
    CHECK(f.engine().Sign(request, kDocTime).refusal() == signer::v1::SIGN_REFUSAL_MALFORMED);
    request = VenueRequest("hmac@01");
    CHECK(f.engine().Sign(request, kDocTime).refusal() == signer::v1::SIGN_REFUSAL_MALFORMED);
  }
  SECTION("unknown key") {
    SignResponse r = f.engine().Sign(VenueRequest("nope"), kDocTime);
    CHECK(r.refusal() == signer::v1::SIGN_REFUSAL_UNKNOWN_KEY);
    CHECK(f.engine().Sign(VenueRequest("hmac@7"), kDocTime).refusal() ==
          signer::v1::SIGN_REFUSAL_UNKNOWN_KEY);
  }
  SECTION("wrong algorithm both ways") {
    SignResponse r = f.engine().Sign(VenueRequest("wallet"), kDocTime);
    CHECK(r.refusal() == signer::v1::SIGN_REFUSAL_WRONG_ALGORITHM);
    CHECK(r.reason().find("does not sign venue requests") != std::string::npos);
    SignRequest evm = Eip155Request(true);
    evm.set_key_id("hmac");
    CHECK(f.engine().Sign(evm, kDocTime).refusal() == signer::v1::SIGN_REFUSAL_WRONG_ALGORITHM);
  }
  SECTION("malformed payload") {
    SignRequest request = VenueRequest("hmac");
    testing::AddParams(request.mutable_venue(), {{"timestamp", "1"}});
    SignResponse r = f.engine().Sign(request, kDocTime);
    CHECK(r.refusal() == signer::v1::SIGN_REFUSAL_MALFORMED);
    CHECK(r.reason().find("added by the signer") != std::string::npos);
  }
  SECTION("unknown endpoint and policy") {
    SignRequest request = VenueRequest("hmac");
    request.mutable_venue()->set_path("/api/v3/something");
    CHECK(f.engine().Sign(request, kDocTime).refusal() == signer::v1::SIGN_REFUSAL_POLICY);
    request = VenueRequest("hmac");
    request.mutable_venue()->set_venue(common::v1::VENUE_BINANCE_USDM);
    request.mutable_venue()->set_path("/fapi/v1/order");
    SignResponse r = f.engine().Sign(request, kDocTime);
    CHECK(r.refusal() == signer::v1::SIGN_REFUSAL_POLICY);
    CHECK(r.reason().find("BINANCE_USDM") != std::string::npos);
  }
  SECTION("expired timestamp") {
    SignResponse r = f.engine().Sign(VenueRequest("hmac"), kDocTime + std::chrono::seconds(6));
    CHECK(r.refusal() == signer::v1::SIGN_REFUSAL_EXPIRED);
  }
  SECTION("rate") {
    for (int i = 0; i < 3; ++i) REQUIRE(f.engine().Sign(VenueRequest("hmac"), kDocTime).signed_());
    SignResponse r = f.engine().Sign(VenueRequest("hmac"), kDocTime);
    CHECK(r.refusal() == signer::v1::SIGN_REFUSAL_RATE);
    // Reloading the keys (say after a policy change) keeps the window.
    MustOk(f.engine().LoadKeys(f.store()));
    CHECK(f.engine().Sign(VenueRequest("hmac"), kDocTime).refusal() ==
          signer::v1::SIGN_REFUSAL_RATE);
    // Another key has its own window.
    CHECK(f.engine().Sign(VenueRequest("ed"), kDocTime).signed_());
  }
  SECTION("refusals carry the digest and never a secret") {
    SignRequest request = VenueRequest("wallet");
    SignResponse r = f.engine().Sign(request, kDocTime);
    CHECK(r.request_digest() == RequestDigest(request));
    CHECK(r.reason().find("4646") == std::string::npos);
    CHECK_FALSE(r.signed_());
    CHECK(r.query_string().empty());
  }
}

TEST_CASE("the engine reproduces EIP-155's signed transaction", "[signing][engine]") {
  EngineFixture f;
  SignResponse r = f.engine().Sign(Eip155Request(true), kDocTime);
  INFO(r.reason());
  REQUIRE(r.signed_());
  CHECK(r.nonce() == 9);
  CHECK(HexEncode(r.raw_transaction()) ==
        "f86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025"
        "a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb7"
        "03304b3800ccf555c9f3dc64214b297fb1966a3b6d83");
  CHECK(HexEncode(r.transaction_hash()) ==
        "33469b22e9f636356c4160a87eb19df52b7412e8eac32a4a55ffe88ea8350788");
  CHECK(r.api_key() == "0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F");
  // The explicit nonce moves the allocator past it.
  CHECK(f.nonces().Peek("wallet@1", 1) == 10);
}

TEST_CASE("the engine allocates nonces only for transactions it signs", "[signing][engine]") {
  EngineFixture f;
  f.nonces().Seed("wallet@1", 1, 100);
  SignResponse first = f.engine().Sign(Eip155Request(false), kDocTime);
  REQUIRE(first.signed_());
  CHECK(first.nonce() == 100);
  SignRequest too_much = Eip155Request(false);
  too_much.mutable_evm()->set_value_wei("1000000000000000001");
  SignResponse refused = f.engine().Sign(too_much, kDocTime);
  CHECK(refused.refusal() == signer::v1::SIGN_REFUSAL_POLICY);
  SignResponse second = f.engine().Sign(Eip155Request(false), kDocTime);
  REQUIRE(second.signed_());
  CHECK(second.nonce() == 101);
}

class UnavailableNonces final : public NonceAllocator {
 public:
  absl::StatusOr<uint64_t> Allocate(std::string_view, uint64_t) override {
    return absl::UnavailableError("database connection lost");
  }
  absl::Status Observe(std::string_view, uint64_t, uint64_t) override {
    return absl::UnavailableError("database connection lost");
  }
};

TEST_CASE("a nonce store that is down gives STORE_UNAVAILABLE, not a guess", "[signing][engine]") {
  EngineFixture f;
  UnavailableNonces nonces;
  SigningEngine engine(nonces);
  MustOk(engine.LoadKeys(f.store()));
  SignResponse r = engine.Sign(Eip155Request(false), kDocTime);
  CHECK(r.refusal() == signer::v1::SIGN_REFUSAL_STORE_UNAVAILABLE);
  CHECK(r.raw_transaction().empty());
}

TEST_CASE("after rotation the new version signs and the old one only within its grace",
          "[signing][engine]") {
  EngineFixture f;
  const Timestamp rotation = kDocTime - std::chrono::minutes(1);
  MustOk(f.store().RotateKey(
      "ed", Must(KeyMaterial::Generate(signer::v1::ALGORITHM_ED25519, f.entropy())), "ed-api-key-2",
      rotation.nanos(), std::chrono::nanoseconds(std::chrono::minutes(10)).count()));
  MustOk(f.engine().LoadKeys(f.store()));
  SignResponse newest = f.engine().Sign(VenueRequest("ed"), kDocTime);
  REQUIRE(newest.signed_());
  CHECK(newest.key_version() == 2);
  CHECK(newest.api_key() == "ed-api-key-2");
  SignResponse pinned = f.engine().Sign(VenueRequest("ed@1"), kDocTime);
  REQUIRE(pinned.signed_());
  CHECK(pinned.key_version() == 1);
  CHECK(pinned.api_key() == "ed-api-key");
  CHECK(pinned.signature() != newest.signature());

  SignRequest late = VenueRequest("ed@1");
  const Timestamp after_grace = rotation + std::chrono::minutes(10);
  late.mutable_venue()->set_timestamp_ms(after_grace.millis());
  SignResponse retired = f.engine().Sign(late, after_grace);
  CHECK(retired.refusal() == signer::v1::SIGN_REFUSAL_KEY_RETIRED);
  CHECK(retired.key_version() == 1);
  late.set_key_id("ed");
  CHECK(f.engine().Sign(late, after_grace).signed_());
}

TEST_CASE("a retired key signs nothing after its end", "[signing][engine]") {
  EngineFixture f;
  MustOk(f.store().RetireKey("hmac", kDocTime.nanos()));
  MustOk(f.engine().LoadKeys(f.store()));
  SignResponse r = f.engine().Sign(VenueRequest("hmac"), kDocTime);
  CHECK(r.refusal() == signer::v1::SIGN_REFUSAL_KEY_RETIRED);
  CHECK(r.reason().find("stopped signing") != std::string::npos);
}

TEST_CASE("a listen-key request returns the API key and an unsigned query", "[signing][engine]") {
  EngineFixture f;
  SignRequest request;
  request.set_request_id("ls-1");
  request.set_key_id("hmac");
  signer::v1::VenueRequest* venue = request.mutable_venue();
  venue->set_venue(common::v1::VENUE_BINANCE);
  venue->set_kind(signer::v1::REQUEST_KIND_USER_STREAM);
  venue->set_method("POST");
  venue->set_path("/api/v3/userDataStream");
  SignResponse r = f.engine().Sign(request, kDocTime);
  INFO(r.reason());
  REQUIRE(r.signed_());
  CHECK(r.api_key() == kApiKey);
  CHECK(r.query_string().empty());
  CHECK(r.signature().empty());
}

}  // namespace
}  // namespace tradeplane::signing
