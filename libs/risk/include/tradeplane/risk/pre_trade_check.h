// The pre-trade check: whether one order intent may go to the venue.
//
// Evaluate() runs the checks in a fixed order and stops at the first refusal,
// so the same intent against the same state always gets the same answer, with
// the same stable RefusalCode and one sentence a person can read. Every check,
// the figures it compares and its parameter are listed in
// docs/reference/risk-checks.md. Evaluate() reads the state and changes
// nothing; RecordDecision() then applies an approval's effects (the order is
// open, rate tokens are taken). Refusals change nothing.
//
// Performance: O(1) in the number of instruments and open orders (exposure
// totals are cached in RiskState; a market order walks at most
// MarketState::kMaxDepthLevels levels). No heap allocation when approving:
// lookups take string views, and a refusal's sentence is the only allocation.
#ifndef TRADEPLANE_RISK_PRE_TRADE_CHECK_H_
#define TRADEPLANE_RISK_PRE_TRADE_CHECK_H_

#include <string>

#include "tradeplane/core/order.h"
#include "tradeplane/core/timestamp.h"
#include "tradeplane/risk/risk_state.h"
#include "tradeplane/risk/v1/risk.pb.h"

#include "absl/status/status.h"

namespace tradeplane::risk {

struct Decision {
  bool approved = false;
  RefusalCode code = v1::REFUSAL_CODE_UNSPECIFIED;  // UNSPECIFIED when approved
  std::string reason;                               // empty when approved; one sentence otherwise

  static Decision Approve() { return Decision{true, v1::REFUSAL_CODE_UNSPECIFIED, {}}; }
  static Decision Refuse(RefusalCode code, std::string reason) {
    return Decision{false, code, std::move(reason)};
  }
};

// Decides a new order or a cancel (intent.is_cancel()). `now` is the time of
// the decision: staleness and rate buckets are measured against it.
[[nodiscard]] Decision Evaluate(const OrderIntent& intent, const RiskState& state, Timestamp now);

// Applies an approved decision to the state: a new order becomes open and
// takes one token from its strategy's and instrument's order buckets; a cancel
// takes one from the instrument's cancel bucket. A refusal changes nothing.
absl::Status RecordDecision(const OrderIntent& intent, const Decision& decision, Timestamp now,
                            RiskState* state);

// Evaluate, then RecordDecision.
Decision EvaluateAndRecord(const OrderIntent& intent, RiskState* state, Timestamp now);

}  // namespace tradeplane::risk

#endif  // TRADEPLANE_RISK_PRE_TRADE_CHECK_H_
