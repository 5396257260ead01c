#include "tradeplane/marketdata/csv_format.h"

#include <array>
#include <charconv>
#include <cstdio>

#include "tradeplane/core/str_cat.h"

#include "csv_fields.h"

namespace tradeplane::marketdata {
namespace {

using internal::SplitCsvLine;
using internal::StripCarriageReturn;

absl::Status BadColumn(std::string_view column, std::string_view why) {
  return absl::InvalidArgumentError(StrCat("column ", column, ": ", why));
}

template <size_t N>
absl::Status Split(std::string_view line, std::string_view header,
                   std::array<std::string_view, N>* fields) {
  size_t count = SplitCsvLine(StripCarriageReturn(line), *fields);
  if (count != N) {
    return absl::InvalidArgumentError(StrCat("expected ", N, " columns (", header, "), found ",
                                             count > N ? StrCat("more than ", N) : StrCat(count)));
  }
  return absl::OkStatus();
}

absl::StatusOr<Price> ReadPrice(std::string_view column, std::string_view field,
                                const CsvReadOptions& options) {
  absl::StatusOr<Price> price = FixedPoint<PriceTag>::Parse(field);
  if (!price.ok()) return BadColumn(column, ToStd(price.status().message()));
  if (!price->is_positive()) return BadColumn(column, StrCat("price ", field, " must be positive"));
  if (options.tick_size.is_positive() && !price->IsMultipleOf(options.tick_size)) {
    return BadColumn(column, StrCat("price ", field, " is not a multiple of the tick ",
                                    options.tick_size.ToString()));
  }
  return *price;
}

absl::StatusOr<Quantity> ReadQuantity(std::string_view column, std::string_view field,
                                      const CsvReadOptions& options, bool positive) {
  absl::StatusOr<Quantity> qty = FixedPoint<QuantityTag>::Parse(field);
  if (!qty.ok()) return BadColumn(column, ToStd(qty.status().message()));
  if (qty->is_negative()) return BadColumn(column, StrCat("negative quantity ", field));
  if (positive && qty->is_zero()) return BadColumn(column, "quantity must be positive");
  if (options.lot_size.is_positive() && !qty->IsMultipleOf(options.lot_size)) {
    return BadColumn(column, StrCat("quantity ", field, " is not a multiple of the lot ",
                                    options.lot_size.ToString()));
  }
  return *qty;
}

absl::StatusOr<Timestamp> ReadTs(std::string_view field) {
  absl::StatusOr<Timestamp> ts = ParseCsvTimestamp(field);
  if (!ts.ok()) return BadColumn("ts", ToStd(ts.status().message()));
  return *ts;
}

// FormatRfc3339's text, written without a temporary string.
void AppendTs(Timestamp ts, std::string* out) {
  constexpr int64_t kNanosPerSecond = 1'000'000'000;
  int64_t ns = ts.nanos();
  int64_t secs = ns / kNanosPerSecond - (ns % kNanosPerSecond < 0);
  int64_t frac = ns - secs * kNanosPerSecond;
  int64_t days = secs / 86'400 - (secs % 86'400 < 0);
  int64_t sod = secs - days * 86'400;
  CivilDate date = CivilFromDays(days);
  char buf[48];
  int n = std::snprintf(buf, sizeof(buf), "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%09lldZ",
                        static_cast<long long>(date.year), date.month, date.day,
                        static_cast<long long>(sod / 3600), static_cast<long long>(sod / 60 % 60),
                        static_cast<long long>(sod % 60), static_cast<long long>(frac));
  out->append(buf, static_cast<size_t>(n));
}

}  // namespace

absl::Status CheckCsvHeader(std::string_view line, std::string_view expected) {
  line = StripCarriageReturn(line);
  if (line == expected) return absl::OkStatus();
  return absl::InvalidArgumentError(
      StrCat("header '", line.substr(0, 80), "' is not '", expected, "'"));
}

absl::StatusOr<Timestamp> ParseCsvTimestamp(std::string_view field) {
  if (field.empty()) return absl::InvalidArgumentError("empty timestamp");
  bool all_digits = field.find_first_not_of("0123456789") == std::string_view::npos;
  if (all_digits) {
    int64_t ns = 0;
    auto [ptr, ec] = std::from_chars(field.data(), field.data() + field.size(), ns);
    if (ec != std::errc() || ptr != field.data() + field.size()) {
      return absl::InvalidArgumentError(
          StrCat("timestamp '", field.substr(0, 32), "' is out of range for nanoseconds"));
    }
    return Timestamp::FromNanos(ns);
  }
  absl::StatusOr<Timestamp> ts = ParseRfc3339(field);
  if (!ts.ok()) {
    return absl::InvalidArgumentError(
        StrCat(ToStd(ts.status().message()), " (nor integer nanoseconds since the epoch)"));
  }
  return *ts;
}

absl::StatusOr<Quote> ParseQuoteCsvRow(std::string_view line, const CsvReadOptions& options) {
  std::array<std::string_view, 5> f;
  if (absl::Status s = Split(line, kQuoteCsvHeader, &f); !s.ok()) return s;
  Quote quote;
  quote.instrument = options.instrument;
  absl::StatusOr<Timestamp> ts = ReadTs(f[0]);
  if (!ts.ok()) return ts.status();
  quote.exchange_time = *ts;
  absl::StatusOr<Price> bid = ReadPrice("bid_price", f[1], options);
  if (!bid.ok()) return bid.status();
  absl::StatusOr<Quantity> bid_qty = ReadQuantity("bid_qty", f[2], options, false);
  if (!bid_qty.ok()) return bid_qty.status();
  absl::StatusOr<Price> ask = ReadPrice("ask_price", f[3], options);
  if (!ask.ok()) return ask.status();
  absl::StatusOr<Quantity> ask_qty = ReadQuantity("ask_qty", f[4], options, false);
  if (!ask_qty.ok()) return ask_qty.status();
  if (*bid >= *ask) {
    return absl::InvalidArgumentError(
        StrCat("bid ", f[1], " is not below ask ", f[3], " (crossed or locked quote)"));
  }
  quote.bid_price = *bid;
  quote.bid_qty = *bid_qty;
  quote.ask_price = *ask;
  quote.ask_qty = *ask_qty;
  return quote;
}

absl::StatusOr<Trade> ParseTradeCsvRow(std::string_view line, const CsvReadOptions& options) {
  std::array<std::string_view, 5> f;
  if (absl::Status s = Split(line, kTradeCsvHeader, &f); !s.ok()) return s;
  Trade trade;
  trade.instrument = options.instrument;
  absl::StatusOr<Timestamp> ts = ReadTs(f[0]);
  if (!ts.ok()) return ts.status();
  trade.exchange_time = *ts;
  absl::StatusOr<Price> price = ReadPrice("price", f[1], options);
  if (!price.ok()) return price.status();
  trade.price = *price;
  absl::StatusOr<Quantity> qty = ReadQuantity("qty", f[2], options, true);
  if (!qty.ok()) return qty.status();
  trade.qty = *qty;
  if (f[3] == "buy") {
    trade.aggressor = common::v1::SIDE_BUY;
  } else if (f[3] == "sell") {
    trade.aggressor = common::v1::SIDE_SELL;
  } else if (!f[3].empty()) {
    return BadColumn("aggressor", StrCat("'", f[3].substr(0, 16), "' is not buy, sell or empty"));
  }
  if (!f[4].empty()) {
    std::optional<uint64_t> id = internal::ParseUnsigned(f[4]);
    if (!id)
      return BadColumn("trade_id", StrCat("'", f[4].substr(0, 32), "' is not an unsigned integer"));
    trade.trade_id = *id;
  }
  return trade;
}

absl::StatusOr<Bar> ParseBarCsvRow(std::string_view line, const CsvReadOptions& options) {
  std::array<std::string_view, 6> f;
  if (absl::Status s = Split(line, kBarCsvHeader, &f); !s.ok()) return s;
  Bar bar;
  bar.instrument = options.instrument;
  bar.interval = options.bar_interval;
  absl::StatusOr<Timestamp> ts = ReadTs(f[0]);
  if (!ts.ok()) return ts.status();
  bar.open_time = *ts;
  std::array<Price*, 4> prices = {&bar.open, &bar.high, &bar.low, &bar.close};
  std::array<std::string_view, 4> names = {"open", "high", "low", "close"};
  for (size_t i = 0; i < prices.size(); ++i) {
    absl::StatusOr<Price> price = ReadPrice(names[i], f[i + 1], options);
    if (!price.ok()) return price.status();
    *prices[i] = *price;
  }
  absl::StatusOr<Quantity> volume = ReadQuantity("volume", f[5], options, false);
  if (!volume.ok()) return volume.status();
  bar.volume = *volume;
  if (bar.low > bar.high || bar.open < bar.low || bar.open > bar.high || bar.close < bar.low ||
      bar.close > bar.high) {
    return absl::InvalidArgumentError(StrCat("bar prices are inconsistent: open ", f[1], " high ",
                                             f[2], " low ", f[3], " close ", f[4],
                                             " (need low <= open, close <= high)"));
  }
  return bar;
}

void AppendQuoteCsvRow(const Quote& quote, std::string* out) {
  AppendTs(quote.exchange_time, out);
  out->push_back(',');
  fixed_point::AppendRaw(quote.bid_price.raw(), out);
  out->push_back(',');
  fixed_point::AppendRaw(quote.bid_qty.raw(), out);
  out->push_back(',');
  fixed_point::AppendRaw(quote.ask_price.raw(), out);
  out->push_back(',');
  fixed_point::AppendRaw(quote.ask_qty.raw(), out);
  out->push_back('\n');
}

void AppendTradeCsvRow(const Trade& trade, std::string* out) {
  AppendTs(trade.exchange_time, out);
  out->push_back(',');
  fixed_point::AppendRaw(trade.price.raw(), out);
  out->push_back(',');
  fixed_point::AppendRaw(trade.qty.raw(), out);
  out->push_back(',');
  if (trade.aggressor == common::v1::SIDE_BUY) out->append("buy");
  if (trade.aggressor == common::v1::SIDE_SELL) out->append("sell");
  out->push_back(',');
  if (trade.trade_id != 0) StrAppend(out, trade.trade_id);
  out->push_back('\n');
}

void AppendBarCsvRow(const Bar& bar, std::string* out) {
  AppendTs(bar.open_time, out);
  for (Price price : {bar.open, bar.high, bar.low, bar.close}) {
    out->push_back(',');
    fixed_point::AppendRaw(price.raw(), out);
  }
  out->push_back(',');
  fixed_point::AppendRaw(bar.volume.raw(), out);
  out->push_back('\n');
}

}  // namespace tradeplane::marketdata
