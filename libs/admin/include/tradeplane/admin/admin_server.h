// The gRPC admin server every service runs on its admin port: its own admin
// services, grpc.health.v1.Health (SERVING only when the service is ready)
// and server reflection, so standard gRPC tools work against it.
//
// Authentication (docs/adr/0002-admin-authentication.md): every call but
// Health and reflection must carry "authorization: Bearer name:secret"; an
// auth processor checks it before any handler runs and records the name,
// which handlers read with CallerName(). With TLS configured the server uses
// it (and, with a client CA, requires client certificates: mTLS); without
// TLS it accepts only loopback connections, so tokens never cross a network
// in clear.
#ifndef TRADEPLANE_ADMIN_ADMIN_SERVER_H_
#define TRADEPLANE_ADMIN_ADMIN_SERVER_H_

#include <memory>
#include <string>
#include <vector>

#include <grpcpp/impl/service_type.h>
#include <grpcpp/server_context.h>

#include "tradeplane/admin/admin_tokens.h"
#include "tradeplane/config/v1/common.pb.h"
#include "tradeplane/telemetry/trace_context.h"

#include "absl/status/statusor.h"

namespace grpc {
class Server;
class HealthCheckServiceInterface;
}  // namespace grpc

namespace tradeplane::admin {

struct AdminServerOptions {
  std::string service;  // "risk": the health service name
  std::string bind_address = "127.0.0.1";
  int port = 0;  // 0 = a free port (tests)
  config::v1::TlsConfig tls;
  AdminTokens tokens;
};

class AdminServer {
 public:
  // Starts serving `services` (not owned; they must outlive the server).
  static absl::StatusOr<std::unique_ptr<AdminServer>> Start(AdminServerOptions options,
                                                            std::vector<grpc::Service*> services);
  ~AdminServer();

  int port() const { return port_; }
  // Health reports SERVING for "" and the service name only while ready.
  void SetReady(bool ready);
  void Shutdown();

 private:
  AdminServer() = default;
  std::unique_ptr<grpc::Server> server_;
  std::string service_;
  int port_ = 0;
};

// The token name the auth processor accepted for this call ("" for Health).
std::string CallerName(const grpc::ServerContext& context);

// The W3C trace context the client sent in "traceparent", or an invalid one.
telemetry::SpanContext TraceFromContext(const grpc::ServerContext& context);

// Maps between absl::Status and grpc::Status (same numbering).
grpc::Status ToGrpc(const absl::Status& status);
absl::Status FromGrpc(const grpc::Status& status);

}  // namespace tradeplane::admin

#endif  // TRADEPLANE_ADMIN_ADMIN_SERVER_H_
