// The risk service's shell: intents in (request/reply from signal), the
// pre-trade check, approved orders out to execution (request/reply, with an
// approval only risk can make), the trading mode and the kill switch, and
// positions/PnL from fills. State that must survive a restart (mode, blocks,
// limits, decisions, applied fills) is in PostgreSQL.
#ifndef TRADEPLANE_SERVICES_RISK_RISK_SERVICE_H_
#define TRADEPLANE_SERVICES_RISK_RISK_SERVICE_H_

#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "tradeplane/admin/v1/services.grpc.pb.h"
#include "tradeplane/bus/publisher.h"
#include "tradeplane/bus/reply_server.h"
#include "tradeplane/bus/request_client.h"
#include "tradeplane/bus/subscriber.h"
#include "tradeplane/config/v1/services.pb.h"
#include "tradeplane/core/approval.h"
#include "tradeplane/core/ids.h"
#include "tradeplane/marketdata/proto_mapping.h"
#include "tradeplane/risk/breakers.h"
#include "tradeplane/risk/risk_state.h"
#include "tradeplane/service/service_runtime.h"
#include "tradeplane/store/risk_store.h"

#include "absl/status/statusor.h"
#include "async_writer.h"

namespace tradeplane::risk_service {

void ApplyDefaults(config::v1::RiskConfig* config);

class RiskService final : public admin::v1::RiskAdmin::Service {
 public:
  static absl::StatusOr<std::unique_ptr<RiskService>> Create(const config::v1::RiskConfig& config,
                                                             service::ServiceRuntime& runtime);
  ~RiskService() override;

  std::vector<grpc::Service*> AdminServices() { return {this}; }
  void FillStatus(admin::v1::ServiceStatus* status);

  grpc::Status GetMode(grpc::ServerContext*, const admin::v1::GetModeRequest*,
                       admin::v1::ModeState*) override;
  grpc::Status SetMode(grpc::ServerContext*, const admin::v1::SetModeRequest*,
                       admin::v1::ModeState*) override;
  grpc::Status Kill(grpc::ServerContext*, const admin::v1::KillRequest*,
                    admin::v1::KillResponse*) override;
  grpc::Status Block(grpc::ServerContext*, const admin::v1::BlockRequest*,
                     admin::v1::ModeState*) override;
  grpc::Status Unblock(grpc::ServerContext*, const admin::v1::BlockRequest*,
                       admin::v1::ModeState*) override;
  grpc::Status GetPositions(grpc::ServerContext*, const admin::v1::GetPositionsRequest*,
                            admin::v1::PositionsResponse*) override;
  grpc::Status GetPnl(grpc::ServerContext*, const admin::v1::GetPnlRequest*,
                      risk::v1::PnlSummary*) override;
  grpc::Status GetLimits(grpc::ServerContext*, const admin::v1::GetLimitsRequest*,
                         risk::v1::Limits*) override;
  grpc::Status SetLimits(grpc::ServerContext*, const admin::v1::SetLimitsRequest*,
                         risk::v1::Limits*) override;
  grpc::Status EndOfDayReport(grpc::ServerContext*, const admin::v1::EndOfDayRequest*,
                              admin::v1::EndOfDayReportResponse*) override;

 private:
  RiskService(const config::v1::RiskConfig& config, service::ServiceRuntime& runtime);
  absl::Status Start();
  absl::Status Restore();
  // In a span of its own (risk.check), around Decide.
  absl::Status OnIntent(const signal::v1::OrderIntent& intent, const bus::RequestContext& ctx,
                        risk::v1::RiskDecision* reply);
  absl::Status Decide(const signal::v1::OrderIntent& intent, const bus::RequestContext& ctx,
                      risk::v1::RiskDecision* reply);
  risk::v1::RiskDecision Refuse(const signal::v1::OrderIntent& intent, risk::v1::RefusalCode code,
                                std::string reason);
  // `origin_ns`: when market-data published the event behind the intent (the
  // request's event time), passed on so execution can measure tick-to-order.
  absl::Status Forward(const OrderIntent& intent, risk::v1::RiskDecision* decision,
                       int64_t origin_ns);
  void Conclude(const risk::v1::RiskDecision& decision);
  void OnFill(const orders::v1::Fill& fill);
  // Publishes the change and stores it (`persist`), and on a breaker's HALT
  // cancels everything at execution.
  void ApplyModeChange(const risk::v1::ModeChange& change, bool persist = true);
  absl::StatusOr<uint32_t> CancelAllAtExecution(bool flatten, const std::string& actor,
                                                const std::string& reason);
  void EvaluateBreakers();
  void OnDatabase(bool up);
  admin::v1::ModeState ModeStateNow() const;
  void RefreshStatus();
  template <typename T>
  grpc::Status OnLoop(std::function<absl::StatusOr<T>()> fn, T* out);

  config::v1::RiskConfig config_;
  service::ServiceRuntime& runtime_;
  InstrumentTable instruments_;
  std::unique_ptr<store::RiskStore> store_;
  std::unique_ptr<risk::RiskState> state_;
  std::unique_ptr<risk::Breakers> breakers_;
  std::unique_ptr<marketdata::BookMirror> books_;
  std::unique_ptr<ApprovalKey> approval_key_;
  SystemRandom random_;
  std::unique_ptr<UuidV7Generator> ids_;

  std::unique_ptr<bus::ReplyServer> intents_;
  std::unique_ptr<bus::Publisher> publisher_;
  std::unique_ptr<bus::RequestClient> execution_;
  std::vector<std::unique_ptr<bus::Subscriber>> subscribers_;

  // Decisions already given, by intent id (a repeated intent gets the same
  // answer, across restarts too), and approved orders whose forwarding had
  // no answer (a retry re-sends the same order rather than deciding again).
  std::unordered_map<std::string, risk::v1::RiskDecision> decisions_;
  std::unordered_map<std::string, orders::v1::NewOrder> unconfirmed_;
  std::vector<Fill> fills_;                                 // applied, for end-of-day statements
  std::vector<risk::v1::ModeChange> unsaved_mode_changes_;  // while the database is away

  std::unique_ptr<AsyncWriter> writer_;

  telemetry::Counter* approved_;
  telemetry::Counter* refused_;
  telemetry::Histogram* check_seconds_;
  telemetry::Histogram* forward_seconds_;
  telemetry::Gauge* mode_gauge_;
  telemetry::Gauge* open_orders_gauge_;
  telemetry::Gauge* equity_gauge_;
  telemetry::Gauge* realized_gauge_;
  telemetry::Gauge* unrealized_gauge_;
  telemetry::Counter* breaker_trips_;
  std::unordered_map<int, telemetry::Counter*> refusals_by_code_;

  mutable std::mutex status_mu_;
  std::string mode_name_ = "UNSPECIFIED";
  uint64_t decisions_total_ = 0;
  uint64_t approvals_total_ = 0;
  size_t open_orders_ = 0;
};

}  // namespace tradeplane::risk_service

#endif  // TRADEPLANE_SERVICES_RISK_RISK_SERVICE_H_
