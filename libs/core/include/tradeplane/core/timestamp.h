// Nanosecond UTC timestamps and their RFC 3339 text form.
#ifndef TRADEPLANE_CORE_TIMESTAMP_H_
#define TRADEPLANE_CORE_TIMESTAMP_H_

#include <chrono>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace tradeplane {

using Duration = std::chrono::nanoseconds;

// Nanoseconds since 1970-01-01T00:00:00Z, ignoring leap seconds (as POSIX time).
class Timestamp {
 public:
  constexpr Timestamp() = default;
  static constexpr Timestamp FromNanos(int64_t ns) { return Timestamp(ns); }
  static constexpr Timestamp FromMillis(int64_t ms) { return Timestamp(ms * 1'000'000); }
  static constexpr Timestamp FromSeconds(int64_t s) { return Timestamp(s * 1'000'000'000); }

  constexpr int64_t nanos() const { return ns_; }
  constexpr int64_t millis() const { return ns_ / 1'000'000; }
  constexpr bool is_zero() const { return ns_ == 0; }

  constexpr Timestamp operator+(Duration d) const { return Timestamp(ns_ + d.count()); }
  constexpr Timestamp operator-(Duration d) const { return Timestamp(ns_ - d.count()); }
  constexpr Duration operator-(Timestamp other) const { return Duration(ns_ - other.ns_); }
  friend constexpr auto operator<=>(Timestamp a, Timestamp b) = default;
  friend constexpr bool operator==(Timestamp a, Timestamp b) = default;

 private:
  constexpr explicit Timestamp(int64_t ns) : ns_(ns) {}
  int64_t ns_ = 0;
};

// "2021-04-12T13:30:00.123456789Z": always UTC, always nine fractional digits.
std::string FormatRfc3339(Timestamp t);

// Accepts "YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)", 't'/'z' and a space for 'T'
// too (RFC 3339 section 5.6 permits them), up to nine fractional digits.
absl::StatusOr<Timestamp> ParseRfc3339(std::string_view text);

// Days since 1970-01-01 for a proleptic Gregorian date, and back.
int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day);
struct CivilDate {
  int64_t year;
  unsigned month;
  unsigned day;
};
CivilDate CivilFromDays(int64_t days);

// Parses "YYYY-MM-DD".
absl::StatusOr<CivilDate> ParseDate(std::string_view text);

}  // namespace tradeplane

#endif  // TRADEPLANE_CORE_TIMESTAMP_H_
