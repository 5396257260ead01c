#include "tradeplane/admin/status_service.h"

#include "tradeplane/admin/admin_server.h"
#include "tradeplane/core/clock.h"
#include "tradeplane/core/str_cat.h"
#include "tradeplane/telemetry/log.h"

namespace tradeplane::admin {

StatusService::StatusService(std::string service, uint32_t instance, std::string version,
                             Timestamp started, AuditTrail* audit, Fill fill)
    : service_(std::move(service)),
      instance_(instance),
      version_(std::move(version)),
      started_(started),
      audit_(audit),
      fill_(std::move(fill)) {}

grpc::Status StatusService::GetStatus(grpc::ServerContext*, const v1::GetStatusRequest*,
                                      v1::ServiceStatus* response) {
  response->set_service(service_);
  response->set_instance(instance_);
  response->set_version(version_);
  response->set_started_ns(started_.nanos());
  response->set_uptime_s((SystemClock::Instance().Now() - started_).count() / 1'000'000'000);
  if (fill_) fill_(response);
  return grpc::Status::OK;
}

grpc::Status StatusService::SetLogLevel(grpc::ServerContext* context,
                                        const v1::SetLogLevelRequest* request,
                                        v1::SetLogLevelResponse* response) {
  absl::StatusOr<telemetry::LogLevel> level = telemetry::ParseLogLevel(request->level());
  if (!level.ok()) return ToGrpc(level.status());
  telemetry::LogLevel previous = telemetry::GetLogLevel();
  telemetry::SetLogLevel(*level);
  response->set_previous(std::string(telemetry::LogLevelName(previous)));
  response->set_level(std::string(telemetry::LogLevelName(*level)));
  if (audit_ != nullptr) {
    audit_->Record(
        {.actor = CallerName(*context),
         .action = "Admin.SetLogLevel",
         .target = "log_level",
         .reason = request->reason(),
         .details_json = StrCat(R"({"previous":")", telemetry::LogLevelName(previous),
                                R"(","level":")", telemetry::LogLevelName(*level), R"("})")});
  }
  return grpc::Status::OK;
}

}  // namespace tradeplane::admin
