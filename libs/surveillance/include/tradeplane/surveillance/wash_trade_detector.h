// Wash trades and self-trades: a buy and a sell in the same instrument that
// change no beneficial ownership.
//
// Two ways to see one:
//   - matched: a fill whose counterparty the venue reports belongs to the
//     same beneficial owner as the participant (self-trade, or two accounts
//     or strategies of one firm trading with each other);
//   - inferred (the venue does not name the counterparty): opposite fills of
//     one owner in one instrument at the same or a near price and size within
//     a short window, one taking and one providing liquidity (two passive or
//     two aggressive fills cannot have met each other). Fills of one and the
//     same participant must be closer in time (same_participant_window_ms):
//     a market maker that takes and then re-offers within a second is not
//     trading with itself.
// Indicator: MAR Annex I A(c); Delegated Regulation (EU) 2016/522 Annex II
// Section 1 point 3(a).
#ifndef TRADEPLANE_SURVEILLANCE_WASH_TRADE_DETECTOR_H_
#define TRADEPLANE_SURVEILLANCE_WASH_TRADE_DETECTOR_H_

#include <map>
#include <span>
#include <string>

#include "tradeplane/surveillance/detector.h"
#include "tradeplane/surveillance/ring_buffer.h"

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"

namespace tradeplane::surveillance {

struct WashTradeParams {
  Duration match_window{std::chrono::milliseconds(1000)};
  Duration same_participant_window{std::chrono::milliseconds(10)};
  double price_tolerance_bps = 2;
  double qty_tolerance = 0.05;  // |q1 - q2| / max(q1, q2)
  bool include_unknown = false;

  static std::span<const ParamSpec> Specs();
  static absl::StatusOr<WashTradeParams> FromMap(const std::map<std::string, double>& params);
};

class WashTradeDetector final : public Detector {
 public:
  // `participants` gives beneficial owners and names; it must outlive the
  // detector.
  WashTradeDetector(const WashTradeParams& params, const ParticipantTable* participants);

  AlertType type() const override { return v1::ALERT_TYPE_WASH_TRADE; }
  void OnEvent(const Event& event, const MarketState& market, AlertSink& sink) override;
  void Reset() override;

 private:
  struct RecentFill {
    Timestamp time;
    ParticipantId participant = kUnknownParticipant;
    Side side = common::v1::SIDE_UNSPECIFIED;
    Aggression aggression = Aggression::kUnknown;
    bool counterparty_known = false;
    bool matched = false;
    Price price;
    Quantity qty;
    uint64_t order_id = 0;
    uint64_t fill_id = 0;
  };
  struct OwnerState {
    RingBuffer<RecentFill> fills;  // the owner's fills of the last match_window
  };

  bool CanHaveMet(const RecentFill& earlier, const Event& fill) const;
  void RaiseMatched(const Event& fill, ParticipantId owner, AlertSink& sink);
  void RaiseInferred(const RecentFill& earlier, const Event& fill, ParticipantId owner,
                     AlertSink& sink);

  WashTradeParams params_;
  const ParticipantTable* participants_;
  absl::flat_hash_map<uint64_t, OwnerState> owners_;  // by SubjectKey(owner, instrument)
};

}  // namespace tradeplane::surveillance

#endif  // TRADEPLANE_SURVEILLANCE_WASH_TRADE_DETECTOR_H_
