#include "tradeplane/marketdata/replay_pacer.h"

#include <chrono>

#include <catch2/catch.hpp>

#include "book_test_values.h"

namespace tradeplane::marketdata {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::Message;

constexpr Timestamp kRecorded = Timestamp::FromSeconds(1'618'234'200);  // the recording's clock
constexpr Timestamp kNow = Timestamp::FromSeconds(5'000);               // the caller's clock

ReplayPacer Pacer(ReplayPacerOptions options) {
  absl::StatusOr<ReplayPacer> p = ReplayPacer::Create(options);
  REQUIRE(p.ok());
  return *p;
}

TEST_CASE("in real time each event waits for its recorded distance from the first",
          "[marketdata][replay]") {
  ReplayPacer pacer = Pacer({.speed = 1});
  PacingDecision first = pacer.Next(kRecorded, kNow);
  CHECK(first.action == PacingAction::kDeliver);
  CHECK(first.wait == Duration(0));
  CHECK(pacer.Next(kRecorded + milliseconds(250), kNow).wait == milliseconds(250));
  // The caller delivered it 300 ms after the start: the next, due at 1 s, waits 700 ms.
  CHECK(pacer.Next(kRecorded + seconds(1), kNow + milliseconds(300)).wait == milliseconds(700));
  // Behind schedule: due at once, and the schedule does not slip.
  CHECK(pacer.Next(kRecorded + seconds(2), kNow + seconds(3)).wait == Duration(0));
  CHECK(pacer.Next(kRecorded + seconds(4), kNow + seconds(3)).wait == seconds(1));
}

TEST_CASE("a speed of N divides the waits and 0 never waits", "[marketdata][replay]") {
  ReplayPacer fast = Pacer({.speed = 10});
  fast.Next(kRecorded, kNow);
  CHECK(fast.Next(kRecorded + seconds(5), kNow).wait == milliseconds(500));
  ReplayPacer slow = Pacer({.speed = 0.5});
  slow.Next(kRecorded, kNow);
  CHECK(slow.Next(kRecorded + seconds(5), kNow).wait == seconds(10));
  ReplayPacer flat_out = Pacer({.speed = 0});
  flat_out.Next(kRecorded, kNow);
  CHECK(flat_out.Next(kRecorded + seconds(3600), kNow).wait == Duration(0));
}

TEST_CASE("events before the start are skipped and the end stops the replay",
          "[marketdata][replay]") {
  ReplayPacer pacer =
      Pacer({.speed = 1, .start = kRecorded + seconds(10), .end = kRecorded + seconds(20)});
  CHECK(pacer.Next(kRecorded + seconds(9), kNow).action == PacingAction::kSkip);
  PacingDecision first = pacer.Next(kRecorded + seconds(10), kNow);
  CHECK(first.action == PacingAction::kDeliver);
  CHECK(first.wait == Duration(0));  // the schedule starts at the first delivered event
  CHECK(pacer.Next(kRecorded + seconds(19), kNow).wait == seconds(9));
  CHECK(pacer.Next(kRecorded + seconds(20), kNow).action == PacingAction::kStop);
  CHECK(pacer.stopped());
  // Once stopped, always stopped, even for an earlier event.
  CHECK(pacer.Next(kRecorded + seconds(15), kNow).action == PacingAction::kStop);
}

TEST_CASE("time going backwards in the recording is delivered at once", "[marketdata][replay]") {
  ReplayPacer pacer = Pacer({.speed = 1});
  pacer.Next(kRecorded + seconds(5), kNow);
  CHECK(pacer.Next(kRecorded + seconds(4), kNow).wait == Duration(0));
  CHECK(pacer.Next(kRecorded + seconds(6), kNow).wait == seconds(1));
}

TEST_CASE("reanchoring restarts the schedule after a pause", "[marketdata][replay]") {
  ReplayPacer pacer = Pacer({.speed = 1});
  pacer.Next(kRecorded, kNow);
  pacer.Reanchor();
  CHECK(pacer.Next(kRecorded + seconds(60), kNow + seconds(600)).wait == Duration(0));
  CHECK(pacer.Next(kRecorded + seconds(61), kNow + seconds(600)).wait == seconds(1));
}

TEST_CASE("a negative speed or an end before the start is refused", "[marketdata][replay]") {
  CHECK_THAT(Message(ReplayPacer::Create({.speed = -1}).status()),
             Catch::Contains("must be 0 (as fast as possible) or positive"));
  CHECK_THAT(
      Message(ReplayPacer::Create({.speed = 1, .start = kRecorded, .end = kRecorded}).status()),
      Catch::Contains("is not after its start"));
}

}  // namespace
}  // namespace tradeplane::marketdata
