// Ed25519 (RFC 8032) through libsodium, with the PEM forms Binance uses:
// private keys as PKCS#8 (RFC 8410, `-----BEGIN PRIVATE KEY-----`, the 48-byte
// DER that `openssl genpkey -algorithm ed25519` writes) and public keys as
// SubjectPublicKeyInfo (`-----BEGIN PUBLIC KEY-----`, 44 bytes of DER), which
// is what a user registers with Binance.
#ifndef TRADEPLANE_SIGNING_ED25519_H_
#define TRADEPLANE_SIGNING_ED25519_H_

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "tradeplane/signing/entropy_source.h"
#include "tradeplane/signing/secret_bytes.h"

#include "absl/status/statusor.h"

namespace tradeplane::signing {

using Ed25519Signature = std::array<uint8_t, 64>;

struct Ed25519PublicKey {
  std::array<uint8_t, 32> bytes{};

  // SubjectPublicKeyInfo in PEM, one base64 line, trailing newline.
  std::string ToPem() const;
  static absl::StatusOr<Ed25519PublicKey> FromPem(std::string_view pem);

  bool Verify(std::string_view message, const Ed25519Signature& signature) const;

  friend bool operator==(const Ed25519PublicKey&, const Ed25519PublicKey&) = default;
};

class Ed25519PrivateKey {
 public:
  static constexpr size_t kSeedBytes = 32;

  // From the 32-byte seed (RFC 8032's "secret key").
  static absl::StatusOr<Ed25519PrivateKey> FromSeed(std::span<const uint8_t> seed);
  // From PEM PKCS#8. The PEM text is secret: errors describe, never quote it.
  static absl::StatusOr<Ed25519PrivateKey> FromPkcs8Pem(std::string_view pem);
  static absl::StatusOr<Ed25519PrivateKey> Generate(EntropySource& entropy);

  const Ed25519PublicKey& public_key() const { return public_key_; }
  Ed25519Signature Sign(std::string_view message) const;

  // The seed, for storage (the keystore keeps seeds).
  absl::StatusOr<SecretBytes> Seed() const;

 private:
  Ed25519PrivateKey(SecretBytes secret_key, const Ed25519PublicKey& public_key)
      : secret_key_(std::move(secret_key)), public_key_(public_key) {}

  SecretBytes secret_key_;  // libsodium's 64-byte form: seed || public key
  Ed25519PublicKey public_key_;
};

}  // namespace tradeplane::signing

#endif  // TRADEPLANE_SIGNING_ED25519_H_
