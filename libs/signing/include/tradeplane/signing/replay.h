// Idempotency by request id: what to do when a request id comes back.
//
// The service looks the id up in its store (a unique constraint on
// request_id keeps the first answer) and asks here what the answer is.
#ifndef TRADEPLANE_SIGNING_REPLAY_H_
#define TRADEPLANE_SIGNING_REPLAY_H_

#include <string_view>

#include "tradeplane/signer/v1/signer.pb.h"

namespace tradeplane::signing {

enum class ReplayVerdict {
  kNew,       // never seen: sign (and store the response before answering)
  kRetry,     // same id, same digest: answer the stored response again
  kConflict,  // same id, different content: SIGN_REFUSAL_REPLAY
};

// `stored_digest` is null when the id has not been seen.
ReplayVerdict ClassifyReplay(const std::string* stored_digest, std::string_view digest);

// The refusal for kConflict, naming the id (never the content).
signer::v1::SignResponse ReplayConflictResponse(const signer::v1::SignRequest& request,
                                                std::string_view digest);

}  // namespace tradeplane::signing

#endif  // TRADEPLANE_SIGNING_REPLAY_H_
