#include "tradeplane/signing/replay.h"

#include <sodium.h>

#include "tradeplane/core/str_cat.h"

namespace tradeplane::signing {

ReplayVerdict ClassifyReplay(const std::string* stored_digest, std::string_view digest) {
  if (stored_digest == nullptr) return ReplayVerdict::kNew;
  if (stored_digest->size() == digest.size() &&
      sodium_memcmp(stored_digest->data(), digest.data(), digest.size()) == 0) {
    return ReplayVerdict::kRetry;
  }
  return ReplayVerdict::kConflict;
}

signer::v1::SignResponse ReplayConflictResponse(const signer::v1::SignRequest& request,
                                                std::string_view digest) {
  signer::v1::SignResponse response;
  response.set_signed_(false);
  response.set_refusal(signer::v1::SIGN_REFUSAL_REPLAY);
  response.set_reason(StrCat("request id ", request.request_id(),
                             " was already used for a different request; a retry must resend "
                             "the same content, a new request needs a new id"));
  response.set_key_id(request.key_id());
  response.set_request_digest(std::string(digest));
  return response;
}

}  // namespace tradeplane::signing
