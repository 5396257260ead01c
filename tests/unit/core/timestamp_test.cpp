#include "tradeplane/core/timestamp.h"

#include <random>

#include <catch2/catch.hpp>

#include "tradeplane/core/clock.h"

namespace tradeplane {
namespace {

TEST_CASE("timestamps print as RFC 3339 UTC with nanoseconds", "[core][time]") {
  CHECK(FormatRfc3339(Timestamp::FromNanos(0)) == "1970-01-01T00:00:00.000000000Z");
  // LOBSTER AMZN starts 2021-04-12 09:30:00 New York = 13:30:00 UTC.
  CHECK(FormatRfc3339(Timestamp::FromSeconds(1618234200)) == "2021-04-12T13:30:00.000000000Z");
  CHECK(FormatRfc3339(Timestamp::FromNanos(1634000912123456789)) ==
        "2021-10-12T01:08:32.123456789Z");
  CHECK(FormatRfc3339(Timestamp::FromNanos(-1)) == "1969-12-31T23:59:59.999999999Z");
  CHECK(FormatRfc3339(Timestamp::FromSeconds(951782400)) == "2000-02-29T00:00:00.000000000Z");
}

TEST_CASE("RFC 3339 text parses, with offsets and short fractions", "[core][time]") {
  CHECK(ParseRfc3339("2021-04-12T13:30:00Z")->nanos() == 1618234200LL * 1'000'000'000);
  CHECK(ParseRfc3339("2021-04-12T09:30:00.5-04:00")->nanos() ==
        1618234200LL * 1'000'000'000 + 500'000'000);
  CHECK(ParseRfc3339("2021-04-12 13:30:00.000000001z")->nanos() ==
        1618234200LL * 1'000'000'000 + 1);
}

TEST_CASE("malformed timestamps are refused with the reason", "[core][time]") {
  auto why = [](std::string_view text) {
    absl::StatusOr<Timestamp> t = ParseRfc3339(text);
    REQUIRE_FALSE(t.ok());
    return std::string(t.status().message());
  };
  CHECK_THAT(why("2021-04-12T13:30:00"), Catch::Contains("time zone"));
  CHECK_THAT(why("2021-02-30T00:00:00Z"), Catch::Contains("no such date"));
  CHECK_THAT(why("2021-04-12T24:00:00Z"), Catch::Contains("out of range"));
  CHECK_THAT(why("2021-04-12T13:30:00.1234567891Z"), Catch::Contains("nine"));
  CHECK_THAT(why("2021-04-12T13:30:00Zjunk"), Catch::Contains("trailing"));
  CHECK_THAT(why("yesterday"), Catch::Contains("too short"));
}

TEST_CASE("format and parse are inverse over a wide range", "[core][time][property]") {
  std::mt19937_64 rng(1);
  // Years 1900..2262 (the int64 nanosecond range).
  std::uniform_int_distribution<int64_t> any(-2'208'988'800LL * 1'000'000'000, INT64_MAX);
  for (int i = 0; i < 20'000; ++i) {
    Timestamp t = Timestamp::FromNanos(any(rng));
    absl::StatusOr<Timestamp> back = ParseRfc3339(FormatRfc3339(t));
    REQUIRE(back.ok());
    REQUIRE(*back == t);
  }
}

TEST_CASE("civil days round-trip", "[core][time]") {
  for (int64_t d = -800'000; d < 800'000; d += 37) {
    CivilDate c = CivilFromDays(d);
    REQUIRE(DaysFromCivil(c.year, c.month, c.day) == d);
  }
}

TEST_CASE("a manual clock moves only when told", "[core][time]") {
  ManualClock clock(Timestamp::FromSeconds(100));
  CHECK(clock.Now() == Timestamp::FromSeconds(100));
  clock.Advance(std::chrono::milliseconds(1500));
  CHECK(clock.Now().millis() == 101'500);
  clock.Set(Timestamp::FromNanos(7));
  CHECK(clock.Now().nanos() == 7);
  // The system clock is after this code was written.
  CHECK(SystemClock::Instance().Now() > *ParseRfc3339("2026-01-01T00:00:00Z"));
}

}  // namespace
}  // namespace tradeplane
