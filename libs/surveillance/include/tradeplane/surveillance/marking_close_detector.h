// Marking the close (ramping into the reference price): a participant's
// aggressive trades concentrated in the final minutes of the session that
// move the closing price their way.
//
// The session closes every day at close_time_utc_s seconds after midnight
// UTC; the closing price is the last public trade before it, and the
// reference the last public trade before the final window (window_s before
// the close). At the close, for each participant and instrument with
// aggressive fills in the final window, it fires when all hold:
//   - the participant's aggressive size in the window is at least
//     min_volume_share of the public volume there;
//   - the close moved at least min_move_bps from the reference, in the
//     direction of the participant's net aggressive flow;
//   - at least min_concentration of the participant's aggressive size since
//     the previous close fell in the final window.
// The close is evaluated on the first event at or after it, or by Finish.
// Indicator: MAR Annex I A(g); Delegated Regulation (EU) 2016/522 Annex II
// Section 1 point 6(a).
#ifndef TRADEPLANE_SURVEILLANCE_MARKING_CLOSE_DETECTOR_H_
#define TRADEPLANE_SURVEILLANCE_MARKING_CLOSE_DETECTOR_H_

#include <array>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "tradeplane/surveillance/detector.h"

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"

namespace tradeplane::surveillance {

struct MarkingCloseParams {
  Duration close_time_of_day{0};  // after midnight UTC
  Duration window{std::chrono::seconds(300)};
  double min_volume_share = 0.2;
  double min_move_bps = 10;
  double min_concentration = 0.5;
  bool include_unknown = false;

  static std::span<const ParamSpec> Specs();
  static absl::StatusOr<MarkingCloseParams> FromMap(const std::map<std::string, double>& params);
};

class MarkingCloseDetector final : public Detector {
 public:
  MarkingCloseDetector(const MarkingCloseParams& params, const ParticipantTable* participants);

  AlertType type() const override { return v1::ALERT_TYPE_MARKING_THE_CLOSE; }
  void OnEvent(const Event& event, const MarketState& market, AlertSink& sink) override;
  void Finish(Timestamp end, const MarketState& market, AlertSink& sink) override;
  void Reset() override;

  // The first close strictly after `t`.
  Timestamp NextCloseAfter(Timestamp t) const;

 private:
  static constexpr size_t kIds = 32;
  struct InstrumentSession {
    Price before_window;  // last trade before the final window
    Price last;           // last trade of the session so far
    Timestamp last_time;
    Quantity window_volume;
  };
  struct SubjectSession {
    Quantity session_aggressive;
    Quantity window_buy;
    Quantity window_sell;
    uint32_t window_trades = 0;
    Timestamp first_in_window;
    std::array<uint64_t, kIds> order_ids{};
    std::array<uint64_t, kIds> fill_ids{};
    size_t ids = 0;
    bool listed = false;  // in active_
  };

  void CloseSession(AlertSink& sink);
  void EvaluateSubject(uint64_t key, const SubjectSession& subject, AlertSink& sink) const;

  MarkingCloseParams params_;
  const ParticipantTable* participants_;
  Timestamp next_close_;  // zero until the first event
  std::vector<InstrumentSession> instruments_;
  absl::flat_hash_map<uint64_t, SubjectSession> subjects_;  // by SubjectKey
  std::vector<uint64_t> active_;  // subjects with aggressive fills in the final window
};

}  // namespace tradeplane::surveillance

#endif  // TRADEPLANE_SURVEILLANCE_MARKING_CLOSE_DETECTOR_H_
