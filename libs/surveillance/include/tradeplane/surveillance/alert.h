// What a detector raises: a market-abuse alert a compliance officer can act
// on, with the evidence (order ids, fill ids, the metrics and the thresholds
// that fired), one or two sentences with the numbers, and the regulatory
// indicator. The domain struct converts to the contract
// (tradeplane.surveillance.v1.MarketAbuseAlert) with AlertToProto.
#ifndef TRADEPLANE_SURVEILLANCE_ALERT_H_
#define TRADEPLANE_SURVEILLANCE_ALERT_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "tradeplane/core/instrument.h"
#include "tradeplane/core/timestamp.h"
#include "tradeplane/surveillance/participant_table.h"
#include "tradeplane/surveillance/v1/surveillance.pb.h"

namespace tradeplane::surveillance {

using AlertType = v1::AlertType;
using Severity = v1::Severity;

struct Metric {
  std::string name;  // "size_to_depth"
  double value = 0;
  double threshold = 0;  // the value the detector compared against
};

struct Alert {
  AlertType type = v1::ALERT_TYPE_UNSPECIFIED;
  Severity severity = v1::SEVERITY_UNSPECIFIED;
  InstrumentIndex instrument = 0;
  ParticipantId subject = kUnknownParticipant;
  Timestamp window_start;
  Timestamp window_end;
  Timestamp raised;  // the time of the event that completed the pattern
  std::vector<uint64_t> order_ids;
  std::vector<uint64_t> fill_ids;
  std::vector<Metric> metrics;
  std::string explanation;
  std::string_view indicator;  // static text (RegulatoryIndicator)
};

// Where detectors put what they raise. The engine's sink de-duplicates.
class AlertSink {
 public:
  virtual ~AlertSink() = default;
  // Whether an alert of this type, subject and instrument raised at `time`
  // would be kept. Detectors ask before building one, so that a repeat the
  // sink would drop costs no allocation. A sink that answers false counts
  // the alert as suppressed.
  virtual bool Admits(AlertType /*type*/, ParticipantId /*subject*/, InstrumentIndex /*instrument*/,
                      Timestamp /*time*/) {
    return true;
  }
  virtual void Raise(Alert alert) = 0;
};

// The regulatory indicator each alert type cites: MAR (Regulation (EU)
// No 596/2014) Annex I and the practice of Commission Delegated Regulation
// (EU) 2016/522 Annex II it illustrates.
std::string_view RegulatoryIndicator(AlertType type);

// "spoofing_layering" for ALERT_TYPE_SPOOFING_LAYERING: the detector's name
// in configuration and in reports.
std::string_view DetectorName(AlertType type);

// How ids and names appear in reports and protos.
struct AlertNaming {
  const InstrumentTable* instruments = nullptr;  // null: instrument left unset
  const ParticipantTable* participants = nullptr;
  // Order and fill ids as the venue or execution wrote them; decimal when
  // unset (LOBSTER's numeric ids).
  std::function<std::string(uint64_t)> order_id_name;
  std::function<std::string(uint64_t)> fill_id_name;
};

// A deterministic id: the type, the subject, the instrument index and the
// window start ("SPOOFING_LAYERING-SPF01-0-1618234500000000000"); unique
// because the engine raises one alert per type, subject and instrument
// within the de-duplication window.
std::string AlertId(const Alert& alert, const AlertNaming& naming);

void AlertToProto(const Alert& alert, const AlertNaming& naming, v1::MarketAbuseAlert* out);

}  // namespace tradeplane::surveillance

#endif  // TRADEPLANE_SURVEILLANCE_ALERT_H_
