#include "tradeplane/surveillance/quote_stuffing_detector.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "tradeplane/core/str_cat.h"

#include "number_text.h"
#include "subject_key.h"

namespace tradeplane::surveillance {
namespace {

constexpr std::array<ParamSpec, 4> kSpecs = {{
    {"window_ms", 1000, 1, 3'600'000, "ms: the sliding window the messages are counted in"},
    {"min_messages", 100, 2, 1e9, "count: submits + cancels within the window"},
    {"max_fill_ratio", 0.02, 0, 1, "fills per submit within the window at most this"},
    {"include_unknown", 0, 0, 1, "1: treat orders without a participant as one participant"},
}};

}  // namespace

std::span<const ParamSpec> QuoteStuffingParams::Specs() { return kSpecs; }

absl::StatusOr<QuoteStuffingParams> QuoteStuffingParams::FromMap(
    const std::map<std::string, double>& params) {
  std::array<double, kSpecs.size()> v{};
  absl::Status status = ReadParams("quote_stuffing", kSpecs, params, v);
  if (!status.ok()) return status;
  QuoteStuffingParams p;
  p.window = Duration(static_cast<int64_t>(std::llround(v[0] * 1e6)));
  p.min_messages = v[1];
  p.max_fill_ratio = v[2];
  p.include_unknown = v[3] != 0;
  return p;
}

QuoteStuffingDetector::QuoteStuffingDetector(const QuoteStuffingParams& params,
                                             const ParticipantTable* participants)
    : params_(params), participants_(participants) {}

void QuoteStuffingDetector::Reset() { subjects_.clear(); }

void QuoteStuffingDetector::OnEvent(const Event& event, const MarketState& /*market*/,
                                    AlertSink& sink) {
  Message message;
  switch (event.kind) {
    case EventKind::kOrderSubmitted:
      message = Message::kSubmit;
      break;
    case EventKind::kOrderCancelled:
      message = Message::kCancel;
      break;
    case EventKind::kOrderExecuted:
      message = Message::kFill;
      break;
    default:
      return;
  }
  if (event.participant == kUnknownParticipant && !params_.include_unknown) return;
  SubjectState& state = subjects_[SubjectKey(event.participant, event.instrument)];
  RingBuffer<Entry>& window = state.window;
  while (!window.empty() && event.time - window.front().time >= params_.window) {
    switch (window.front().message) {
      case Message::kSubmit:
        --state.submits;
        break;
      case Message::kCancel:
        --state.cancels;
        break;
      case Message::kFill:
        --state.fills;
        break;
    }
    window.pop_front();
  }
  window.push_back(Entry{event.time, message, event.order_id});
  switch (message) {
    case Message::kSubmit:
      ++state.submits;
      break;
    case Message::kCancel:
      ++state.cancels;
      break;
    case Message::kFill:
      ++state.fills;
      return;  // a fill never completes a burst
  }
  if (event.time < state.quiet_until) return;
  double messages = state.submits + state.cancels;
  if (messages < params_.min_messages) return;
  double fill_ratio = Ratio(state.fills, state.submits);
  if (fill_ratio > params_.max_fill_ratio) return;
  if (sink.Admits(v1::ALERT_TYPE_QUOTE_STUFFING, event.participant, event.instrument, event.time)) {
    Raise(event, state, sink);
  }
  state.quiet_until = event.time + params_.window;
}

void QuoteStuffingDetector::Raise(const Event& trigger, const SubjectState& state,
                                  AlertSink& sink) const {
  const RingBuffer<Entry>& window = state.window;
  double messages = state.submits + state.cancels;
  double fill_ratio = Ratio(state.fills, state.submits);
  double window_s = static_cast<double>(params_.window.count()) / 1e9;
  // The burst's own rate, over the time its messages took (at least 1 ms).
  Duration span = trigger.time - window.front().time;
  double rate = messages / std::max(static_cast<double>(span.count()) / 1e9, 1e-3);

  Alert alert;
  alert.type = v1::ALERT_TYPE_QUOTE_STUFFING;
  alert.severity = SeverityForStrength(messages / params_.min_messages);
  alert.instrument = trigger.instrument;
  alert.subject = trigger.participant;
  alert.window_start = window.front().time;
  alert.window_end = trigger.time;
  alert.raised = trigger.time;
  // The first orders of the burst, then the last one (bounded evidence).
  for (size_t i = 0; i < window.size() && alert.order_ids.size() + 1 < kMaxEvidenceIds; ++i) {
    if (window[i].message == Message::kSubmit) alert.order_ids.push_back(window[i].order_id);
  }
  alert.order_ids.push_back(trigger.order_id);
  alert.metrics.push_back({"messages_in_window", messages, params_.min_messages});
  alert.metrics.push_back({"messages_per_second", rate, params_.min_messages / window_s});
  alert.metrics.push_back({"fill_ratio", fill_ratio, params_.max_fill_ratio});
  alert.metrics.push_back({"cancel_to_submit_ratio", Ratio(state.cancels, state.submits), 0});
  alert.explanation =
      StrCat(participants_->Name(trigger.participant), " sent ", state.submits, " orders and ",
             state.cancels, " cancels within ", DurationText(span), " (", Fixed(rate, 0),
             " messages/s; the threshold is ", Fixed(params_.min_messages, 0), " within ",
             DurationText(params_.window), ") with ", state.fills,
             state.fills == 1 ? " fill" : " fills", " (", Fixed(fill_ratio * 100, 1),
             "% of submits, limit ", Fixed(params_.max_fill_ratio * 100, 1), "%).");
  alert.indicator = RegulatoryIndicator(alert.type);
  sink.Raise(std::move(alert));
}

}  // namespace tradeplane::surveillance
