#include "reconciler_service.h"

#include <grpcpp/grpcpp.h>

#include "tradeplane/admin/admin_server.h"
#include "tradeplane/core/enum_names.h"
#include "tradeplane/core/port_plan.h"
#include "tradeplane/core/str_cat.h"
#include "tradeplane/telemetry/log.h"

namespace tradeplane::reconciler {
namespace {

namespace rv1 = reconciliation::v1;
namespace ov1 = orders::v1;

constexpr auto kTickPeriod = std::chrono::seconds(1);
// An empty request on execution's socket is refused at once without side
// effects; its reply header names execution's incarnation.
constexpr int kProbeTimeoutMs = 300;

std::string Metric(std::string_view what) {
  return service::MetricName(ServiceId::kReconciler, what);
}

}  // namespace

void ApplyDefaults(config::v1::ReconcilerConfig* c) {
  int i = static_cast<int>(c->common().identity().instance());
  if (c->publisher().endpoint().empty()) {
    c->mutable_publisher()->set_endpoint(StrCat("tcp://*:", BusPort(ServiceId::kReconciler, 0, i)));
  }
  if (c->execution().socket().endpoint().empty()) {
    c->mutable_execution()->mutable_socket()->set_endpoint(
        StrCat("tcp://127.0.0.1:", BusPort(ServiceId::kExecution, 0)));
  }
  if (c->execution().timeout_ms() == 0) c->mutable_execution()->set_timeout_ms(5000);
  if (c->signer().socket().endpoint().empty()) {
    c->mutable_signer()->mutable_socket()->set_endpoint(
        StrCat("tcp://127.0.0.1:", BusPort(ServiceId::kSigner, 0)));
  }
  if (c->signer().timeout_ms() == 0) c->mutable_signer()->set_timeout_ms(2000);
  if (c->signer().retries() == 0) c->mutable_signer()->set_retries(1);
  config::v1::VenueConfig* v = c->mutable_venue();
  if (v->kind() == config::v1::VENUE_KIND_UNSPECIFIED) v->set_kind(config::v1::VENUE_KIND_BINANCE);
  if (v->venue() == common::v1::VENUE_UNSPECIFIED) v->set_venue(common::v1::VENUE_BINANCE);
  if (v->rest_url().empty()) v->set_rest_url("https://api.binance.com");
  if (v->recv_window_ms() == 0) v->set_recv_window_ms(5000);
  if (v->timeout_ms() == 0) v->set_timeout_ms(5000);
  if (c->interval_s() == 0) c->set_interval_s(30);
  if (c->risk_admin_target().empty()) {
    c->set_risk_admin_target(StrCat("127.0.0.1:", AdminPort(ServiceId::kRisk)));
  }
  if (c->in_flight_grace_ms() == 0) c->set_in_flight_grace_ms(2000);
}

ReconcilerService::ReconcilerService(const config::v1::ReconcilerConfig& config,
                                     service::ServiceRuntime& runtime)
    : config_(config), runtime_(runtime) {}

ReconcilerService::~ReconcilerService() = default;

absl::StatusOr<std::unique_ptr<ReconcilerService>> ReconcilerService::Create(
    const config::v1::ReconcilerConfig& config, service::ServiceRuntime& runtime) {
  std::unique_ptr<ReconcilerService> s(new ReconcilerService(config, runtime));
  absl::Status started = s->Start();
  if (!started.ok()) return started;
  return s;
}

void ReconcilerService::RegisterMetrics() {
  telemetry::MetricsRegistry& m = runtime_.metrics();
  auto runs = [&](const char* outcome) {
    return &m.GetCounter(Metric("runs_total"), "Reconciliation runs, by outcome.",
                         {{"outcome", outcome}});
  };
  runs_clean_ = runs("CLEAN");
  runs_breaks_ = runs("BREAKS");
  runs_failed_ = runs("FAILED");
  for (int t = rv1::BreakType_MIN + 1; t <= rv1::BreakType_MAX; ++t) {
    if (!rv1::BreakType_IsValid(t)) continue;
    auto type = static_cast<rv1::BreakType>(t);
    breaks_by_type_[type] = &m.GetCounter(
        Metric("breaks_total"), "Breaks found, by type (a break found again counts again).",
        {{"type", std::string(ShortEnumName(type))}});
  }
  open_breaks_ =
      &m.GetGauge(Metric("open_breaks"), "Breaks of the latest run that compared, not resolved.");
  since_clean_ = &m.GetGauge(Metric("seconds_since_clean_run"),
                             "Seconds since the last CLEAN run (since start when none yet).");
  run_duration_ = &m.GetHistogram(Metric("run_duration_seconds"), "Duration of one run.",
                                  {0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60});
  actions_done_ = &m.GetCounter(Metric("actions_total"), "Corrections sent to execution.",
                                {{"result", "accepted"}});
  actions_failed_ = &m.GetCounter(Metric("actions_total"), "Corrections sent to execution.",
                                  {{"result", "refused"}});
  pause_requests_ = &m.GetCounter(Metric("pause_requests_total"), "PAUSE asked of risk.");
  venue_requests_ =
      &m.GetCounter(Metric("venue_requests_total"), "REST requests made to the venue.");
}

absl::Status ReconcilerService::Start() {
  RegisterMetrics();
  absl::StatusOr<reconciliation::ReconcilerSettings> settings = reconciliation::SettingsFromConfig(
      config_, std::chrono::milliseconds(config_.in_flight_grace_ms()));
  if (!settings.ok()) return settings.status();
  settings_ = std::move(*settings);
  if (config_.venue().kind() != config::v1::VENUE_KIND_BINANCE) {
    return absl::InvalidArgumentError(
        "venue.kind: the reconciler compares against a Binance-style venue (BINANCE); a SIM "
        "venue lives inside execution and has nothing to compare");
  }
  if (config_.venue().key_id().empty()) {
    return absl::InvalidArgumentError("venue.key_id: the signer's key for the venue is required");
  }
  absl::StatusOr<admin::AdminClientOptions> risk_admin = admin::ServiceClientOptions(
      config_.risk_admin_target(), config_.risk_admin_token_file(), "risk_admin_token_file",
      config_.risk_admin_ca_file(), /*timeout_ms=*/3000);
  if (!risk_admin.ok()) return risk_admin.status();
  risk_admin_ = std::move(*risk_admin);
  if (runtime_.database() == nullptr) {
    return absl::InvalidArgumentError(
        "common.store.conninfo is required: our side is execution's journal");
  }
  journal_ = std::make_unique<store::ExecutionStore>(*runtime_.database());
  store_ = std::make_unique<store::ReconStore>(*runtime_.database());
  if (absl::Status s = LoadInstruments(); !s.ok()) return s;
  journal_reader_ = std::make_unique<JournalReader>(*journal_, instruments_);

  const config::v1::VenueConfig& v = config_.venue();
  absl::StatusOr<std::unique_ptr<binance_venue::BusRequestSigner>> signer =
      binance_venue::BusRequestSigner::Create(runtime_.bus(), config_.signer(), v.key_id());
  if (!signer.ok()) return signer.status();
  signer_ = std::move(*signer);
  binance_venue::BinanceVenueOptions options;
  options.venue = v.venue();
  options.rest_url = v.rest_url();
  options.recv_window_ms = v.recv_window_ms();
  options.timeout = std::chrono::milliseconds(v.timeout_ms());
  options.tls.ca_file = v.ca_file();
  // REST only: the reconciler asks, it does not listen to the user stream.
  venue_ = std::make_unique<binance_venue::BinanceVenue>(instruments_, *signer_, runtime_.clock(),
                                                         std::move(options));
  venue_reader_ = std::make_unique<VenueReader>(*venue_, instruments_);

  absl::StatusOr<std::unique_ptr<bus::Publisher>> pub =
      bus::Publisher::Create(runtime_.bus(), config_.publisher(), "recon-publisher");
  if (!pub.ok()) return pub.status();
  publisher_ = std::move(*pub);
  absl::StatusOr<std::unique_ptr<bus::RequestClient>> exec =
      bus::RequestClient::Create(runtime_.bus(), config_.execution(), "execution");
  if (!exec.ok()) return exec.status();
  execution_ = std::move(*exec);
  ids_ = std::make_unique<UuidV7Generator>(runtime_.clock(), random_);
  last_clean_ = runtime_.clock().Now();
  next_run_ = runtime_.clock().Now();
  runtime_.poller().AddTimer(kTickPeriod, [this] { Tick(); });
  runtime_.SetReady(false, "waiting for the database and the first run");
  telemetry::LogInfo("reconciler started",
                     {{"venue", v.rest_url()},
                      {"instruments", static_cast<uint64_t>(instruments_.size())},
                      {"execution", execution_->endpoint()},
                      {"publisher", publisher_->endpoint()},
                      {"interval_s", config_.interval_s()},
                      {"unknown_order_policy", ShortEnumName(config_.unknown_order_policy())}});
  return absl::OkStatus();
}

absl::Status ReconcilerService::LoadInstruments() {
  // Every instrument the venue lists: an order placed by someone else may be
  // on any of them, and the open-order list names them all.
  binance_venue::BinanceVenueOptions options;
  options.venue = config_.venue().venue();
  options.rest_url = config_.venue().rest_url();
  options.timeout = std::chrono::milliseconds(config_.venue().timeout_ms());
  options.tls.ca_file = config_.venue().ca_file();
  absl::StatusOr<std::vector<InstrumentSpec>> fetched =
      binance_venue::BinanceVenue::FetchInstruments(options, {});
  if (!fetched.ok()) {
    return absl::UnavailableError(
        StrCat("instrument reference data (exchangeInfo): ", ToStd(fetched.status().message())));
  }
  for (InstrumentSpec& spec : *fetched) {
    spec.id.venue = config_.venue().venue();
    absl::StatusOr<InstrumentIndex> added = instruments_.Add(std::move(spec));
    if (!added.ok()) return added.status();
  }
  if (instruments_.size() == 0) {
    return absl::UnavailableError("the venue's exchangeInfo lists no instrument");
  }
  return absl::OkStatus();
}

bool ReconcilerService::ExecutionRestarted() {
  ov1::ExecutionRequest probe;  // empty: refused, changes nothing
  ov1::ExecutionReply reply;
  absl::Status s = SendToExecution(probe, &reply, kProbeTimeoutMs);
  if (!s.ok()) return false;
  uint64_t incarnation = execution_->last_reply_header().incarnation();
  if (incarnation == execution_incarnation_) return false;
  bool first = execution_incarnation_ == 0;
  execution_incarnation_ = incarnation;
  telemetry::LogInfo(first ? "execution found" : "execution restarted",
                     {{"incarnation", incarnation}});
  return true;
}

absl::Status ReconcilerService::SendToExecution(const ov1::ExecutionRequest& request,
                                                ov1::ExecutionReply* reply, int timeout_ms) {
  bus::CallOptions options;
  options.timeout_ms = timeout_ms;
  if (timeout_ms >= 0) options.retries = 0;
  return execution_->Call(request, reply, options);
}

void ReconcilerService::Tick() {
  Timestamp now = runtime_.clock().Now();
  since_clean_->Set(std::chrono::duration<double>(now - last_clean_).count());
  if (!runtime_.database_ready()) {
    runtime_.SetReady(false, "waiting for the database");
    return;
  }
  if (!store_ready_) {
    absl::StatusOr<std::optional<int64_t>> clean = store_->LastCleanRunNs();
    if (!clean.ok()) {
      telemetry::LogError("cannot read the last clean reconciliation run",
                          {{"error", clean.status()}});
      return;
    }
    if (clean->has_value()) last_clean_ = Timestamp::FromNanos(**clean);
    store_ready_ = true;
  }
  if (!runtime_.ready()) runtime_.SetReady(true);
  std::string trigger;
  if (ExecutionRestarted()) {
    trigger = "startup";  // execution waits for a clean run since its start
    execution_awaits_clean_ = true;
  } else if (!startup_run_done_) {
    trigger = "startup";
  } else if (execution_awaits_clean_ && now >= next_startup_retry_) {
    trigger = "startup";
  } else if (follow_up_) {
    trigger = "follow-up";
  } else if (now >= next_run_) {
    trigger = "schedule";
  }
  if (trigger.empty()) return;
  if (now < venue_backoff_until_) {
    // The venue asked us to wait (Retry-After): the schedule slips, the
    // execution-start run waits too rather than be refused again.
    return;
  }
  (void)RunOnce(trigger);
}

grpc::Status ReconcilerService::Run(grpc::ServerContext* context,
                                    const admin::v1::RunReconRequest* request, rv1::ReconRun* out) {
  std::string actor = admin::CallerName(*context);
  absl::StatusOr<rv1::ReconRun> run = runtime_.executor().Call<rv1::ReconRun>(
      [&]() -> absl::StatusOr<rv1::ReconRun> {
        if (!runtime_.database_ready()) {
          return absl::UnavailableError("the database (execution's journal) is not reachable");
        }
        return RunOnce(StrCat("operator:", actor));
      },
      std::chrono::seconds(120));
  runtime_.audit().Record({.actor = actor,
                           .action = "ReconcilerAdmin.Run",
                           .target = run.ok() ? run->run_id() : "run",
                           .reason = request->reason(),
                           .outcome = run.ok() ? std::string(ShortEnumName(run->outcome()))
                                               : std::string(ToStd(run.status().message()))});
  if (!run.ok()) return admin::ToGrpc(run.status());
  *out = std::move(*run);
  return grpc::Status::OK;
}

grpc::Status ReconcilerService::ListBreaks(grpc::ServerContext*,
                                           const admin::v1::ListBreaksRequest* request,
                                           admin::v1::ListBreaksResponse* out) {
  if (store_ready_ && runtime_.database_ready()) {
    absl::StatusOr<std::vector<rv1::Break>> breaks =
        store_->ListBreaks(request->open_only(), request->limit());
    if (breaks.ok()) {
      for (rv1::Break& b : *breaks) *out->add_breaks() = std::move(b);
      return grpc::Status::OK;
    }
  }
  // Without the database: what this process saw.
  size_t limit = request->limit() == 0 ? 100 : request->limit();
  std::lock_guard<std::mutex> lock(status_mu_);
  if (request->open_only()) {
    for (const rv1::Break& b : last_breaks_) {
      if (b.state() != rv1::BREAK_STATE_RESOLVED && out->breaks_size() < static_cast<int>(limit))
        *out->add_breaks() = b;
    }
  } else {
    for (auto it = recent_breaks_.rbegin();
         it != recent_breaks_.rend() && out->breaks_size() < static_cast<int>(limit); ++it) {
      *out->add_breaks() = *it;
    }
  }
  return grpc::Status::OK;
}

grpc::Status ReconcilerService::ListRuns(grpc::ServerContext*,
                                         const admin::v1::ListRunsRequest* request,
                                         admin::v1::ListRunsResponse* out) {
  if (store_ready_ && runtime_.database_ready()) {
    absl::StatusOr<std::vector<rv1::ReconRun>> runs = store_->ListRuns(request->limit());
    if (runs.ok()) {
      for (rv1::ReconRun& r : *runs) *out->add_runs() = std::move(r);
      return grpc::Status::OK;
    }
  }
  size_t limit = request->limit() == 0 ? 100 : request->limit();
  std::lock_guard<std::mutex> lock(status_mu_);
  for (auto it = recent_runs_.rbegin();
       it != recent_runs_.rend() && out->runs_size() < static_cast<int>(limit); ++it) {
    *out->add_runs() = *it;
  }
  return grpc::Status::OK;
}

void ReconcilerService::FillStatus(admin::v1::ServiceStatus* status) {
  std::lock_guard<std::mutex> lock(status_mu_);
  auto add = [&](std::string name, double v) {
    admin::v1::Counter* c = status->add_counters();
    c->set_name(std::move(name));
    c->set_value(v);
  };
  add("runs", runs_clean_->Value() + runs_breaks_->Value() + runs_failed_->Value());
  add("runs_failed", runs_failed_->Value());
  add("open_breaks", open_breaks_->Value());
  (*status->mutable_details())["last_run"] = last_outcome_;
  (*status->mutable_details())["unknown_order_policy"] =
      std::string(ShortEnumName(config_.unknown_order_policy()));
}

}  // namespace tradeplane::reconciler
