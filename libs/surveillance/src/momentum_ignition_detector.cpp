#include "tradeplane/surveillance/momentum_ignition_detector.h"

#include <algorithm>
#include <cmath>

#include "tradeplane/core/str_cat.h"

#include "number_text.h"
#include "subject_key.h"

namespace tradeplane::surveillance {
namespace {

constexpr std::array<ParamSpec, 6> kSpecs = {{
    {"burst_window_ms", 5000, 1, 3'600'000,
     "ms: the aggressive fills of one burst fall within this window"},
    {"min_burst_trades", 4, 1, 1e6, "count: aggressive fills on one side in the window"},
    {"min_move_bps", 10, 0.01, 10'000,
     "bps: the burst's furthest price from the midpoint before it"},
    {"reversal_window_ms", 60'000, 1, 86'400'000,
     "ms: the reversal must come this soon after the burst's last fill"},
    {"min_reversal_ratio", 0.5, 0.01, 100, "fraction of the burst's size traded back"},
    {"include_unknown", 0, 0, 1, "1: treat fills without a participant as one participant"},
}};

Duration Millis(double ms) { return Duration(static_cast<int64_t>(std::llround(ms * 1e6))); }

// Signed so that positive is in the direction of `side` (up for buys).
double MoveBps(Side side, Price price, Price reference) {
  double bps = DiffBps(price, reference);
  return side == common::v1::SIDE_BUY ? bps : -bps;
}

}  // namespace

std::span<const ParamSpec> MomentumIgnitionParams::Specs() { return kSpecs; }

absl::StatusOr<MomentumIgnitionParams> MomentumIgnitionParams::FromMap(
    const std::map<std::string, double>& params) {
  std::array<double, kSpecs.size()> v{};
  absl::Status status = ReadParams("momentum_ignition", kSpecs, params, v);
  if (!status.ok()) return status;
  MomentumIgnitionParams p;
  p.burst_window = Millis(v[0]);
  p.min_burst_trades = v[1];
  p.min_move_bps = v[2];
  p.reversal_window = Millis(v[3]);
  p.min_reversal_ratio = v[4];
  p.include_unknown = v[5] != 0;
  return p;
}

MomentumIgnitionDetector::MomentumIgnitionDetector(const MomentumIgnitionParams& params,
                                                   const ParticipantTable* participants)
    : params_(params), participants_(participants) {}

void MomentumIgnitionDetector::Reset() { subjects_.clear(); }

void MomentumIgnitionDetector::OnEvent(const Event& event, const MarketState& market,
                                       AlertSink& sink) {
  if (event.kind != EventKind::kOrderExecuted) return;
  if (event.participant == kUnknownParticipant && !params_.include_unknown) return;
  if (event.side != common::v1::SIDE_BUY && event.side != common::v1::SIDE_SELL) return;
  SubjectState& state = subjects_[SubjectKey(event.participant, event.instrument)];
  Episode& episode = state.episode;
  if (episode.active && event.time - episode.end > params_.reversal_window) episode.active = false;

  if (episode.active && event.side != episode.side) {
    // Trading back into the move.
    episode.reversal_qty = Quantity::FromRaw(episode.reversal_qty.raw() + event.qty.raw());
    episode.reversal_notional += event.price.ToDouble() * event.qty.ToDouble();
    episode.reversal_ids.Add(event.order_id, event.fill_id);
    double ratio = Ratio(episode.reversal_qty.ToDouble(), episode.burst_qty.ToDouble());
    double average = episode.reversal_notional / episode.reversal_qty.ToDouble();
    double beyond = episode.side == common::v1::SIDE_BUY ? average - episode.reference.ToDouble()
                                                         : episode.reference.ToDouble() - average;
    if (ratio >= params_.min_reversal_ratio && beyond > 0) {
      if (sink.Admits(v1::ALERT_TYPE_MOMENTUM_IGNITION, event.participant, event.instrument,
                      event.time)) {
        Raise(event, episode, sink);
      }
      episode = Episode{};
      state.aggressive[0].clear();
      state.aggressive[1].clear();
    }
    return;
  }
  if (event.aggression != Aggression::kAggressive) return;

  RingBuffer<AggressiveFill>& burst = state.aggressive[SideIndex(event.side)];
  while (!burst.empty() && event.time - burst.front().time > params_.burst_window) {
    burst.pop_front();
  }
  Price reference = market.at(event.instrument).ReferencePrice();
  if (!reference.is_positive()) reference = event.price;
  burst.push_back(
      AggressiveFill{event.time, event.price, event.qty, reference, event.order_id, event.fill_id});
  if (static_cast<double>(burst.size()) < params_.min_burst_trades) return;

  Price first_reference = burst.front().reference;
  Price peak = burst.front().price;
  int64_t qty = 0;
  for (size_t i = 0; i < burst.size(); ++i) {
    const AggressiveFill& f = burst[i];
    qty += f.qty.raw();
    if (MoveBps(event.side, f.price, peak) > 0) peak = f.price;
  }
  double move = MoveBps(event.side, peak, first_reference);
  if (move < params_.min_move_bps) return;
  // A burst (or a longer one): remember it and wait for the reversal.
  episode = Episode{};
  episode.active = true;
  episode.side = event.side;
  episode.start = burst.front().time;
  episode.end = event.time;
  episode.reference = first_reference;
  episode.peak = peak;
  episode.burst_qty = Quantity::FromRaw(qty);
  episode.burst_trades = static_cast<uint32_t>(burst.size());
  episode.move_bps = move;
  for (size_t i = 0; i < burst.size(); ++i)
    episode.burst_ids.Add(burst[i].order_id, burst[i].fill_id);
}

void MomentumIgnitionDetector::Raise(const Event& trigger, const Episode& episode,
                                     AlertSink& sink) const {
  double ratio = Ratio(episode.reversal_qty.ToDouble(), episode.burst_qty.ToDouble());
  double average = episode.reversal_notional / episode.reversal_qty.ToDouble();
  Duration burst_span = episode.end - episode.start;
  Duration to_reversal = trigger.time - episode.end;

  Alert alert;
  alert.type = v1::ALERT_TYPE_MOMENTUM_IGNITION;
  alert.severity = SeverityForStrength(episode.move_bps / params_.min_move_bps);
  alert.instrument = trigger.instrument;
  alert.subject = trigger.participant;
  alert.window_start = episode.start;
  alert.window_end = trigger.time;
  alert.raised = trigger.time;
  for (const IdList* ids : {&episode.burst_ids, &episode.reversal_ids}) {
    for (size_t i = 0; i < ids->size; ++i) {
      alert.order_ids.push_back(ids->orders[i]);
      alert.fill_ids.push_back(ids->fills[i]);
    }
  }
  alert.metrics.push_back(
      {"burst_trades", static_cast<double>(episode.burst_trades), params_.min_burst_trades});
  alert.metrics.push_back({"price_move_bps", episode.move_bps, params_.min_move_bps});
  alert.metrics.push_back({"reversal_ratio", ratio, params_.min_reversal_ratio});
  alert.metrics.push_back({"reversal_delay_ms", static_cast<double>(to_reversal.count()) / 1e6,
                           static_cast<double>(params_.reversal_window.count()) / 1e6});
  alert.metrics.push_back({"burst_qty", episode.burst_qty.ToDouble(), 0});
  Side back = OppositeSide(episode.side);
  alert.explanation = StrCat(
      participants_->Name(trigger.participant), " ", SideVerb(episode.side), " ",
      episode.burst_qty.ToString(), " in ", episode.burst_trades, " aggressive trades within ",
      DurationText(burst_span), ", moving the price from ", episode.reference.ToString(),
      " (midpoint before the burst) to ", episode.peak.ToString(), " (",
      episode.side == common::v1::SIDE_BUY ? "+" : "-", Fixed(episode.move_bps, 1), " bps), then ",
      SideVerb(back), " ", episode.reversal_qty.ToString(), " (", Fixed(ratio * 100, 0),
      "% of it) at an average ", Fixed(average, 4), " within ", DurationText(to_reversal),
      " of the burst.");
  alert.indicator = RegulatoryIndicator(alert.type);
  sink.Raise(std::move(alert));
}

}  // namespace tradeplane::surveillance
