// Keys and small helpers the detectors share.
#ifndef TRADEPLANE_SURVEILLANCE_SUBJECT_KEY_H_
#define TRADEPLANE_SURVEILLANCE_SUBJECT_KEY_H_

#include <cstdint>

#include "tradeplane/core/fixed_point.h"
#include "tradeplane/core/instrument.h"
#include "tradeplane/surveillance/alert.h"
#include "tradeplane/surveillance/participant_table.h"

namespace tradeplane::surveillance {

// One participant (or owner) in one instrument.
inline uint64_t SubjectKey(ParticipantId participant, InstrumentIndex instrument) {
  return (static_cast<uint64_t>(participant) << 32) | instrument;
}
inline ParticipantId SubjectOf(uint64_t key) { return static_cast<ParticipantId>(key >> 32); }
inline InstrumentIndex InstrumentOf(uint64_t key) {
  return static_cast<InstrumentIndex>(key & 0xffffffffu);
}

// 0 for buys, 1 for sells: an index into per-side arrays.
inline int SideIndex(Side side) { return side == common::v1::SIDE_SELL ? 1 : 0; }
inline Side OppositeSide(Side side) {
  return side == common::v1::SIDE_BUY ? common::v1::SIDE_SELL : common::v1::SIDE_BUY;
}
inline std::string_view SideVerb(Side side) {
  return side == common::v1::SIDE_BUY ? "bought" : "sold";
}
inline std::string_view SideNoun(Side side) {
  return side == common::v1::SIDE_BUY ? "buy" : "sell";
}

// (a - b) / b in basis points; 0 when b is not positive. Indicator
// arithmetic on doubles (no money is computed from it).
inline double DiffBps(Price a, Price b) {
  if (!b.is_positive()) return 0;
  return (static_cast<double>(a.raw()) - static_cast<double>(b.raw())) /
         static_cast<double>(b.raw()) * 1e4;
}

inline double Ratio(double numerator, double denominator) {
  return denominator > 0 ? numerator / denominator : 0;
}

// Severity from how far the deciding metric exceeded its threshold:
// MEDIUM at the threshold, HIGH at 3x, CRITICAL at 10x (critical alerts may
// pause trading: they are kept for blatant cases).
inline Severity SeverityForStrength(double metric_over_threshold) {
  if (metric_over_threshold >= 10) return v1::SEVERITY_CRITICAL;
  if (metric_over_threshold >= 3) return v1::SEVERITY_HIGH;
  return v1::SEVERITY_MEDIUM;
}

// At most `limit` ids per list in one alert: the evidence stays readable and
// bounded (the counts are in the metrics).
inline constexpr size_t kMaxEvidenceIds = 50;

}  // namespace tradeplane::surveillance

#endif  // TRADEPLANE_SURVEILLANCE_SUBJECT_KEY_H_
