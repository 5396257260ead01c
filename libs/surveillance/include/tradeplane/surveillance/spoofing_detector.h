// Spoofing and layering: one order, or several at consecutive price levels,
// large relative to the displayed depth, placed passively on one side at or
// behind the touch and cancelled within a short time, while the same
// participant trades on the other side.
//
// Logic, per participant and instrument:
//   - a passive order within max_distance_bps of its side's touch is a
//     candidate, remembered with the displayed depth of its side when it
//     arrived (the last book update before its submit, which does not show
//     it yet) for max_order_lifetime_ms: an older order can no longer be a
//     quick cancel, so memory stays bounded by the order rate;
//   - a candidate withdrawn within max_order_lifetime_ms of its submission is
//     a quick cancel;
//   - the quick cancels of one side whose life (submission to cancel plus
//     opposite_fill_window_ms) contains a fill of the participant on the
//     other side form an episode; its size is the largest total it had
//     resting at one instant (layered orders add up, orders replaced one
//     after another do not), and it fires when that size over the depth
//     before its first order reaches min_size_to_depth.
// The participant's order-to-trade and cancel-to-submit ratios over the last
// ratio_window_s go into the evidence.
// Indicator: MAR Annex I A(f); Delegated Regulation (EU) 2016/522 Annex II
// Section 1 point 5(e).
#ifndef TRADEPLANE_SURVEILLANCE_SPOOFING_DETECTOR_H_
#define TRADEPLANE_SURVEILLANCE_SPOOFING_DETECTOR_H_

#include <map>
#include <span>
#include <string>

#include "tradeplane/surveillance/detector.h"
#include "tradeplane/surveillance/ring_buffer.h"

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"

namespace tradeplane::surveillance {

struct SpoofingParams {
  Duration max_order_lifetime{std::chrono::milliseconds(10'000)};
  double min_size_to_depth = 0.5;
  double max_distance_bps = 50;
  Duration opposite_fill_window{std::chrono::milliseconds(2'000)};
  Duration ratio_window{std::chrono::seconds(60)};
  bool include_unknown = false;

  static std::span<const ParamSpec> Specs();
  static absl::StatusOr<SpoofingParams> FromMap(const std::map<std::string, double>& params);
};

class SpoofingDetector final : public Detector {
 public:
  SpoofingDetector(const SpoofingParams& params, const ParticipantTable* participants);

  AlertType type() const override { return v1::ALERT_TYPE_SPOOFING_LAYERING; }
  void OnEvent(const Event& event, const MarketState& market, AlertSink& sink) override;
  void Reset() override;

 private:
  struct Candidate {
    Side side = common::v1::SIDE_UNSPECIFIED;
    Price price;
    Quantity open_qty;
    Timestamp submitted;
    Quantity depth_before;  // displayed depth of its side when it arrived
    double distance_bps = 0;
  };
  struct QuickCancel {
    uint64_t order_id = 0;
    Timestamp submitted;
    Timestamp cancelled;
    Price price;
    Quantity qty;
    Quantity depth_before;
    double distance_bps = 0;
  };
  struct OwnFill {
    Timestamp time;
    uint64_t order_id = 0;
    uint64_t fill_id = 0;
    Price price;
    Quantity qty;
  };
  enum class Activity : uint8_t { kSubmit, kCancel, kFill };
  struct ActivityEntry {
    Timestamp time;
    Activity activity = Activity::kSubmit;
  };
  struct YoungOrder {
    Timestamp submitted;
    uint64_t order_id = 0;
  };
  struct SubjectState {
    RingBuffer<YoungOrder> young;  // candidates by submission time, for expiry
    RingBuffer<QuickCancel> quick_cancels[2];
    RingBuffer<OwnFill> fills[2];
    RingBuffer<ActivityEntry> activity;
    uint32_t submits = 0;  // in `activity`
    uint32_t cancels = 0;
    uint32_t fills_count = 0;
  };
  struct OrderKey {
    InstrumentIndex instrument;
    uint64_t order_id;
    friend bool operator==(const OrderKey&, const OrderKey&) = default;
    template <typename H>
    friend H AbslHashValue(H h, const OrderKey& k) {
      return H::combine(std::move(h), k.instrument, k.order_id);
    }
  };

  void OnSubmit(const Event& event, const MarketState& market, SubjectState& state);
  void ExpireCandidates(SubjectState& state, InstrumentIndex instrument, Timestamp now);
  void OnCancel(const Event& event, SubjectState& state, AlertSink& sink);
  void OnFill(const Event& event, SubjectState& state, AlertSink& sink);
  void Record(SubjectState& state, Timestamp now, Activity activity);
  void Expire(SubjectState& state, Timestamp now);
  // Raises when side `spoof_side`'s quick cancels and the other side's fills
  // form an episode.
  void Evaluate(const Event& trigger, Side spoof_side, SubjectState& state, AlertSink& sink);

  SpoofingParams params_;
  const ParticipantTable* participants_;
  absl::flat_hash_map<OrderKey, Candidate> candidates_;   // younger than max_order_lifetime
  absl::flat_hash_map<uint64_t, SubjectState> subjects_;  // by SubjectKey
};

}  // namespace tradeplane::surveillance

#endif  // TRADEPLANE_SURVEILLANCE_SPOOFING_DETECTOR_H_
