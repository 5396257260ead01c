// The signer's pure pieces, without processes: staged nonces, caller names,
// and the signing library's key_version and fee-limit rules.
#include <catch2/catch.hpp>

#include "tradeplane/signing/evm_transaction.h"
#include "tradeplane/signing/key_policy.h"
#include "tradeplane/signing/keystore.h"
#include "tradeplane/signing/request_digest.h"
#include "tradeplane/signing/signing_engine.h"
#include "tradeplane/signing/uint256.h"

#include "caller_names.h"
#include "staged_nonce_allocator.h"

namespace tradeplane::signer_service {
namespace {

using signer::v1::SignRequest;
using signer::v1::SignResponse;

TEST_CASE("staged nonces commit, roll back, and come back from the store", "[signer][nonce]") {
  StagedNonceAllocator nonces;
  CHECK_FALSE(nonces.Allocate("w@1", 1).ok());  // nothing loaded: unavailable
  nonces.Reset({{"w@1", 1, 5, false}});
  absl::StatusOr<uint64_t> first = nonces.Allocate("w@1", 1);
  REQUIRE(first.ok());
  CHECK(*first == 5);
  REQUIRE(nonces.staged().has_value());
  CHECK(nonces.staged()->nonce == 5);
  CHECK(nonces.staged()->allocated);
  // A second allocation before the first is settled is refused.
  CHECK_FALSE(nonces.Allocate("w@1", 1).ok());
  nonces.Rollback();
  CHECK(nonces.Peek("w@1", 1) == 5);  // the failed signature burnt nothing
  REQUIRE(nonces.Allocate("w@1", 1).ok());
  nonces.Commit();
  CHECK(nonces.Peek("w@1", 1) == 6);
  CHECK(*nonces.Allocate("w@1", 2) == 0);  // another chain starts at zero
  nonces.Rollback();
  CHECK(nonces.Peek("w@1", 2) == 0);
  // A caller's own nonce moves the next one past it, and rolls back too.
  REQUIRE(nonces.Observe("w@1", 1, 9).ok());
  CHECK_FALSE(nonces.staged()->allocated);
  nonces.Commit();
  CHECK(nonces.Peek("w@1", 1) == 10);
  REQUIRE(nonces.Observe("w@1", 1, 3).ok());  // a replacement below: no change
  nonces.Commit();
  CHECK(nonces.Peek("w@1", 1) == 10);
  nonces.MarkUnavailable();
  CHECK(absl::IsUnavailable(nonces.Allocate("w@1", 1).status()));
  nonces.Reset({{"w@1", 1, 0, true}});
  CHECK(absl::IsResourceExhausted(nonces.Allocate("w@1", 1).status()));
}

config::v1::SignerConfig CurveConfig(bool restricted) {
  config::v1::SignerConfig c;
  c.mutable_server()->mutable_curve()->add_allowed_client_keys("execution:EXECKEY");
  c.mutable_server()->mutable_curve()->add_allowed_client_keys("BAREKEY");
  c.mutable_server()->mutable_curve()->add_allowed_client_keys("reconciler:RECONKEY");
  if (restricted) {
    (*c.mutable_client_names())["EXECKEY"] = "execution";
    (*c.mutable_client_names())["BAREKEY"] = "risk-tool";
  }
  return c;
}

TEST_CASE("callers are named by their key and refused when client_names leaves them out",
          "[signer][callers]") {
  absl::StatusOr<CallerNames> open = CallerNames::Create(CurveConfig(false));
  REQUIRE(open.ok());
  CHECK(open->Resolve("reconciler", "reconciler") == "reconciler");
  CHECK(open->Resolve("", "execution") == "unauthenticated:execution");
  absl::StatusOr<CallerNames> names = CallerNames::Create(CurveConfig(true));
  REQUIRE(names.ok());
  CHECK(names->Resolve("execution", "whatever") == "execution");
  CHECK(names->Resolve("BAREKEY", "") == "risk-tool");
  CHECK_FALSE(names->Resolve("reconciler", "reconciler").has_value());
  CHECK_FALSE(names->Resolve("", "execution").has_value());  // no CURVE, no name
}

class Engine {
 public:
  Engine() : engine_(nonces_) {
    signing::SystemEntropy entropy;
    absl::StatusOr<signing::SecretBytes> passphrase =
        signing::SecretBytes::Copy(std::string_view("pw"));
    REQUIRE(passphrase.ok());
    absl::StatusOr<signing::Keystore> store =
        signing::Keystore::Create(*passphrase, signing::KdfLimits::Minimum(), entropy);
    REQUIRE(store.ok());
    signer::v1::KeyPolicy policy;
    policy.add_allowed_kinds(signer::v1::REQUEST_KIND_EVM_TRANSACTION);
    policy.add_allowed_chain_ids(1);
    policy.add_allowed_destinations("0x3535353535353535353535353535353535353535");
    policy.set_max_evm_fee_wei("1000000000000000");  // 21000 gas x ~47.6 gwei
    absl::StatusOr<signing::KeyMaterial> material =
        signing::KeyMaterial::Generate(signer::v1::ALGORITHM_SECP256K1, entropy);
    REQUIRE(material.ok());
    REQUIRE(store
                ->AddKey({"wallet", signer::v1::KEY_PURPOSE_EVM_WALLET, "", policy, 0},
                         *std::move(material))
                .ok());
    absl::StatusOr<signing::KeyMaterial> next =
        signing::KeyMaterial::Generate(signer::v1::ALGORITHM_SECP256K1, entropy);
    REQUIRE(next.ok());
    REQUIRE(store->RotateKey("wallet", *std::move(next), "", 10, 1'000'000'000'000).ok());
    REQUIRE(engine_.LoadKeys(*store).ok());
  }
  SignResponse Sign(const SignRequest& r) { return engine_.Sign(r, Timestamp::FromSeconds(100)); }

 private:
  signing::InMemoryNonceAllocator nonces_;
  signing::SigningEngine engine_;
};

SignRequest Transfer(const char* key_id, const char* gas_price = "20000000000") {
  SignRequest r;
  r.set_request_id("t-1");
  r.set_key_id(key_id);
  signer::v1::EvmTransaction* tx = r.mutable_evm();
  tx->set_type(signer::v1::EVM_TX_TYPE_LEGACY);
  tx->set_chain_id(1);
  tx->set_gas_price_wei(gas_price);
  tx->set_gas_limit(21000);
  tx->set_to("0x3535353535353535353535353535353535353535");
  tx->set_value_wei("1");
  return r;
}

TEST_CASE("key_version pins a version, and must agree with a key_id@N pin", "[signer][engine]") {
  Engine engine;
  CHECK(engine.Sign(Transfer("wallet")).key_version() == 2);
  SignRequest pinned = Transfer("wallet");
  pinned.set_key_version(1);
  SignResponse one = engine.Sign(pinned);
  INFO(one.reason());
  CHECK(one.signed_());
  CHECK(one.key_version() == 1);
  SignRequest both = Transfer("wallet@1");
  both.set_key_version(1);
  CHECK(engine.Sign(both).signed_());
  both.set_key_version(2);
  SignResponse disagree = engine.Sign(both);
  CHECK(disagree.refusal() == signer::v1::SIGN_REFUSAL_MALFORMED);
  CHECK_THAT(disagree.reason(), Catch::Contains("key_id pins version 1 but key_version is 2"));
  pinned.set_key_version(0);
  CHECK(engine.Sign(pinned).refusal() == signer::v1::SIGN_REFUSAL_MALFORMED);
  pinned.set_key_version(3);
  CHECK(engine.Sign(pinned).refusal() == signer::v1::SIGN_REFUSAL_UNKNOWN_KEY);
}

TEST_CASE("the request digest covers key_version only when it is set", "[signer][digest]") {
  SignRequest plain = Transfer("wallet");
  SignRequest same = Transfer("wallet");
  CHECK(signing::RequestDigest(plain) == signing::RequestDigest(same));
  same.set_key_version(1);
  std::string one = signing::RequestDigest(same);
  CHECK(one != signing::RequestDigest(plain));
  same.set_key_version(2);
  CHECK(signing::RequestDigest(same) != one);
  // Unset, the encoding is the one from before the field existed.
  CHECK(signing::CanonicalSignRequest(plain).size() + 5 ==
        signing::CanonicalSignRequest(same).size());
}

TEST_CASE("max_evm_fee_wei bounds gas_limit x the highest gas price", "[signer][policy]") {
  Engine engine;
  CHECK(engine.Sign(Transfer("wallet", "47619047619")).signed_());  // 999999999999 x 21000
  SignResponse over = engine.Sign(Transfer("wallet", "47619047620"));
  CHECK(over.refusal() == signer::v1::SIGN_REFUSAL_POLICY);
  CHECK_THAT(over.reason(), Catch::Contains("gas_limit 21000 x gas_price 47619047620 wei = "
                                            "1000000000020000 wei exceeds the fee limit"));
  // EIP-1559: the max fee per gas counts, not the tip.
  SignRequest eip1559 = Transfer("wallet");
  signer::v1::EvmTransaction* tx = eip1559.mutable_evm();
  tx->set_type(signer::v1::EVM_TX_TYPE_EIP1559);
  tx->clear_gas_price_wei();
  tx->set_max_priority_fee_per_gas_wei("1000000000");
  tx->set_max_fee_per_gas_wei("50000000000");
  CHECK(engine.Sign(eip1559).refusal() == signer::v1::SIGN_REFUSAL_POLICY);
  tx->set_max_fee_per_gas_wei("40000000000");
  CHECK(engine.Sign(eip1559).signed_());
  // A product past 2^256 is over any limit, not a wrap-around.
  signing::Uint256 huge = signing::Uint256::Max();
  CHECK_FALSE(huge.CheckedMul(2).has_value());
  CHECK(huge.CheckedMul(1) == huge);
  CHECK(signing::Uint256::FromUint64(UINT64_MAX).CheckedMul(UINT64_MAX)->ToDecimal() ==
        "340282366920938463426481119284349108225");
  signer::v1::KeyPolicy bad;
  bad.set_max_evm_fee_wei("1e18");
  CHECK_THAT(std::string(signing::ValidateKeyPolicy(bad).message()),
             Catch::Contains("max_evm_fee_wei"));
}

}  // namespace
}  // namespace tradeplane::signer_service
