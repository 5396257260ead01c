// Pacing of a recorded-data replay: given each event's recorded time and the
// caller's clock, says whether to skip, deliver or stop, and how long to wait
// before delivering. Pure: the caller reads its clock, sleeps and delivers.
//
// The first delivered event anchors the schedule (it is due at once); event e
// is then due at anchor_now + (e.time - anchor_time) / speed. An event whose
// due time has passed (the caller is behind, or the recording goes backwards
// in time) is due at once: the schedule never moves, so a slow consumer
// catches up instead of drifting. Reanchor() restarts the schedule, e.g.
// after a pause.
#ifndef TRADEPLANE_MARKETDATA_REPLAY_PACER_H_
#define TRADEPLANE_MARKETDATA_REPLAY_PACER_H_

#include <cstdint>
#include <optional>

#include "tradeplane/core/timestamp.h"

#include "absl/status/statusor.h"

namespace tradeplane::marketdata {

struct ReplayPacerOptions {
  // 0: as fast as possible; 1: real time; N: N times real time (0.5 = half speed).
  double speed = 1.0;
  std::optional<Timestamp> start;  // events before it are skipped
  std::optional<Timestamp> end;    // the first event at or after it stops the replay
};

enum class PacingAction : uint8_t { kSkip, kDeliver, kStop };

struct PacingDecision {
  PacingAction action = PacingAction::kDeliver;
  Duration wait{0};  // for kDeliver: how long to wait before delivering
};

class ReplayPacer {
 public:
  // Refuses a negative or non-finite speed and an end not after the start.
  static absl::StatusOr<ReplayPacer> Create(const ReplayPacerOptions& options);

  // `event_time` from the recording; `now` from the caller's (monotonic) clock.
  PacingDecision Next(Timestamp event_time, Timestamp now);

  void Reanchor() { anchored_ = false; }
  // False when replaying as fast as possible: `now` is then never read, and
  // the caller may skip reading its clock.
  bool needs_clock() const { return options_.speed != 0; }
  bool stopped() const { return stopped_; }

 private:
  explicit ReplayPacer(const ReplayPacerOptions& options) : options_(options) {}

  ReplayPacerOptions options_;
  bool anchored_ = false;
  bool stopped_ = false;
  Timestamp anchor_event_;
  Timestamp anchor_now_;
};

}  // namespace tradeplane::marketdata

#endif  // TRADEPLANE_MARKETDATA_REPLAY_PACER_H_
