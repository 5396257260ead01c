// tradeplane-execution as a real process for tests: its config, a throwaway
// database, an approval key shared with the test (which plays risk), the
// order socket, the exec.* stream, an md.* publisher for paper trading, the
// admin plane, and direct reads of the journal.
#ifndef TRADEPLANE_TESTS_INTEGRATION_EXECUTION_EXECUTION_HARNESS_H_
#define TRADEPLANE_TESTS_INTEGRATION_EXECUTION_EXECUTION_HARNESS_H_

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tradeplane/admin/v1/admin.grpc.pb.h"
#include "tradeplane/admin/v1/services.grpc.pb.h"
#include "tradeplane/bus/context.h"
#include "tradeplane/bus/publisher.h"
#include "tradeplane/bus/request_client.h"
#include "tradeplane/bus/subscriber.h"
#include "tradeplane/core/approval.h"
#include "tradeplane/orders/v1/orders.pb.h"
#include "tradeplane/store/database.h"
#include "tradeplane/store/execution_store.h"
#include "tradeplane/testing/subprocess.h"
#include "tradeplane/testing/temp_dir.h"

namespace tradeplane::testing {

inline constexpr char kAdminToken[] = "ops:0123456789abcdef0123";
inline constexpr char kApprovalKeyHex[] =
    "8c2f4e1a9b7d6c5e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e";

class ExecutionHarness {
 public:
  // `venue_and_instruments`: the YAML for venue:, instruments: and anything
  // else beyond the sockets, store, admin and approval key.
  explicit ExecutionHarness(std::string venue_and_instruments);
  ~ExecutionHarness();

  // Replaces the extra YAML (takes effect at the next Start).
  void Reconfigure(std::string venue_and_instruments) {
    extra_ = std::move(venue_and_instruments);
    WriteConfig();
  }
  // Starts the process; `env` adds variables (the crash hook).
  void Start(std::vector<std::pair<std::string, std::string>> env = {});
  // Waits for the process to end (after a crash hook) and returns its code.
  std::optional<int> WaitExit(std::chrono::milliseconds timeout);
  void Kill();
  // Health SERVING, as the admin status says.
  bool Ready();
  admin::v1::ServiceStatus Status();
  admin::v1::ServiceStatus StatusAt(int admin_port);

  // Active-passive: every instance's config campaigns for leadership
  // (takes effect at the next Start). StartInstance starts another instance
  // (identity.instance `instance`, admin on `admin_port`, log
  // exec-<instance>.log) on the same database, sockets and config.
  void EnableLeaderElection(int poll_interval_ms);
  std::unique_ptr<Subprocess> StartInstance(int instance, int admin_port);
  std::string orders_endpoint() { return dir_.Ipc("orders"); }
  void WaitReady();

  // A new order approved with the shared key (as risk would).
  orders::v1::NewOrder Order(const std::string& client_order_id, common::v1::Side side,
                             const std::string& qty, const std::string& price,
                             orders::v1::OrderType type = orders::v1::ORDER_TYPE_LIMIT) const;
  // Sends one request and waits for the reply (request id defaults to a new one).
  absl::StatusOr<orders::v1::ExecutionReply> Call(const orders::v1::ExecutionRequest& request,
                                                  const std::string& request_id = "",
                                                  int timeout_ms = 8000);
  absl::StatusOr<orders::v1::ExecutionReply> Place(const orders::v1::NewOrder& order,
                                                   const std::string& request_id = "");

  // md.* for the paper venue.
  void PublishTrade(const std::string& price, const std::string& qty, common::v1::Side aggressor);
  void PublishQuote(const std::string& bid, const std::string& ask, const std::string& qty);

  // exec.* as received (Pump reads what is waiting). Start and WaitReady pump
  // too: the subscription reaches a restarted process only once the
  // subscriber's socket has been read (see Start).
  void Pump();
  const std::vector<orders::v1::ExecutionReport>& reports() const { return reports_; }
  const std::vector<orders::v1::Fill>& fills() const { return fills_; }
  std::vector<std::string> TopicsFor(const std::string& client_order_id) const;

  std::unique_ptr<admin::v1::ExecutionAdmin::Stub> AdminStub();
  std::unique_ptr<admin::v1::Admin::Stub> StatusStub();
  void PrepareContext(grpc::ClientContext* context) const;

  store::ExecutionStore& journal() { return *journal_; }
  // One value of a SQL query on the test's database (as text).
  std::string Query(const std::string& sql);
  std::string Log() const;
  TempDir& dir() { return dir_; }
  const std::string& conninfo() const { return conninfo_; }

 private:
  void WriteConfig();
  std::string ConfigYaml(int instance, int admin_port) const;

  TempDir dir_;
  std::string extra_;
  std::string conninfo_;
  int admin_port_ = 0;
  int leader_election_poll_ms_ = 0;  // 0: no election
  std::unique_ptr<Subprocess> process_;
  std::unique_ptr<ApprovalKey> key_;
  std::unique_ptr<bus::BusContext> bus_;
  std::unique_ptr<bus::RequestClient> client_;
  std::unique_ptr<bus::Subscriber> sub_;
  std::unique_ptr<bus::Publisher> md_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<store::ExecutionStore> journal_;
  std::vector<orders::v1::ExecutionReport> reports_;
  std::vector<std::pair<std::string, std::string>> report_topics_;  // client id, topic
  std::vector<orders::v1::Fill> fills_;
  int64_t md_time_ns_ = 1'700'000'000'000'000'000;
  uint64_t trade_seq_ = 0;
  uint64_t request_seq_ = 0;
};

}  // namespace tradeplane::testing

#endif  // TRADEPLANE_TESTS_INTEGRATION_EXECUTION_EXECUTION_HARNESS_H_
