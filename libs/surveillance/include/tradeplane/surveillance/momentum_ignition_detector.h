// Momentum ignition: a burst of aggressive orders by one participant that
// moves the price, followed by the same participant's trades the other way
// (closing out into the move it started).
//
// Logic, per participant and instrument:
//   - burst: at least min_burst_trades aggressive fills on one side within
//     burst_window_ms whose furthest price is min_move_bps or more away (in
//     the burst's direction) from the reference price (the midpoint) when the
//     first of them arrived;
//   - reversal: within reversal_window_ms after the burst's last fill, fills
//     of the same participant on the other side (passive or aggressive)
//     adding up to min_reversal_ratio of the burst's size, at an average
//     price beyond the reference (the move paid). Then it fires.
// A burst that is not reversed (ordinary momentum or a large order being
// worked) raises nothing.
// Indicator: MAR Annex I A(d) and A(e); Delegated Regulation (EU) 2016/522
// Annex II Section 1 point 4(e).
#ifndef TRADEPLANE_SURVEILLANCE_MOMENTUM_IGNITION_DETECTOR_H_
#define TRADEPLANE_SURVEILLANCE_MOMENTUM_IGNITION_DETECTOR_H_

#include <array>
#include <map>
#include <span>
#include <string>

#include "tradeplane/surveillance/detector.h"
#include "tradeplane/surveillance/ring_buffer.h"

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"

namespace tradeplane::surveillance {

struct MomentumIgnitionParams {
  Duration burst_window{std::chrono::milliseconds(5000)};
  double min_burst_trades = 4;
  double min_move_bps = 10;
  Duration reversal_window{std::chrono::milliseconds(60'000)};
  double min_reversal_ratio = 0.5;
  bool include_unknown = false;

  static std::span<const ParamSpec> Specs();
  static absl::StatusOr<MomentumIgnitionParams> FromMap(
      const std::map<std::string, double>& params);
};

class MomentumIgnitionDetector final : public Detector {
 public:
  MomentumIgnitionDetector(const MomentumIgnitionParams& params,
                           const ParticipantTable* participants);

  AlertType type() const override { return v1::ALERT_TYPE_MOMENTUM_IGNITION; }
  void OnEvent(const Event& event, const MarketState& market, AlertSink& sink) override;
  void Reset() override;

 private:
  static constexpr size_t kIds = 16;  // evidence ids kept per burst and reversal
  struct AggressiveFill {
    Timestamp time;
    Price price;
    Quantity qty;
    Price reference;  // the midpoint when it arrived
    uint64_t order_id = 0;
    uint64_t fill_id = 0;
  };
  struct IdList {
    std::array<uint64_t, kIds> orders{};
    std::array<uint64_t, kIds> fills{};
    size_t size = 0;
    void Add(uint64_t order_id, uint64_t fill_id) {
      if (size == kIds) return;
      orders[size] = order_id;
      fills[size] = fill_id;
      ++size;
    }
  };
  struct Episode {
    bool active = false;
    Side side = common::v1::SIDE_UNSPECIFIED;
    Timestamp start;
    Timestamp end;
    Price reference;
    Price peak;
    Quantity burst_qty;
    uint32_t burst_trades = 0;
    double move_bps = 0;
    Quantity reversal_qty;
    double reversal_notional = 0;  // price x qty, for the average (indicator)
    IdList burst_ids;
    IdList reversal_ids;
  };
  struct SubjectState {
    RingBuffer<AggressiveFill> aggressive[2];  // by side
    Episode episode;
  };

  void Raise(const Event& trigger, const Episode& episode, AlertSink& sink) const;

  MomentumIgnitionParams params_;
  const ParticipantTable* participants_;
  absl::flat_hash_map<uint64_t, SubjectState> subjects_;  // by SubjectKey
};

}  // namespace tradeplane::surveillance

#endif  // TRADEPLANE_SURVEILLANCE_MOMENTUM_IGNITION_DETECTOR_H_
