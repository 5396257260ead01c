// The suite's own CSV formats for quotes, trades and bars (one instrument per
// file; the instrument comes from the caller). Documented with examples in
// docs/reference/market-data-formats.md.
//
//   quotes  ts,bid_price,bid_qty,ask_price,ask_qty
//   trades  ts,price,qty,aggressor,trade_id
//   bars    ts,open,high,low,close,volume
//
// The first line is the header, exactly as above. `ts` is an RFC 3339
// timestamp (any offset, up to nine decimals) or an integer count of
// nanoseconds since the Unix epoch; the writers produce RFC 3339 in UTC with
// nine decimals. Prices and quantities are exact decimals (no exponent, '.'
// as the point). `aggressor` is buy, sell or empty (unknown); `trade_id` an
// unsigned integer or empty. A bar's `ts` is the start of its interval.
// Lines are "\n"-terminated; a trailing "\r" is accepted.
#ifndef TRADEPLANE_MARKETDATA_CSV_FORMAT_H_
#define TRADEPLANE_MARKETDATA_CSV_FORMAT_H_

#include <string>
#include <string_view>

#include "tradeplane/core/fixed_point.h"
#include "tradeplane/core/instrument.h"
#include "tradeplane/core/timestamp.h"
#include "tradeplane/marketdata/events.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace tradeplane::marketdata {

inline constexpr std::string_view kQuoteCsvHeader = "ts,bid_price,bid_qty,ask_price,ask_qty";
inline constexpr std::string_view kTradeCsvHeader = "ts,price,qty,aggressor,trade_id";
inline constexpr std::string_view kBarCsvHeader = "ts,open,high,low,close,volume";

struct CsvReadOptions {
  InstrumentIndex instrument = 0;
  Price tick_size;           // when positive, prices must be multiples of it
  Quantity lot_size;         // when positive, quantities must be multiples of it
  Duration bar_interval{0};  // copied into each Bar read
};

// Whether `line` is exactly `expected` (one of the headers above).
absl::Status CheckCsvHeader(std::string_view line, std::string_view expected);

// RFC 3339 or integer nanoseconds since the epoch.
absl::StatusOr<Timestamp> ParseCsvTimestamp(std::string_view field);

// Prices positive; quantities not negative (a trade's positive); the bid below
// the ask. The quote's exchange_time is `ts`, its receive_time zero.
absl::StatusOr<Quote> ParseQuoteCsvRow(std::string_view line, const CsvReadOptions& options);
// The trade's exchange_time is `ts`, its receive_time zero.
absl::StatusOr<Trade> ParseTradeCsvRow(std::string_view line, const CsvReadOptions& options);
// low <= open, close <= high; volume not negative. The CSV has no VWAP or
// trade count: they are zero in the Bar read.
absl::StatusOr<Bar> ParseBarCsvRow(std::string_view line, const CsvReadOptions& options);

// Append one "\n"-terminated row; allocation-free when `out` has capacity.
void AppendQuoteCsvRow(const Quote& quote, std::string* out);
void AppendTradeCsvRow(const Trade& trade, std::string* out);
void AppendBarCsvRow(const Bar& bar, std::string* out);

}  // namespace tradeplane::marketdata

#endif  // TRADEPLANE_MARKETDATA_CSV_FORMAT_H_
