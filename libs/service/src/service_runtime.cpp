#include "tradeplane/service/service_runtime.h"

#include <chrono>
#include <cstdlib>

#include "tradeplane/core/str_cat.h"
#include "tradeplane/telemetry/log.h"
#include "tradeplane/telemetry/tracer_from_config.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#ifndef TRADEPLANE_VERSION
#define TRADEPLANE_VERSION "unknown"
#endif

namespace tradeplane::service {
namespace {

std::atomic<bool>* g_stop_flag = nullptr;

void OnStopSignal(int) {
  if (g_stop_flag != nullptr) g_stop_flag->store(true);
}

}  // namespace

std::string_view Version() { return TRADEPLANE_VERSION; }

std::string MetricName(ServiceId id, std::string_view what) {
  std::string name = StrCat("tradeplane_", ServiceName(id), "_", what);
  for (char& c : name) {
    if (c == '-') c = '_';  // market-data -> market_data: Prometheus names allow no '-'
  }
  return name;
}

ServiceRuntime::ServiceRuntime(ServiceId id, config::v1::ServiceCommon common, const Clock& clock)
    : id_(id), common_(std::move(common)), clock_(clock), started_(clock.Now()) {
  ready_gauge_ = &metrics_.GetGauge(MetricName(id, "ready"),
                                    "1 when the service is ready to serve (health SERVING).");
  database_gauge_ =
      &metrics_.GetGauge(MetricName(id, "database_up"), "1 when the database answers.");
  ready_gauge_->Set(0);
  database_gauge_->Set(0);
}

ServiceRuntime::~ServiceRuntime() {
  stop_.store(true);
  db_cv_.notify_all();
  {
    std::lock_guard<std::mutex> lock(election_mu_);
    election_stop_ = true;
  }
  election_cv_.notify_all();
  if (election_thread_.joinable()) election_thread_.join();
  // The service has stopped acting (it is destroyed first): give the lock up
  // now, so a standby takes over without waiting for the session to time out.
  if (leadership_backend_ != nullptr) leadership_backend_->Disconnect();
  if (db_monitor_.joinable()) db_monitor_.join();
  if (admin_ != nullptr) admin_->Shutdown();
  telemetry::FlushLogs();
}

absl::Status ServiceRuntime::Start() {
  const config::v1::TelemetryConfig& t = common_.telemetry();
  telemetry::LogOptions log;
  log.service = std::string(name());
  log.instance = instance();
  log.file = t.log_file();
  if (!t.log_level().empty()) {
    absl::StatusOr<telemetry::LogLevel> level = telemetry::ParseLogLevel(t.log_level());
    if (!level.ok()) {
      return absl::InvalidArgumentError(
          StrCat("common.telemetry.log_level: ", ToStd(level.status().message())));
    }
    log.level = *level;
  }
  absl::Status s = telemetry::InitLogging(log);
  if (!s.ok()) return s;
  // A tracing config the build cannot use is refused here, like any other
  // config error; a receiver that is down later only costs dropped spans.
  absl::StatusOr<std::unique_ptr<telemetry::Tracer>> tracer =
      telemetry::MakeTracer(t.tracing(), name(), instance());
  if (!tracer.ok()) return tracer.status();
  tracer_ = std::move(*tracer);

  int metrics_port =
      t.metrics_port() == 0 ? MetricsPort(id_, static_cast<int>(instance())) : t.metrics_port();
  if (metrics_port > 0) {
    absl::StatusOr<std::unique_ptr<telemetry::MetricsServer>> server =
        telemetry::MetricsServer::Start(metrics_, t.metrics_bind_address(), metrics_port);
    if (!server.ok()) return server.status();
    metrics_server_ = std::move(*server);
    metrics_port_ = metrics_server_->port();
  }

  bus_ = std::make_unique<bus::BusContext>(bus::BusIdentity{std::string(name()), instance(), 0},
                                           common_.bus(), &metrics_, clock_);

  if (leader_election_enabled() && common_.store().conninfo().empty()) {
    return absl::InvalidArgumentError(
        "common.leader_election needs common.store.conninfo: instances elect their leader "
        "through the database");
  }
  if (!common_.store().conninfo().empty()) {
    absl::StatusOr<std::unique_ptr<store::Database>> db = store::Database::Create(common_.store());
    if (!db.ok()) return db.status();
    database_ = std::move(*db);
    db_monitor_ = std::thread([this] { MonitorDatabase(); });
  }
  audit_ = std::make_unique<admin::AuditTrail>(std::string(name()), instance(), database_.get());
  poller_.AddFd(executor_.fd(), [this] { executor_.RunPending(); });
  poller_.AddTimer(std::chrono::seconds(1), [] { telemetry::FlushLogsAsync(); });
  telemetry::LogInfo("service starting", {{"version", Version()},
                                          {"metrics_port", metrics_port_},
                                          {"database", database_ != nullptr},
                                          {"tracing", tracer_ != nullptr}});
  return absl::OkStatus();
}

void ServiceRuntime::MonitorDatabase() {
  bool was_ready = false;
  while (!stop_.load()) {
    absl::Status s = database_->Ping();
    if (s.ok() && !migrated_) {
      absl::StatusOr<store::MigrationReport> m = database_->Migrate();
      if (m.ok()) {
        migrated_ = true;
      } else {
        s = m.status();
        telemetry::LogError("database migration failed", {{"error", s}});
      }
    }
    bool ready = s.ok() && migrated_;
    if (ready) audit_->FlushPending();
    database_ready_.store(ready);
    database_gauge_->Set(ready ? 1 : 0);
    {
      std::lock_guard<std::mutex> lock(db_mu_);
      first_db_check_done_ = true;
    }
    db_cv_.notify_all();
    if (ready != was_ready) {
      if (ready) {
        telemetry::LogInfo("database available");
      } else {
        telemetry::LogError("database unavailable", {{"error", s}});
      }
      if (on_db_change_) executor_.Post([this, ready] { on_db_change_(ready); });
      was_ready = ready;
    }
    std::unique_lock<std::mutex> lock(db_mu_);
    db_cv_.wait_for(lock, std::chrono::seconds(1), [this] { return stop_.load(); });
  }
}

bool ServiceRuntime::WaitForFirstDatabaseCheck(std::chrono::milliseconds timeout) {
  if (database_ == nullptr) return false;
  std::unique_lock<std::mutex> lock(db_mu_);
  db_cv_.wait_for(lock, timeout, [this] { return first_db_check_done_ || stop_.load(); });
  return database_ready_.load();
}

absl::Status ServiceRuntime::StartAdmin(std::vector<grpc::Service*> services,
                                        admin::StatusService::Fill fill) {
  const config::v1::AdminConfig& a = common_.admin();
  if (a.port() < 0) return absl::OkStatus();
  absl::StatusOr<admin::AdminTokens> tokens = admin::AdminTokens::Load(a.token_file());
  if (!tokens.ok()) return tokens.status();
  status_service_ = std::make_unique<admin::StatusService>(
      std::string(name()), instance(), std::string(Version()), started_, audit_.get(),
      [this, fill = std::move(fill)](admin::v1::ServiceStatus* status) {
        status->set_ready(ready_.load());
        {
          std::lock_guard<std::mutex> lock(reason_mu_);
          if (!ready_.load()) status->set_not_ready_reason(not_ready_reason_);
        }
        (*status->mutable_details())["database"] =
            database_ == nullptr ? "not configured" : (database_ready_.load() ? "up" : "down");
        if (leader_election_enabled()) {
          const int64_t epoch = leader_epoch();
          status->set_role(epoch > 0 ? admin::v1::ROLE_LEADER : admin::v1::ROLE_STANDBY);
          if (epoch > 0) (*status->mutable_details())["leader_epoch"] = std::to_string(epoch);
          if (election_ != nullptr && !election_->last_error().empty()) {
            (*status->mutable_details())["election"] = election_->last_error();
          }
        }
        if (fill) fill(status);
      });
  services.insert(services.begin(), status_service_.get());
  admin::AdminServerOptions options;
  options.service = std::string(name());
  options.bind_address = a.bind_address().empty() ? "127.0.0.1" : a.bind_address();
  options.port = a.port() == 0 ? AdminPort(id_, static_cast<int>(instance())) : a.port();
  options.tls = a.tls();
  options.tokens = std::move(*tokens);
  absl::StatusOr<std::unique_ptr<admin::AdminServer>> server =
      admin::AdminServer::Start(std::move(options), std::move(services));
  if (!server.ok()) return server.status();
  admin_ = std::move(*server);
  admin_->SetReady(ready_.load());
  return absl::OkStatus();
}

void ServiceRuntime::StopAdmin() {
  if (admin_ != nullptr) admin_->Shutdown();
  admin_.reset();
  status_service_.reset();
}

int64_t ServiceRuntime::AwaitLeadership() {
  if (!leader_election_enabled()) return 0;
  char host[256] = {};
  gethostname(host, sizeof(host) - 1);
  std::string holder = StrCat(host, " pid ", getpid(), " ", name(), "-", instance());
  leadership_backend_ =
      store::MakePgLeadershipBackend(common_.store(), StrCat("tradeplane ", holder));
  election_ = std::make_unique<store::LeaderElection>(
      *leadership_backend_, store::LeaderElectionOptions{std::string(name()), holder});
  election_->OnElected([this](int64_t epoch) {
    telemetry::LogInfo("leadership won", {{"role", name()}, {"epoch", epoch}});
    { std::lock_guard<std::mutex> lock(election_mu_); }  // no wake-up lost to the waiter
    election_cv_.notify_all();
  });
  election_->OnDeposed([this](const std::string& reason) {
    telemetry::LogError("leadership lost: stopping at once",
                        {{"role", name()}, {"reason", reason}});
    telemetry::FlushLogs();
    std::_Exit(kDeposedExitCode);
  });
  election_thread_ = std::thread([this] { Campaign(); });
  telemetry::LogInfo("standby: campaigning for leadership", {{"role", name()}});
  std::unique_lock<std::mutex> lock(election_mu_);
  // RequestStop() sets no condition: look at it every 100 ms.
  while (!election_cv_.wait_for(lock, std::chrono::milliseconds(100), [&] {
    return election_stop_ || stop_.load() || election_->IsLeader();
  })) {
  }
  return election_->IsLeader() ? election_->epoch() : 0;
}

void ServiceRuntime::Campaign() {
  const auto interval =
      std::chrono::milliseconds(common_.leader_election().poll_interval_ms() == 0
                                    ? 500
                                    : common_.leader_election().poll_interval_ms());
  std::unique_lock<std::mutex> lock(election_mu_);
  while (!election_stop_) {
    // Before the migrations have run there is no epoch table to win.
    if (database_ready_.load()) {
      lock.unlock();
      election_->Poll();
      lock.lock();
    }
    election_cv_.wait_for(lock, interval, [&] { return election_stop_; });
  }
}

int64_t ServiceRuntime::leader_epoch() const {
  return election_ == nullptr || !election_->IsLeader() ? 0 : election_->epoch();
}

void ServiceRuntime::SetReady(bool ready, std::string reason) {
  {
    std::lock_guard<std::mutex> lock(reason_mu_);
    not_ready_reason_ = std::move(reason);
  }
  if (ready_.exchange(ready) != ready) {
    telemetry::LogInfo(ready ? "service ready" : "service not ready",
                       {{"reason", ready ? std::string() : not_ready_reason_}});
  }
  ready_gauge_->Set(ready ? 1 : 0);
  if (admin_ != nullptr) admin_->SetReady(ready);
}

int ServiceRuntime::Run() {
  g_stop_flag = &stop_;
  struct sigaction sa {};
  sa.sa_handler = OnStopSignal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);
  poller_.Run(stop_);
  telemetry::LogInfo("service stopping");
  SetReady(false, "stopping");
  g_stop_flag = nullptr;
  return 0;
}

void ServiceRuntime::DisableCoreDumps() {
  struct rlimit none {
    0, 0
  };
  setrlimit(RLIMIT_CORE, &none);
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

}  // namespace tradeplane::service
