#include "tradeplane/signing/secp256k1_key.h"

#include <cstring>

#include <secp256k1.h>
#include <secp256k1_recovery.h>
#include <sodium.h>

#include "tradeplane/signing/hex.h"

#include "absl/status/status.h"
#include "sodium_init.h"

namespace tradeplane::signing {
namespace {

// One context for the process. Signing only reads it, so sharing it across
// threads is safe; it is randomised once (side-channel blinding, not a
// functional input: signatures stay deterministic).
const secp256k1_context* Context() {
  static secp256k1_context* const context = [] {
    secp256k1_context* ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
    if (EnsureSodiumInitialized().ok()) {
      unsigned char seed[32];
      randombytes_buf(seed, sizeof(seed));
      // Failure leaves the context unblinded; signatures are still correct.
      [[maybe_unused]] const bool blinded = secp256k1_context_randomize(ctx, seed) == 1;
      sodium_memzero(seed, sizeof(seed));
    }
    return ctx;
  }();
  return context;
}

}  // namespace

absl::StatusOr<Secp256k1PrivateKey> Secp256k1PrivateKey::FromBytes(std::span<const uint8_t> key) {
  if (key.size() != kKeyBytes) {
    return absl::InvalidArgumentError("a secp256k1 private key must be 32 bytes");
  }
  const secp256k1_context* ctx = Context();
  if (secp256k1_ec_seckey_verify(ctx, key.data()) != 1) {
    return absl::InvalidArgumentError(
        "not a valid secp256k1 private key (zero, or not below the group order)");
  }
  absl::StatusOr<SecretBytes> stored = SecretBytes::Copy(key);
  if (!stored.ok()) return stored.status();
  secp256k1_pubkey pubkey;
  if (secp256k1_ec_pubkey_create(ctx, &pubkey, stored->data()) != 1) {
    return absl::InternalError("secp256k1 public key derivation failed");
  }
  uint8_t serialized[65];
  size_t length = sizeof(serialized);
  secp256k1_ec_pubkey_serialize(ctx, serialized, &length, &pubkey, SECP256K1_EC_UNCOMPRESSED);
  Secp256k1PublicKey public_key;
  std::memcpy(public_key.data(), serialized + 1, public_key.size());
  return Secp256k1PrivateKey(*std::move(stored), public_key);
}

absl::StatusOr<Secp256k1PrivateKey> Secp256k1PrivateKey::FromHex(std::string_view hex) {
  if (hex.starts_with("0x") || hex.starts_with("0X")) hex.remove_prefix(2);
  if (hex.size() != 2 * kKeyBytes) {
    return absl::InvalidArgumentError(
        "a secp256k1 private key in hex must be 64 hex digits (32 bytes), optionally after 0x");
  }
  absl::StatusOr<SecretBytes> bytes = HexDecodeSecret(hex);
  if (!bytes.ok()) return bytes.status();
  return FromBytes(bytes->bytes());
}

absl::StatusOr<Secp256k1PrivateKey> Secp256k1PrivateKey::Generate(EntropySource& entropy) {
  absl::StatusOr<SecretBytes> candidate = SecretBytes::Allocate(kKeyBytes);
  if (!candidate.ok()) return candidate.status();
  // A uniformly random 32-byte string is out of range with probability about
  // 2^-128; retry rather than reduce (reduction would bias the key).
  for (int attempt = 0; attempt < 64; ++attempt) {
    entropy.Fill(candidate->mutable_bytes());
    if (secp256k1_ec_seckey_verify(Context(), candidate->data()) == 1) {
      return FromBytes(candidate->bytes());
    }
  }
  return absl::InternalError("the entropy source produced no valid secp256k1 key in 64 tries");
}

absl::StatusOr<RecoverableSignature> Secp256k1PrivateKey::SignDigest(
    const std::array<uint8_t, 32>& digest) const {
  const secp256k1_context* ctx = Context();
  secp256k1_ecdsa_recoverable_signature signature;
  // nullptr nonce function = secp256k1_nonce_function_rfc6979 with no extra data.
  if (secp256k1_ecdsa_sign_recoverable(ctx, &signature, digest.data(), key_.data(), nullptr,
                                       nullptr) != 1) {
    return absl::InternalError("secp256k1 signing failed");
  }
  uint8_t compact[64];
  int recovery_id = 0;
  secp256k1_ecdsa_recoverable_signature_serialize_compact(ctx, compact, &recovery_id, &signature);
  RecoverableSignature out;
  std::memcpy(out.r.data(), compact, 32);
  std::memcpy(out.s.data(), compact + 32, 32);
  out.recovery_id = static_cast<uint8_t>(recovery_id);
  return out;
}

absl::StatusOr<Secp256k1PublicKey> RecoverPublicKey(const std::array<uint8_t, 32>& digest,
                                                    const RecoverableSignature& signature) {
  if (signature.recovery_id > 3) {
    return absl::InvalidArgumentError("a recovery id is 0 to 3");
  }
  const secp256k1_context* ctx = Context();
  uint8_t compact[64];
  std::memcpy(compact, signature.r.data(), 32);
  std::memcpy(compact + 32, signature.s.data(), 32);
  secp256k1_ecdsa_recoverable_signature parsed;
  if (secp256k1_ecdsa_recoverable_signature_parse_compact(ctx, &parsed, compact,
                                                          signature.recovery_id) != 1) {
    return absl::InvalidArgumentError("the signature's r or s is out of range");
  }
  secp256k1_pubkey pubkey;
  if (secp256k1_ecdsa_recover(ctx, &pubkey, &parsed, digest.data()) != 1) {
    return absl::InvalidArgumentError("no public key recovers from this signature and digest");
  }
  uint8_t serialized[65];
  size_t length = sizeof(serialized);
  secp256k1_ec_pubkey_serialize(ctx, serialized, &length, &pubkey, SECP256K1_EC_UNCOMPRESSED);
  Secp256k1PublicKey out;
  std::memcpy(out.data(), serialized + 1, out.size());
  return out;
}

}  // namespace tradeplane::signing
