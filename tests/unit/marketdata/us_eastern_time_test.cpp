#include "tradeplane/marketdata/us_eastern_time.h"

#include <chrono>

#include <catch2/catch.hpp>

#include "book_test_values.h"

namespace tradeplane::marketdata {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using testing::Message;

std::string Utc(CivilDate date, Duration time_of_day) {
  absl::StatusOr<Timestamp> t = NewYorkLocalToUtc(date, time_of_day);
  REQUIRE(t.ok());
  return FormatRfc3339(*t);
}

TEST_CASE("the open of both data files' days is 13:30 UTC (daylight time)", "[marketdata][time]") {
  // 34200 s after midnight = 09:30 New York.
  CHECK(Utc({2012, 6, 21}, seconds(34200)) == "2012-06-21T13:30:00.000000000Z");
  CHECK(Utc({2021, 4, 12}, seconds(34200)) == "2021-04-12T13:30:00.000000000Z");
  CHECK(Utc({2021, 4, 12}, seconds(57600)) == "2021-04-12T20:00:00.000000000Z");
}

TEST_CASE("a winter day is on standard time, five hours behind UTC", "[marketdata][time]") {
  CHECK(Utc({2021, 1, 15}, seconds(34200)) == "2021-01-15T14:30:00.000000000Z");
  CHECK(Utc({2012, 12, 3}, seconds(34200)) == "2012-12-03T14:30:00.000000000Z");
  // Late evening crosses into the next UTC day.
  CHECK(Utc({2021, 1, 15}, hours(23)) == "2021-01-16T04:00:00.000000000Z");
}

TEST_CASE("daylight time starts on the second Sunday of March at 02:00", "[marketdata][time]") {
  CHECK(DayOfWeek({2021, 3, 14}) == 0);
  CHECK(DayOfWeek({2012, 3, 11}) == 0);
  // 2021-03-14: 01:59:59 EST, then 03:00 EDT, one second later in UTC.
  CHECK(Utc({2021, 3, 14}, hours(2) - seconds(1)) == "2021-03-14T06:59:59.000000000Z");
  CHECK(Utc({2021, 3, 14}, hours(3)) == "2021-03-14T07:00:00.000000000Z");
  CHECK(Utc({2021, 3, 13}, hours(12)) == "2021-03-13T17:00:00.000000000Z");
  CHECK(Utc({2021, 3, 15}, hours(12)) == "2021-03-15T16:00:00.000000000Z");
  // The first Sunday of March is still winter.
  CHECK(Utc({2021, 3, 7}, hours(12)) == "2021-03-07T17:00:00.000000000Z");
  absl::StatusOr<Timestamp> gap = NewYorkLocalToUtc({2021, 3, 14}, hours(2) + minutes(30));
  CHECK_THAT(Message(gap.status()), Catch::Contains("does not exist"));
  CHECK(Utc({2012, 3, 11}, hours(3)) == "2012-03-11T07:00:00.000000000Z");
}

TEST_CASE("daylight time ends on the first Sunday of November at 02:00", "[marketdata][time]") {
  CHECK(DayOfWeek({2021, 11, 7}) == 0);
  CHECK(Utc({2021, 11, 6}, hours(12)) == "2021-11-06T16:00:00.000000000Z");
  // The repeated hour is read as its first occurrence (daylight time).
  CHECK(Utc({2021, 11, 7}, hours(1) + minutes(30)) == "2021-11-07T05:30:00.000000000Z");
  CHECK(Utc({2021, 11, 7}, hours(2)) == "2021-11-07T07:00:00.000000000Z");
  CHECK(Utc({2021, 11, 8}, hours(12)) == "2021-11-08T17:00:00.000000000Z");
  CHECK(Utc({2012, 11, 4}, hours(2)) == "2012-11-04T07:00:00.000000000Z");
  CHECK(Utc({2012, 11, 3}, hours(2)) == "2012-11-03T06:00:00.000000000Z");
}

TEST_CASE("dates before the 2007 rule and times outside the day are refused",
          "[marketdata][time]") {
  CHECK_THAT(Message(NewYorkLocalToUtc({2006, 7, 1}, hours(9)).status()),
             Catch::Contains("before 2007"));
  CHECK_THAT(Message(NewYorkLocalToUtc({2021, 7, 1}, hours(24)).status()),
             Catch::Contains("outside [0, 24 h)"));
  CHECK_THAT(Message(NewYorkLocalToUtc({2021, 7, 1}, -seconds(1)).status()),
             Catch::Contains("outside"));
}

}  // namespace
}  // namespace tradeplane::marketdata
