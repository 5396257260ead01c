// Reading the fields of one comma-separated line. The market-data text
// formats here have no quoting, so a field is the text between commas.
// Allocation-free: fields are views into the line.
#ifndef TRADEPLANE_MARKETDATA_SRC_CSV_FIELDS_H_
#define TRADEPLANE_MARKETDATA_SRC_CSV_FIELDS_H_

#include <charconv>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace tradeplane::marketdata::internal {

// Drops one trailing "\r" (a line written on Windows).
inline std::string_view StripCarriageReturn(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

// Splits `line` at commas into `out`. Returns the number of fields; when the
// line has more fields than out.size(), returns out.size() + 1 and fills out.
inline size_t SplitCsvLine(std::string_view line, std::span<std::string_view> out) {
  size_t count = 0;
  size_t start = 0;
  while (true) {
    size_t comma = line.find(',', start);
    std::string_view field = line.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    if (count == out.size()) return out.size() + 1;
    out[count++] = field;
    if (comma == std::string_view::npos) return count;
    start = comma + 1;
  }
}

// A whole field as a base-10 integer (optional leading '-'); nothing else.
inline std::optional<int64_t> ParseInteger(std::string_view text) {
  int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty()) return std::nullopt;
  return value;
}

inline std::optional<uint64_t> ParseUnsigned(std::string_view text) {
  uint64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty()) return std::nullopt;
  return value;
}

// "34200.004241176" (seconds with up to nine decimals) as nanoseconds.
// Non-negative; refuses signs, exponents and more than nine decimals.
inline std::optional<int64_t> ParseSecondsAsNanos(std::string_view text) {
  size_t dot = text.find('.');
  std::string_view whole = text.substr(0, dot);
  std::string_view fraction =
      dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  // Ten integer digits are far beyond any epoch or time of day, and keep
  // the result inside int64.
  if (whole.empty() || whole.size() > 10 || fraction.size() > 9) return std::nullopt;
  if (dot != std::string_view::npos && fraction.empty()) return std::nullopt;
  int64_t nanos = 0;
  for (char c : whole) {
    if (c < '0' || c > '9') return std::nullopt;
    nanos = nanos * 10 + (c - '0');
  }
  if (nanos > 9'000'000'000) return std::nullopt;
  nanos *= 1'000'000'000;
  int64_t scale = 100'000'000;
  for (char c : fraction) {
    if (c < '0' || c > '9') return std::nullopt;
    nanos += (c - '0') * scale;
    scale /= 10;
  }
  return nanos;
}

}  // namespace tradeplane::marketdata::internal

#endif  // TRADEPLANE_MARKETDATA_SRC_CSV_FIELDS_H_
