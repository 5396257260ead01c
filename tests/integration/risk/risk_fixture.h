// tradeplane-risk as a real process among real neighbours: a throwaway
// PostgreSQL database, and the test playing signal (REQ to the intent
// socket), market data (PUB md.quote/md.book/md.status), execution (a REP
// socket risk forwards approved orders and cancel-alls to, plus the exec.*
// stream of fills) and an operator (gRPC admin calls with a bearer token).
//
// Risk authenticates to execution with the approval HMAC under the key the
// two share (no CURVE on that hop, as in the demo): the fake execution
// verifies every approval with the same key and records the outcome.
#ifndef TRADEPLANE_TESTS_INTEGRATION_RISK_RISK_FIXTURE_H_
#define TRADEPLANE_TESTS_INTEGRATION_RISK_RISK_FIXTURE_H_

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "tradeplane/admin/v1/services.grpc.pb.h"
#include "tradeplane/bus/context.h"
#include "tradeplane/bus/publisher.h"
#include "tradeplane/bus/reply_server.h"
#include "tradeplane/bus/request_client.h"
#include "tradeplane/core/approval.h"
#include "tradeplane/marketdata/v1/marketdata.pb.h"
#include "tradeplane/orders/v1/orders.pb.h"
#include "tradeplane/risk/v1/risk.pb.h"
#include "tradeplane/signal/v1/signal.pb.h"
#include "tradeplane/testing/subprocess.h"
#include "tradeplane/testing/temp_dir.h"

#include "absl/status/statusor.h"

namespace tradeplane::risk_test {

inline constexpr char kStrategy[] = "test-strat";

int64_t Raw(const std::string& decimal);

// Execution's order socket, answered on its own thread.
class FakeExecution {
 public:
  FakeExecution(const std::string& endpoint, const std::string& approval_key_hex);
  ~FakeExecution();

  // Orders received by the handler (a retry answered from the bus's reply
  // cache does not run the handler: see duplicate_requests()).
  std::vector<orders::v1::NewOrder> orders() const;
  size_t OrdersFor(const std::string& client_order_id) const;
  std::vector<orders::v1::CancelOrder> cancels() const;
  std::vector<orders::v1::CancelAll> cancel_alls() const;
  // Approvals that did not verify under the shared key.
  size_t bad_approvals() const;
  uint64_t duplicate_requests() const { return duplicates_.load(); }
  // While held, a cancel-all waits for Release() before it is answered.
  void HoldCancelAll();
  bool cancel_all_waiting() const;
  void Release();

 private:
  void Loop();
  absl::Status OnRequest(const orders::v1::ExecutionRequest& request,
                         orders::v1::ExecutionReply* reply);

  std::unique_ptr<ApprovalKey> key_;
  std::unique_ptr<bus::BusContext> bus_;
  std::unique_ptr<bus::ReplyServer> server_;
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> duplicates_{0};
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<orders::v1::NewOrder> orders_;
  std::vector<orders::v1::CancelOrder> cancels_;
  std::vector<orders::v1::CancelAll> cancel_alls_;
  size_t bad_approvals_ = 0;
  bool hold_ = false;
  bool waiting_ = false;
  std::thread thread_;
};

struct RiskOptions {
  bool database_reachable = true;
};

class RiskWorld {
 public:
  explicit RiskWorld(RiskOptions options = {});
  ~RiskWorld();

  void Start();  // and waits until the admin status says ready
  void Kill();   // SIGKILL
  std::string Log() const;

  // Signal: one intent (BUY/SELL, LIMIT GTC on BTCUSDT) and the decision.
  signal::v1::OrderIntent Intent(const std::string& id, common::v1::Side side,
                                 const std::string& qty, const std::string& price) const;
  absl::StatusOr<risk::v1::RiskDecision> Send(const signal::v1::OrderIntent& intent);

  // Market data: a quote and a one-level book at the same prices, and a feed status.
  void PublishMarket(const std::string& bid, const std::string& ask);
  void PublishStatus(marketdata::v1::FeedStatus status);
  // Publishes the market until risk uses it (a probe intent outside the
  // collar is refused for the collar, not for missing market data).
  void WaitMarketData(const std::string& bid = "30000", const std::string& ask = "30010");
  // exec.fill as execution publishes it.
  void PublishFill(const orders::v1::Fill& fill);

  // The operator.
  std::unique_ptr<admin::v1::RiskAdmin::Stub> Admin();
  void Prepare(grpc::ClientContext* context) const;
  admin::v1::ModeState GetMode();
  grpc::Status SetMode(risk::v1::TradingMode mode, const std::string& reason);
  // SetMode ACTIVE and market data in use: ready to approve.
  void Activate();

  FakeExecution& execution() { return *execution_; }
  // One value of a SQL query on risk's database, as text.
  std::string Query(const std::string& sql);

 private:
  void WriteConfig();

  RiskOptions options_;
  testing::TempDir dir_;
  std::string conninfo_;
  int admin_port_ = 0;
  uint64_t probe_seq_ = 0;
  uint64_t book_seq_ = 0;
  std::unique_ptr<FakeExecution> execution_;
  std::unique_ptr<bus::BusContext> bus_;
  std::unique_ptr<bus::RequestClient> intents_;
  std::unique_ptr<bus::Publisher> md_;
  std::unique_ptr<bus::Publisher> exec_;
  std::unique_ptr<testing::Subprocess> process_;
};

}  // namespace tradeplane::risk_test

#endif  // TRADEPLANE_TESTS_INTEGRATION_RISK_RISK_FIXTURE_H_
