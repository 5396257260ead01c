// One version of a key, unlocked and prepared for signing, with its metadata.
#ifndef TRADEPLANE_SIGNING_SIGNING_KEY_H_
#define TRADEPLANE_SIGNING_SIGNING_KEY_H_

#include <string>
#include <string_view>
#include <variant>

#include "tradeplane/core/timestamp.h"
#include "tradeplane/signer/v1/signer.pb.h"
#include "tradeplane/signing/ed25519.h"
#include "tradeplane/signing/evm_transaction.h"
#include "tradeplane/signing/hmac_sha256.h"
#include "tradeplane/signing/key_material.h"
#include "tradeplane/signing/secp256k1_key.h"
#include "tradeplane/signing/sign_decision.h"

#include "absl/status/statusor.h"

namespace tradeplane::signing {

// Whether a version may sign at `now`: it exists from created_ns and signs
// until signing_ends_ns (0 = no end). KEY_RETIRED after the end.
SignDecision CheckVersionCanSign(const signer::v1::KeyMetadata& metadata, Timestamp now);

class SigningKey {
 public:
  // The material's algorithm must be the metadata's.
  static absl::StatusOr<SigningKey> Create(const signer::v1::KeyMetadata& metadata,
                                           const KeyMaterial& material);

  const signer::v1::KeyMetadata& metadata() const { return metadata_; }
  signer::v1::Algorithm algorithm() const { return metadata_.algorithm(); }

  // Binance's signature text over `query`: lower-case hex HMAC-SHA256, or
  // base64 Ed25519. FailedPrecondition for a secp256k1 key.
  absl::StatusOr<std::string> SignVenueQuery(std::string_view query) const;
  // FailedPrecondition unless this is a secp256k1 key.
  absl::StatusOr<SignedEvmTransaction> SignEvm(const EvmTransactionFields& tx) const;

 private:
  using Prepared = std::variant<HmacSha256Key, Ed25519PrivateKey, Secp256k1PrivateKey>;
  SigningKey(signer::v1::KeyMetadata metadata, Prepared prepared)
      : metadata_(std::move(metadata)), prepared_(std::move(prepared)) {}

  signer::v1::KeyMetadata metadata_;
  Prepared prepared_;
};

}  // namespace tradeplane::signing

#endif  // TRADEPLANE_SIGNING_SIGNING_KEY_H_
