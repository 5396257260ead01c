// tradeplane.admin.v1.Admin, served by every service: status and run-time log
// level. The service adds what only it knows through `fill`, which runs on a
// gRPC thread and must be thread-safe.
#ifndef TRADEPLANE_ADMIN_STATUS_SERVICE_H_
#define TRADEPLANE_ADMIN_STATUS_SERVICE_H_

#include <functional>
#include <string>

#include "tradeplane/admin/audit_trail.h"
#include "tradeplane/admin/v1/admin.grpc.pb.h"
#include "tradeplane/core/timestamp.h"

namespace tradeplane::admin {

class StatusService final : public v1::Admin::Service {
 public:
  using Fill = std::function<void(v1::ServiceStatus*)>;
  StatusService(std::string service, uint32_t instance, std::string version, Timestamp started,
                AuditTrail* audit, Fill fill);

  grpc::Status GetStatus(grpc::ServerContext* context, const v1::GetStatusRequest* request,
                         v1::ServiceStatus* response) override;
  grpc::Status SetLogLevel(grpc::ServerContext* context, const v1::SetLogLevelRequest* request,
                           v1::SetLogLevelResponse* response) override;

 private:
  std::string service_;
  uint32_t instance_;
  std::string version_;
  Timestamp started_;
  AuditTrail* audit_;
  Fill fill_;
};

}  // namespace tradeplane::admin

#endif  // TRADEPLANE_ADMIN_STATUS_SERVICE_H_
