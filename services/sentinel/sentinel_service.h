// The sentinel service's shell: our order flow (exec.*) and the market's
// (md.trade, md.book) in, the surveillance engine in the middle, alerts out
// (alert.abuse.<TYPE>, PostgreSQL, and — for critical ones, when configured —
// a block asked of risk through its admin API).
#ifndef TRADEPLANE_SERVICES_SENTINEL_SENTINEL_SERVICE_H_
#define TRADEPLANE_SERVICES_SENTINEL_SENTINEL_SERVICE_H_

#include <atomic>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "tradeplane/admin/admin_client.h"
#include "tradeplane/admin/v1/services.grpc.pb.h"
#include "tradeplane/bus/publisher.h"
#include "tradeplane/bus/subscriber.h"
#include "tradeplane/config/v1/services.pb.h"
#include "tradeplane/marketdata/proto_mapping.h"
#include "tradeplane/service/service_runtime.h"
#include "tradeplane/store/sentinel_store.h"
#include "tradeplane/surveillance/participant_table.h"
#include "tradeplane/surveillance/surveillance_engine.h"

#include "absl/status/statusor.h"
#include "event_mapper.h"

namespace tradeplane::sentinel {

void ApplyDefaults(config::v1::SentinelConfig* config);

class SentinelService final : public admin::v1::SentinelAdmin::Service {
 public:
  static absl::StatusOr<std::unique_ptr<SentinelService>> Create(
      const config::v1::SentinelConfig& config, service::ServiceRuntime& runtime);
  ~SentinelService() override;

  std::vector<grpc::Service*> AdminServices() { return {this}; }
  void FillStatus(admin::v1::ServiceStatus* status);

  grpc::Status ListAlerts(grpc::ServerContext*, const admin::v1::ListAlertsRequest*,
                          admin::v1::ListAlertsResponse*) override;
  grpc::Status AckAlert(grpc::ServerContext*, const admin::v1::AckAlertRequest*,
                        surveillance::v1::MarketAbuseAlert*) override;

 private:
  SentinelService(const config::v1::SentinelConfig& config, service::ServiceRuntime& runtime);
  absl::Status Start();
  // Feeds one event; time is made monotonic (the streams interleave).
  void Feed(surveillance::Event event);
  void RaiseAlerts();
  void AskRiskToBlock(const surveillance::v1::MarketAbuseAlert& alert);
  // Inserts the alerts not stored yet, oldest first, while the database
  // takes them; the rest wait for the next try (every second, and at the
  // next alert).
  void StoreAlerts();
  // An alert acknowledged while it waited to be stored: the acknowledgement
  // follows it into the database.
  void CarryAcknowledgement(const std::string& alert_id);
  // A trade, book or fill that maps to no event (an instrument not
  // configured, a book delta the mirror refuses) is counted and dropped.
  void Feed(std::optional<surveillance::Event> event) {
    if (event) {
      Feed(*event);
    } else {
      inputs_skipped_->Increment();
    }
  }

  config::v1::SentinelConfig config_;
  admin::AdminClientOptions risk_admin_;  // for block requests
  service::ServiceRuntime& runtime_;
  InstrumentTable instruments_;
  surveillance::ParticipantTable participants_;
  std::unique_ptr<surveillance::SurveillanceEngine> engine_;
  std::unique_ptr<EventMapper> mapper_;
  std::unique_ptr<store::SentinelStore> store_;
  // Raised but not yet in the database (down, or not migrated yet at start):
  // an alert is never dropped because the store was late.
  std::deque<surveillance::v1::MarketAbuseAlert> unstored_;
  std::atomic<size_t> unstored_count_{0};
  bool store_failing_ = false;
  std::unique_ptr<bus::Publisher> publisher_;
  std::unique_ptr<bus::Subscriber> inputs_;
  Timestamp last_event_time_;
  size_t tape_published_ = 0;

  // Alerts kept here too (the newest kMaxAlertsInMemory), for ListAlerts
  // without a database.
  static constexpr size_t kMaxAlertsInMemory = 10'000;
  std::mutex alerts_mu_;
  std::vector<surveillance::v1::MarketAbuseAlert> alerts_;
  std::map<std::string, uint64_t> alerts_by_type_;

  telemetry::Counter* events_total_;
  telemetry::Counter* alerts_total_;
  telemetry::Counter* block_requests_;
  telemetry::Counter* inputs_skipped_;
};

// `tradeplane-sentinel review --input FILE --format {lobster,bus} [-o table|json|csv]`
int RunReview(int argc, char** argv);

}  // namespace tradeplane::sentinel

#endif  // TRADEPLANE_SERVICES_SENTINEL_SENTINEL_SERVICE_H_
