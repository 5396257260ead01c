// Alerts with their evidence as text, for a suspicious transaction and order
// report (STOR): CSV for spreadsheets, JSON for tools.
//
// JSON: {"alerts": [...]}, each alert the contract's MarketAbuseAlert in the
// suite's JSON form (tradeplane::ToJson: snake_case names, enums by short
// name, *_ns times as RFC 3339 with nanoseconds). Prices and sizes appear in
// the explanations as exact decimal strings.
// CSV: a header row, then one row per alert: alert_id, type, severity,
// instrument, subject, window_start, window_end, raised (RFC 3339),
// order_ids, fill_ids (space-separated), metrics ("name=value (threshold t)"
// joined by "; "), indicator, explanation, acknowledged (true/false), ack_by,
// ack_note. Fields are quoted as RFC 4180 says when they hold a comma, a
// quote or a line break. One layout for alerts just raised (a review) and for
// stored ones (tradectl alerts export), so a report's tooling reads both.
#ifndef TRADEPLANE_SURVEILLANCE_ALERT_REPORT_H_
#define TRADEPLANE_SURVEILLANCE_ALERT_REPORT_H_

#include <span>
#include <string>

#include "tradeplane/surveillance/alert.h"
#include "tradeplane/surveillance/tape_statistics.h"

namespace tradeplane::surveillance {

std::string AlertsToCsv(std::span<const Alert> alerts, const AlertNaming& naming);
std::string AlertsToJson(std::span<const Alert> alerts, const AlertNaming& naming,
                         bool pretty = false);
// The same for alerts already in the contract's form (as sentinel stores and
// lists them, acknowledgement included).
std::string AlertsToCsv(std::span<const v1::MarketAbuseAlert> alerts);
std::string AlertsToJson(std::span<const v1::MarketAbuseAlert> alerts, bool pretty = false);
// {"tape_statistics": [...]} (TapeStatistics in the suite's JSON form).
std::string TapeStatisticsToJson(std::span<const TapeStatisticsRecord> records,
                                 const InstrumentTable* instruments, bool pretty = false);

}  // namespace tradeplane::surveillance

#endif  // TRADEPLANE_SURVEILLANCE_ALERT_REPORT_H_
