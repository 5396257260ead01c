#include "tradeplane/core/timestamp.h"

#include <cstdio>

#include "tradeplane/core/str_cat.h"

#include "absl/status/status.h"

namespace tradeplane {
namespace {

constexpr int64_t kNanosPerSecond = 1'000'000'000;
constexpr int64_t kSecondsPerDay = 86'400;

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

bool ReadDigits(std::string_view text, size_t pos, size_t count, int64_t* out) {
  if (pos + count > text.size()) return false;
  int64_t v = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    v = v * 10 + (text[i] - '0');
  }
  *out = v;
  return true;
}

unsigned DaysInMonth(int64_t year, unsigned month) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

absl::Status Bad(std::string_view text, std::string_view why) {
  return absl::InvalidArgumentError(
      StrCat("not an RFC 3339 timestamp: '", text.substr(0, 64), "': ", why));
}

}  // namespace

// Howard Hinnant's days_from_civil (http://howardhinnant.github.io/date_algorithms.html).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

CivilDate CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return CivilDate{y + (m <= 2), m, d};
}

std::string FormatRfc3339(Timestamp t) {
  int64_t ns = t.nanos();
  int64_t secs = FloorDiv(ns, kNanosPerSecond);
  int64_t frac = ns - secs * kNanosPerSecond;
  int64_t days = FloorDiv(secs, kSecondsPerDay);
  int64_t sod = secs - days * kSecondsPerDay;
  CivilDate date = CivilFromDays(days);
  char buf[48];
  std::snprintf(buf, sizeof(buf), "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%09lldZ",
                static_cast<long long>(date.year), date.month, date.day,
                static_cast<long long>(sod / 3600), static_cast<long long>(sod / 60 % 60),
                static_cast<long long>(sod % 60), static_cast<long long>(frac));
  return buf;
}

absl::StatusOr<CivilDate> ParseDate(std::string_view text) {
  int64_t year, month, day;
  if (text.size() != 10 || !ReadDigits(text, 0, 4, &year) || text[4] != '-' ||
      !ReadDigits(text, 5, 2, &month) || text[7] != '-' || !ReadDigits(text, 8, 2, &day)) {
    return absl::InvalidArgumentError(
        StrCat("not a date: '", text.substr(0, 32), "' (expected YYYY-MM-DD)"));
  }
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, static_cast<unsigned>(month))) {
    return absl::InvalidArgumentError(StrCat("no such date: '", text, "'"));
  }
  return CivilDate{year, static_cast<unsigned>(month), static_cast<unsigned>(day)};
}

absl::StatusOr<Timestamp> ParseRfc3339(std::string_view text) {
  if (text.size() < 19) return Bad(text, "too short");
  absl::StatusOr<CivilDate> date = ParseDate(text.substr(0, 10));
  if (!date.ok()) return Bad(text, ToStd(date.status().message()));
  char sep = text[10];
  if (sep != 'T' && sep != 't' && sep != ' ') return Bad(text, "expected 'T' after the date");
  int64_t hh, mm, ss;
  if (!ReadDigits(text, 11, 2, &hh) || text[13] != ':' || !ReadDigits(text, 14, 2, &mm) ||
      text[16] != ':' || !ReadDigits(text, 17, 2, &ss)) {
    return Bad(text, "expected HH:MM:SS");
  }
  if (hh > 23 || mm > 59 || ss > 59) return Bad(text, "time of day out of range");
  size_t pos = 19;
  int64_t frac_ns = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits == 9) return Bad(text, "more than nine fractional digits");
      frac_ns = frac_ns * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return Bad(text, "empty fraction");
    for (int i = digits; i < 9; ++i) frac_ns *= 10;
  }
  if (pos >= text.size()) return Bad(text, "missing time zone (Z or +HH:MM)");
  int64_t offset_s = 0;
  char z = text[pos];
  if (z == 'Z' || z == 'z') {
    ++pos;
  } else if (z == '+' || z == '-') {
    int64_t oh, om;
    if (!ReadDigits(text, pos + 1, 2, &oh) || pos + 3 >= text.size() || text[pos + 3] != ':' ||
        !ReadDigits(text, pos + 4, 2, &om) || oh > 23 || om > 59) {
      return Bad(text, "bad offset (expected +HH:MM)");
    }
    offset_s = (oh * 3600 + om * 60) * (z == '-' ? -1 : 1);
    pos += 6;
  } else {
    return Bad(text, "missing time zone (Z or +HH:MM)");
  }
  if (pos != text.size()) return Bad(text, "trailing characters");
  int64_t days = DaysFromCivil(date->year, date->month, date->day);
  int64_t secs = days * kSecondsPerDay + hh * 3600 + mm * 60 + ss - offset_s;
  return Timestamp::FromNanos(secs * kNanosPerSecond + frac_ns);
}

}  // namespace tradeplane
