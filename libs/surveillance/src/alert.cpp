#include "tradeplane/surveillance/alert.h"

#include "tradeplane/core/enum_names.h"
#include "tradeplane/core/str_cat.h"

namespace tradeplane::surveillance {

// Points 3(a), 4(e) and 5(e) match published quotations of Delegated
// Regulation (EU) 2016/522; 4(c) (quote stuffing) and 6(a) (marking the close)
// are still to be checked against the Official Journal text.
std::string_view RegulatoryIndicator(AlertType type) {
  switch (type) {
    case v1::ALERT_TYPE_WASH_TRADE:
      return "MAR Annex I A(c); Delegated Regulation (EU) 2016/522 Annex II Section 1 point 3(a): "
             "wash trades (no change in beneficial interest)";
    case v1::ALERT_TYPE_SPOOFING_LAYERING:
      return "MAR Annex I A(f); Delegated Regulation (EU) 2016/522 Annex II Section 1 point 5(e): "
             "layering and spoofing";
    case v1::ALERT_TYPE_QUOTE_STUFFING:
      return "MAR Annex I A(f); Delegated Regulation (EU) 2016/522 Annex II Section 1 point 4(c): "
             "quote stuffing";
    case v1::ALERT_TYPE_MOMENTUM_IGNITION:
      return "MAR Annex I A(d) and A(e); Delegated Regulation (EU) 2016/522 Annex II Section 1 "
             "point 4(e): momentum ignition";
    case v1::ALERT_TYPE_MARKING_THE_CLOSE:
      return "MAR Annex I A(g); Delegated Regulation (EU) 2016/522 Annex II Section 1 point 6(a): "
             "marking the close";
    default:
      return "";
  }
}

std::string_view DetectorName(AlertType type) {
  switch (type) {
    case v1::ALERT_TYPE_WASH_TRADE:
      return "wash_trade";
    case v1::ALERT_TYPE_SPOOFING_LAYERING:
      return "spoofing_layering";
    case v1::ALERT_TYPE_QUOTE_STUFFING:
      return "quote_stuffing";
    case v1::ALERT_TYPE_MOMENTUM_IGNITION:
      return "momentum_ignition";
    case v1::ALERT_TYPE_MARKING_THE_CLOSE:
      return "marking_the_close";
    default:
      return "unspecified";
  }
}

namespace {

std::string SubjectName(const Alert& alert, const AlertNaming& naming) {
  if (naming.participants == nullptr) {
    return alert.subject == kUnknownParticipant ? std::string(kUnknownParticipantName)
                                                : std::to_string(alert.subject);
  }
  return std::string(naming.participants->Name(alert.subject));
}

std::string IdText(uint64_t id, const std::function<std::string(uint64_t)>& name) {
  return name ? name(id) : std::to_string(id);
}

}  // namespace

std::string AlertId(const Alert& alert, const AlertNaming& naming) {
  return StrCat(ShortEnumName(alert.type), "-", SubjectName(alert, naming), "-", alert.instrument,
                "-", alert.window_start.nanos());
}

void AlertToProto(const Alert& alert, const AlertNaming& naming, v1::MarketAbuseAlert* out) {
  out->Clear();
  out->set_alert_id(AlertId(alert, naming));
  out->set_type(alert.type);
  out->set_severity(alert.severity);
  if (naming.instruments != nullptr && alert.instrument < naming.instruments->size()) {
    naming.instruments->at(alert.instrument).id.ToProto(out->mutable_instrument());
  }
  out->set_subject(SubjectName(alert, naming));
  out->set_window_start_ns(alert.window_start.nanos());
  out->set_window_end_ns(alert.window_end.nanos());
  v1::Evidence* evidence = out->mutable_evidence();
  for (uint64_t id : alert.order_ids) evidence->add_order_ids(IdText(id, naming.order_id_name));
  for (uint64_t id : alert.fill_ids) evidence->add_fill_ids(IdText(id, naming.fill_id_name));
  for (const Metric& m : alert.metrics) {
    v1::Metric* metric = evidence->add_metrics();
    metric->set_name(m.name);
    metric->set_value(m.value);
    metric->set_threshold(m.threshold);
  }
  out->set_explanation(alert.explanation);
  out->set_indicator(std::string(alert.indicator));
  out->set_raised_ns(alert.raised.nanos());
}

}  // namespace tradeplane::surveillance
