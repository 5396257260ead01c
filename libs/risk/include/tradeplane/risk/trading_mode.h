// The global trading mode and how it may change.
//
// Modes, from loosest to strictest: ACTIVE, REDUCING (only orders that reduce
// exposure), PAUSED (no new orders), HALTED (kill switch). Rules:
//  - A person (an operator name from the admin plane) may request any mode,
//    with a reason. Requests to the mode already in force are refused.
//  - Leaving HALTED for a looser mode with four-eyes on: the first request
//    becomes pending; a second, different operator requesting the same mode
//    within the confirmation window completes it (the record names both). A
//    request for another mode replaces the pending one; an expired pending
//    request is dropped.
//  - Breakers only tighten: a trip to a mode no stricter than the current one
//    changes nothing. Breakers never loosen.
//  - At start, a mode restored from the store is taken as is (never silently
//    ACTIVE); with nothing stored, or without the store, the mode is PAUSED.
// Every change yields a ModeChange (who or what, when, why) for the service
// to persist and publish. Pure: time comes in as arguments.
#ifndef TRADEPLANE_RISK_TRADING_MODE_H_
#define TRADEPLANE_RISK_TRADING_MODE_H_

#include <optional>
#include <string_view>

#include "tradeplane/core/timestamp.h"
#include "tradeplane/risk/v1/risk.pb.h"

#include "absl/status/statusor.h"

namespace tradeplane::risk {

// 0 ACTIVE, 1 REDUCING, 2 PAUSED, 3 HALTED; -1 for UNSPECIFIED or unknown.
int Strictness(v1::TradingMode mode);

// Actors that are not people: breakers ("breaker:<name>") and the service
// itself. Operator names may not take these forms.
inline constexpr std::string_view kBreakerActorPrefix = "breaker:";
inline constexpr std::string_view kSystemActor = "system";

struct ModeOptions {
  bool four_eyes = true;  // leaving HALTED needs a second operator
  // How long a pending four-eyes request waits; zero = until replaced.
  Duration confirmation_window = std::chrono::minutes(15);
};

struct ModeRequestResult {
  bool applied = false;  // false: pending, waiting for a second operator
  // The change made, or (pending) the request waiting: mode = requested,
  // previous = current, actor = first operator.
  v1::ModeChange change;
};

class TradingModeController {
 public:
  // `stored` is the last ModeChange the store holds; its mode is taken as is.
  // Without one (first start) the mode is PAUSED and `start_change()` holds
  // the record to persist.
  static TradingModeController FromStore(const std::optional<v1::ModeChange>& stored,
                                         ModeOptions options, Timestamp now);
  // The store could not be read: PAUSED, with a record saying so.
  static TradingModeController WithoutStore(ModeOptions options, Timestamp now);

  v1::TradingMode mode() const { return last_change_.mode(); }
  const v1::ModeChange& last_change() const { return last_change_; }
  // A record made at start (PAUSED for want of a stored mode), to persist.
  const std::optional<v1::ModeChange>& start_change() const { return start_change_; }
  // The four-eyes request waiting for its second operator, if any.
  const std::optional<v1::ModeChange>& pending() const { return pending_; }
  const ModeOptions& options() const { return options_; }
  void set_options(ModeOptions options) { options_ = options; }

  // A person's request. Errors: no operator name or reason, a reserved
  // operator name, an UNSPECIFIED or unknown mode, the mode already in force,
  // the same operator confirming their own request.
  absl::StatusOr<ModeRequestResult> Request(v1::TradingMode target, std::string_view operator_name,
                                            std::string_view reason, Timestamp now);
  // A breaker's trip; `breaker` is its name (the actor is "breaker:<name>").
  // Returns the change, or nullopt when `target` is not stricter than now.
  std::optional<v1::ModeChange> Tighten(v1::TradingMode target, std::string_view breaker,
                                        std::string_view reason, Timestamp now);

 private:
  TradingModeController(ModeOptions options, v1::ModeChange last)
      : options_(options), last_change_(std::move(last)) {}
  v1::ModeChange Apply(v1::TradingMode target, std::string_view actor, std::string_view reason,
                       std::string_view confirmed_by, Timestamp now);

  ModeOptions options_;
  v1::ModeChange last_change_;
  std::optional<v1::ModeChange> start_change_;
  std::optional<v1::ModeChange> pending_;
};

}  // namespace tradeplane::risk

#endif  // TRADEPLANE_RISK_TRADING_MODE_H_
