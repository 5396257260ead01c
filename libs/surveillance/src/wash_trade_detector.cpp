#include "tradeplane/surveillance/wash_trade_detector.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "tradeplane/core/str_cat.h"

#include "number_text.h"
#include "subject_key.h"

namespace tradeplane::surveillance {
namespace {

constexpr std::array<ParamSpec, 5> kSpecs = {{
    {"match_window_ms", 1000, 0, 3'600'000,
     "ms: opposite fills of one owner at most this far apart can be one wash trade"},
    {"same_participant_window_ms", 10, 0, 3'600'000,
     "ms: the same window for two fills of one and the same participant"},
    {"price_tolerance_bps", 2, 0, 10'000, "bps: the two prices may differ by this much"},
    {"qty_tolerance", 0.05, 0, 1, "fraction: |q1 - q2| / max(q1, q2) at most this"},
    {"include_unknown", 0, 0, 1, "1: treat fills without a participant as one participant"},
}};

Duration Millis(double ms) { return Duration(static_cast<int64_t>(std::llround(ms * 1e6))); }

double QtyDifference(Quantity a, Quantity b) {
  double x = static_cast<double>(a.raw());
  double y = static_cast<double>(b.raw());
  double larger = std::max(x, y);
  return larger > 0 ? std::fabs(x - y) / larger : 0;
}

// Relative to the lower price, so the order of the two does not matter.
double PriceDifferenceBps(Price a, Price b) { return DiffBps(std::max(a, b), std::min(a, b)); }

}  // namespace

std::span<const ParamSpec> WashTradeParams::Specs() { return kSpecs; }

absl::StatusOr<WashTradeParams> WashTradeParams::FromMap(
    const std::map<std::string, double>& params) {
  std::array<double, kSpecs.size()> v{};
  absl::Status status = ReadParams("wash_trade", kSpecs, params, v);
  if (!status.ok()) return status;
  WashTradeParams p;
  p.match_window = Millis(v[0]);
  p.same_participant_window = Millis(v[1]);
  p.price_tolerance_bps = v[2];
  p.qty_tolerance = v[3];
  p.include_unknown = v[4] != 0;
  return p;
}

WashTradeDetector::WashTradeDetector(const WashTradeParams& params,
                                     const ParticipantTable* participants)
    : params_(params), participants_(participants) {}

void WashTradeDetector::Reset() { owners_.clear(); }

bool WashTradeDetector::CanHaveMet(const RecentFill& earlier, const Event& fill) const {
  if (earlier.matched || earlier.counterparty_known) return false;
  if (earlier.side == fill.side) return false;
  // One side took liquidity and the other provided it, or the venue did not
  // say which.
  if (earlier.aggression != Aggression::kUnknown && earlier.aggression == fill.aggression) {
    return false;
  }
  Duration gap = fill.time - earlier.time;
  if (earlier.participant == fill.participant && gap > params_.same_participant_window) {
    return false;
  }
  if (gap > params_.match_window) return false;
  if (PriceDifferenceBps(earlier.price, fill.price) > params_.price_tolerance_bps) return false;
  return QtyDifference(earlier.qty, fill.qty) <= params_.qty_tolerance;
}

void WashTradeDetector::OnEvent(const Event& event, const MarketState& /*market*/,
                                AlertSink& sink) {
  if (event.kind != EventKind::kOrderExecuted) return;
  if (event.participant == kUnknownParticipant && !params_.include_unknown) return;
  if (event.side != common::v1::SIDE_BUY && event.side != common::v1::SIDE_SELL) return;
  ParticipantId owner = participants_->OwnerOf(event.participant);

  if (event.counterparty != kUnknownParticipant) {
    // The venue says who was on the other side: no inference needed.
    if (participants_->OwnerOf(event.counterparty) == owner) RaiseMatched(event, owner, sink);
    return;
  }

  OwnerState& state = owners_[SubjectKey(owner, event.instrument)];
  RingBuffer<RecentFill>& fills = state.fills;
  while (!fills.empty() && event.time - fills.front().time > params_.match_window) {
    fills.pop_front();
  }
  // The window holds the owner's fills of the last match_window: a handful,
  // so the scan is O(1) in practice.
  for (size_t i = 0; i < fills.size(); ++i) {
    RecentFill& earlier = fills[i];
    if (!CanHaveMet(earlier, event)) continue;
    earlier.matched = true;
    RaiseInferred(earlier, event, owner, sink);
    RecentFill done{event.time, event.participant, event.side, event.aggression, false,
                    true,       event.price,       event.qty,  event.order_id,   event.fill_id};
    fills.push_back(done);
    return;
  }
  fills.push_back(RecentFill{event.time, event.participant, event.side, event.aggression, false,
                             false, event.price, event.qty, event.order_id, event.fill_id});
}

void WashTradeDetector::RaiseMatched(const Event& fill, ParticipantId owner, AlertSink& sink) {
  if (!sink.Admits(v1::ALERT_TYPE_WASH_TRADE, owner, fill.instrument, fill.time)) return;
  Alert alert;
  alert.type = v1::ALERT_TYPE_WASH_TRADE;
  alert.severity = v1::SEVERITY_HIGH;
  alert.instrument = fill.instrument;
  alert.subject = owner;
  alert.window_start = fill.time;
  alert.window_end = fill.time;
  alert.raised = fill.time;
  alert.order_ids.push_back(fill.order_id);
  alert.fill_ids.push_back(fill.fill_id);
  alert.metrics.push_back({"counterparty_same_owner", 1, 1});
  alert.metrics.push_back({"qty", fill.qty.ToDouble(), 0});
  std::string_view participant = participants_->Name(fill.participant);
  std::string_view counterparty = participants_->Name(fill.counterparty);
  std::string_view owner_name = participants_->Name(owner);
  if (fill.participant == fill.counterparty) {
    alert.explanation = StrCat(participant, " ", SideVerb(fill.side), " ", fill.qty.ToString(),
                               " at ", fill.price.ToString(),
                               " from itself: the venue reports it as the counterparty, so the "
                               "trade changed no beneficial ownership.");
  } else {
    alert.explanation =
        StrCat(participant, " ", SideVerb(fill.side), " ", fill.qty.ToString(), " at ",
               fill.price.ToString(), " with counterparty ", counterparty, "; both belong to ",
               owner_name, ", so the trade changed no beneficial ownership.");
  }
  alert.indicator = RegulatoryIndicator(alert.type);
  sink.Raise(std::move(alert));
}

void WashTradeDetector::RaiseInferred(const RecentFill& earlier, const Event& fill,
                                      ParticipantId owner, AlertSink& sink) {
  if (!sink.Admits(v1::ALERT_TYPE_WASH_TRADE, owner, fill.instrument, fill.time)) return;
  double price_bps = PriceDifferenceBps(earlier.price, fill.price);
  double qty_diff = QtyDifference(earlier.qty, fill.qty);
  Duration gap = fill.time - earlier.time;
  bool same_participant = earlier.participant == fill.participant;
  Duration window = same_participant ? params_.same_participant_window : params_.match_window;

  Alert alert;
  alert.type = v1::ALERT_TYPE_WASH_TRADE;
  alert.severity = v1::SEVERITY_MEDIUM;
  alert.instrument = fill.instrument;
  alert.subject = owner;
  alert.window_start = earlier.time;
  alert.window_end = fill.time;
  alert.raised = fill.time;
  alert.order_ids = {earlier.order_id, fill.order_id};
  alert.fill_ids = {earlier.fill_id, fill.fill_id};
  alert.metrics.push_back({"price_difference_bps", price_bps, params_.price_tolerance_bps});
  alert.metrics.push_back({"qty_difference", qty_diff, params_.qty_tolerance});
  alert.metrics.push_back({"time_gap_ms", static_cast<double>(gap.count()) / 1e6,
                           static_cast<double>(window.count()) / 1e6});
  std::string who =
      same_participant
          ? StrCat(participants_->Name(fill.participant), " ", SideVerb(earlier.side), " ",
                   earlier.qty.ToString(), " at ", earlier.price.ToString(), " and ",
                   SideVerb(fill.side), " ", fill.qty.ToString(), " at ", fill.price.ToString())
          : StrCat(participants_->Name(earlier.participant), " ", SideVerb(earlier.side), " ",
                   earlier.qty.ToString(), " at ", earlier.price.ToString(), " and ",
                   participants_->Name(fill.participant), " ", SideVerb(fill.side), " ",
                   fill.qty.ToString(), " at ", fill.price.ToString());
  alert.explanation =
      StrCat(who, " ", DurationText(gap), " apart, one taking and one providing liquidity (",
             Fixed(price_bps, 2), " bps and ", Fixed(qty_diff * 100, 1),
             "% apart in price and size); both belong to ", participants_->Name(owner),
             ", so the trades likely met each other and changed no beneficial ownership.");
  alert.indicator = RegulatoryIndicator(alert.type);
  sink.Raise(std::move(alert));
}

}  // namespace tradeplane::surveillance
