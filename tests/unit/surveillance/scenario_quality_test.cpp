// Measured quality of the detectors: recall and precision on the labelled
// scenario set (scenario_support.h), and the alerts the untouched AMZN
// half-hour raises.
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tradeplane/core/enum_names.h"
#include "tradeplane/surveillance/review.h"

#include "scenario_support.h"

namespace tradeplane::surveillance::testing {
namespace {

constexpr AlertType kTypes[] = {
    v1::ALERT_TYPE_WASH_TRADE,        v1::ALERT_TYPE_SPOOFING_LAYERING,
    v1::ALERT_TYPE_QUOTE_STUFFING,    v1::ALERT_TYPE_MOMENTUM_IGNITION,
    v1::ALERT_TYPE_MARKING_THE_CLOSE,
};

struct DetectorScore {
  int positives = 0;
  int detected = 0;
  int near_misses = 0;  // negatives of this family
  int true_alerts = 0;
  int false_alerts = 0;
  std::string example;  // the first true alert's explanation
  std::vector<std::string> notes;

  double recall() const { return positives == 0 ? 1 : static_cast<double>(detected) / positives; }
  double precision() const {
    int alerts = true_alerts + false_alerts;
    return alerts == 0 ? 1 : static_cast<double>(true_alerts) / alerts;
  }
};

std::vector<Scenario> AllScenarios(uint64_t seed) {
  SeededRandom random(seed);
  std::vector<Scenario> all;
  for (auto family : {WashTradeScenarios, SpoofingScenarios, QuoteStuffingScenarios,
                      MomentumIgnitionScenarios, MarkingCloseScenarios, CleanStretches}) {
    std::vector<Scenario> more = family(random);
    for (Scenario& s : more) all.push_back(std::move(s));
  }
  return all;
}

TEST_CASE("scenario generation is deterministic for a seed", "[surveillance][quality]") {
  std::vector<Scenario> a = AllScenarios(7);
  std::vector<Scenario> b = AllScenarios(7);
  std::vector<Scenario> c = AllScenarios(8);
  REQUIRE(a.size() == b.size());
  bool differs_from_other_seed = false;
  for (size_t i = 0; i < a.size(); ++i) {
    INFO(a[i].name);
    CHECK(a[i].name == b[i].name);
    REQUIRE(a[i].rows.size() == b[i].rows.size());
    REQUIRE(a[i].events.size() == b[i].events.size());
    for (size_t k = 0; k < a[i].rows.size(); ++k) {
      CHECK(a[i].rows[k].time_after_midnight == b[i].rows[k].time_after_midnight);
      CHECK(a[i].rows[k].size == b[i].rows[k].size);
    }
    for (size_t k = 0; k < a[i].events.size(); ++k) {
      CHECK(a[i].events[k].event.time == b[i].events[k].event.time);
      CHECK(a[i].events[k].event.price == b[i].events[k].event.price);
    }
    if (i < c.size() && (c[i].start_s != a[i].start_s || c[i].name != a[i].name)) {
      differs_from_other_seed = true;
    }
  }
  CHECK(differs_from_other_seed);
}

TEST_CASE("every detector reaches 0.95 recall and 0.9 precision on the labelled scenarios",
          "[surveillance][quality]") {
  std::vector<Scenario> scenarios = AllScenarios(20210412);
  EngineConfig config = QualityConfig();
  std::map<AlertType, DetectorScore> scores;
  size_t events = 0;
  int clean = 0;
  for (const Scenario& s : scenarios) {
    ScenarioRun run = RunScenario(s, config);
    events += run.events;
    if (s.family == v1::ALERT_TYPE_UNSPECIFIED) ++clean;
    if (s.expected != v1::ALERT_TYPE_UNSPECIFIED) {
      ++scores[s.expected].positives;
    } else if (s.family != v1::ALERT_TYPE_UNSPECIFIED) {
      ++scores[s.family].near_misses;
    }
    bool detected = false;
    for (const Alert& alert : run.alerts) {
      DetectorScore& score = scores[alert.type];
      std::string subject(run.participants.Name(alert.subject));
      if (alert.type == s.expected && subject == s.subject) {
        ++score.true_alerts;
        detected = true;
        if (score.example.empty()) score.example = s.name + ": " + alert.explanation;
      } else {
        ++score.false_alerts;
        score.notes.push_back("false alarm in '" + s.name + "': " + alert.explanation);
      }
    }
    if (s.expected != v1::ALERT_TYPE_UNSPECIFIED) {
      if (detected) {
        ++scores[s.expected].detected;
      } else {
        scores[s.expected].notes.push_back("missed '" + s.name + "' (" + s.subject + ")");
      }
    }
  }

  std::printf("\nDetector quality on %zu scenarios (%d clean stretches), %zu events replayed:\n",
              scenarios.size(), clean, events);
  std::printf("  %-18s %9s %8s %6s %11s %6s %6s %9s\n", "detector", "positive", "found", "recall",
              "near-miss", "true", "false", "precision");
  for (AlertType type : kTypes) {
    const DetectorScore& score = scores[type];
    std::printf("  %-18s %9d %8d %6.3f %11d %6d %6d %9.3f\n",
                std::string(DetectorName(type)).c_str(), score.positives, score.detected,
                score.recall(), score.near_misses, score.true_alerts, score.false_alerts,
                score.precision());
  }
  for (AlertType type : kTypes) {
    std::printf("  example %s\n", scores[type].example.c_str());
  }
  for (AlertType type : kTypes) {
    for (const std::string& note : scores[type].notes) {
      std::printf("  %s: %s\n", std::string(DetectorName(type)).c_str(), note.c_str());
    }
  }
  std::fflush(stdout);

  for (AlertType type : kTypes) {
    const DetectorScore& score = scores[type];
    INFO(DetectorName(type));
    CHECK(score.positives >= 10);
    CHECK(score.near_misses >= 5);
    CHECK(score.recall() >= 0.95);
    CHECK(score.precision() >= 0.9);
  }
}

TEST_CASE("the untouched AMZN half-hour raises no alert on its named participant",
          "[surveillance][quality]") {
  const AmznDay& day = Amzn();
  ParticipantTable participants = day.participants;
  absl::StatusOr<ReviewResult> result =
      Review(day.baseline, QualityConfig(), &participants, NewYork(kCloseS));
  REQUIRE(result.ok());
  std::printf("\nUntouched AMZN 09:30-10:00: %zu events, %zu alerts (false positives)\n",
              day.baseline.size(), result->alerts.size());
  for (const Alert& alert : result->alerts) {
    std::printf("  %s %s: %s\n", std::string(ShortEnumName(alert.type)).c_str(),
                std::string(participants.Name(alert.subject)).c_str(), alert.explanation.c_str());
  }
  REQUIRE(result->tape_statistics.size() == 1);
  const TapeStatisticsRecord& tape = result->tape_statistics[0];
  std::printf(
      "  tape: %llu trades, round-lot share %.3f, Benford chi-square %.1f (p = %.3g), "
      "first digits",
      static_cast<unsigned long long>(tape.trades), tape.round_size_share(),
      tape.benford_chi_square(), tape.benford_p_value());
  for (uint64_t count : tape.first_digit_counts) {
    std::printf(" %.3f", static_cast<double>(count) / static_cast<double>(tape.trades));
  }
  std::printf("\n");

  // Anonymous flow pooled as one participant: what the default avoids.
  EngineConfig pooled = QualityConfig();
  for (std::string_view name : DetectorNames()) {
    if (name != "tape_statistics")
      pooled.detectors[std::string(name)].params["include_unknown"] = 1;
  }
  ParticipantTable pooled_participants = day.participants;
  absl::StatusOr<ReviewResult> pooled_result =
      Review(day.baseline, pooled, &pooled_participants, NewYork(kCloseS));
  REQUIRE(pooled_result.ok());
  std::map<std::string, int> pooled_by_type;
  for (const Alert& alert : pooled_result->alerts) {
    ++pooled_by_type[std::string(ShortEnumName(alert.type))];
  }
  std::printf("  with every anonymous order pooled as one participant 'unknown': %zu alerts",
              pooled_result->alerts.size());
  for (const auto& [type, count] : pooled_by_type) std::printf(", %s %d", type.c_str(), count);
  std::printf("\n");
  std::fflush(stdout);

  CHECK(result->alerts.empty());
  CHECK(tape.trades == 5'389 + 3'632 + 1);
}

}  // namespace
}  // namespace tradeplane::surveillance::testing
