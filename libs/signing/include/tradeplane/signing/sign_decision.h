// The answer of every check before a signature: allowed, or a refusal code
// with one sentence a person can read in the audit log.
#ifndef TRADEPLANE_SIGNING_SIGN_DECISION_H_
#define TRADEPLANE_SIGNING_SIGN_DECISION_H_

#include <string>

#include "tradeplane/signer/v1/signer.pb.h"

namespace tradeplane::signing {

struct SignDecision {
  signer::v1::SignRefusal refusal = signer::v1::SIGN_REFUSAL_UNSPECIFIED;
  std::string reason;  // empty when allowed

  bool allowed() const { return refusal == signer::v1::SIGN_REFUSAL_UNSPECIFIED; }

  static SignDecision Allow() { return {}; }
  static SignDecision Refuse(signer::v1::SignRefusal code, std::string why) {
    return {code, std::move(why)};
  }
};

}  // namespace tradeplane::signing

#endif  // TRADEPLANE_SIGNING_SIGN_DECISION_H_
