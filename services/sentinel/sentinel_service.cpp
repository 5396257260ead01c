#include "sentinel_service.h"

#include <algorithm>
#include <set>
#include <sstream>

#include <grpcpp/grpcpp.h>

#include "tradeplane/admin/admin_client.h"
#include "tradeplane/admin/admin_server.h"
#include "tradeplane/core/enum_names.h"
#include "tradeplane/core/port_plan.h"
#include "tradeplane/core/str_cat.h"
#include "tradeplane/orders/v1/orders.pb.h"
#include "tradeplane/surveillance/alert.h"
#include "tradeplane/telemetry/log.h"

namespace tradeplane::sentinel {
namespace {

namespace sv = surveillance;
namespace sv1 = surveillance::v1;
namespace ov1 = orders::v1;
namespace mdv1 = marketdata::v1;

}  // namespace

void ApplyDefaults(config::v1::SentinelConfig* c) {
  int i = static_cast<int>(c->common().identity().instance());
  if (c->subscriptions().empty()) {
    c->add_subscriptions()->set_endpoint(
        StrCat("tcp://127.0.0.1:", BusPort(ServiceId::kMarketData, 0)));
    c->add_subscriptions()->set_endpoint(
        StrCat("tcp://127.0.0.1:", BusPort(ServiceId::kExecution, 1)));
  }
  if (c->publisher().endpoint().empty()) {
    c->mutable_publisher()->set_endpoint(StrCat("tcp://*:", BusPort(ServiceId::kSentinel, 0, i)));
  }
  if (c->risk_admin_target().empty()) {
    c->set_risk_admin_target(StrCat("127.0.0.1:", AdminPort(ServiceId::kRisk)));
  }
}

SentinelService::SentinelService(const config::v1::SentinelConfig& config,
                                 service::ServiceRuntime& runtime)
    : config_(config), runtime_(runtime) {}

SentinelService::~SentinelService() = default;

absl::StatusOr<std::unique_ptr<SentinelService>> SentinelService::Create(
    const config::v1::SentinelConfig& config, service::ServiceRuntime& runtime) {
  std::unique_ptr<SentinelService> s(new SentinelService(config, runtime));
  absl::Status started = s->Start();
  if (!started.ok()) return started;
  return s;
}

absl::Status SentinelService::Start() {
  telemetry::MetricsRegistry& m = runtime_.metrics();
  auto name = [](std::string_view what) { return service::MetricName(ServiceId::kSentinel, what); };
  events_total_ = &m.GetCounter(name("events_total"), "Events through the detectors.");
  alerts_total_ = &m.GetCounter(name("alerts_total"), "Market-abuse alerts raised.");
  block_requests_ =
      &m.GetCounter(name("block_requests_total"), "Blocks asked of risk for critical alerts.");
  inputs_skipped_ = &m.GetCounter(
      name("inputs_skipped_total"),
      "Well-formed trades, books and fills that map to no event (unknown instrument, refused "
      "book update); malformed messages are counted by the bus.");
  for (const mdv1::Instrument& p : config_.instruments()) {
    absl::StatusOr<InstrumentSpec> spec = InstrumentSpec::FromProto(p);
    if (!spec.ok())
      return absl::InvalidArgumentError(StrCat("instruments: ", ToStd(spec.status().message())));
    absl::StatusOr<InstrumentIndex> added = instruments_.Add(*spec);
    if (!added.ok()) return added.status();
  }
  absl::StatusOr<admin::AdminClientOptions> risk_admin = admin::ServiceClientOptions(
      config_.risk_admin_target(), config_.risk_admin_token_file(), "risk_admin_token_file",
      config_.risk_admin_ca_file(), /*timeout_ms=*/2000);
  if (!risk_admin.ok()) return risk_admin.status();
  risk_admin_ = std::move(*risk_admin);
  absl::StatusOr<sv::EngineConfig> engine_config = sv::EngineConfigFromProto(config_);
  if (!engine_config.ok()) return engine_config.status();
  for (const auto& [participant, owner] : engine_config->beneficial_owners) {
    absl::Status s = participants_.SetBeneficialOwner(participant, owner);
    if (!s.ok()) return s;
  }
  absl::StatusOr<std::unique_ptr<sv::SurveillanceEngine>> engine =
      sv::SurveillanceEngine::Create(*engine_config, &participants_);
  if (!engine.ok()) return engine.status();
  engine_ = std::move(*engine);
  mapper_ = std::make_unique<EventMapper>(&instruments_, &participants_);
  if (runtime_.database() != nullptr)
    store_ = std::make_unique<store::SentinelStore>(*runtime_.database());

  absl::StatusOr<std::unique_ptr<bus::Publisher>> pub =
      bus::Publisher::Create(runtime_.bus(), config_.publisher(), "alert-publisher");
  if (!pub.ok()) return pub.status();
  publisher_ = std::move(*pub);
  absl::StatusOr<std::unique_ptr<bus::Subscriber>> sub =
      bus::Subscriber::Create(runtime_.bus(), "sentinel-inputs");
  if (!sub.ok()) return sub.status();
  inputs_ = std::move(*sub);
  for (const config::v1::SocketConfig& ep : config_.subscriptions()) {
    absl::Status s = inputs_->Connect(ep);
    if (!s.ok()) return s;
  }
  for (const char* prefix : {"md.trade.", "md.book.", "exec."}) {
    absl::Status s = inputs_->SubscribePrefix(prefix);
    if (!s.ok()) return s;
  }
  inputs_->On<mdv1::Trade>(
      [this](const mdv1::Trade& t, const bus::Delivery&) { Feed(mapper_->FromTrade(t)); });
  inputs_->On<mdv1::BookSnapshot>(
      [this](const mdv1::BookSnapshot& b, const bus::Delivery&) { Feed(mapper_->FromBook(b)); });
  inputs_->On<mdv1::BookDelta>(
      [this](const mdv1::BookDelta& d, const bus::Delivery&) { Feed(mapper_->FromBook(d)); });
  inputs_->On<ov1::ExecutionReport>([this](const ov1::ExecutionReport& r, const bus::Delivery&) {
    // Most status changes (partial fills, replaces) are no event: not counted as skipped.
    if (std::optional<sv::Event> e = mapper_->FromReport(r)) Feed(*e);
  });
  inputs_->On<ov1::Fill>(
      [this](const ov1::Fill& f, const bus::Delivery&) { Feed(mapper_->FromFill(f)); });
  runtime_.poller().Add(*inputs_);
  if (store_ != nullptr) {
    runtime_.poller().AddTimer(std::chrono::seconds(1), [this] {
      if (!unstored_.empty()) StoreAlerts();
    });
  }
  runtime_.SetReady(true);
  telemetry::LogInfo("sentinel ready",
                     {{"instruments", static_cast<uint64_t>(instruments_.size())}});
  return absl::OkStatus();
}

void SentinelService::Feed(sv::Event event) {
  // The streams interleave: the detectors need time to move forward only.
  if (event.time < last_event_time_) event.time = last_event_time_;
  last_event_time_ = event.time;
  absl::Status s = engine_->OnEvent(event);
  if (!s.ok()) {
    telemetry::LogWarn("event refused by the detectors", {{"error", s}});
    return;
  }
  if (!engine_->alerts().empty()) RaiseAlerts();
  const auto& tape = engine_->tape_statistics();
  for (; tape_published_ < tape.size(); ++tape_published_) {
    sv1::TapeStatistics stats;
    tape[tape_published_].ToProto(&instruments_, &stats);
    (void)publisher_->Publish(StrCat("alert.tape.", ShortEnumName(stats.instrument().venue()), ".",
                                     stats.instrument().symbol()),
                              stats);
  }
  // Counted once its alerts are published and stored: a caller that sees the
  // count sees what the event raised.
  events_total_->Increment();
}

void SentinelService::RaiseAlerts() {
  sv::AlertNaming naming = mapper_->Naming();
  for (const sv::Alert& alert : engine_->TakeAlerts()) {
    sv1::MarketAbuseAlert proto;
    sv::AlertToProto(alert, naming, &proto);
    alerts_total_->Increment();
    (void)publisher_->Publish(StrCat("alert.abuse.", ShortEnumName(proto.type())), proto);
    telemetry::LogWarn("market abuse alert", {{"alert_id", proto.alert_id()},
                                              {"type", ShortEnumName(proto.type())},
                                              {"severity", ShortEnumName(proto.severity())},
                                              {"subject", proto.subject()},
                                              {"explanation", proto.explanation()}});
    if (store_ != nullptr) {
      unstored_.push_back(proto);
      StoreAlerts();
    }
    if (proto.severity() == sv1::SEVERITY_CRITICAL && config_.block_on_critical())
      AskRiskToBlock(proto);
    std::lock_guard<std::mutex> lock(alerts_mu_);
    ++alerts_by_type_[std::string(ShortEnumName(proto.type()))];
    if (alerts_.size() >= kMaxAlertsInMemory) alerts_.erase(alerts_.begin());
    alerts_.push_back(std::move(proto));
  }
}

void SentinelService::StoreAlerts() {
  if (runtime_.database_ready()) {
    while (!unstored_.empty()) {
      absl::Status s = store_->InsertAlert(unstored_.front());
      if (!s.ok()) {
        if (!store_failing_) {
          telemetry::LogError("alert not stored yet: kept and retried every second",
                              {{"alert_id", unstored_.front().alert_id()}, {"error", s}});
        }
        store_failing_ = true;
        break;
      }
      if (store_failing_) telemetry::LogInfo("alerts stored again");
      store_failing_ = false;
      // Alerts are rare: a scan of the ones in memory per stored alert is cheap.
      CarryAcknowledgement(unstored_.front().alert_id());
      unstored_.pop_front();
    }
  }
  unstored_count_.store(unstored_.size());
}

void SentinelService::CarryAcknowledgement(const std::string& alert_id) {
  sv1::MarketAbuseAlert acked;
  {
    std::lock_guard<std::mutex> lock(alerts_mu_);
    auto it = std::find_if(alerts_.rbegin(), alerts_.rend(), [&](const sv1::MarketAbuseAlert& a) {
      return a.alert_id() == alert_id;
    });
    if (it == alerts_.rend() || !it->acknowledged()) return;
    acked = *it;
  }
  absl::Status s = store_->Acknowledge(alert_id, acked.ack_by(), acked.ack_note()).status();
  if (!s.ok())
    telemetry::LogError("acknowledgement not stored", {{"alert_id", alert_id}, {"error", s}});
}

void SentinelService::AskRiskToBlock(const sv1::MarketAbuseAlert& alert) {
  const admin::AdminClientOptions& o = risk_admin_;
  admin::v1::BlockRequest req;
  bool by_strategy = alert.subject() != "unknown" && !alert.subject().empty();
  req.set_scope(by_strategy ? risk::v1::BLOCK_SCOPE_STRATEGY : risk::v1::BLOCK_SCOPE_INSTRUMENT);
  req.set_id(by_strategy ? alert.subject()
                         : StrCat(ShortEnumName(alert.instrument().venue()), ".",
                                  alert.instrument().symbol()));
  req.set_reason(
      StrCat("sentinel: critical ", ShortEnumName(alert.type()), " alert ", alert.alert_id()));
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = admin::MakeAdminChannel(o);
  grpc::Status s;
  if (channel.ok()) {
    grpc::ClientContext ctx;
    admin::PrepareContext(&ctx, o);
    admin::v1::ModeState resp;
    s = admin::v1::RiskAdmin::NewStub(*channel)->Block(&ctx, req, &resp);
  } else {
    s = grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                     std::string(ToStd(channel.status().message())));
  }
  block_requests_->Increment();
  if (!s.ok()) {
    telemetry::LogError("risk did not take the block",
                        {{"alert_id", alert.alert_id()}, {"error", s.error_message()}});
  }
}

grpc::Status SentinelService::ListAlerts(grpc::ServerContext*,
                                         const admin::v1::ListAlertsRequest* request,
                                         admin::v1::ListAlertsResponse* out) {
  size_t limit = request->limit() == 0 ? 100 : request->limit();
  std::vector<sv1::MarketAbuseAlert> alerts;
  bool from_store = false;
  if (store_ != nullptr && runtime_.database_ready()) {
    absl::StatusOr<std::vector<sv1::MarketAbuseAlert>> stored =
        store_->ListAlerts(request->since_ns(), request->type(), static_cast<int>(limit));
    if (stored.ok()) {
      alerts = std::move(*stored);
      from_store = true;
    }
  }
  // Without the store, or while some alerts wait to be stored: the ones kept
  // in memory too (the stored copy wins).
  if (!from_store || unstored_count_.load() > 0) {
    std::set<std::string> listed;
    for (const sv1::MarketAbuseAlert& a : alerts) listed.insert(a.alert_id());
    std::lock_guard<std::mutex> lock(alerts_mu_);
    size_t added = 0;
    for (auto it = alerts_.rbegin(); it != alerts_.rend() && added < limit; ++it) {
      if (it->raised_ns() < request->since_ns()) continue;
      if (request->type() != sv1::ALERT_TYPE_UNSPECIFIED && it->type() != request->type()) continue;
      if (listed.count(it->alert_id()) != 0) continue;
      alerts.push_back(*it);
      ++added;
    }
    std::stable_sort(alerts.begin(), alerts.end(),
                     [](const sv1::MarketAbuseAlert& a, const sv1::MarketAbuseAlert& b) {
                       return a.raised_ns() > b.raised_ns();
                     });
    if (alerts.size() > limit) alerts.resize(limit);
  }
  for (sv1::MarketAbuseAlert& a : alerts) *out->add_alerts() = std::move(a);
  return grpc::Status::OK;
}

grpc::Status SentinelService::AckAlert(grpc::ServerContext* context,
                                       const admin::v1::AckAlertRequest* request,
                                       sv1::MarketAbuseAlert* out) {
  std::string actor = admin::CallerName(*context);
  if (request->note().empty())
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "a note is required");
  absl::Status result = absl::NotFoundError(StrCat("no alert '", request->alert_id(), "'"));
  if (store_ != nullptr) {
    absl::StatusOr<sv1::MarketAbuseAlert> a =
        store_->Acknowledge(request->alert_id(), actor, request->note());
    if (a.ok()) *out = *a;
    result = a.status();
  }
  {
    std::lock_guard<std::mutex> lock(alerts_mu_);
    for (sv1::MarketAbuseAlert& a : alerts_) {
      if (a.alert_id() != request->alert_id()) continue;
      a.set_acknowledged(true);
      a.set_ack_by(actor);
      a.set_ack_note(request->note());
      if (!result.ok()) {
        *out = a;
        result = absl::OkStatus();
      }
    }
  }
  runtime_.audit().Record({.actor = actor,
                           .action = "SentinelAdmin.AckAlert",
                           .target = request->alert_id(),
                           .reason = request->note(),
                           .outcome = result.ok() ? "ok" : std::string(ToStd(result.message()))});
  return admin::ToGrpc(result);
}

void SentinelService::FillStatus(admin::v1::ServiceStatus* status) {
  std::lock_guard<std::mutex> lock(alerts_mu_);
  auto add = [&](std::string name, double v) {
    admin::v1::Counter* c = status->add_counters();
    c->set_name(std::move(name));
    c->set_value(v);
  };
  add("events", events_total_->Value());
  add("alerts", alerts_total_->Value());
  add("malformed_inputs", static_cast<double>(inputs_->stats().malformed_total()));
  add("skipped_inputs", inputs_skipped_->Value());
  add("unstored_alerts", static_cast<double>(unstored_count_.load()));
  for (const auto& [type, n] : alerts_by_type_)
    (*status->mutable_details())[StrCat("alerts.", type)] = StrCat(n);
}

}  // namespace tradeplane::sentinel
