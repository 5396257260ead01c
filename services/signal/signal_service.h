// The signal service's shell: market data and our fills in, strategy
// instances in the middle, order intents out to risk (request/reply, the
// intent id reused by every retry), and sig.* for observability.
#ifndef TRADEPLANE_SERVICES_SIGNAL_SIGNAL_SERVICE_H_
#define TRADEPLANE_SERVICES_SIGNAL_SIGNAL_SERVICE_H_

#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "tradeplane/admin/v1/services.grpc.pb.h"
#include "tradeplane/bus/publisher.h"
#include "tradeplane/bus/request_client.h"
#include "tradeplane/bus/subscriber.h"
#include "tradeplane/config/v1/services.pb.h"
#include "tradeplane/core/ids.h"
#include "tradeplane/marketdata/proto_mapping.h"
#include "tradeplane/risk/v1/risk.pb.h"
#include "tradeplane/service/service_runtime.h"
#include "tradeplane/strategy/strategy.h"
#include "tradeplane/strategy/strategy_context.h"

#include "absl/status/statusor.h"

namespace tradeplane::signal_service {

void ApplyDefaults(config::v1::SignalConfig* config);

class SignalService final : public admin::v1::SignalAdmin::Service {
 public:
  static absl::StatusOr<std::unique_ptr<SignalService>> Create(
      const config::v1::SignalConfig& config, service::ServiceRuntime& runtime);
  ~SignalService() override;

  std::vector<grpc::Service*> AdminServices() { return {this}; }
  void FillStatus(admin::v1::ServiceStatus* status);

  grpc::Status ListStrategies(grpc::ServerContext*, const admin::v1::ListStrategiesRequest*,
                              admin::v1::ListStrategiesResponse*) override;
  grpc::Status SetStrategyEnabled(grpc::ServerContext*, const admin::v1::SetStrategyEnabledRequest*,
                                  admin::v1::StrategyInfo*) override;

 private:
  struct Instance {
    config::v1::StrategyConfig config;
    std::unique_ptr<strategy::Strategy> strategy;
    std::unique_ptr<strategy::StrategyContext> context;
    bool enabled = true;
    signal::v1::OrderIntent last_intent;
    std::string last_no_action;
    uint64_t intents = 0;
    uint64_t approved = 0;
    uint64_t refused = 0;
  };

  SignalService(const config::v1::SignalConfig& config, service::ServiceRuntime& runtime);
  absl::Status Start();
  // After each strategy call: send its intents, publish its notes.
  // `origin_ns`: market-data's publish time of the event being handled (0 for
  // timers and fills), sent on as the intent's event time for tick-to-order.
  void Drain(Instance& instance, const telemetry::SpanContext& cause, int64_t event_received_ns,
             int64_t origin_ns = 0);
  void SendIntent(Instance& instance, const OrderIntent& intent,
                  const telemetry::SpanContext& cause, int64_t origin_ns);
  // Books risk's answer: counters, and a refused order is no longer open.
  void OnDecision(Instance& instance, const signal::v1::OrderIntent& proto,
                  const risk::v1::RiskDecision& decision);
  // Queues an intent risk has not answered (or that waits behind one).
  void Hold(Instance& instance, signal::v1::OrderIntent proto, const telemetry::SpanContext& cause);
  void RetryPending();
  admin::v1::StrategyInfo Info(const Instance& instance) const;
  Instance* Find(std::string_view id);

  config::v1::SignalConfig config_;
  service::ServiceRuntime& runtime_;
  InstrumentTable instruments_;
  SystemRandom random_;
  std::vector<std::unique_ptr<Instance>> instances_;
  std::unique_ptr<marketdata::BookMirror> books_;
  std::unique_ptr<bus::RequestClient> risk_;
  std::unique_ptr<bus::Publisher> publisher_;
  std::unique_ptr<bus::Subscriber> inputs_;
  // Intents risk did not answer, and the ones decided after them: sent
  // again, in order and with the same ids, until risk answers.
  struct PendingIntent {
    std::string strategy_id;
    signal::v1::OrderIntent proto;
    telemetry::SpanContext cause;
  };
  std::deque<PendingIntent> pending_;

  telemetry::Counter* intents_total_;
  telemetry::Counter* approved_total_;
  telemetry::Counter* refused_total_;
  telemetry::Counter* risk_unanswered_;
  telemetry::Counter* dropped_total_;
  telemetry::Counter* no_actions_total_;
  telemetry::Histogram* event_to_intent_seconds_;

  mutable std::mutex status_mu_;
  std::vector<admin::v1::StrategyInfo> status_copy_;
};

}  // namespace tradeplane::signal_service

#endif  // TRADEPLANE_SERVICES_SIGNAL_SIGNAL_SERVICE_H_
