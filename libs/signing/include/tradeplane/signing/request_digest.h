// A canonical SHA-256 of a SignRequest's content, for idempotency.
//
// The service stores (request_id, digest, response) under a unique request_id:
// the same id with the same digest gets the stored response back (the same
// signature, never a second one); the same id with a different digest is
// SIGN_REFUSAL_REPLAY (replay.h).
//
// Encoding (canonical_writer rules: big-endian fixed widths, u32-length-
// prefixed strings, enums as i64), in this order:
//   "tradeplane.signer.v1.SignRequest/1" (length-prefixed domain tag)
//   request_id, key_id, u8 payload case (0 none, 3 venue, 4 evm)
//   venue: venue, kind, method, path, u32 param count, each (name, value),
//          i64 timestamp_ms, u32 recv_window_ms, symbol, side, i64 notional
//   evm:   type, u64 chain_id, bool has_nonce, u64 nonce (0 when absent),
//          gas_price_wei, max_priority_fee_per_gas_wei, max_fee_per_gas_wei,
//          u64 gas_limit, to, value_wei, data
//   then, only when key_version is set: u8 1, u32 key_version (absent, the
//   encoding is what it was before the field existed)
// Fields protobuf does not know (from a newer client) are not part of the
// content: the signer ignores them, so they cannot change what is signed.
#ifndef TRADEPLANE_SIGNING_REQUEST_DIGEST_H_
#define TRADEPLANE_SIGNING_REQUEST_DIGEST_H_

#include <string>

#include "tradeplane/signer/v1/signer.pb.h"
#include "tradeplane/signing/sha256.h"

namespace tradeplane::signing {

std::string CanonicalSignRequest(const signer::v1::SignRequest& request);

// SHA-256 of CanonicalSignRequest, 32 raw bytes (SignResponse.request_digest).
std::string RequestDigest(const signer::v1::SignRequest& request);

}  // namespace tradeplane::signing

#endif  // TRADEPLANE_SIGNING_REQUEST_DIGEST_H_
