#include "tradeplane/surveillance/lobster_adapter.h"

#include <string>

#include <catch2/catch.hpp>

#include "tradeplane/testing/temp_dir.h"

#include "test_values.h"

namespace tradeplane::surveillance {
namespace {

using testing::kBuy;
using testing::kSell;
using testing::P;
using testing::Q;

constexpr CivilDate kDay{2021, 4, 12};

std::vector<Event> Convert(std::string_view text, ParticipantTable* participants) {
  absl::StatusOr<std::vector<Event>> events =
      EventsFromLobsterText(text, LobsterAdapterOptions{0, kDay, 5}, participants);
  INFO(events.status().ToString());
  REQUIRE(events.ok());
  return *events;
}

TEST_CASE("LOBSTER rows become submits, cancels, fills, trades and book updates",
          "[surveillance][lobster]") {
  ParticipantTable participants;
  std::vector<Event> events = Convert(
      "34200.1,1,11,100,33600000,1,UBSS\n"     // buy 100 @ 3360.00 by UBSS
      "34200.2,1,12,50,33610000,-1,null\n"     // sell 50 @ 3361.00
      "34200.3,2,11,40,33600000,1,UBSS\n"      // 40 of it cancelled
      "34200.4,4,11,60,33600000,1,UBSS\n"      // the rest executed (a seller took it)
      "34200.5,5,0,7,33605000,-1,null\n"       // a hidden sell executed
      "34200.6,3,12,50,33610000,-1,null\r\n",  // deleted
      &participants);
  ParticipantId ubss = *participants.Find("UBSS");
  std::vector<EventKind> kinds;
  for (const Event& e : events) kinds.push_back(e.kind);
  CHECK(kinds == std::vector<EventKind>{
                     EventKind::kOrderSubmitted, EventKind::kBookUpdate, EventKind::kOrderSubmitted,
                     EventKind::kBookUpdate, EventKind::kOrderCancelled, EventKind::kBookUpdate,
                     EventKind::kOrderExecuted, EventKind::kPublicTrade, EventKind::kBookUpdate,
                     EventKind::kPublicTrade, EventKind::kOrderCancelled, EventKind::kBookUpdate});
  // 09:30 New York on 2021-04-12 is 13:30 UTC.
  CHECK(FormatRfc3339(events[0].time) == "2021-04-12T13:30:00.100000000Z");
  CHECK(events[0].participant == ubss);
  CHECK(events[0].aggression == Aggression::kPassive);
  CHECK(events[0].price == P("3360"));
  CHECK(events[2].participant == kUnknownParticipant);
  CHECK(events[3].bid_price == P("3360"));
  CHECK(events[3].ask_price == P("3361"));
  CHECK(events[3].bid_depth_qty == Q("100"));
  CHECK(events[4].qty == Q("40"));
  CHECK(events[4].remaining_qty == Q("60"));
  const Event& fill = events[6];
  CHECK(fill.participant == ubss);
  CHECK(fill.side == kBuy);  // LOBSTER gives the resting order's side
  CHECK(fill.fill_id == 1);
  CHECK(fill.qty == Q("60"));
  CHECK(events[7].side == kSell);  // the aggressor was the other side
  CHECK(events[7].fill_id == 1);
  CHECK(events[8].bid_price == Price());  // the bid side is empty
  CHECK(events[9].fill_id == 2);
  CHECK(events[9].side == kBuy);
  CHECK(events[10].remaining_qty == Quantity());
}

TEST_CASE("a bad row or a row back in time is refused with its line number",
          "[surveillance][lobster]") {
  ParticipantTable participants;
  absl::StatusOr<std::vector<Event>> bad =
      EventsFromLobsterText("34200.1,1,11,100,33600000,1\n34200.2,9,11,100,33600000,1\n",
                            LobsterAdapterOptions{0, kDay, 5}, &participants);
  REQUIRE_FALSE(bad.ok());
  CHECK(std::string(bad.status().message()).rfind("line 2: ", 0) == 0);
  absl::StatusOr<std::vector<Event>> back =
      EventsFromLobsterText("34200.2,1,11,100,33600000,1\n34200.1,1,12,100,33600000,1\n",
                            LobsterAdapterOptions{0, kDay, 5}, &participants);
  REQUIRE_FALSE(back.ok());
  CHECK(std::string(back.status().message()).find("line 2: message at") != std::string::npos);
}

TEST_CASE("the AMZN half-hour converts with its participants and executions",
          "[surveillance][lobster]") {
  std::string text = tradeplane::testing::ReadFile(
      TRADEPLANE_SOURCE_DIR "/data/lobster/AMZN_2021-04-12_34200000_57600000_message_10.csv");
  ParticipantTable participants;
  std::vector<Event> events = Convert(text, &participants);
  size_t submits = 0, cancels = 0, fills = 0, trades = 0, books = 0, ubss_events = 0;
  for (const Event& e : events) {
    submits += e.kind == EventKind::kOrderSubmitted;
    cancels += e.kind == EventKind::kOrderCancelled;
    fills += e.kind == EventKind::kOrderExecuted;
    trades += e.kind == EventKind::kPublicTrade;
    books += e.kind == EventKind::kBookUpdate;
    ubss_events += e.participant != kUnknownParticipant;
  }
  CHECK(submits == 17'187);
  CHECK(cancels == 14'462 + 3);
  CHECK(fills == 5'389);               // visible executions; hidden ones name nobody here
  CHECK(trades == 5'389 + 3'632 + 1);  // visible, hidden and the opening cross
  CHECK(ubss_events == 62);
  CHECK(participants.size() == 2);  // unknown and UBSS
  CHECK(books > 10'000);
  for (size_t i = 1; i < events.size(); ++i) REQUIRE(events[i - 1].time <= events[i].time);
}

}  // namespace
}  // namespace tradeplane::surveillance
