// secp256k1 ECDSA with a recovery id, for EVM wallets, through libsecp256k1.
//
// Nonces are RFC 6979 deterministic (libsecp256k1's default nonce function,
// no extra entropy), and signatures are low-s normalised, so one key and one
// digest always give the same (r, s, recovery id) — the property the signer's
// "a retry gets the same signature" rule and the published vectors rely on.
//
// SignDigest signs a 32-byte digest. The signer's protocol never exposes it:
// callers send a structured EvmTransaction and the library builds the bytes
// and the digest itself (evm_transaction.h).
#ifndef TRADEPLANE_SIGNING_SECP256K1_KEY_H_
#define TRADEPLANE_SIGNING_SECP256K1_KEY_H_

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "tradeplane/signing/entropy_source.h"
#include "tradeplane/signing/secret_bytes.h"

#include "absl/status/statusor.h"

namespace tradeplane::signing {

struct RecoverableSignature {
  std::array<uint8_t, 32> r{};
  std::array<uint8_t, 32> s{};
  uint8_t recovery_id = 0;  // 0 or 1: the parity of R's y coordinate (EIP-1559 y_parity)
};

// The 64-byte uncompressed public key without its 0x04 prefix (x || y), the
// form Ethereum hashes into an address.
using Secp256k1PublicKey = std::array<uint8_t, 64>;

class Secp256k1PrivateKey {
 public:
  static constexpr size_t kKeyBytes = 32;

  // 32 big-endian bytes in [1, n-1].
  static absl::StatusOr<Secp256k1PrivateKey> FromBytes(std::span<const uint8_t> key);
  // 64 hex digits, optionally prefixed with 0x. The text is secret: errors
  // describe, never quote it.
  static absl::StatusOr<Secp256k1PrivateKey> FromHex(std::string_view hex);
  static absl::StatusOr<Secp256k1PrivateKey> Generate(EntropySource& entropy);

  const Secp256k1PublicKey& public_key() const { return public_key_; }
  absl::StatusOr<RecoverableSignature> SignDigest(const std::array<uint8_t, 32>& digest) const;

  // The 32 key bytes, for storage.
  absl::StatusOr<SecretBytes> KeyBytes() const { return key_.Clone(); }

 private:
  Secp256k1PrivateKey(SecretBytes key, const Secp256k1PublicKey& public_key)
      : key_(std::move(key)), public_key_(public_key) {}

  SecretBytes key_;
  Secp256k1PublicKey public_key_;
};

// The public key that made `signature` over `digest` (ecrecover).
absl::StatusOr<Secp256k1PublicKey> RecoverPublicKey(const std::array<uint8_t, 32>& digest,
                                                    const RecoverableSignature& signature);

}  // namespace tradeplane::signing

#endif  // TRADEPLANE_SIGNING_SECP256K1_KEY_H_
