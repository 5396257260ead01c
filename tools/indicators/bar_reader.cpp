#include "bar_reader.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include "tradeplane/core/str_cat.h"

namespace tradeplane::indicators_tool {
namespace {

constexpr size_t kKlineColumns = 12;
constexpr size_t kCsvColumns = 6;
constexpr std::string_view kCsvHeader = "ts,open,high,low,close,volume";

// Splits on commas into at most N fields; returns how many there were
// (N + 1 means "more than N").
template <size_t N>
size_t SplitFields(std::string_view line, std::array<std::string_view, N>& fields) {
  size_t count = 0;
  while (true) {
    const size_t comma = line.find(',');
    if (count == N) return N + 1;
    fields[count++] = line.substr(0, comma);
    if (comma == std::string_view::npos) return count;
    line.remove_prefix(comma + 1);
  }
}

absl::StatusOr<double> ParseNumber(std::string_view column, std::string_view text) {
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
    return absl::InvalidArgumentError(StrCat(column, ": '", text, "' is not a number"));
  }
  if (!std::isfinite(value)) {
    return absl::InvalidArgumentError(StrCat(column, ": '", text, "' is not a finite number"));
  }
  return value;
}

absl::StatusOr<int64_t> ParseInteger(std::string_view column, std::string_view text) {
  int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
    return absl::InvalidArgumentError(StrCat(column, ": '", text, "' is not a whole number"));
  }
  return value;
}

// Epoch seconds, milliseconds, microseconds or nanoseconds, by magnitude.
absl::StatusOr<Timestamp> EpochByMagnitude(int64_t value) {
  const int64_t magnitude = value < 0 ? -value : value;
  if (magnitude < 100'000'000'000) return Timestamp::FromSeconds(value);               // < 1e11
  if (magnitude < 100'000'000'000'000) return Timestamp::FromMillis(value);            // < 1e14
  if (magnitude < 100'000'000'000'000'000) return Timestamp::FromNanos(value * 1000);  // us
  return Timestamp::FromNanos(value);
}

}  // namespace

absl::StatusOr<InputFormat> ParseFormat(std::string_view text) {
  if (text == "binance-klines") return InputFormat::kBinanceKlines;
  if (text == "csv") return InputFormat::kCsv;
  return absl::InvalidArgumentError(
      StrCat("--format '", text, "' is not one of binance-klines, csv"));
}

bool BarReader::ReadLine() {
  line_.clear();
  int c = 0;
  while ((c = getc_unlocked(file_)) != EOF) {  // one reader, no locking needed
    if (c == '\n') break;
    line_.push_back(static_cast<char>(c));
  }
  if (c == EOF && line_.empty()) return false;
  ++line_number_;
  if (!line_.empty() && line_.back() == '\r') line_.pop_back();
  return true;
}

absl::Status BarReader::LineError(std::string_view what) const {
  return absl::InvalidArgumentError(StrCat(name_, ":", line_number_, ": ", what));
}

absl::StatusOr<std::optional<ReadBar>> BarReader::Next() {
  while (ReadLine()) {
    if (line_.empty()) continue;
    const std::string_view line(line_);
    if (!header_done_) {
      header_done_ = true;
      if (format_ == InputFormat::kCsv) {
        if (line != kCsvHeader) {
          return LineError(
              StrCat("expected the header '", kCsvHeader, "', got '", line.substr(0, 80), "'"));
        }
        continue;
      }
      if (line.starts_with("open_time")) continue;  // a kline file with a header
    }
    absl::StatusOr<ReadBar> read = format_ == InputFormat::kCsv ? ParseCsv(line) : ParseKline(line);
    if (!read.ok()) return LineError(ToStd(read.status().message()));
    if (absl::Status s = Check(*read); !s.ok()) return s;
    return std::optional<ReadBar>(*read);
  }
  if (std::ferror(file_)) return absl::DataLossError(StrCat(name_, ": read error"));
  if (format_ == InputFormat::kCsv && !header_done_) {
    return absl::InvalidArgumentError(
        StrCat(name_, ": empty input, expected the header '", kCsvHeader, "'"));
  }
  return std::optional<ReadBar>();
}

absl::StatusOr<ReadBar> BarReader::ParseKline(std::string_view line) {
  std::array<std::string_view, kKlineColumns> f;
  const size_t count = SplitFields(line, f);
  if (count != kKlineColumns) {
    return absl::InvalidArgumentError(StrCat("expected ", kKlineColumns,
                                             " columns (Binance kline layout), got ",
                                             count > kKlineColumns ? "more" : StrCat(count)));
  }
  absl::StatusOr<int64_t> open_time = ParseInteger("column 1 (open_time)", f[0]);
  if (!open_time.ok()) return open_time.status();
  ReadBar read;
  read.ts = f[0];
  // Binance's spot files count microseconds from 2025 on, milliseconds before.
  read.bar.time = *open_time >= 1'000'000'000'000'000 ? Timestamp::FromNanos(*open_time * 1000)
                                                      : Timestamp::FromMillis(*open_time);
  const char* names[] = {"column 2 (open)", "column 3 (high)", "column 4 (low)", "column 5 (close)",
                         "column 6 (volume)"};
  double* values[] = {&read.bar.values.open, &read.bar.values.high, &read.bar.values.low,
                      &read.bar.values.close, &read.bar.values.volume};
  for (int i = 0; i < 5; ++i) {
    absl::StatusOr<double> v = ParseNumber(names[i], f[static_cast<size_t>(i) + 1]);
    if (!v.ok()) return v.status();
    *values[i] = *v;
  }
  return read;
}

absl::StatusOr<ReadBar> BarReader::ParseCsv(std::string_view line) {
  std::array<std::string_view, kCsvColumns> f;
  const size_t count = SplitFields(line, f);
  if (count != kCsvColumns) {
    return absl::InvalidArgumentError(StrCat("expected ", kCsvColumns, " columns (", kCsvHeader,
                                             "), got ",
                                             count > kCsvColumns ? "more" : StrCat(count)));
  }
  ReadBar read;
  read.ts = f[0];
  if (!f[0].empty() && (f[0][0] == '-' || (f[0][0] >= '0' && f[0][0] <= '9')) &&
      f[0].find_first_not_of("-0123456789") == std::string_view::npos) {
    absl::StatusOr<int64_t> epoch = ParseInteger("column 1 (ts)", f[0]);
    if (!epoch.ok()) return epoch.status();
    absl::StatusOr<Timestamp> t = EpochByMagnitude(*epoch);
    if (!t.ok()) return t.status();
    read.bar.time = *t;
  } else {
    absl::StatusOr<Timestamp> t = ParseRfc3339(f[0]);
    if (!t.ok()) {
      return absl::InvalidArgumentError(
          StrCat("column 1 (ts): '", f[0],
                 "' is neither RFC 3339 nor an integer epoch: ", ToStd(t.status().message())));
    }
    read.bar.time = *t;
  }
  const char* names[] = {"column 2 (open)", "column 3 (high)", "column 4 (low)", "column 5 (close)",
                         "column 6 (volume)"};
  double* values[] = {&read.bar.values.open, &read.bar.values.high, &read.bar.values.low,
                      &read.bar.values.close, &read.bar.values.volume};
  for (int i = 0; i < 5; ++i) {
    absl::StatusOr<double> v = ParseNumber(names[i], f[static_cast<size_t>(i) + 1]);
    if (!v.ok()) return v.status();
    *values[i] = *v;
  }
  return read;
}

absl::Status BarReader::Check(const ReadBar& read) {
  const strategy::Ohlcv& v = read.bar.values;
  if (v.high < v.low) {
    return LineError(StrCat("high ", v.high, " is below low ", v.low));
  }
  if (v.open > v.high || v.open < v.low || v.close > v.high || v.close < v.low) {
    return LineError(StrCat("open ", v.open, " and close ", v.close, " must lie within low ", v.low,
                            " and high ", v.high));
  }
  if (v.volume < 0) return LineError(StrCat("volume ", v.volume, " is negative"));
  if (has_previous_ && read.bar.time <= previous_) {
    return LineError(StrCat("ts ", read.ts, " is not after the previous bar's ", previous_ts_));
  }
  has_previous_ = true;
  previous_ = read.bar.time;
  previous_ts_.assign(read.ts);
  return absl::OkStatus();
}

}  // namespace tradeplane::indicators_tool
