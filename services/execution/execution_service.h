// The execution service's shell: the order socket (REP, ExecutionRequest
// from risk and the reconciler), the journal (PostgreSQL), the venue adapter
// (the in-process sim venue fed by md.* for paper trading, or Binance through
// the signer), the exec.* publisher, and ExecutionAdmin.
//
// On every start it rebuilds open orders from the journal, asks the venue
// about each, and accepts new orders only after that and a clean
// reconciliation run (or a person's recorded override, or
// require_clean_reconciliation off). Until then new orders are refused with
// EXECUTION_REFUSAL_NOT_READY, the reason shows in status, and health is
// NOT_SERVING. Cancels and the kill switch are served at any time.
#ifndef TRADEPLANE_SERVICES_EXECUTION_EXECUTION_SERVICE_H_
#define TRADEPLANE_SERVICES_EXECUTION_EXECUTION_SERVICE_H_

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "tradeplane/admin/v1/services.grpc.pb.h"
#include "tradeplane/binance_venue/binance_venue.h"
#include "tradeplane/binance_venue/bus_request_signer.h"
#include "tradeplane/bus/publisher.h"
#include "tradeplane/bus/reply_server.h"
#include "tradeplane/bus/subscriber.h"
#include "tradeplane/config/v1/services.pb.h"
#include "tradeplane/core/approval.h"
#include "tradeplane/execution/sim_venue.h"
#include "tradeplane/marketdata/proto_mapping.h"
#include "tradeplane/service/service_runtime.h"
#include "tradeplane/store/execution_store.h"

#include "absl/status/statusor.h"
#include "order_manager.h"

namespace tradeplane::execution_service {

void ApplyDefaults(config::v1::ExecutionConfig* config);

class ExecutionService final : public admin::v1::ExecutionAdmin::Service {
 public:
  static absl::StatusOr<std::unique_ptr<ExecutionService>> Create(
      const config::v1::ExecutionConfig& config, service::ServiceRuntime& runtime);
  ~ExecutionService() override;

  std::vector<grpc::Service*> AdminServices() { return {this}; }
  void FillStatus(admin::v1::ServiceStatus* status);

  grpc::Status ListOrders(grpc::ServerContext*, const admin::v1::ListOrdersRequest*,
                          admin::v1::ListOrdersResponse*) override;
  grpc::Status Cancel(grpc::ServerContext*, const admin::v1::CancelRequest*,
                      admin::v1::CancelResponse*) override;
  grpc::Status ListFills(grpc::ServerContext*, const admin::v1::ListFillsRequest*,
                         admin::v1::ListFillsResponse*) override;
  grpc::Status OverrideStartGate(grpc::ServerContext*, const admin::v1::OverrideRequest*,
                                 admin::v1::OverrideResponse*) override;

 private:
  ExecutionService(const config::v1::ExecutionConfig& config, service::ServiceRuntime& runtime);
  absl::Status Start();
  absl::Status LoadInstruments();
  absl::Status CreateVenue();
  absl::Status SubscribeMarketData();
  // OnRequest in a span of its own (execution.<request kind>).
  absl::Status TracedRequest(const orders::v1::ExecutionRequest& request,
                             const bus::RequestContext& context, orders::v1::ExecutionReply* reply);
  absl::Status OnRequest(const orders::v1::ExecutionRequest& request,
                         const bus::RequestContext& context, orders::v1::ExecutionReply* reply);
  void OnNewOrder(const orders::v1::NewOrder& order, orders::v1::ExecutionReply* reply);
  // At start and on a timer until done: journal, then the venue's answers.
  void TryRecover();
  void OnVenueActivity();
  void UpdateGate();
  void Refuse(orders::v1::ExecutionReply* reply, orders::v1::ExecutionRefusal code,
              std::string reason);

  config::v1::ExecutionConfig config_;
  service::ServiceRuntime& runtime_;
  InstrumentTable instruments_;
  std::unique_ptr<ApprovalKey> approval_key_;
  std::unique_ptr<store::ExecutionStore> store_;
  std::unique_ptr<bus::Publisher> publisher_;
  std::unique_ptr<bus::ReplyServer> orders_socket_;
  std::unique_ptr<bus::Subscriber> market_data_;
  std::unique_ptr<marketdata::BookMirror> books_;
  std::unique_ptr<binance_venue::BusRequestSigner> signer_;
  std::unique_ptr<binance_venue::BinanceVenue> binance_;  // when venue.kind is BINANCE
  std::unique_ptr<execution::SimVenue> sim_;              // when venue.kind is SIM
  execution::Venue* venue_ = nullptr;
  std::unique_ptr<OrderManager> manager_;

  bool journal_loaded_ = false;
  bool recovered_ = false;
  bool reconciled_ = false;
  bool overridden_ = false;
  std::atomic<bool> notify_pending_{false};

  telemetry::Counter* refusals_not_approved_ = nullptr;
  telemetry::Counter* refusals_not_ready_ = nullptr;
  telemetry::Histogram* tick_to_order_ = nullptr;

  // For FillStatus (any thread).
  mutable std::mutex status_mu_;
  std::string gate_;
  size_t open_orders_ = 0;
  size_t unresolved_ = 0;
  uint64_t anomalies_ = 0;
  bool stream_connected_ = false;
  uint64_t stream_connects_ = 0;
};

}  // namespace tradeplane::execution_service

#endif  // TRADEPLANE_SERVICES_EXECUTION_EXECUTION_SERVICE_H_
