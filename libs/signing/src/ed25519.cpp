#include "tradeplane/signing/ed25519.h"

#include <cstring>

#include <sodium.h>

#include "tradeplane/signing/base64.h"
#include "tradeplane/signing/byte_view.h"

#include "absl/status/status.h"
#include "pem.h"
#include "sodium_init.h"

namespace tradeplane::signing {
namespace {

// RFC 8410 section 7: PrivateKeyInfo { version 0, AlgorithmIdentifier
// { id-Ed25519 = 1.3.101.112 }, OCTET STRING { OCTET STRING (32) seed } }.
constexpr uint8_t kPkcs8Prefix[16] = {0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06,
                                      0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20};
// RFC 8410 section 4: SubjectPublicKeyInfo { AlgorithmIdentifier
// { 1.3.101.112 }, BIT STRING (0 unused bits) { 32-byte key } }.
constexpr uint8_t kSpkiPrefix[12] = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03,
                                     0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

}  // namespace

std::string Ed25519PublicKey::ToPem() const {
  std::string der(reinterpret_cast<const char*>(kSpkiPrefix), sizeof(kSpkiPrefix));
  der.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  return PemArmour(der, "PUBLIC KEY");
}

absl::StatusOr<Ed25519PublicKey> Ed25519PublicKey::FromPem(std::string_view pem) {
  absl::StatusOr<std::string_view> body = PemBody(pem, "PUBLIC KEY");
  if (!body.ok()) return body.status();
  absl::StatusOr<std::string> der = Base64Decode(*body);
  if (!der.ok()) return absl::InvalidArgumentError("PEM public key body is not valid base64");
  if (der->size() != sizeof(kSpkiPrefix) + 32 ||
      std::memcmp(der->data(), kSpkiPrefix, sizeof(kSpkiPrefix)) != 0) {
    return absl::InvalidArgumentError(
        "not an Ed25519 public key (expected the 44-byte RFC 8410 SubjectPublicKeyInfo)");
  }
  Ed25519PublicKey key;
  std::memcpy(key.bytes.data(), der->data() + sizeof(kSpkiPrefix), 32);
  return key;
}

bool Ed25519PublicKey::Verify(std::string_view message, const Ed25519Signature& signature) const {
  if (!EnsureSodiumInitialized().ok()) return false;
  return crypto_sign_verify_detached(signature.data(),
                                     reinterpret_cast<const unsigned char*>(message.data()),
                                     message.size(), bytes.data()) == 0;
}

absl::StatusOr<Ed25519PrivateKey> Ed25519PrivateKey::FromSeed(std::span<const uint8_t> seed) {
  if (seed.size() != kSeedBytes) {
    return absl::InvalidArgumentError("an Ed25519 seed must be 32 bytes");
  }
  if (absl::Status s = EnsureSodiumInitialized(); !s.ok()) return s;
  absl::StatusOr<SecretBytes> secret_key = SecretBytes::Allocate(crypto_sign_SECRETKEYBYTES);
  if (!secret_key.ok()) return secret_key.status();
  Ed25519PublicKey public_key;
  crypto_sign_seed_keypair(public_key.bytes.data(), secret_key->data(), seed.data());
  return Ed25519PrivateKey(*std::move(secret_key), public_key);
}

absl::StatusOr<Ed25519PrivateKey> Ed25519PrivateKey::FromPkcs8Pem(std::string_view pem) {
  absl::StatusOr<std::string_view> body = PemBody(pem, "PRIVATE KEY");
  if (!body.ok()) return body.status();
  absl::StatusOr<SecretBytes> der = Base64DecodeSecret(*body);
  if (!der.ok()) return absl::InvalidArgumentError("PEM private key body is not valid base64");
  if (der->size() != sizeof(kPkcs8Prefix) + kSeedBytes ||
      std::memcmp(der->data(), kPkcs8Prefix, sizeof(kPkcs8Prefix)) != 0) {
    return absl::InvalidArgumentError(
        "not an Ed25519 PKCS#8 private key in the 48-byte RFC 8410 form (OID 1.3.101.112, no "
        "attributes, no embedded public key), as `openssl genpkey -algorithm ed25519` writes");
  }
  return FromSeed(der->bytes().subspan(sizeof(kPkcs8Prefix)));
}

absl::StatusOr<Ed25519PrivateKey> Ed25519PrivateKey::Generate(EntropySource& entropy) {
  absl::StatusOr<SecretBytes> seed = SecretBytes::Allocate(kSeedBytes);
  if (!seed.ok()) return seed.status();
  entropy.Fill(seed->mutable_bytes());
  return FromSeed(seed->bytes());
}

Ed25519Signature Ed25519PrivateKey::Sign(std::string_view message) const {
  Ed25519Signature signature;
  crypto_sign_detached(signature.data(), nullptr,
                       reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       secret_key_.data());
  return signature;
}

absl::StatusOr<SecretBytes> Ed25519PrivateKey::Seed() const {
  return SecretBytes::Copy(secret_key_.bytes().first(kSeedBytes));
}

}  // namespace tradeplane::signing
