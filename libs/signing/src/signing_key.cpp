#include "tradeplane/signing/signing_key.h"

#include "tradeplane/core/str_cat.h"
#include "tradeplane/signing/base64.h"
#include "tradeplane/signing/byte_view.h"
#include "tradeplane/signing/hex.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace tradeplane::signing {

using signer::v1::ALGORITHM_ED25519;
using signer::v1::ALGORITHM_HMAC_SHA256;
using signer::v1::ALGORITHM_SECP256K1;

SignDecision CheckVersionCanSign(const signer::v1::KeyMetadata& metadata, Timestamp now) {
  if (now.nanos() < metadata.created_ns()) {
    return SignDecision::Refuse(signer::v1::SIGN_REFUSAL_POLICY,
                                StrCat("version ", metadata.version(), " of key ",
                                       metadata.key_id(), " is not valid before ",
                                       FormatRfc3339(Timestamp::FromNanos(metadata.created_ns()))));
  }
  if (metadata.signing_ends_ns() != 0 && now.nanos() >= metadata.signing_ends_ns()) {
    return SignDecision::Refuse(
        signer::v1::SIGN_REFUSAL_KEY_RETIRED,
        StrCat("version ", metadata.version(), " of key ", metadata.key_id(),
               " stopped signing at ",
               FormatRfc3339(Timestamp::FromNanos(metadata.signing_ends_ns()))));
  }
  return SignDecision::Allow();
}

absl::StatusOr<SigningKey> SigningKey::Create(const signer::v1::KeyMetadata& metadata,
                                              const KeyMaterial& material) {
  if (metadata.algorithm() != material.algorithm()) {
    return absl::InvalidArgumentError(
        StrCat("key ", metadata.key_id(), " version ", metadata.version(),
               ": the metadata's algorithm does not match the secret's"));
  }
  switch (metadata.algorithm()) {
    case ALGORITHM_HMAC_SHA256: {
      absl::StatusOr<HmacSha256Key> key = HmacSha256Key::Create(material.stored().bytes());
      if (!key.ok()) return key.status();
      return SigningKey(metadata, *std::move(key));
    }
    case ALGORITHM_ED25519: {
      absl::StatusOr<Ed25519PrivateKey> key =
          Ed25519PrivateKey::FromSeed(material.stored().bytes());
      if (!key.ok()) return key.status();
      return SigningKey(metadata, *std::move(key));
    }
    case ALGORITHM_SECP256K1: {
      absl::StatusOr<Secp256k1PrivateKey> key =
          Secp256k1PrivateKey::FromBytes(material.stored().bytes());
      if (!key.ok()) return key.status();
      return SigningKey(metadata, *std::move(key));
    }
    default:
      return absl::InvalidArgumentError(
          StrCat("key ", metadata.key_id(), " has no known algorithm"));
  }
}

absl::StatusOr<std::string> SigningKey::SignVenueQuery(std::string_view query) const {
  if (const auto* hmac = std::get_if<HmacSha256Key>(&prepared_)) {
    return HexEncode(AsChars(hmac->Sign(query)));
  }
  if (const auto* ed25519 = std::get_if<Ed25519PrivateKey>(&prepared_)) {
    return Base64Encode(ed25519->Sign(query));
  }
  return absl::FailedPreconditionError("a secp256k1 key does not sign venue requests");
}

absl::StatusOr<SignedEvmTransaction> SigningKey::SignEvm(const EvmTransactionFields& tx) const {
  if (const auto* key = std::get_if<Secp256k1PrivateKey>(&prepared_)) {
    return SignEvmTransaction(tx, *key);
  }
  return absl::FailedPreconditionError("only a secp256k1 key signs EVM transactions");
}

}  // namespace tradeplane::signing
