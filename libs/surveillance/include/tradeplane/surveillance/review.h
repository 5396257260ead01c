// Offline review: every detector over a recorded sequence of events, so a
// command (tradeplane-sentinel review) only reads a file and prints.
#ifndef TRADEPLANE_SURVEILLANCE_REVIEW_H_
#define TRADEPLANE_SURVEILLANCE_REVIEW_H_

#include <optional>
#include <span>
#include <vector>

#include "tradeplane/surveillance/alert.h"
#include "tradeplane/surveillance/event.h"
#include "tradeplane/surveillance/participant_table.h"
#include "tradeplane/surveillance/surveillance_engine.h"
#include "tradeplane/surveillance/tape_statistics.h"

#include "absl/status/statusor.h"

namespace tradeplane::surveillance {

struct ReviewResult {
  std::vector<Alert> alerts;  // in the order they were raised
  std::vector<TapeStatisticsRecord> tape_statistics;
  EngineCounters counters;
};

// Runs a fresh engine over `events` (in time order; an event out of order is
// refused with its index) and finishes at `end` (default: the last event's
// time; pass the session's end when the data stops just before a close).
absl::StatusOr<ReviewResult> Review(std::span<const Event> events, const EngineConfig& config,
                                    ParticipantTable* participants,
                                    std::optional<Timestamp> end = std::nullopt);

}  // namespace tradeplane::surveillance

#endif  // TRADEPLANE_SURVEILLANCE_REVIEW_H_
