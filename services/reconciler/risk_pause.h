// Asks risk to PAUSE trading through its admin API (RiskAdmin.SetMode), as a
// person with tradectl would: an admin token from TRADEPLANE_ADMIN_TOKEN
// ("name:secret"), the call audited by risk with the reconciler's reason.
#ifndef TRADEPLANE_SERVICES_RECONCILER_RISK_PAUSE_H_
#define TRADEPLANE_SERVICES_RECONCILER_RISK_PAUSE_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace tradeplane::reconciler {

// `target` is host:port of risk's admin server. Blocks up to `timeout_ms`.
absl::Status AskRiskToPause(const std::string& target, std::string_view reason, int timeout_ms);

}  // namespace tradeplane::reconciler

#endif  // TRADEPLANE_SERVICES_RECONCILER_RISK_PAUSE_H_
