// ServiceRuntime: what every service process has — logging, /metrics, the
// bus context, the database (when configured), the audit trail, the gRPC
// admin server with Health and Admin, the main loop, and clean shutdown on
// SIGINT/SIGTERM. A service's shell owns one and adds its sockets and core.
#ifndef TRADEPLANE_SERVICE_SERVICE_RUNTIME_H_
#define TRADEPLANE_SERVICE_SERVICE_RUNTIME_H_

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tradeplane/admin/admin_server.h"
#include "tradeplane/admin/audit_trail.h"
#include "tradeplane/admin/status_service.h"
#include "tradeplane/bus/context.h"
#include "tradeplane/bus/poller.h"
#include "tradeplane/config/v1/common.pb.h"
#include "tradeplane/core/clock.h"
#include "tradeplane/core/port_plan.h"
#include "tradeplane/service/main_loop_executor.h"
#include "tradeplane/store/database.h"
#include "tradeplane/store/leader_election.h"
#include "tradeplane/telemetry/metrics.h"
#include "tradeplane/telemetry/tracer.h"

#include "absl/status/status.h"

namespace tradeplane::service {

// The build's version, e.g. "0.1.0 (abc1234)".
std::string_view Version();

// "tradeplane_<service>_<what>" with the service's dashes made underscores
// (tradeplane_market_data_...), as Prometheus requires.
std::string MetricName(ServiceId id, std::string_view what);

class ServiceRuntime {
 public:
  // The exit code of a leader that lost its leadership (EX_TEMPFAIL).
  static constexpr int kDeposedExitCode = 75;

  ServiceRuntime(ServiceId id, config::v1::ServiceCommon common,
                 const Clock& clock = SystemClock::Instance());
  ~ServiceRuntime();

  // Logging, metrics server, bus, database and migrations. A database that is
  // down is not an error here: database_ready() says, and the runtime keeps
  // trying (migrations included) every second.
  absl::Status Start();
  // The admin server with Admin (status), Health, reflection and `services`.
  absl::Status StartAdmin(std::vector<grpc::Service*> services, admin::StatusService::Fill fill);

  // Stops the admin server (the standby's, before the service's own starts).
  void StopAdmin();

  // Active-passive instances (common.leader_election.enabled; docs/explanation/
  // high-availability.md). Blocks until this instance leads its service's
  // role, campaigning every poll interval through the store's advisory lock;
  // the admin server answers health NOT_SERVING meanwhile. Returns the epoch
  // won, or 0 when the process is asked to stop first. Once leading, a thread
  // of its own checks the lock every interval; losing it ends the process at
  // once with exit code 75: a deposed leader must not act for another moment
  // (its late journal writes are refused by the fence anyway), and its
  // supervisor restarts it as a standby.
  int64_t AwaitLeadership();
  bool leader_election_enabled() const { return common_.leader_election().enabled(); }
  // The epoch this instance leads with; 0 without election or before it leads.
  int64_t leader_epoch() const;

  // Runs the main loop until SIGINT/SIGTERM or RequestStop(); returns the exit code.
  int Run();
  void RequestStop() { stop_.store(true); }
  bool stopping() const { return stop_.load(); }

  ServiceId id() const { return id_; }
  std::string_view name() const { return ServiceName(id_); }
  uint32_t instance() const { return common_.identity().instance(); }
  const config::v1::ServiceCommon& common() const { return common_; }
  const Clock& clock() const { return clock_; }
  bus::BusContext& bus() { return *bus_; }
  bus::Poller& poller() { return poller_; }
  telemetry::MetricsRegistry& metrics() { return metrics_; }
  // Null unless tracing is enabled (common.telemetry.tracing).
  telemetry::Tracer* tracer() { return tracer_.get(); }
  // A span of this service: a child of `parent` when it is valid, else a new
  // trace's root. Not recording (and free) when tracing is disabled.
  telemetry::Span StartSpan(std::string_view name, const telemetry::SpanContext& parent,
                            telemetry::SpanKind kind = telemetry::SpanKind::kInternal) {
    return tracer_ == nullptr ? telemetry::Span() : tracer_->StartSpan(name, parent, kind);
  }
  // Null when no store is configured.
  store::Database* database() { return database_.get(); }
  bool database_ready() const { return database_ready_.load(); }
  // Blocks until the first attempt to reach and migrate the database has
  // finished (at most `timeout`) and returns database_ready(): for a service
  // that reads its state from the store before it serves, so that a fresh
  // database reads as empty rather than as lost. False at once without a store.
  bool WaitForFirstDatabaseCheck(std::chrono::milliseconds timeout);
  // Called on the main loop when the database becomes reachable (after
  // migrations) and when it is lost; set before Start().
  void OnDatabaseChange(std::function<void(bool ready)> fn) { on_db_change_ = std::move(fn); }
  admin::AuditTrail& audit() { return *audit_; }
  MainLoopExecutor& executor() { return executor_; }
  int admin_port() const { return admin_ == nullptr ? 0 : admin_->port(); }
  int metrics_port() const { return metrics_port_; }

  // Health: SERVING only when ready; the reason shows in status.
  void SetReady(bool ready, std::string reason = "");
  bool ready() const { return ready_.load(); }

  // For the signer: no core dumps (secrets in memory) and not ptrace-able.
  static void DisableCoreDumps();

 private:
  void MonitorDatabase();
  void Campaign();

  ServiceId id_;
  config::v1::ServiceCommon common_;
  const Clock& clock_;
  Timestamp started_;
  telemetry::MetricsRegistry metrics_;
  std::unique_ptr<telemetry::MetricsServer> metrics_server_;
  int metrics_port_ = 0;
  std::unique_ptr<telemetry::Tracer> tracer_;
  std::unique_ptr<bus::BusContext> bus_;
  std::unique_ptr<store::Database> database_;
  std::atomic<bool> database_ready_{false};
  bool migrated_ = false;
  // Pings (and migrates) off the main loop: a down server costs a connect
  // timeout per attempt, which the loop must never wait for.
  std::thread db_monitor_;
  std::mutex db_mu_;
  std::condition_variable db_cv_;
  bool first_db_check_done_ = false;  // guarded by db_mu_
  std::function<void(bool)> on_db_change_;
  std::unique_ptr<store::LeadershipBackend> leadership_backend_;
  std::unique_ptr<store::LeaderElection> election_;
  std::thread election_thread_;
  std::mutex election_mu_;
  std::condition_variable election_cv_;
  bool election_stop_ = false;  // guarded by election_mu_
  std::unique_ptr<admin::AuditTrail> audit_;
  std::unique_ptr<admin::StatusService> status_service_;
  std::unique_ptr<admin::AdminServer> admin_;
  MainLoopExecutor executor_;
  bus::Poller poller_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> ready_{false};
  mutable std::mutex reason_mu_;
  std::string not_ready_reason_ = "starting";
  telemetry::Gauge* ready_gauge_ = nullptr;
  telemetry::Gauge* database_gauge_ = nullptr;
};

}  // namespace tradeplane::service

#endif  // TRADEPLANE_SERVICE_SERVICE_RUNTIME_H_
