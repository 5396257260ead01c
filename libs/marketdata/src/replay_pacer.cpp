#include "tradeplane/marketdata/replay_pacer.h"

#include <algorithm>
#include <cmath>

#include "tradeplane/core/str_cat.h"

namespace tradeplane::marketdata {

absl::StatusOr<ReplayPacer> ReplayPacer::Create(const ReplayPacerOptions& options) {
  if (!std::isfinite(options.speed) || options.speed < 0) {
    return absl::InvalidArgumentError(
        StrCat("replay speed must be 0 (as fast as possible) or positive, got ", options.speed));
  }
  if (options.start && options.end && *options.end <= *options.start) {
    return absl::InvalidArgumentError(StrCat("replay end ", FormatRfc3339(*options.end),
                                             " is not after its start ",
                                             FormatRfc3339(*options.start)));
  }
  return ReplayPacer(options);
}

PacingDecision ReplayPacer::Next(Timestamp event_time, Timestamp now) {
  if (stopped_ || (options_.end && event_time >= *options_.end)) {
    stopped_ = true;
    return PacingDecision{PacingAction::kStop, Duration(0)};
  }
  if (options_.start && event_time < *options_.start) {
    return PacingDecision{PacingAction::kSkip, Duration(0)};
  }
  if (!anchored_) {
    anchored_ = true;
    anchor_event_ = event_time;
    anchor_now_ = now;
    return PacingDecision{PacingAction::kDeliver, Duration(0)};
  }
  if (options_.speed == 0) return PacingDecision{PacingAction::kDeliver, Duration(0)};
  int64_t recorded_ns = (event_time - anchor_event_).count();
  // A double holds every whole nanosecond count below 2^53 (104 days) exactly.
  int64_t scaled_ns = recorded_ns;
  if (options_.speed != 1) {
    // Held within +-1e18 ns (31 years) so that a tiny speed cannot overflow.
    double scaled = std::clamp(static_cast<double>(recorded_ns) / options_.speed, -1e18, 1e18);
    scaled_ns = static_cast<int64_t>(std::llround(scaled));
  }
  Timestamp due = anchor_now_ + Duration(scaled_ns);
  Duration wait = due > now ? due - now : Duration(0);
  return PacingDecision{PacingAction::kDeliver, wait};
}

}  // namespace tradeplane::marketdata
