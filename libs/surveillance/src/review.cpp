#include "tradeplane/surveillance/review.h"

#include "tradeplane/core/str_cat.h"

namespace tradeplane::surveillance {

absl::StatusOr<ReviewResult> Review(std::span<const Event> events, const EngineConfig& config,
                                    ParticipantTable* participants, std::optional<Timestamp> end) {
  absl::StatusOr<std::unique_ptr<SurveillanceEngine>> engine =
      SurveillanceEngine::Create(config, participants);
  if (!engine.ok()) return engine.status();
  for (size_t i = 0; i < events.size(); ++i) {
    absl::Status status = (*engine)->OnEvent(events[i]);
    if (!status.ok()) {
      return absl::InvalidArgumentError(StrCat("event ", i, ": ", status.message()));
    }
  }
  Timestamp finish = end.value_or(events.empty() ? Timestamp() : events.back().time);
  (*engine)->Finish(finish);
  ReviewResult result;
  result.alerts = (*engine)->TakeAlerts();
  result.tape_statistics = (*engine)->tape_statistics();
  result.counters = (*engine)->counters();
  return result;
}

}  // namespace tradeplane::surveillance
