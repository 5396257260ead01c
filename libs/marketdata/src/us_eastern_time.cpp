#include "tradeplane/marketdata/us_eastern_time.h"

#include <chrono>

#include "tradeplane/core/str_cat.h"

#include "absl/status/status.h"

namespace tradeplane::marketdata {
namespace {

using std::chrono::hours;

constexpr int64_t kFirstYearOfRule = 2007;

// Day of the month of the n-th (1-based) Sunday of `month`.
unsigned NthSunday(int64_t year, unsigned month, unsigned n) {
  int first_weekday = DayOfWeek(CivilDate{year, month, 1});
  unsigned first_sunday = 1 + static_cast<unsigned>((7 - first_weekday) % 7);
  return first_sunday + 7 * (n - 1);
}

std::string DateText(CivilDate date) {
  // Only for messages; the date has already been validated by the caller's type.
  std::string out = StrCat(date.year, "-", date.month < 10 ? "0" : "", date.month, "-",
                           date.day < 10 ? "0" : "", date.day);
  return out;
}

}  // namespace

int DayOfWeek(CivilDate date) {
  int64_t days = DaysFromCivil(date.year, date.month, date.day);
  // 1970-01-01 was a Thursday (4).
  int64_t weekday = (days % 7 + 7 + 4) % 7;
  return static_cast<int>(weekday);
}

absl::StatusOr<bool> IsNewYorkDaylightTime(CivilDate date, Duration time_of_day) {
  if (date.year < kFirstYearOfRule) {
    return absl::OutOfRangeError(StrCat("date ", DateText(date),
                                        " is before 2007: the US daylight-saving rule of that "
                                        "time is not implemented"));
  }
  if (time_of_day < Duration(0) || time_of_day >= hours(24)) {
    return absl::OutOfRangeError(
        StrCat("time of day ", time_of_day.count(), " ns is outside [0, 24 h)"));
  }
  unsigned march_start = NthSunday(date.year, 3, 2);
  unsigned november_end = NthSunday(date.year, 11, 1);
  if (date.month < 3 || date.month > 11) return false;
  if (date.month > 3 && date.month < 11) return true;
  if (date.month == 3) {
    if (date.day != march_start) return date.day > march_start;
    if (time_of_day < hours(2)) return false;
    if (time_of_day >= hours(3)) return true;
    return absl::InvalidArgumentError(StrCat("New York wall time on ", DateText(date),
                                             " between 02:00 and 03:00 does not exist (clocks "
                                             "jump to daylight time)"));
  }
  // November.
  if (date.day != november_end) return date.day < november_end;
  return time_of_day < hours(2);
}

absl::StatusOr<Timestamp> NewYorkLocalToUtc(CivilDate date, Duration time_of_day) {
  absl::StatusOr<bool> daylight = IsNewYorkDaylightTime(date, time_of_day);
  if (!daylight.ok()) return daylight.status();
  int64_t days = DaysFromCivil(date.year, date.month, date.day);
  Timestamp local_as_utc = Timestamp::FromSeconds(days * 86'400) + time_of_day;
  // Local = UTC - 4 h (daylight) or - 5 h (standard), so UTC = local + offset.
  return local_as_utc + hours(*daylight ? 4 : 5);
}

}  // namespace tradeplane::marketdata
