// The diff options and resolution policy from the reconciler's config
// (ReconcilerConfig), so the service maps its YAML the one tested way.
#ifndef TRADEPLANE_RECONCILIATION_RECONCILER_SETTINGS_H_
#define TRADEPLANE_RECONCILIATION_RECONCILER_SETTINGS_H_

#include "tradeplane/config/v1/services.pb.h"
#include "tradeplane/core/timestamp.h"
#include "tradeplane/reconciliation/diff.h"
#include "tradeplane/reconciliation/resolution_policy.h"

#include "absl/status/statusor.h"

namespace tradeplane::reconciliation {

struct ReconcilerSettings {
  DiffOptions diff;
  ResolutionPolicy policy;
};

// unknown_order_policy must be set (UNSPECIFIED is refused, as every
// contract enum's zero value); balance_tolerance values must be >= 0 and are
// per asset ("*" sets the default for assets not listed). The in-flight
// grace has no config field yet: the service passes it.
absl::StatusOr<ReconcilerSettings> SettingsFromConfig(const config::v1::ReconcilerConfig& config,
                                                      Duration in_flight_grace);

}  // namespace tradeplane::reconciliation

#endif  // TRADEPLANE_RECONCILIATION_RECONCILER_SETTINGS_H_
