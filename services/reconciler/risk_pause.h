// Asks risk to PAUSE trading through its admin API (RiskAdmin.SetMode), as a
// person with tradectl would: with the reconciler's admin token
// ("name:secret"), the call audited by risk with the reconciler's reason.
#ifndef TRADEPLANE_SERVICES_RECONCILER_RISK_PAUSE_H_
#define TRADEPLANE_SERVICES_RECONCILER_RISK_PAUSE_H_

#include <string>
#include <string_view>

#include "tradeplane/admin/admin_client.h"

#include "absl/status/status.h"

namespace tradeplane::reconciler {

// Blocks up to `risk.timeout_ms`.
absl::Status AskRiskToPause(const admin::AdminClientOptions& risk, std::string_view reason);

}  // namespace tradeplane::reconciler

#endif  // TRADEPLANE_SERVICES_RECONCILER_RISK_PAUSE_H_
