#include "tradeplane/reconciliation/reconciler_settings.h"

#include "tradeplane/core/enum_names.h"
#include "tradeplane/core/str_cat.h"

namespace tradeplane::reconciliation {

absl::StatusOr<ReconcilerSettings> SettingsFromConfig(const config::v1::ReconcilerConfig& config,
                                                      Duration in_flight_grace) {
  ReconcilerSettings settings;
  if (in_flight_grace.count() < 0) {
    return absl::InvalidArgumentError("in-flight grace: must not be negative");
  }
  settings.diff.in_flight_grace = in_flight_grace;
  switch (config.unknown_order_policy()) {
    case config::v1::UNKNOWN_ORDER_POLICY_CANCEL:
    case config::v1::UNKNOWN_ORDER_POLICY_ADOPT:
    case config::v1::UNKNOWN_ORDER_POLICY_PAUSE:
      settings.policy.unknown_order_policy = config.unknown_order_policy();
      break;
    default:
      return absl::InvalidArgumentError(
          StrCat("unknown_order_policy: must be one of ",
                 EnumChoices(*config::v1::UnknownOrderPolicy_descriptor())));
  }
  settings.policy.ingest_missed_fills = config.ingest_missed_fills();
  settings.policy.pause_on_failed_run = config.pause_on_failed_run();
  for (const auto& [asset, raw] : config.balance_tolerance()) {
    if (raw < 0) {
      return absl::InvalidArgumentError(StrCat(
          "balance_tolerance.", asset, ": ", fixed_point::FormatRaw(raw), " must not be negative"));
    }
    if (asset == "*") {
      settings.diff.default_balance_tolerance = Amount::FromRaw(raw);
    } else {
      settings.diff.balance_tolerance.emplace(asset, Amount::FromRaw(raw));
    }
  }
  return settings;
}

}  // namespace tradeplane::reconciliation
