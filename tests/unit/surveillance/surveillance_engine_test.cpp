#include "tradeplane/surveillance/surveillance_engine.h"

#include <catch2/catch.hpp>

#include "test_values.h"

namespace tradeplane::surveillance {
namespace {

using testing::kBuy;
using testing::kSell;
using testing::P;
using testing::Q;
using testing::T;

std::unique_ptr<SurveillanceEngine> MakeEngine(const EngineConfig& config,
                                               ParticipantTable* participants) {
  absl::StatusOr<std::unique_ptr<SurveillanceEngine>> engine =
      SurveillanceEngine::Create(config, participants);
  REQUIRE(engine.ok());
  return std::move(*engine);
}

Event SelfTrade(double ms, ParticipantId who, uint64_t id) {
  return OrderExecuted(T(ms), 0, who, id, id, kBuy, P("10"), Q("5"), Aggression::kAggressive, who);
}

TEST_CASE("the same type, subject and instrument does not alert again within the dedup window",
          "[surveillance][engine]") {
  ParticipantTable participants;
  ParticipantId who = participants.Intern("SELF");
  EngineConfig config;
  config.dedup_window = std::chrono::seconds(60);
  std::unique_ptr<SurveillanceEngine> engine = MakeEngine(config, &participants);
  REQUIRE(engine->OnEvent(SelfTrade(0, who, 1)).ok());
  REQUIRE(engine->OnEvent(SelfTrade(30'000, who, 2)).ok());  // suppressed
  // Another instrument is another key.
  Event elsewhere = SelfTrade(40'000, who, 3);
  elsewhere.instrument = 1;
  REQUIRE(engine->OnEvent(elsewhere).ok());
  REQUIRE(engine->OnEvent(SelfTrade(59'999, who, 4)).ok());  // suppressed
  REQUIRE(engine->OnEvent(SelfTrade(60'000, who, 5)).ok());  // the window has passed
  CHECK(engine->alerts().size() == 3);
  CHECK(engine->counters().alerts_raised == 3);
  CHECK(engine->counters().alerts_suppressed == 2);
  CHECK(engine->counters().events == 5);
}

TEST_CASE("an event earlier than the previous one is refused and changes nothing",
          "[surveillance][engine]") {
  ParticipantTable participants;
  std::unique_ptr<SurveillanceEngine> engine = MakeEngine(EngineConfig{}, &participants);
  REQUIRE(engine->OnEvent(PublicTrade(T(1000), 0, 1, kBuy, P("10"), Q("1"))).ok());
  absl::Status late = engine->OnEvent(PublicTrade(T(999), 0, 2, kSell, P("11"), Q("1")));
  CHECK(late.code() == absl::StatusCode::kInvalidArgument);
  CHECK(std::string(late.message()).find("out of time order") != std::string::npos);
  CHECK(engine->market().at(0).last_trade_price == P("10"));
  CHECK(engine->counters().events == 1);
}

TEST_CASE("a disabled detector raises nothing", "[surveillance][engine]") {
  ParticipantTable participants;
  ParticipantId who = participants.Intern("SELF");
  EngineConfig config;
  config.detectors["wash_trade"].enabled = false;
  std::unique_ptr<SurveillanceEngine> engine = MakeEngine(config, &participants);
  REQUIRE(engine->OnEvent(SelfTrade(0, who, 1)).ok());
  CHECK(engine->alerts().empty());
}

TEST_CASE("bad configuration is refused with the detector and key", "[surveillance][engine]") {
  ParticipantTable participants;
  EngineConfig unknown_detector;
  unknown_detector.detectors["front_running"] = DetectorSettings{};
  absl::StatusOr<std::unique_ptr<SurveillanceEngine>> e1 =
      SurveillanceEngine::Create(unknown_detector, &participants);
  REQUIRE_FALSE(e1.ok());
  CHECK(std::string(e1.status().message()).find("unknown detector 'front_running'") !=
        std::string::npos);

  EngineConfig bad_value;
  bad_value.detectors["quote_stuffing"].params["max_fill_ratio"] = 2;
  absl::StatusOr<std::unique_ptr<SurveillanceEngine>> e2 =
      SurveillanceEngine::Create(bad_value, &participants);
  REQUIRE_FALSE(e2.ok());
  CHECK(std::string(e2.status().message())
            .find("detector 'quote_stuffing': parameter 'max_fill_ratio' = 2 is outside [0, 1]") !=
        std::string::npos);

  EngineConfig bad_owner;
  bad_owner.beneficial_owners["null"] = "FIRM";
  CHECK_FALSE(SurveillanceEngine::Create(bad_owner, &participants).ok());
}

TEST_CASE("sentinel's configuration maps onto the engine's", "[surveillance][engine]") {
  config::v1::SentinelConfig proto;
  config::v1::DetectorConfig* spoofing = proto.add_detectors();
  spoofing->set_name("spoofing_layering");
  spoofing->set_enabled(true);
  (*spoofing->mutable_params())["min_size_to_depth"] = 0.8;
  config::v1::DetectorConfig* stuffing = proto.add_detectors();
  stuffing->set_name("quote_stuffing");
  stuffing->set_enabled(false);
  proto.set_dedup_window_s(120);
  absl::StatusOr<EngineConfig> config = EngineConfigFromProto(proto);
  REQUIRE(config.ok());
  CHECK(config->dedup_window == std::chrono::seconds(120));
  CHECK(config->detectors.at("spoofing_layering").params.at("min_size_to_depth") == 0.8);
  CHECK_FALSE(config->detectors.at("quote_stuffing").enabled);

  config::v1::SentinelConfig twice;
  twice.add_detectors()->set_name("wash_trade");
  twice.add_detectors()->set_name("wash_trade");
  absl::StatusOr<EngineConfig> refused = EngineConfigFromProto(twice);
  REQUIRE_FALSE(refused.ok());
  CHECK(std::string(refused.status().message()).find("detectors[1] ('wash_trade')") !=
        std::string::npos);

  config::v1::SentinelConfig defaults;
  absl::StatusOr<EngineConfig> default_config = EngineConfigFromProto(defaults);
  REQUIRE(default_config.ok());
  CHECK(default_config->dedup_window == std::chrono::seconds(300));
}

TEST_CASE("reset forgets events, alerts and de-duplication", "[surveillance][engine]") {
  ParticipantTable participants;
  ParticipantId who = participants.Intern("SELF");
  std::unique_ptr<SurveillanceEngine> engine = MakeEngine(EngineConfig{}, &participants);
  REQUIRE(engine->OnEvent(SelfTrade(1000, who, 1)).ok());
  engine->Reset();
  CHECK(engine->alerts().empty());
  REQUIRE(engine->OnEvent(SelfTrade(0, who, 1)).ok());  // earlier time is fine after a reset
  CHECK(engine->alerts().size() == 1);
}

}  // namespace
}  // namespace tradeplane::surveillance
