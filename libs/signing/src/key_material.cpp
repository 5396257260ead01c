#include "tradeplane/signing/key_material.h"

#include "tradeplane/core/enum_names.h"
#include "tradeplane/core/str_cat.h"
#include "tradeplane/signing/byte_view.h"
#include "tradeplane/signing/ed25519.h"
#include "tradeplane/signing/evm_address.h"
#include "tradeplane/signing/hex.h"
#include "tradeplane/signing/secp256k1_key.h"

#include "absl/status/status.h"

namespace tradeplane::signing {

using signer::v1::ALGORITHM_ED25519;
using signer::v1::ALGORITHM_HMAC_SHA256;
using signer::v1::ALGORITHM_SECP256K1;

absl::StatusOr<KeyMaterial> KeyMaterial::FromHmacSecret(std::string_view secret) {
  if (secret.empty() || secret.size() > kMaxHmacSecretBytes) {
    return absl::InvalidArgumentError("an HMAC secret must be 1 to 1024 characters");
  }
  for (char c : secret) {
    auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte > 0x7e) {
      return absl::InvalidArgumentError(
          "the HMAC secret contains a space, control or non-ASCII character (a trailing newline "
          "from a file?); venues issue printable ASCII secrets");
    }
  }
  absl::StatusOr<SecretBytes> stored = SecretBytes::Copy(secret);
  if (!stored.ok()) return stored.status();
  return KeyMaterial(ALGORITHM_HMAC_SHA256, *std::move(stored));
}

absl::StatusOr<KeyMaterial> KeyMaterial::FromEd25519Pem(std::string_view pem) {
  absl::StatusOr<Ed25519PrivateKey> key = Ed25519PrivateKey::FromPkcs8Pem(pem);
  if (!key.ok()) return key.status();
  absl::StatusOr<SecretBytes> seed = key->Seed();
  if (!seed.ok()) return seed.status();
  return KeyMaterial(ALGORITHM_ED25519, *std::move(seed));
}

absl::StatusOr<KeyMaterial> KeyMaterial::FromSecp256k1Hex(std::string_view hex) {
  absl::StatusOr<Secp256k1PrivateKey> key = Secp256k1PrivateKey::FromHex(hex);
  if (!key.ok()) return key.status();
  absl::StatusOr<SecretBytes> bytes = key->KeyBytes();
  if (!bytes.ok()) return bytes.status();
  return KeyMaterial(ALGORITHM_SECP256K1, *std::move(bytes));
}

absl::StatusOr<KeyMaterial> KeyMaterial::Generate(signer::v1::Algorithm algorithm,
                                                  EntropySource& entropy) {
  switch (algorithm) {
    case ALGORITHM_ED25519: {
      absl::StatusOr<Ed25519PrivateKey> key = Ed25519PrivateKey::Generate(entropy);
      if (!key.ok()) return key.status();
      absl::StatusOr<SecretBytes> seed = key->Seed();
      if (!seed.ok()) return seed.status();
      return KeyMaterial(ALGORITHM_ED25519, *std::move(seed));
    }
    case ALGORITHM_SECP256K1: {
      absl::StatusOr<Secp256k1PrivateKey> key = Secp256k1PrivateKey::Generate(entropy);
      if (!key.ok()) return key.status();
      absl::StatusOr<SecretBytes> bytes = key->KeyBytes();
      if (!bytes.ok()) return bytes.status();
      return KeyMaterial(ALGORITHM_SECP256K1, *std::move(bytes));
    }
    case ALGORITHM_HMAC_SHA256:
      return absl::InvalidArgumentError(
          "HMAC secrets are issued by the venue together with the API key: import it instead");
    default:
      return absl::InvalidArgumentError("algorithm must be HMAC_SHA256, ED25519 or SECP256K1");
  }
}

absl::StatusOr<KeyMaterial> KeyMaterial::FromStored(signer::v1::Algorithm algorithm,
                                                    std::span<const uint8_t> stored) {
  switch (algorithm) {
    case ALGORITHM_HMAC_SHA256:
      return FromHmacSecret(AsChars(stored));
    case ALGORITHM_ED25519: {
      absl::StatusOr<Ed25519PrivateKey> key = Ed25519PrivateKey::FromSeed(stored);
      if (!key.ok()) return key.status();
      break;
    }
    case ALGORITHM_SECP256K1: {
      absl::StatusOr<Secp256k1PrivateKey> key = Secp256k1PrivateKey::FromBytes(stored);
      if (!key.ok()) return key.status();
      break;
    }
    default:
      return absl::InvalidArgumentError(StrCat("unknown algorithm ", static_cast<int>(algorithm)));
  }
  absl::StatusOr<SecretBytes> copy = SecretBytes::Copy(stored);
  if (!copy.ok()) return copy.status();
  return KeyMaterial(algorithm, *std::move(copy));
}

absl::StatusOr<PublicKeyInfo> KeyMaterial::PublicInfo() const {
  PublicKeyInfo info;
  switch (algorithm_) {
    case ALGORITHM_HMAC_SHA256:
      return info;  // symmetric: nothing public beyond the API key in the metadata
    case ALGORITHM_ED25519: {
      absl::StatusOr<Ed25519PrivateKey> key = Ed25519PrivateKey::FromSeed(stored_.bytes());
      if (!key.ok()) return key.status();
      info.public_key_pem = key->public_key().ToPem();
      info.public_key_hex = HexEncode(AsChars(key->public_key().bytes));
      return info;
    }
    case ALGORITHM_SECP256K1: {
      absl::StatusOr<Secp256k1PrivateKey> key = Secp256k1PrivateKey::FromBytes(stored_.bytes());
      if (!key.ok()) return key.status();
      info.public_key_hex = HexEncode(AsChars(key->public_key()));
      info.evm_address = EvmAddress::FromPublicKey(key->public_key()).ToChecksumHex();
      return info;
    }
    default:
      return absl::InvalidArgumentError("key material has no algorithm");
  }
}

}  // namespace tradeplane::signing
