#include "tradeplane/signing/keystore.h"

#include <string>

#include <catch2/catch.hpp>

#include "tradeplane/signing/byte_view.h"

#include "test_entropy.h"

namespace tradeplane::signing {
namespace {

using signer::v1::KeyMetadata;

// Public test keys only: Binance's documentation HMAC secret, RFC 8410's
// Ed25519 key, EIP-155's secp256k1 key.
constexpr std::string_view kHmacSecret =
    "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
constexpr std::string_view kEd25519Pem =
    "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n"
    "-----END PRIVATE KEY-----\n";
constexpr std::string_view kEvmKeyHex =
    "4646464646464646464646464646464646464646464646464646464646464646";
constexpr int64_t kT0 = 1'700'000'000'000'000'000;

SecretBytes Passphrase(std::string_view text) {
  absl::StatusOr<SecretBytes> secret = SecretBytes::Copy(text);
  REQUIRE(secret.ok());
  return *std::move(secret);
}

// Fails the test, with the status's message (never a secret) when not ok.
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

signer::v1::KeyPolicy VenuePolicy() {
  signer::v1::KeyPolicy policy;
  policy.add_allowed_venues(common::v1::VENUE_BINANCE);
  policy.add_allowed_kinds(signer::v1::REQUEST_KIND_ORDER);
  return policy;
}

Keystore ThreeKeyStore(testing::SeededEntropy& entropy, const SecretBytes& passphrase) {
  Keystore store = Must(Keystore::Create(passphrase, KdfLimits::Minimum(), entropy));
  MustOk(store.AddKey(
      {"binance-hmac", signer::v1::KEY_PURPOSE_VENUE_API,
       "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A", VenuePolicy(), kT0},
      Must(KeyMaterial::FromHmacSecret(kHmacSecret))));
  MustOk(
      store.AddKey({"binance-ed25519", signer::v1::KEY_PURPOSE_VENUE_API, "", VenuePolicy(), kT0},
                   Must(KeyMaterial::FromEd25519Pem(kEd25519Pem))));
  MustOk(store.AddKey({"wallet", signer::v1::KEY_PURPOSE_EVM_WALLET, "", {}, kT0},
                      Must(KeyMaterial::FromSecp256k1Hex(kEvmKeyHex))));
  return store;
}

TEST_CASE("a keystore round-trips its keys and metadata through its bytes", "[signing][keystore]") {
  testing::SeededEntropy entropy(1);
  SecretBytes passphrase = Passphrase("correct horse battery staple");
  Keystore store = ThreeKeyStore(entropy, passphrase);
  std::string file = Must(store.Serialize(entropy));
  CHECK(file.starts_with("TRADEPLANE-KEYSTORE 1\n{"));
  CHECK(file.ends_with("\n"));
  // No secret in clear text.
  CHECK(file.find(kHmacSecret) == std::string::npos);
  CHECK(file.find("MC4CAQAw") == std::string::npos);
  CHECK(file.find(kEvmKeyHex) == std::string::npos);

  Keystore reopened = Must(Keystore::Open(file, passphrase));
  REQUIRE(reopened.entries().size() == 3);
  for (size_t i = 0; i < 3; ++i) {
    const Keystore::Entry& a = store.entries()[i];
    const Keystore::Entry& b = reopened.entries()[i];
    CHECK(a.metadata.SerializeAsString() == b.metadata.SerializeAsString());
    CHECK(b.material.stored().ConstantTimeEquals(a.material.stored().bytes()));
  }
  // Sorted by key id.
  CHECK(reopened.entries()[0].metadata.key_id() == "binance-ed25519");
  CHECK(reopened.entries()[2].metadata.key_id() == "wallet");
  CHECK(reopened.entries()[2].metadata.public_id() == "0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F");
}

TEST_CASE("the metadata is readable without the passphrase", "[signing][keystore]") {
  testing::SeededEntropy entropy(2);
  SecretBytes passphrase = Passphrase("pw");
  std::string file = Must(ThreeKeyStore(entropy, passphrase).Serialize(entropy));
  KeystoreHeader header = Must(Keystore::ReadHeader(file));
  CHECK(header.format_version == 1);
  CHECK(header.kdf.opslimit == KdfLimits::Minimum().opslimit);
  REQUIRE(header.keys.size() == 3);
  CHECK(header.keys[1].key_id() == "binance-hmac");
  CHECK(header.keys[1].algorithm() == signer::v1::ALGORITHM_HMAC_SHA256);
  CHECK(header.keys[1].policy().allowed_venues_size() == 1);
  // The header line is plain JSON with the proto field names.
  CHECK(file.find("\"key_id\":\"binance-hmac\"") != std::string::npos);
  CHECK(file.find("\"algorithm\":\"ALGORITHM_HMAC_SHA256\"") != std::string::npos);
}

TEST_CASE("a wrong passphrase is reported as such", "[signing][keystore]") {
  testing::SeededEntropy entropy(3);
  std::string file = Must(ThreeKeyStore(entropy, Passphrase("right")).Serialize(entropy));
  absl::StatusOr<Keystore> opened = Keystore::Open(file, Passphrase("wrong"));
  REQUIRE_FALSE(opened.ok());
  CHECK(opened.status().code() == absl::StatusCode::kPermissionDenied);
  CHECK(std::string(opened.status().message()).find("wrong passphrase") != std::string::npos);
  CHECK(Keystore::Open(file, SecretBytes()).status().code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("any change to the metadata or the secrets is detected", "[signing][keystore]") {
  testing::SeededEntropy entropy(4);
  SecretBytes passphrase = Passphrase("pw");
  std::string file = Must(ThreeKeyStore(entropy, passphrase).Serialize(entropy));
  struct Edit {
    const char* what;
    std::string from;
    std::string to;
  };
  const Edit edits[] = {
      {"a policy", "\"allowed_kinds\":[\"REQUEST_KIND_ORDER\"]",
       "\"allowed_kinds\":[\"REQUEST_KIND_WITHDRAWAL\"]"},
      {"an API key", "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A",
       "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8B"},
      {"a signing end", "\"signing_ends_ns\":\"0\"", "\"signing_ends_ns\":\"1\""},
  };
  for (const Edit& edit : edits) {
    INFO(edit.what);
    std::string altered = file;
    size_t at = altered.find(edit.from);
    REQUIRE(at != std::string::npos);
    altered.replace(at, edit.from.size(), edit.to);
    absl::StatusOr<Keystore> opened = Keystore::Open(altered, passphrase);
    REQUIRE_FALSE(opened.ok());
    CHECK(opened.status().code() == absl::StatusCode::kDataLoss);
    CHECK(std::string(opened.status().message()).find("altered") != std::string::npos);
  }
  // One flipped bit in the ciphertext.
  std::string altered = file;
  size_t secrets = altered.rfind('\n', altered.size() - 2) + 1;
  altered[secrets + 10] = altered[secrets + 10] == 'A' ? 'B' : 'A';
  CHECK(Keystore::Open(altered, passphrase).status().code() == absl::StatusCode::kDataLoss);
}

TEST_CASE("truncated, foreign and future files give clear errors", "[signing][keystore]") {
  testing::SeededEntropy entropy(5);
  SecretBytes passphrase = Passphrase("pw");
  std::string file = Must(ThreeKeyStore(entropy, passphrase).Serialize(entropy));
  // Every prefix fails cleanly (never a crash, never a secret).
  for (size_t length = 0; length < file.size(); length += 7) {
    absl::StatusOr<Keystore> opened = Keystore::Open(file.substr(0, length), passphrase);
    INFO("prefix of " << length << " bytes: " << opened.status().ToString());
    REQUIRE_FALSE(opened.ok());
    CHECK_FALSE(opened.status().message().empty());
  }
  absl::StatusOr<Keystore> cut = Keystore::Open(file.substr(0, file.size() - 1), passphrase);
  CHECK(cut.status().code() == absl::StatusCode::kDataLoss);
  CHECK(std::string(cut.status().message()).find("truncated") != std::string::npos);

  std::string future = file;
  future.replace(0, 21, "TRADEPLANE-KEYSTORE 2");
  absl::StatusOr<Keystore> newer = Keystore::Open(future, passphrase);
  CHECK(newer.status().code() == absl::StatusCode::kUnimplemented);
  CHECK(std::string(newer.status().message()).find("version 2 is not supported") !=
        std::string::npos);
  CHECK(Keystore::Open("{\"not\":\"a keystore\"}\n", passphrase).status().code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(Keystore::Open(file + "trailing", passphrase).status().code() ==
        absl::StatusCode::kDataLoss);
  // A header asking for absurd Argon2id memory is refused before any work.
  std::string greedy = file;
  size_t at = greedy.find("\"memlimit_bytes\":8192");
  REQUIRE(at != std::string::npos);
  greedy.replace(at, 21, "\"memlimit_bytes\":99999999999999");
  CHECK(Keystore::Open(greedy, passphrase).status().code() == absl::StatusCode::kDataLoss);
}

TEST_CASE("no secret appears in any error message", "[signing][keystore]") {
  const std::string secret_like = "S3cretS3cretS3cretS3cret\n";
  absl::StatusOr<KeyMaterial> hmac = KeyMaterial::FromHmacSecret(secret_like);
  REQUIRE_FALSE(hmac.ok());
  CHECK(std::string(hmac.status().message()).find("S3cret") == std::string::npos);
  absl::StatusOr<KeyMaterial> evm =
      KeyMaterial::FromSecp256k1Hex("0x" + std::string(63, '7') + "g");
  REQUIRE_FALSE(evm.ok());
  CHECK(std::string(evm.status().message()).find("777") == std::string::npos);
  absl::StatusOr<KeyMaterial> pem = KeyMaterial::FromEd25519Pem("MC4CAQAwBQYDK2VwBCIEINTu");
  REQUIRE_FALSE(pem.ok());
  CHECK(std::string(pem.status().message()).find("MC4C") == std::string::npos);
  CHECK_FALSE(KeyMaterial::Generate(signer::v1::ALGORITHM_HMAC_SHA256,
                                    *std::make_unique<testing::SeededEntropy>(1))
                  .ok());
}

TEST_CASE("rotation adds a version that signs from now while the old one has a grace period",
          "[signing][keystore]") {
  testing::SeededEntropy entropy(6);
  SecretBytes passphrase = Passphrase("pw");
  Keystore store = ThreeKeyStore(entropy, passphrase);
  const int64_t now = kT0 + 3'600'000'000'000;
  const int64_t grace = 600'000'000'000;
  MustOk(store.RotateKey("wallet",
                         Must(KeyMaterial::Generate(signer::v1::ALGORITHM_SECP256K1, entropy)), "",
                         now, grace));
  std::vector<KeyMetadata> keys = store.List();
  REQUIRE(keys.size() == 4);
  const KeyMetadata& v1 = keys[2];
  const KeyMetadata& v2 = keys[3];
  CHECK(v1.version() == 1);
  CHECK(v1.rotated_ns() == now);
  CHECK(v1.signing_ends_ns() == now + grace);
  CHECK(v2.version() == 2);
  CHECK(v2.created_ns() == now);
  CHECK(v2.signing_ends_ns() == 0);
  CHECK(v2.public_id() != v1.public_id());
  // The old version's public key is still exported (past signatures verify).
  PublicKeyExport old = Must(store.ExportPublic("wallet", 1));
  CHECK(old.public_key.evm_address == "0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F");
  PublicKeyExport newest = Must(store.ExportPublic("wallet"));
  CHECK(newest.metadata.version() == 2);
  // Same secret again, another algorithm, unknown key: refused.
  CHECK_FALSE(
      store.RotateKey("wallet", Must(KeyMaterial::FromSecp256k1Hex(kEvmKeyHex)), "", now + 1, grace)
          .ok());
  CHECK_FALSE(
      store.RotateKey("wallet", Must(KeyMaterial::FromHmacSecret("abc")), "x", now + 1, grace)
          .ok());
  CHECK(store.RotateKey("nope", Must(KeyMaterial::FromHmacSecret("abc")), "x", now, grace).code() ==
        absl::StatusCode::kNotFound);
  // It all survives a round trip.
  Keystore reopened = Must(Keystore::Open(Must(store.Serialize(entropy)), passphrase));
  CHECK(reopened.List().size() == 4);
}

TEST_CASE("policy, public id and retirement are set through the keystore", "[signing][keystore]") {
  testing::SeededEntropy entropy(7);
  Keystore store = ThreeKeyStore(entropy, Passphrase("pw"));
  signer::v1::KeyPolicy policy = VenuePolicy();
  policy.add_allowed_symbols("BTCUSDT");
  MustOk(store.SetPolicy("binance-hmac", policy));
  CHECK(store.List()[1].policy().allowed_symbols(0) == "BTCUSDT");
  signer::v1::KeyPolicy bad;
  bad.set_max_requests_per_window(1);  // without window_s
  CHECK_FALSE(store.SetPolicy("binance-hmac", bad).ok());
  CHECK(store.SetPolicy("nope", policy).code() == absl::StatusCode::kNotFound);

  MustOk(store.SetPublicId("binance-ed25519", 1, "ed25519-api-key"));
  CHECK(store.List()[0].public_id() == "ed25519-api-key");
  MustOk(store.RetireKey("binance-hmac", kT0 + 5));
  CHECK(store.List()[1].signing_ends_ns() == kT0 + 5);
}

TEST_CASE("keys that do not fit their purpose or id rules are refused", "[signing][keystore]") {
  testing::SeededEntropy entropy(8);
  Keystore store = Must(Keystore::Create(Passphrase("pw"), KdfLimits::Minimum(), entropy));
  CHECK_FALSE(store
                  .AddKey({"w", signer::v1::KEY_PURPOSE_VENUE_API, "", {}, kT0},
                          Must(KeyMaterial::FromSecp256k1Hex(kEvmKeyHex)))
                  .ok());
  CHECK_FALSE(store
                  .AddKey({"h", signer::v1::KEY_PURPOSE_VENUE_API, "", {}, kT0},
                          Must(KeyMaterial::FromHmacSecret(kHmacSecret)))
                  .ok());  // no API key
  CHECK_FALSE(store
                  .AddKey({"bad@id", signer::v1::KEY_PURPOSE_EVM_WALLET, "", {}, kT0},
                          Must(KeyMaterial::FromSecp256k1Hex(kEvmKeyHex)))
                  .ok());
  MustOk(store.AddKey({"w", signer::v1::KEY_PURPOSE_EVM_WALLET, "", {}, kT0},
                      Must(KeyMaterial::FromSecp256k1Hex(kEvmKeyHex))));
  CHECK(store
            .AddKey({"w", signer::v1::KEY_PURPOSE_EVM_WALLET, "", {}, kT0},
                    Must(KeyMaterial::Generate(signer::v1::ALGORITHM_SECP256K1, entropy)))
            .code() == absl::StatusCode::kAlreadyExists);
}

TEST_CASE("the exported public part of an Ed25519 key is the PEM Binance registers",
          "[signing][keystore]") {
  testing::SeededEntropy entropy(9);
  Keystore store = ThreeKeyStore(entropy, Passphrase("pw"));
  PublicKeyExport exported = Must(store.ExportPublic("binance-ed25519"));
  CHECK(exported.public_key.public_key_pem ==
        "-----BEGIN PUBLIC KEY-----\n"
        "MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n"
        "-----END PUBLIC KEY-----\n");
  PublicKeyExport hmac = Must(store.ExportPublic("binance-hmac"));
  CHECK(hmac.public_key.public_key_pem.empty());
  CHECK(hmac.metadata.public_id() ==
        "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A");
}

TEST_CASE("changing the passphrase re-keys the file", "[signing][keystore]") {
  testing::SeededEntropy entropy(10);
  Keystore store = ThreeKeyStore(entropy, Passphrase("old"));
  MustOk(store.ChangePassphrase(Passphrase("new"), KdfLimits::Minimum(), entropy));
  std::string file = Must(store.Serialize(entropy));
  CHECK_FALSE(Keystore::Open(file, Passphrase("old")).ok());
  CHECK(Must(Keystore::Open(file, Passphrase("new"))).entries().size() == 3);
}

TEST_CASE("the interactive Argon2id limits work end to end", "[signing][keystore]") {
  testing::SeededEntropy entropy(11);
  SecretBytes passphrase = Passphrase("interactive");
  Keystore store = Must(Keystore::Create(passphrase, KdfLimits::Interactive(), entropy));
  std::string file = Must(store.Serialize(entropy));
  CHECK(file.find("\"memlimit_bytes\":67108864") != std::string::npos);
  CHECK(Must(Keystore::Open(file, passphrase)).kdf_limits().opslimit ==
        KdfLimits::Interactive().opslimit);
}

}  // namespace
}  // namespace tradeplane::signing
