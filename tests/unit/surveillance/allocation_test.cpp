// The detectors must not allocate per event once warmed up. This binary
// counts allocations (tradeplane_allocation_counter replaces operator new).
#include <cstdio>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tradeplane/surveillance/lobster_adapter.h"
#include "tradeplane/surveillance/surveillance_engine.h"
#include "tradeplane/testing/allocation_counter.h"
#include "tradeplane/testing/temp_dir.h"

namespace tradeplane::surveillance {
namespace {

TEST_CASE("a warmed-up engine allocates nothing per event, only for the alerts it raises",
          "[surveillance][allocation]") {
  std::string text = tradeplane::testing::ReadFile(
      TRADEPLANE_SOURCE_DIR "/data/lobster/AMZN_2021-04-12_34200000_57600000_message_10.csv");
  ParticipantTable participants;
  absl::StatusOr<std::vector<Event>> converted = EventsFromLobsterText(
      text, LobsterAdapterOptions{0, CivilDate{2021, 4, 12}, 5}, &participants);
  REQUIRE(converted.ok());
  std::vector<Event> day = std::move(*converted);
  // Every order attributed to one of 64 participants, so that every order
  // event runs through every detector's windows and maps.
  std::vector<ParticipantId> ids;
  for (int p = 0; p < 64; ++p) ids.push_back(participants.Intern("P" + std::to_string(p)));
  for (Event& e : day) {
    if (e.kind == EventKind::kOrderSubmitted || e.kind == EventKind::kOrderCancelled ||
        e.kind == EventKind::kOrderExecuted) {
      e.participant = ids[(e.order_id * 0x9E3779B97F4A7C15ull) >> 58];
    }
  }
  EngineConfig config;
  config.detectors["marking_the_close"].params["close_time_utc_s"] = 14 * 3600;
  absl::StatusOr<std::unique_ptr<SurveillanceEngine>> engine =
      SurveillanceEngine::Create(config, &participants);
  REQUIRE(engine.ok());

  // Day one warms the windows and maps; day two (the same events a day later)
  // is measured.
  for (const Event& e : day) REQUIRE((*engine)->OnEvent(e).ok());
  EngineCounters before = (*engine)->counters();
  std::vector<Event> next_day = day;
  for (Event& e : next_day) e.time = e.time + std::chrono::hours(24);
  bool all_ok = true;
  size_t allocations = 0;
  {
    tradeplane::testing::CountAllocations counter;
    for (const Event& e : next_day) all_ok &= (*engine)->OnEvent(e).ok();
    allocations = static_cast<size_t>(counter.count());
  }
  REQUIRE(all_ok);
  EngineCounters after = (*engine)->counters();
  uint64_t raised = after.alerts_raised - before.alerts_raised;
  uint64_t suppressed = after.alerts_suppressed - before.alerts_suppressed;
  std::printf(
      "\nsecond day: %zu events, %llu alerts raised, %llu suppressed before being built, "
      "%zu allocations\n",
      next_day.size(), static_cast<unsigned long long>(raised),
      static_cast<unsigned long long>(suppressed), allocations);
  // Only what is raised allocates: an alert builds its strings and evidence
  // lists (about twenty allocations); the daily close and the tape window
  // re-grow a few maps and records. Nothing is left per event.
  CHECK(allocations <= 32 * raised + 256);

  // The same with thresholds no event can reach: no alert, so what is left
  // is the daily close and the tape window.
  EngineConfig quiet = config;
  quiet.detectors["wash_trade"].params["price_tolerance_bps"] = 0;
  quiet.detectors["wash_trade"].params["qty_tolerance"] = 0;
  quiet.detectors["wash_trade"].params["match_window_ms"] = 0;
  quiet.detectors["wash_trade"].params["same_participant_window_ms"] = 0;
  quiet.detectors["spoofing_layering"].params["min_size_to_depth"] = 1000;
  quiet.detectors["quote_stuffing"].params["min_messages"] = 1e9;
  quiet.detectors["momentum_ignition"].params["min_move_bps"] = 10'000;
  quiet.detectors["marking_the_close"].params["min_move_bps"] = 10'000;
  absl::StatusOr<std::unique_ptr<SurveillanceEngine>> silent =
      SurveillanceEngine::Create(quiet, &participants);
  REQUIRE(silent.ok());
  for (const Event& e : day) REQUIRE((*silent)->OnEvent(e).ok());
  {
    tradeplane::testing::CountAllocations counter;
    for (const Event& e : next_day) all_ok &= (*silent)->OnEvent(e).ok();
    allocations = static_cast<size_t>(counter.count());
  }
  REQUIRE(all_ok);
  std::printf("second day without alerts: %zu allocations (%llu alerts)\n", allocations,
              static_cast<unsigned long long>((*silent)->alerts().size()));
  for (size_t i = 0; i < (*silent)->alerts().size() && i < 3; ++i) {
    std::printf("  %s\n", (*silent)->alerts()[i].explanation.c_str());
  }
  CHECK((*silent)->alerts().empty());
  CHECK(allocations <= 16);
}

}  // namespace
}  // namespace tradeplane::surveillance
