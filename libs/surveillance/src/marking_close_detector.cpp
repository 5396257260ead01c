#include "tradeplane/surveillance/marking_close_detector.h"

#include <algorithm>
#include <cmath>

#include "tradeplane/core/str_cat.h"

#include "number_text.h"
#include "subject_key.h"

namespace tradeplane::surveillance {
namespace {

constexpr std::array<ParamSpec, 6> kSpecs = {{
    {"close_time_utc_s", 0, 0, 86'399,
     "s after midnight UTC: the daily close (72000 = 16:00 New York in summer)"},
    {"window_s", 300, 1, 86'400, "s: the final window before the close"},
    {"min_volume_share", 0.2, 0, 1,
     "fraction of the window's public volume the participant's aggressive trades make"},
    {"min_move_bps", 10, 0, 10'000,
     "bps: the close's move from the price before the window, in the participant's direction"},
    {"min_concentration", 0.5, 0, 1,
     "fraction of the participant's aggressive size since the last close that is in the window"},
    {"include_unknown", 0, 0, 1, "1: treat fills without a participant as one participant"},
}};

constexpr Duration kDay = std::chrono::hours(24);

}  // namespace

std::span<const ParamSpec> MarkingCloseParams::Specs() { return kSpecs; }

absl::StatusOr<MarkingCloseParams> MarkingCloseParams::FromMap(
    const std::map<std::string, double>& params) {
  std::array<double, kSpecs.size()> v{};
  absl::Status status = ReadParams("marking_the_close", kSpecs, params, v);
  if (!status.ok()) return status;
  MarkingCloseParams p;
  p.close_time_of_day = Duration(static_cast<int64_t>(std::llround(v[0] * 1e9)));
  p.window = Duration(static_cast<int64_t>(std::llround(v[1] * 1e9)));
  p.min_volume_share = v[2];
  p.min_move_bps = v[3];
  p.min_concentration = v[4];
  p.include_unknown = v[5] != 0;
  return p;
}

MarkingCloseDetector::MarkingCloseDetector(const MarkingCloseParams& params,
                                           const ParticipantTable* participants)
    : params_(params), participants_(participants) {}

void MarkingCloseDetector::Reset() {
  next_close_ = Timestamp();
  instruments_.clear();
  subjects_.clear();
  active_.clear();
}

Timestamp MarkingCloseDetector::NextCloseAfter(Timestamp t) const {
  int64_t day = kDay.count();
  int64_t ns = t.nanos();
  int64_t midnight = (ns >= 0 ? ns / day : (ns - day + 1) / day) * day;
  Timestamp close = Timestamp::FromNanos(midnight) + params_.close_time_of_day;
  if (close <= t) close = close + kDay;
  return close;
}

void MarkingCloseDetector::OnEvent(const Event& event, const MarketState& /*market*/,
                                   AlertSink& sink) {
  if (next_close_.is_zero()) next_close_ = NextCloseAfter(event.time);
  while (event.time >= next_close_) {
    CloseSession(sink);
    next_close_ = next_close_ + kDay;
  }
  Timestamp window_start = next_close_ - params_.window;
  if (event.kind == EventKind::kPublicTrade) {
    if (event.instrument >= instruments_.size()) instruments_.resize(event.instrument + 1);
    InstrumentSession& session = instruments_[event.instrument];
    if (event.time < window_start) {
      session.before_window = event.price;
    } else {
      session.window_volume = Quantity::FromRaw(session.window_volume.raw() + event.qty.raw());
    }
    session.last = event.price;
    session.last_time = event.time;
    return;
  }
  if (event.kind != EventKind::kOrderExecuted || event.aggression != Aggression::kAggressive) {
    return;
  }
  if (event.participant == kUnknownParticipant && !params_.include_unknown) return;
  if (event.side != common::v1::SIDE_BUY && event.side != common::v1::SIDE_SELL) return;
  uint64_t key = SubjectKey(event.participant, event.instrument);
  SubjectSession& subject = subjects_[key];
  subject.session_aggressive =
      Quantity::FromRaw(subject.session_aggressive.raw() + event.qty.raw());
  if (event.time < window_start) return;
  Quantity& side_qty =
      event.side == common::v1::SIDE_BUY ? subject.window_buy : subject.window_sell;
  side_qty = Quantity::FromRaw(side_qty.raw() + event.qty.raw());
  if (subject.window_trades == 0) subject.first_in_window = event.time;
  ++subject.window_trades;
  if (subject.ids < kIds) {
    subject.order_ids[subject.ids] = event.order_id;
    subject.fill_ids[subject.ids] = event.fill_id;
    ++subject.ids;
  }
  if (!subject.listed) {
    subject.listed = true;
    active_.push_back(key);
  }
}

void MarkingCloseDetector::Finish(Timestamp end, const MarketState& /*market*/, AlertSink& sink) {
  if (next_close_.is_zero()) return;
  while (end >= next_close_) {
    CloseSession(sink);
    next_close_ = next_close_ + kDay;
  }
}

void MarkingCloseDetector::CloseSession(AlertSink& sink) {
  for (uint64_t key : active_) {
    auto it = subjects_.find(key);
    if (it != subjects_.end()) EvaluateSubject(key, it->second, sink);
  }
  active_.clear();
  subjects_.clear();
  for (InstrumentSession& session : instruments_) {
    session.before_window = session.last;
    session.window_volume = Quantity();
  }
}

void MarkingCloseDetector::EvaluateSubject(uint64_t key, const SubjectSession& subject,
                                           AlertSink& sink) const {
  InstrumentIndex instrument = InstrumentOf(key);
  if (instrument >= instruments_.size()) return;
  const InstrumentSession& session = instruments_[instrument];
  if (!session.before_window.is_positive() || !session.last.is_positive()) return;
  int64_t net = subject.window_buy.raw() - subject.window_sell.raw();
  if (net == 0) return;
  Side direction = net > 0 ? common::v1::SIDE_BUY : common::v1::SIDE_SELL;
  double total = subject.window_buy.ToDouble() + subject.window_sell.ToDouble();
  double share = Ratio(total, session.window_volume.ToDouble());
  double move = DiffBps(session.last, session.before_window);
  double move_their_way = net > 0 ? move : -move;
  double concentration = Ratio(total, subject.session_aggressive.ToDouble());
  if (share < params_.min_volume_share || move_their_way < params_.min_move_bps ||
      concentration < params_.min_concentration) {
    return;
  }
  if (!sink.Admits(v1::ALERT_TYPE_MARKING_THE_CLOSE, SubjectOf(key), instrument, next_close_)) {
    return;
  }
  Alert alert;
  alert.type = v1::ALERT_TYPE_MARKING_THE_CLOSE;
  alert.severity = SeverityForStrength(move_their_way / std::max(params_.min_move_bps, 1e-9));
  alert.instrument = instrument;
  alert.subject = SubjectOf(key);
  alert.window_start = next_close_ - params_.window;
  alert.window_end = next_close_;
  alert.raised = next_close_;
  alert.order_ids.assign(subject.order_ids.begin(), subject.order_ids.begin() + subject.ids);
  alert.fill_ids.assign(subject.fill_ids.begin(), subject.fill_ids.begin() + subject.ids);
  alert.metrics.push_back({"volume_share", share, params_.min_volume_share});
  alert.metrics.push_back({"close_move_bps", move_their_way, params_.min_move_bps});
  alert.metrics.push_back({"concentration", concentration, params_.min_concentration});
  alert.metrics.push_back({"window_trades", static_cast<double>(subject.window_trades), 0});
  double window_s = static_cast<double>(params_.window.count()) / 1e9;
  alert.explanation = StrCat(participants_->Name(alert.subject), " ", SideVerb(direction),
                             " a net ", Quantity::FromRaw(net > 0 ? net : -net).ToString(),
                             " aggressively in ", subject.window_trades, " trades in the last ",
                             Fixed(window_s, 0), " s before the close: ", Fixed(share * 100, 0),
                             "% of the public volume there and ", Fixed(concentration * 100, 0),
                             "% of its aggressive trading since the previous close. The "
                             "closing price ",
                             session.last.ToString(), " is ", move >= 0 ? "+" : "", Fixed(move, 1),
                             " bps from ", session.before_window.ToString(), " before the window.");
  alert.indicator = RegulatoryIndicator(alert.type);
  sink.Raise(std::move(alert));
}

}  // namespace tradeplane::surveillance
