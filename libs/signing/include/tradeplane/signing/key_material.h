// The secret of one key version, in the form the keystore stores, tied to
// its algorithm:
//   HMAC-SHA256  the secret exactly as the venue issued it (Binance: 64
//                characters, used as the HMAC key bytes)
//   Ed25519      the 32-byte seed (PKCS#8 carries the same 32 bytes)
//   secp256k1    the 32-byte private key
// Every constructor checks the secret; no error message quotes it.
#ifndef TRADEPLANE_SIGNING_KEY_MATERIAL_H_
#define TRADEPLANE_SIGNING_KEY_MATERIAL_H_

#include <string>
#include <string_view>

#include "tradeplane/signer/v1/signer.pb.h"
#include "tradeplane/signing/entropy_source.h"
#include "tradeplane/signing/secret_bytes.h"

#include "absl/status/statusor.h"

namespace tradeplane::signing {

inline constexpr size_t kMaxHmacSecretBytes = 1024;

// What can be shown of a key: never the secret.
struct PublicKeyInfo {
  std::string public_key_pem;  // Ed25519: SubjectPublicKeyInfo PEM (what Binance registers)
  std::string public_key_hex;  // Ed25519: 32 bytes; secp256k1: 64-byte x || y
  std::string evm_address;     // secp256k1: EIP-55 checksummed address
};

class KeyMaterial {
 public:
  // Printable ASCII without spaces, 1 to 1024 bytes: a stray newline from a
  // file is refused rather than becoming part of the key.
  static absl::StatusOr<KeyMaterial> FromHmacSecret(std::string_view secret);
  static absl::StatusOr<KeyMaterial> FromEd25519Pem(std::string_view pem);
  static absl::StatusOr<KeyMaterial> FromSecp256k1Hex(std::string_view hex);
  // HMAC secrets are issued by the venue, so only Ed25519 and secp256k1 keys
  // can be generated.
  static absl::StatusOr<KeyMaterial> Generate(signer::v1::Algorithm algorithm,
                                              EntropySource& entropy);
  // The storage form, as read back from a keystore.
  static absl::StatusOr<KeyMaterial> FromStored(signer::v1::Algorithm algorithm,
                                                std::span<const uint8_t> stored);

  signer::v1::Algorithm algorithm() const { return algorithm_; }
  const SecretBytes& stored() const { return stored_; }
  absl::StatusOr<KeyMaterial> Clone() const { return FromStored(algorithm_, stored_.bytes()); }

  absl::StatusOr<PublicKeyInfo> PublicInfo() const;

 private:
  KeyMaterial(signer::v1::Algorithm algorithm, SecretBytes stored)
      : algorithm_(algorithm), stored_(std::move(stored)) {}

  signer::v1::Algorithm algorithm_ = signer::v1::ALGORITHM_UNSPECIFIED;
  SecretBytes stored_;
};

}  // namespace tradeplane::signing

#endif  // TRADEPLANE_SIGNING_KEY_MATERIAL_H_
