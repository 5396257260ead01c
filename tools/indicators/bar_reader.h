// Reads bars for tradeplane-indicators, line by line, in one of two layouts:
//
//   binance-klines  data.binance.vision's kline CSV, no header: open_time,
//                   open, high, low, close, volume, close_time,
//                   quote_asset_volume, number_of_trades, taker_buy_base,
//                   taker_buy_quote, ignore. open_time is epoch milliseconds
//                   (microseconds from 1e15 on: Binance's spot files switched
//                   in 2025). A first line starting "open_time" is skipped.
//   csv             the project's bar CSV: the header
//                   "ts,open,high,low,close,volume", then one bar per line;
//                   ts is RFC 3339 or an integer epoch in s, ms, us or ns
//                   (told apart by magnitude).
//
// Every error names the line: unparsable or non-finite numbers, a wrong
// column count, high below low (or not containing open and close), negative
// volume, timestamps that do not increase.
#ifndef TRADEPLANE_TOOLS_INDICATORS_BAR_READER_H_
#define TRADEPLANE_TOOLS_INDICATORS_BAR_READER_H_

#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "indicator_columns.h"

namespace tradeplane::indicators_tool {

enum class InputFormat { kBinanceKlines, kCsv };

absl::StatusOr<InputFormat> ParseFormat(std::string_view text);

struct ReadBar {
  std::string_view ts;  // exactly as in the input; valid until the next Next()
  InputBar bar;
};

class BarReader {
 public:
  BarReader(std::FILE* file, std::string name, InputFormat format)
      : file_(file), name_(std::move(name)), format_(format) {}

  // The next bar; nullopt at the end of the input; an error names the line.
  absl::StatusOr<std::optional<ReadBar>> Next();

 private:
  bool ReadLine();
  absl::Status LineError(std::string_view what) const;
  absl::StatusOr<ReadBar> ParseKline(std::string_view line);
  absl::StatusOr<ReadBar> ParseCsv(std::string_view line);
  absl::Status Check(const ReadBar& read);

  std::FILE* file_;
  std::string name_;
  InputFormat format_;
  std::string line_;
  int64_t line_number_ = 0;
  bool header_done_ = false;
  bool has_previous_ = false;
  Timestamp previous_;
  std::string previous_ts_;
};

}  // namespace tradeplane::indicators_tool

#endif  // TRADEPLANE_TOOLS_INDICATORS_BAR_READER_H_
