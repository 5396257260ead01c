// All detectors together over one event stream: the market state they share,
// the tape statistics, and alert de-duplication (the same type, subject and
// instrument does not alert again within dedup_window).
//
// Pure and deterministic: the same events in the same order give the same
// alerts. Per event: one market-state update and one call per enabled
// detector, each O(1) amortized without allocation after warm-up (alerts,
// which are rare, allocate). Thread-compatible.
#ifndef TRADEPLANE_SURVEILLANCE_SURVEILLANCE_ENGINE_H_
#define TRADEPLANE_SURVEILLANCE_SURVEILLANCE_ENGINE_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tradeplane/config/v1/services.pb.h"
#include "tradeplane/surveillance/alert.h"
#include "tradeplane/surveillance/detector.h"
#include "tradeplane/surveillance/event.h"
#include "tradeplane/surveillance/market_state.h"
#include "tradeplane/surveillance/participant_table.h"
#include "tradeplane/surveillance/tape_statistics.h"

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace tradeplane::surveillance {

struct DetectorSettings {
  bool enabled = true;
  std::map<std::string, double> params;  // as DetectorConfig.params
};

struct EngineConfig {
  // By detector name: wash_trade, spoofing_layering, quote_stuffing,
  // momentum_ignition, marking_the_close, tape_statistics. A detector not
  // named runs with its defaults.
  std::map<std::string, DetectorSettings> detectors;
  Duration dedup_window{std::chrono::seconds(300)};
  // Participant (account, strategy) -> beneficial owner (firm). Unlisted
  // participants are their own owners.
  std::map<std::string, std::string> beneficial_owners;
};

// The names EngineConfig.detectors accepts, in a fixed order.
std::span<const std::string_view> DetectorNames();
// The parameters of one detector (for documentation and validation).
absl::StatusOr<std::span<const ParamSpec>> DetectorParamSpecs(std::string_view detector);

// From sentinel's configuration: detectors by name (a repeated name or an
// unknown one is refused), dedup_window_s (0 = the default 300 s).
absl::StatusOr<EngineConfig> EngineConfigFromProto(const config::v1::SentinelConfig& config);

struct EngineCounters {
  uint64_t events = 0;
  uint64_t alerts_raised = 0;
  uint64_t alerts_suppressed = 0;  // by de-duplication
};

class SurveillanceEngine final : private AlertSink {
 public:
  // Validates every detector's parameters and applies the beneficial owners
  // to `participants`, which must outlive the engine (adapters may keep
  // interning into it).
  static absl::StatusOr<std::unique_ptr<SurveillanceEngine>> Create(const EngineConfig& config,
                                                                    ParticipantTable* participants);

  // Events must come in time order: one earlier than the previous is refused
  // (the engine is unchanged), so the caller can re-order or drop it.
  absl::Status OnEvent(const Event& event);
  // The stream ended at `end`: completes what depends on time passing (a
  // session close, the last tape window).
  void Finish(Timestamp end);
  // Forget all events and alerts; keep the configuration.
  void Reset();

  const std::vector<Alert>& alerts() const { return alerts_; }
  // Moves the alerts out (the engine keeps de-duplicating against them).
  std::vector<Alert> TakeAlerts();
  const std::vector<TapeStatisticsRecord>& tape_statistics() const { return tape_.records(); }
  const EngineCounters& counters() const { return counters_; }
  const MarketState& market() const { return market_; }

 private:
  SurveillanceEngine(Duration dedup_window, const TapeParams& tape);
  bool Admits(AlertType type, ParticipantId subject, InstrumentIndex instrument,
              Timestamp time) override;
  void Raise(Alert alert) override;

  struct DedupKey {
    AlertType type;
    ParticipantId subject;
    InstrumentIndex instrument;
    friend bool operator==(const DedupKey&, const DedupKey&) = default;
    template <typename H>
    friend H AbslHashValue(H h, const DedupKey& k) {
      return H::combine(std::move(h), static_cast<int>(k.type), k.subject, k.instrument);
    }
  };

  Duration dedup_window_;
  std::vector<std::unique_ptr<Detector>> detectors_;
  bool tape_enabled_ = true;
  TapeMonitor tape_;
  MarketState market_;
  std::vector<Alert> alerts_;
  absl::flat_hash_map<DedupKey, Timestamp> last_raised_;
  EngineCounters counters_;
  Timestamp last_time_;
  bool seen_event_ = false;
};

}  // namespace tradeplane::surveillance

#endif  // TRADEPLANE_SURVEILLANCE_SURVEILLANCE_ENGINE_H_
