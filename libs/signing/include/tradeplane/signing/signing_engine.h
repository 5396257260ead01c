// The signer's decision and signature for one SignRequest, with no I/O: the
// service wraps the socket, the replay store, the nonce store and the audit
// log around it.
//
// For each request, in order (the first failure is the answer):
//   1. well-formed: request_id, key_id and a payload  (MALFORMED)
//   2. the key exists                                   (UNKNOWN_KEY)
//   3. a version may sign now                           (KEY_RETIRED)
//      key_id "name" means the newest version created by now; key_version 3
//      (or the older spelling key_id "name@3") pins version 3 (during a
//      rotation's grace period, e.g. to keep a listen key opened with the old
//      API key alive); both at once must agree (MALFORMED otherwise)
//   4. the key's purpose and algorithm fit the payload  (WRONG_ALGORITHM)
//   5. the payload is valid and self-consistent         (MALFORMED; an unknown
//      endpoint is POLICY)
//   6. the key's policy allows it                        (POLICY, EXPIRED)
//   7. the rolling window allows it                      (RATE)
//   8. EVM without a nonce: one is allocated             (STORE_UNAVAILABLE)
//   9. sign, count it in the window
// Every response carries the request digest (request_digest.h); refusals
// carry a reason a person can read, never a secret.
//
// Not thread-safe: the signer answers one request at a time.
#ifndef TRADEPLANE_SIGNING_SIGNING_ENGINE_H_
#define TRADEPLANE_SIGNING_SIGNING_ENGINE_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "tradeplane/core/timestamp.h"
#include "tradeplane/signer/v1/signer.pb.h"
#include "tradeplane/signing/keystore.h"
#include "tradeplane/signing/nonce_allocator.h"
#include "tradeplane/signing/signing_key.h"
#include "tradeplane/signing/usage_window.h"

#include "absl/status/status.h"

namespace tradeplane::signing {

inline constexpr size_t kMaxRequestIdLength = 128;

class SigningEngine {
 public:
  explicit SigningEngine(NonceAllocator& nonces) : nonces_(nonces) {}

  // Prepares every key version of `keystore` (secrets are copied into the
  // engine's own guarded memory). Replaces the keys loaded before; the usage
  // windows of key ids that remain are kept, so reloading after a policy
  // change does not reset the rate limits. On error nothing changes.
  absl::Status LoadKeys(const Keystore& keystore);

  signer::v1::SignResponse Sign(const signer::v1::SignRequest& request, Timestamp now);

  std::vector<signer::v1::KeyMetadata> ListKeys() const;

 private:
  struct Key {
    std::vector<SigningKey> versions;  // ascending version
    UsageWindow window;
  };

  signer::v1::SignResponse SignVenue(const signer::v1::SignRequest& request, const SigningKey& key,
                                     Key& state, Timestamp now, signer::v1::SignResponse response);
  signer::v1::SignResponse SignEvmRequest(const signer::v1::SignRequest& request,
                                          const SigningKey& key, Key& state, Timestamp now,
                                          signer::v1::SignResponse response);

  NonceAllocator& nonces_;
  std::map<std::string, Key, std::less<>> keys_;
};

}  // namespace tradeplane::signing

#endif  // TRADEPLANE_SIGNING_SIGNING_ENGINE_H_
