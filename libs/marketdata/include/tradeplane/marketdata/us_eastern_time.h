// New York local time (US Eastern) to UTC, by the US daylight-saving rule in
// force since 2007 (Energy Policy Act of 2005): daylight time (UTC-4) from the
// second Sunday of March at 02:00 local standard time to the first Sunday of
// November at 02:00 local daylight time; standard time (UTC-5) otherwise.
// Pure arithmetic, no time-zone database.
#ifndef TRADEPLANE_MARKETDATA_US_EASTERN_TIME_H_
#define TRADEPLANE_MARKETDATA_US_EASTERN_TIME_H_

#include "tradeplane/core/timestamp.h"

#include "absl/status/statusor.h"

namespace tradeplane::marketdata {

// Whether daylight time is in force at `time_of_day` (wall clock, from local
// midnight) on `date`. The transitions fall on Sundays at 02:00, never on a
// trading day; for completeness: the wall times 02:00-02:59:59 on the March
// transition day do not exist and are refused, and the repeated hour
// 01:00-01:59:59 on the November day is read as its first occurrence
// (daylight time). Years before 2007 (a different rule) and times of day
// outside [0, 24 h) are refused.
absl::StatusOr<bool> IsNewYorkDaylightTime(CivilDate date, Duration time_of_day);

// The UTC instant of a New York wall-clock time.
absl::StatusOr<Timestamp> NewYorkLocalToUtc(CivilDate date, Duration time_of_day);

// 0 = Sunday ... 6 = Saturday.
int DayOfWeek(CivilDate date);

}  // namespace tradeplane::marketdata

#endif  // TRADEPLANE_MARKETDATA_US_EASTERN_TIME_H_
