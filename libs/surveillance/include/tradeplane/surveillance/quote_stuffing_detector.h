// Quote stuffing: bursts of order submissions and cancellations by one
// participant in one instrument, far above a normal message rate, with few
// executions.
//
// Logic: a sliding window of window_ms holds the participant's submits,
// cancels and fills; it fires when submits + cancels reach min_messages while
// fills per submit stay at or below max_fill_ratio. After firing, the
// participant is not evaluated again for one window (the engine also
// de-duplicates).
// Indicator: MAR Annex I A(f); Delegated Regulation (EU) 2016/522 Annex II
// Section 1 point 4(c).
#ifndef TRADEPLANE_SURVEILLANCE_QUOTE_STUFFING_DETECTOR_H_
#define TRADEPLANE_SURVEILLANCE_QUOTE_STUFFING_DETECTOR_H_

#include <map>
#include <span>
#include <string>

#include "tradeplane/surveillance/detector.h"
#include "tradeplane/surveillance/ring_buffer.h"

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"

namespace tradeplane::surveillance {

struct QuoteStuffingParams {
  Duration window{std::chrono::milliseconds(1000)};
  double min_messages = 100;     // submits + cancels within the window
  double max_fill_ratio = 0.02;  // fills per submit within the window
  bool include_unknown = false;

  static std::span<const ParamSpec> Specs();
  static absl::StatusOr<QuoteStuffingParams> FromMap(const std::map<std::string, double>& params);
};

class QuoteStuffingDetector final : public Detector {
 public:
  QuoteStuffingDetector(const QuoteStuffingParams& params, const ParticipantTable* participants);

  AlertType type() const override { return v1::ALERT_TYPE_QUOTE_STUFFING; }
  void OnEvent(const Event& event, const MarketState& market, AlertSink& sink) override;
  void Reset() override;

 private:
  enum class Message : uint8_t { kSubmit, kCancel, kFill };
  struct Entry {
    Timestamp time;
    Message message = Message::kSubmit;
    uint64_t order_id = 0;
  };
  struct SubjectState {
    RingBuffer<Entry> window;
    uint32_t submits = 0;
    uint32_t cancels = 0;
    uint32_t fills = 0;
    Timestamp quiet_until;  // no evaluation before this (after an alert)
  };

  void Raise(const Event& trigger, const SubjectState& state, AlertSink& sink) const;

  QuoteStuffingParams params_;
  const ParticipantTable* participants_;
  absl::flat_hash_map<uint64_t, SubjectState> subjects_;  // by SubjectKey
};

}  // namespace tradeplane::surveillance

#endif  // TRADEPLANE_SURVEILLANCE_QUOTE_STUFFING_DETECTOR_H_
