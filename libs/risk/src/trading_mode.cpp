#include "tradeplane/risk/trading_mode.h"

#include <string>

#include "tradeplane/core/enum_names.h"
#include "tradeplane/core/str_cat.h"

#include "absl/status/status.h"

namespace tradeplane::risk {
namespace {

v1::ModeChange StartRecord(std::string_view reason, Timestamp now) {
  v1::ModeChange change;
  change.set_mode(v1::TRADING_MODE_PAUSED);
  change.set_previous(v1::TRADING_MODE_UNSPECIFIED);
  change.set_actor(std::string(kSystemActor));
  change.set_reason(std::string(reason));
  change.set_changed_ns(now.nanos());
  return change;
}

}  // namespace

int Strictness(v1::TradingMode mode) {
  switch (mode) {
    case v1::TRADING_MODE_ACTIVE:
      return 0;
    case v1::TRADING_MODE_REDUCING:
      return 1;
    case v1::TRADING_MODE_PAUSED:
      return 2;
    case v1::TRADING_MODE_HALTED:
      return 3;
    default:
      return -1;
  }
}

TradingModeController TradingModeController::FromStore(const std::optional<v1::ModeChange>& stored,
                                                       ModeOptions options, Timestamp now) {
  if (stored.has_value() && Strictness(stored->mode()) >= 0) {
    return TradingModeController(options, *stored);
  }
  std::string reason = stored.has_value()
                           ? StrCat("the stored mode (", static_cast<int>(stored->mode()),
                                    ") is not a trading mode: starting PAUSED")
                           : std::string("no trading mode stored yet: starting PAUSED");
  v1::ModeChange start = StartRecord(reason, now);
  TradingModeController controller(options, start);
  controller.start_change_ = start;
  return controller;
}

TradingModeController TradingModeController::WithoutStore(ModeOptions options, Timestamp now) {
  v1::ModeChange start =
      StartRecord("started without the database: the stored mode is unknown, starting PAUSED", now);
  TradingModeController controller(options, start);
  controller.start_change_ = start;
  return controller;
}

v1::ModeChange TradingModeController::Apply(v1::TradingMode target, std::string_view actor,
                                            std::string_view reason, std::string_view confirmed_by,
                                            Timestamp now) {
  v1::ModeChange change;
  change.set_mode(target);
  change.set_previous(mode());
  change.set_actor(std::string(actor));
  change.set_reason(std::string(reason));
  change.set_changed_ns(now.nanos());
  change.set_confirmed_by(std::string(confirmed_by));
  last_change_ = change;
  pending_.reset();  // a change of mode voids whatever waited for the old one
  return change;
}

absl::StatusOr<ModeRequestResult> TradingModeController::Request(v1::TradingMode target,
                                                                 std::string_view operator_name,
                                                                 std::string_view reason,
                                                                 Timestamp now) {
  if (operator_name.empty()) {
    return absl::InvalidArgumentError("a mode request needs the operator's name");
  }
  if (operator_name.starts_with(kBreakerActorPrefix) || operator_name == kSystemActor) {
    return absl::InvalidArgumentError(
        StrCat("operator name '", operator_name, "' is reserved for breakers and the service"));
  }
  if (reason.empty()) return absl::InvalidArgumentError("a mode request needs a reason");
  if (Strictness(target) < 0) {
    return absl::InvalidArgumentError(
        StrCat("requested mode ", static_cast<int>(target),
               " is not a trading mode (ACTIVE, REDUCING, PAUSED or HALTED)"));
  }
  if (target == mode()) {
    return absl::FailedPreconditionError(
        StrCat("the trading mode is already ", ShortEnumName(target)));
  }
  if (pending_.has_value() && options_.confirmation_window.count() > 0 &&
      now - Timestamp::FromNanos(pending_->changed_ns()) > options_.confirmation_window) {
    pending_.reset();
  }
  bool needs_second = options_.four_eyes && mode() == v1::TRADING_MODE_HALTED &&
                      Strictness(target) < Strictness(mode());
  ModeRequestResult result;
  if (!needs_second) {
    result.applied = true;
    result.change = Apply(target, operator_name, reason, "", now);
    return result;
  }
  if (pending_.has_value() && pending_->mode() == target) {
    if (pending_->actor() == operator_name) {
      return absl::FailedPreconditionError(
          StrCat(operator_name, " already requested ", ShortEnumName(target),
                 ": leaving HALTED needs a second, different operator to confirm"));
    }
    std::string first = pending_->actor();
    std::string first_reason = pending_->reason();
    result.applied = true;
    result.change = Apply(target, first, StrCat(first_reason, " (confirmed: ", reason, ")"),
                          operator_name, now);
    return result;
  }
  v1::ModeChange waiting;
  waiting.set_mode(target);
  waiting.set_previous(mode());
  waiting.set_actor(std::string(operator_name));
  waiting.set_reason(std::string(reason));
  waiting.set_changed_ns(now.nanos());
  pending_ = waiting;
  result.applied = false;
  result.change = waiting;
  return result;
}

std::optional<v1::ModeChange> TradingModeController::Tighten(v1::TradingMode target,
                                                             std::string_view breaker,
                                                             std::string_view reason,
                                                             Timestamp now) {
  if (Strictness(target) <= Strictness(mode())) return std::nullopt;
  return Apply(target, StrCat(kBreakerActorPrefix, breaker), reason, "", now);
}

}  // namespace tradeplane::risk
