// The simulator's one timeline of market events: every replay source merged
// by time, each shifted so that its first event falls at the timeline's
// origin (recordings of different days start together), and, with `loop`,
// started again after the last event: the next pass is shifted past the end
// of the previous one (plus one second), so the timeline never goes back;
// the replayed books are emptied at the start of a pass (our orders stay).
// Ties between sources go to the source listed first, so a timeline is the
// same on every run. Pacing is the caller's (Simulation). Thread-compatible.
#ifndef TRADEPLANE_SERVICES_VENUE_SIM_REPLAY_DRIVER_H_
#define TRADEPLANE_SERVICES_VENUE_SIM_REPLAY_DRIVER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "tradeplane/core/timestamp.h"

#include "replay_source.h"

namespace tradeplane::venue_sim {

class ReplayDriver {
 public:
  // `origin`: where the timeline starts; nullopt: the earliest first event.
  ReplayDriver(std::vector<std::unique_ptr<ReplaySource>> sources, bool loop,
               std::optional<Timestamp> origin, ReplayTarget& target);

  // Positions every source on its first event. Call once before the rest.
  void Start();

  bool has_event() const { return next_ >= 0; }
  // The next event's time on the timeline.
  Timestamp next_time() const { return next_time_; }
  // Sends the next event to the target; starts the next pass when looping.
  void DeliverNext();

  Timestamp origin() const { return origin_; }
  uint64_t delivered() const { return delivered_; }
  uint32_t pass() const { return pass_; }
  size_t source_count() const { return sources_.size(); }

 private:
  void Choose();
  void StartPass();

  std::vector<std::unique_ptr<ReplaySource>> sources_;
  std::vector<Duration> shifts_;  // recorded time -> timeline, this pass
  bool loop_;
  std::optional<Timestamp> requested_origin_;
  ReplayTarget& target_;
  Timestamp origin_;
  Timestamp pass_end_;  // the latest event time of this pass on the timeline
  int next_ = -1;       // the source holding the next event, -1 when none
  Timestamp next_time_;
  uint64_t delivered_ = 0;
  uint32_t pass_ = 0;
};

}  // namespace tradeplane::venue_sim

#endif  // TRADEPLANE_SERVICES_VENUE_SIM_REPLAY_DRIVER_H_
