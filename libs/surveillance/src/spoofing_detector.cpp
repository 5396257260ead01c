#include "tradeplane/surveillance/spoofing_detector.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "tradeplane/core/str_cat.h"

#include "number_text.h"
#include "subject_key.h"

namespace tradeplane::surveillance {
namespace {

constexpr std::array<ParamSpec, 6> kSpecs = {{
    {"max_order_lifetime_ms", 10'000, 1, 3'600'000,
     "ms: a candidate cancelled sooner than this after its submission is a quick cancel"},
    {"min_size_to_depth", 0.5, 0.01, 1000,
     "ratio: the episode's cancelled size over the displayed depth of its side"},
    {"max_distance_bps", 50, 0, 10'000,
     "bps: orders further than this from their side's touch are not candidates"},
    {"opposite_fill_window_ms", 2'000, 0, 3'600'000,
     "ms: a fill on the other side this long after the cancel still counts"},
    {"ratio_window_s", 60, 1, 86'400,
     "s: the window of the order-to-trade and cancel-to-submit evidence"},
    {"include_unknown", 0, 0, 1, "1: treat orders without a participant as one participant"},
}};

// When the depth before an order is zero (the side shows only the
// participant's own orders), the ratio is reported as this.
constexpr double kRatioCap = 1000;

Duration Millis(double ms) { return Duration(static_cast<int64_t>(std::llround(ms * 1e6))); }

std::string_view TouchName(Side side) { return side == common::v1::SIDE_BUY ? "bid" : "ask"; }

}  // namespace

std::span<const ParamSpec> SpoofingParams::Specs() { return kSpecs; }

absl::StatusOr<SpoofingParams> SpoofingParams::FromMap(
    const std::map<std::string, double>& params) {
  std::array<double, kSpecs.size()> v{};
  absl::Status status = ReadParams("spoofing_layering", kSpecs, params, v);
  if (!status.ok()) return status;
  SpoofingParams p;
  p.max_order_lifetime = Millis(v[0]);
  p.min_size_to_depth = v[1];
  p.max_distance_bps = v[2];
  p.opposite_fill_window = Millis(v[3]);
  p.ratio_window = Millis(v[4] * 1000);
  p.include_unknown = v[5] != 0;
  return p;
}

SpoofingDetector::SpoofingDetector(const SpoofingParams& params,
                                   const ParticipantTable* participants)
    : params_(params), participants_(participants) {}

void SpoofingDetector::Reset() {
  candidates_.clear();
  subjects_.clear();
}

void SpoofingDetector::OnEvent(const Event& event, const MarketState& market, AlertSink& sink) {
  if (event.kind != EventKind::kOrderSubmitted && event.kind != EventKind::kOrderCancelled &&
      event.kind != EventKind::kOrderExecuted) {
    return;
  }
  if (event.participant == kUnknownParticipant && !params_.include_unknown) return;
  if (event.side != common::v1::SIDE_BUY && event.side != common::v1::SIDE_SELL) return;
  SubjectState& state = subjects_[SubjectKey(event.participant, event.instrument)];
  Expire(state, event.time);
  ExpireCandidates(state, event.instrument, event.time);
  switch (event.kind) {
    case EventKind::kOrderSubmitted:
      OnSubmit(event, market, state);
      break;
    case EventKind::kOrderCancelled:
      OnCancel(event, state, sink);
      break;
    default:
      OnFill(event, state, sink);
      break;
  }
}

void SpoofingDetector::Record(SubjectState& state, Timestamp now, Activity activity) {
  state.activity.push_back(ActivityEntry{now, activity});
  switch (activity) {
    case Activity::kSubmit:
      ++state.submits;
      break;
    case Activity::kCancel:
      ++state.cancels;
      break;
    case Activity::kFill:
      ++state.fills_count;
      break;
  }
}

void SpoofingDetector::Expire(SubjectState& state, Timestamp now) {
  Duration horizon = params_.max_order_lifetime + params_.opposite_fill_window;
  for (int s = 0; s < 2; ++s) {
    RingBuffer<QuickCancel>& cancels = state.quick_cancels[s];
    while (!cancels.empty() && now - cancels.front().cancelled > params_.opposite_fill_window) {
      cancels.pop_front();
    }
    RingBuffer<OwnFill>& fills = state.fills[s];
    while (!fills.empty() && now - fills.front().time > horizon) fills.pop_front();
  }
  while (!state.activity.empty() && now - state.activity.front().time > params_.ratio_window) {
    switch (state.activity.front().activity) {
      case Activity::kSubmit:
        --state.submits;
        break;
      case Activity::kCancel:
        --state.cancels;
        break;
      case Activity::kFill:
        --state.fills_count;
        break;
    }
    state.activity.pop_front();
  }
}

void SpoofingDetector::ExpireCandidates(SubjectState& state, InstrumentIndex instrument,
                                        Timestamp now) {
  RingBuffer<YoungOrder>& young = state.young;
  while (!young.empty() && now - young.front().submitted > params_.max_order_lifetime) {
    auto it = candidates_.find(OrderKey{instrument, young.front().order_id});
    // The same id may have been submitted again since (then it is younger).
    if (it != candidates_.end() && it->second.submitted == young.front().submitted) {
      candidates_.erase(it);
    }
    young.pop_front();
  }
}

void SpoofingDetector::OnSubmit(const Event& event, const MarketState& market,
                                SubjectState& state) {
  Record(state, event.time, Activity::kSubmit);
  const InstrumentMarket& m = market.at(event.instrument);
  Price touch = m.SameSideTouch(event.side);
  Price opposite = m.SameSideTouch(OppositeSide(event.side));
  bool buy = event.side == common::v1::SIDE_BUY;
  bool marketable =
      opposite.is_positive() && (buy ? event.price >= opposite : event.price <= opposite);
  if (!touch.is_positive() || event.aggression == Aggression::kAggressive || marketable ||
      !event.price.is_positive() || !event.qty.is_positive()) {
    return;
  }
  double behind_bps = buy ? -DiffBps(event.price, touch) : DiffBps(event.price, touch);
  Candidate candidate;
  candidate.distance_bps = std::max(0.0, behind_bps);  // inside the spread: at the touch
  if (candidate.distance_bps > params_.max_distance_bps) return;
  candidate.side = event.side;
  candidate.price = event.price;
  candidate.open_qty = event.qty;
  candidate.submitted = event.time;
  candidate.depth_before = m.SameSideDepth(event.side);
  candidates_[OrderKey{event.instrument, event.order_id}] = candidate;
  state.young.push_back(YoungOrder{event.time, event.order_id});
}

void SpoofingDetector::OnCancel(const Event& event, SubjectState& state, AlertSink& sink) {
  Record(state, event.time, Activity::kCancel);
  auto it = candidates_.find(OrderKey{event.instrument, event.order_id});
  if (it == candidates_.end()) return;  // not a candidate, or older than the lifetime
  Candidate& candidate = it->second;
  int64_t cancelled = std::min(event.qty.raw(), candidate.open_qty.raw());
  candidate.open_qty = Quantity::FromRaw(candidate.open_qty.raw() - cancelled);
  Side side = candidate.side;
  if (cancelled > 0) {
    state.quick_cancels[SideIndex(side)].push_back(
        QuickCancel{event.order_id, candidate.submitted, event.time, candidate.price,
                    Quantity::FromRaw(cancelled), candidate.depth_before, candidate.distance_bps});
  }
  if (!candidate.open_qty.is_positive()) candidates_.erase(it);  // `candidate` dangles now
  if (cancelled > 0) Evaluate(event, side, state, sink);
}

void SpoofingDetector::OnFill(const Event& event, SubjectState& state, AlertSink& sink) {
  Record(state, event.time, Activity::kFill);
  auto it = candidates_.find(OrderKey{event.instrument, event.order_id});
  if (it != candidates_.end()) {
    Candidate& candidate = it->second;
    int64_t filled = std::min(event.qty.raw(), candidate.open_qty.raw());
    candidate.open_qty = Quantity::FromRaw(candidate.open_qty.raw() - filled);
    if (!candidate.open_qty.is_positive()) candidates_.erase(it);
  }
  state.fills[SideIndex(event.side)].push_back(
      OwnFill{event.time, event.order_id, event.fill_id, event.price, event.qty});
  Evaluate(event, OppositeSide(event.side), state, sink);
}

void SpoofingDetector::Evaluate(const Event& trigger, Side spoof_side, SubjectState& state,
                                AlertSink& sink) {
  RingBuffer<QuickCancel>& cancels = state.quick_cancels[SideIndex(spoof_side)];
  const RingBuffer<OwnFill>& fills = state.fills[SideIndex(OppositeSide(spoof_side))];
  if (cancels.empty() || fills.empty()) return;

  // Members: quick cancels whose life contains a fill on the other side.
  // Both windows hold a few entries (one participant, seconds), so the
  // nested scans are O(1) in practice; past kMaxMembers the rest is ignored.
  constexpr size_t kMaxMembers = 64;
  std::array<size_t, kMaxMembers> members{};
  size_t n = 0;
  for (size_t i = 0; i < cancels.size() && n < kMaxMembers; ++i) {
    const QuickCancel& c = cancels[i];
    for (size_t j = 0; j < fills.size(); ++j) {
      Timestamp t = fills[j].time;
      if (t >= c.submitted && t <= c.cancelled + params_.opposite_fill_window) {
        members[n++] = i;
        break;
      }
    }
  }
  if (n == 0) return;
  // The episode's size is the largest total resting at one instant (just
  // before one of its cancels): layered orders add up, while orders replaced
  // one after another (a market maker re-quoting) do not.
  auto alive_at = [&](const QuickCancel& c, Timestamp t, bool self) {
    return self || (c.submitted < t && c.cancelled >= t);
  };
  int64_t best_qty = -1;
  Timestamp best_instant;
  for (size_t a = 0; a < n; ++a) {
    Timestamp instant = cancels[members[a]].cancelled;
    int64_t qty = 0;
    for (size_t b = 0; b < n; ++b) {
      const QuickCancel& c = cancels[members[b]];
      if (alive_at(c, instant, a == b)) qty += c.qty.raw();
    }
    if (qty > best_qty) {
      best_qty = qty;
      best_instant = instant;
    }
  }
  const QuickCancel* first = nullptr;
  size_t episode_orders = 0;
  Duration longest_life{0};
  double furthest_bps = 0;
  Timestamp last_cancel;
  for (size_t a = 0; a < n; ++a) {
    const QuickCancel& c = cancels[members[a]];
    if (!alive_at(c, best_instant, c.cancelled == best_instant)) continue;
    ++episode_orders;
    if (first == nullptr || c.submitted < first->submitted) first = &c;
    longest_life = std::max(longest_life, c.cancelled - c.submitted);
    furthest_bps = std::max(furthest_bps, c.distance_bps);
    last_cancel = std::max(last_cancel, c.cancelled);
  }
  if (first == nullptr) return;
  double depth = static_cast<double>(first->depth_before.raw());
  double ratio = depth > 0 ? static_cast<double>(best_qty) / depth : kRatioCap;
  if (ratio < params_.min_size_to_depth) return;
  if (!sink.Admits(v1::ALERT_TYPE_SPOOFING_LAYERING, trigger.participant, trigger.instrument,
                   trigger.time)) {
    cancels.clear();
    return;
  }

  Alert alert;
  alert.type = v1::ALERT_TYPE_SPOOFING_LAYERING;
  alert.severity = SeverityForStrength(ratio / params_.min_size_to_depth);
  alert.instrument = trigger.instrument;
  alert.subject = trigger.participant;
  alert.window_start = first->submitted;
  alert.window_end = trigger.time;
  alert.raised = trigger.time;

  size_t levels = 0;
  for (size_t a = 0; a < n; ++a) {
    const QuickCancel& c = cancels[members[a]];
    if (!alive_at(c, best_instant, c.cancelled == best_instant)) continue;
    if (alert.order_ids.size() < kMaxEvidenceIds) alert.order_ids.push_back(c.order_id);
    bool new_level = true;
    for (size_t b = 0; b < a && new_level; ++b) {
      const QuickCancel& earlier = cancels[members[b]];
      new_level = !(alive_at(earlier, best_instant, earlier.cancelled == best_instant) &&
                    earlier.price == c.price);
    }
    if (new_level) ++levels;
  }
  int64_t opposite_qty = 0;
  Price opposite_price;
  for (size_t j = 0; j < fills.size(); ++j) {
    const OwnFill& f = fills[j];
    if (f.time < first->submitted || f.time > last_cancel + params_.opposite_fill_window) continue;
    opposite_qty += f.qty.raw();
    opposite_price = f.price;
    if (alert.fill_ids.size() < kMaxEvidenceIds) {
      alert.fill_ids.push_back(f.fill_id);
      alert.order_ids.push_back(f.order_id);
    }
  }
  double order_to_trade =
      static_cast<double>(state.submits) / std::max<uint32_t>(state.fills_count, 1);
  double cancel_to_submit = Ratio(state.cancels, state.submits);
  alert.metrics.push_back({"size_to_depth", ratio, params_.min_size_to_depth});
  alert.metrics.push_back({"longest_order_lifetime_ms",
                           static_cast<double>(longest_life.count()) / 1e6,
                           static_cast<double>(params_.max_order_lifetime.count()) / 1e6});
  alert.metrics.push_back({"furthest_from_touch_bps", furthest_bps, params_.max_distance_bps});
  alert.metrics.push_back({"cancelled_qty", Quantity::FromRaw(best_qty).ToDouble(), 0});
  alert.metrics.push_back({"opposite_fill_qty", Quantity::FromRaw(opposite_qty).ToDouble(), 0});
  alert.metrics.push_back({"price_levels", static_cast<double>(levels), 0});
  alert.metrics.push_back({"order_to_trade_ratio", order_to_trade, 0});
  alert.metrics.push_back({"cancel_to_submit_ratio", cancel_to_submit, 0});

  Side other = OppositeSide(spoof_side);
  double window_s = static_cast<double>(params_.ratio_window.count()) / 1e9;
  std::string where = furthest_bps > 0 ? StrCat("up to ", Fixed(furthest_bps, 2), " bps behind")
                                       : std::string("at");
  alert.explanation = StrCat(
      participants_->Name(trigger.participant), " placed ", episode_orders, " ",
      SideNoun(spoof_side), episode_orders == 1 ? " order" : " orders", " of ",
      Quantity::FromRaw(best_qty).ToString(), " in total at ", levels,
      levels == 1 ? " price level " : " price levels ", where, " the best ", TouchName(spoof_side),
      " (", Fixed(ratio, 2), "x the displayed depth of ", first->depth_before.ToString(),
      ") and cancelled ", episode_orders == 1 ? "it" : "them", " within ",
      DurationText(longest_life), ", while it ", SideVerb(other), " ",
      Quantity::FromRaw(opposite_qty).ToString(), " at ", opposite_price.ToString(),
      " on the other side. Over the last ", Fixed(window_s, 0), " s it submitted ", state.submits,
      " orders, cancelled ", state.cancels, " and had ", state.fills_count,
      state.fills_count == 1 ? " fill" : " fills", " (order-to-trade ", Fixed(order_to_trade, 1),
      ", cancel-to-submit ", Fixed(cancel_to_submit, 2), ").");
  alert.indicator = RegulatoryIndicator(alert.type);
  sink.Raise(std::move(alert));
  cancels.clear();  // consumed: the same orders do not raise twice
}

}  // namespace tradeplane::surveillance
