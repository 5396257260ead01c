#include "tradeplane/surveillance/surveillance_engine.h"

#include <array>
#include <utility>

#include "tradeplane/core/str_cat.h"
#include "tradeplane/surveillance/marking_close_detector.h"
#include "tradeplane/surveillance/momentum_ignition_detector.h"
#include "tradeplane/surveillance/quote_stuffing_detector.h"
#include "tradeplane/surveillance/spoofing_detector.h"
#include "tradeplane/surveillance/wash_trade_detector.h"

namespace tradeplane::surveillance {
namespace {

constexpr std::array<std::string_view, 6> kDetectorNames = {
    "wash_trade",        "spoofing_layering", "quote_stuffing",
    "momentum_ignition", "marking_the_close", "tape_statistics",
};

const DetectorSettings& SettingsFor(const EngineConfig& config, std::string_view name) {
  static const DetectorSettings kDefaults;
  auto it = config.detectors.find(std::string(name));
  return it == config.detectors.end() ? kDefaults : it->second;
}

}  // namespace

std::span<const std::string_view> DetectorNames() { return kDetectorNames; }

absl::StatusOr<std::span<const ParamSpec>> DetectorParamSpecs(std::string_view detector) {
  if (detector == "wash_trade") return WashTradeParams::Specs();
  if (detector == "spoofing_layering") return SpoofingParams::Specs();
  if (detector == "quote_stuffing") return QuoteStuffingParams::Specs();
  if (detector == "momentum_ignition") return MomentumIgnitionParams::Specs();
  if (detector == "marking_the_close") return MarkingCloseParams::Specs();
  if (detector == "tape_statistics") return TapeParams::Specs();
  return absl::InvalidArgumentError(StrCat("unknown detector '", detector,
                                           "' (known: wash_trade, spoofing_layering, "
                                           "quote_stuffing, momentum_ignition, "
                                           "marking_the_close, tape_statistics)"));
}

absl::StatusOr<EngineConfig> EngineConfigFromProto(const config::v1::SentinelConfig& config) {
  EngineConfig out;
  for (int i = 0; i < config.detectors_size(); ++i) {
    const config::v1::DetectorConfig& d = config.detectors(i);
    std::string where = StrCat("detectors[", i, "] ('", d.name(), "')");
    absl::StatusOr<std::span<const ParamSpec>> specs = DetectorParamSpecs(d.name());
    if (!specs.ok())
      return absl::InvalidArgumentError(StrCat(where, ": ", specs.status().message()));
    if (out.detectors.count(d.name()) != 0) {
      return absl::InvalidArgumentError(StrCat(where, ": the detector is configured twice"));
    }
    DetectorSettings settings;
    settings.enabled = !d.has_enabled() || d.enabled();
    for (const auto& [key, value] : d.params()) settings.params[key] = value;
    out.detectors.emplace(d.name(), std::move(settings));
  }
  if (config.dedup_window_s() != 0)
    out.dedup_window = std::chrono::seconds(config.dedup_window_s());
  for (const auto& [participant, owner] : config.beneficial_owners()) {
    out.beneficial_owners[participant] = owner;
  }
  return out;
}

SurveillanceEngine::SurveillanceEngine(Duration dedup_window, const TapeParams& tape)
    : dedup_window_(dedup_window), tape_(tape) {}

absl::StatusOr<std::unique_ptr<SurveillanceEngine>> SurveillanceEngine::Create(
    const EngineConfig& config, ParticipantTable* participants) {
  for (const auto& [name, settings] : config.detectors) {
    absl::StatusOr<std::span<const ParamSpec>> specs = DetectorParamSpecs(name);
    if (!specs.ok()) return specs.status();
  }
  if (config.dedup_window < Duration(0)) {
    return absl::InvalidArgumentError("dedup window: must not be negative");
  }
  for (const auto& [participant, owner] : config.beneficial_owners) {
    absl::Status status = participants->SetBeneficialOwner(participant, owner);
    if (!status.ok()) return status;
  }

  const DetectorSettings& tape_settings = SettingsFor(config, "tape_statistics");
  absl::StatusOr<TapeParams> tape = TapeParams::FromMap(tape_settings.params);
  if (!tape.ok()) return tape.status();
  std::unique_ptr<SurveillanceEngine> engine(new SurveillanceEngine(config.dedup_window, *tape));
  engine->tape_enabled_ = tape_settings.enabled;

  const DetectorSettings& wash = SettingsFor(config, "wash_trade");
  absl::StatusOr<WashTradeParams> wash_params = WashTradeParams::FromMap(wash.params);
  if (!wash_params.ok()) return wash_params.status();
  if (wash.enabled) {
    engine->detectors_.push_back(std::make_unique<WashTradeDetector>(*wash_params, participants));
  }
  const DetectorSettings& spoof = SettingsFor(config, "spoofing_layering");
  absl::StatusOr<SpoofingParams> spoof_params = SpoofingParams::FromMap(spoof.params);
  if (!spoof_params.ok()) return spoof_params.status();
  if (spoof.enabled) {
    engine->detectors_.push_back(std::make_unique<SpoofingDetector>(*spoof_params, participants));
  }
  const DetectorSettings& stuffing = SettingsFor(config, "quote_stuffing");
  absl::StatusOr<QuoteStuffingParams> stuffing_params =
      QuoteStuffingParams::FromMap(stuffing.params);
  if (!stuffing_params.ok()) return stuffing_params.status();
  if (stuffing.enabled) {
    engine->detectors_.push_back(
        std::make_unique<QuoteStuffingDetector>(*stuffing_params, participants));
  }
  const DetectorSettings& momentum = SettingsFor(config, "momentum_ignition");
  absl::StatusOr<MomentumIgnitionParams> momentum_params =
      MomentumIgnitionParams::FromMap(momentum.params);
  if (!momentum_params.ok()) return momentum_params.status();
  if (momentum.enabled) {
    engine->detectors_.push_back(
        std::make_unique<MomentumIgnitionDetector>(*momentum_params, participants));
  }
  const DetectorSettings& close = SettingsFor(config, "marking_the_close");
  absl::StatusOr<MarkingCloseParams> close_params = MarkingCloseParams::FromMap(close.params);
  if (!close_params.ok()) return close_params.status();
  if (close.enabled) {
    engine->detectors_.push_back(
        std::make_unique<MarkingCloseDetector>(*close_params, participants));
  }
  return engine;
}

absl::Status SurveillanceEngine::OnEvent(const Event& event) {
  if (seen_event_ && event.time < last_time_) {
    return absl::InvalidArgumentError(StrCat("event out of time order: ", FormatRfc3339(event.time),
                                             " after ", FormatRfc3339(last_time_), " (",
                                             EventKindName(event.kind), ")"));
  }
  seen_event_ = true;
  last_time_ = event.time;
  ++counters_.events;
  market_.Apply(event);
  if (tape_enabled_) tape_.OnEvent(event);
  for (const std::unique_ptr<Detector>& detector : detectors_) {
    detector->OnEvent(event, market_, *this);
  }
  return absl::OkStatus();
}

void SurveillanceEngine::Finish(Timestamp end) {
  if (seen_event_ && end < last_time_) end = last_time_;
  for (const std::unique_ptr<Detector>& detector : detectors_) {
    detector->Finish(end, market_, *this);
  }
  if (tape_enabled_) tape_.Finish(end);
}

void SurveillanceEngine::Reset() {
  for (const std::unique_ptr<Detector>& detector : detectors_) detector->Reset();
  tape_.Reset();
  market_.Clear();
  alerts_.clear();
  last_raised_.clear();
  counters_ = EngineCounters{};
  last_time_ = Timestamp();
  seen_event_ = false;
}

std::vector<Alert> SurveillanceEngine::TakeAlerts() {
  std::vector<Alert> out;
  out.swap(alerts_);
  return out;
}

bool SurveillanceEngine::Admits(AlertType type, ParticipantId subject, InstrumentIndex instrument,
                                Timestamp time) {
  auto it = last_raised_.find(DedupKey{type, subject, instrument});
  if (it == last_raised_.end() || time - it->second >= dedup_window_) return true;
  ++counters_.alerts_suppressed;
  return false;
}

void SurveillanceEngine::Raise(Alert alert) {
  DedupKey key{alert.type, alert.subject, alert.instrument};
  auto [it, inserted] = last_raised_.try_emplace(key, alert.raised);
  if (!inserted) {
    if (alert.raised - it->second < dedup_window_) {
      ++counters_.alerts_suppressed;
      return;
    }
    it->second = alert.raised;
  }
  ++counters_.alerts_raised;
  alerts_.push_back(std::move(alert));
}

}  // namespace tradeplane::surveillance
