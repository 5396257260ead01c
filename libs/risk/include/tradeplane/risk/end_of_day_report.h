// The end-of-day statement: per instrument, the opening position, the day's
// fills, the closing position, realized and unrealized PnL and fees. Pure:
// built from the opening positions, the fills and the closing marks it is
// given, with the same average-cost accounting as the ledger
// (position_account.h).
//
// The day is [00:00 UTC + offset, the next 00:00 UTC + offset) of `date`;
// fills outside it are left out and counted, fills seen twice (same fill_id,
// same content) are left out and counted, the same fill_id with different
// content is an error. Realized PnL and fees are the day's alone (the opening
// position carries its average cost in); unrealized PnL is at the closing mark.
#ifndef TRADEPLANE_RISK_END_OF_DAY_REPORT_H_
#define TRADEPLANE_RISK_END_OF_DAY_REPORT_H_

#include <cstddef>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "tradeplane/admin/v1/services.pb.h"
#include "tradeplane/core/fixed_point.h"
#include "tradeplane/core/instrument.h"
#include "tradeplane/core/order.h"
#include "tradeplane/core/timestamp.h"
#include "tradeplane/risk/v1/risk.pb.h"

#include "absl/status/statusor.h"

namespace tradeplane::risk {

struct InstrumentStatement {
  InstrumentIndex instrument = 0;
  InstrumentId id;
  std::string quote_currency;
  Quantity opening_qty;
  Price opening_avg_cost;
  std::vector<Fill> fills;  // the day's, by (time, fill_id)
  Quantity bought_qty;
  Quantity sold_qty;
  Amount bought_notional;  // per fill half-even, summed
  Amount sold_notional;
  Quantity closing_qty;
  Price closing_avg_cost;
  Price closing_mark;     // zero when none was given (allowed when flat)
  Amount realized_pnl;    // during the day
  Amount unrealized_pnl;  // at the closing mark
  Amount fees;            // in the quote asset (base-asset fees at the fill price)
  std::map<std::string, Amount> other_fees;  // fees in other assets, by asset
};

struct EndOfDayReport {
  CivilDate date{};
  Timestamp from;                                // inclusive
  Timestamp to;                                  // exclusive
  std::vector<InstrumentStatement> instruments;  // by instrument id
  // Realized, unrealized and fees summed per quote currency.
  std::vector<v1::PnlSummary> by_quote_currency;
  size_t duplicate_fills = 0;
  size_t fills_outside_day = 0;
};

struct EndOfDayInputs {
  CivilDate date{};
  Duration day_start_offset{0};
  // Instrument-level positions (empty strategy_id) at the start of the day.
  std::span<const v1::Position> opening_positions;
  std::span<const Fill> fills;  // in any order
  std::map<InstrumentIndex, Price> closing_marks;
};

absl::StatusOr<EndOfDayReport> BuildEndOfDayReport(const EndOfDayInputs& inputs,
                                                   const InstrumentTable& instruments);

// The admin answer: closing positions (realized and fees of the day), the
// day's fills, and the PnL summary when the report has a single quote currency.
void ToProto(const EndOfDayReport& report, const InstrumentTable& instruments,
             admin::v1::EndOfDayReportResponse* out);

}  // namespace tradeplane::risk

#endif  // TRADEPLANE_RISK_END_OF_DAY_REPORT_H_
