// Client side of the admin plane: channels with the right credentials, and
// call contexts that carry the token, a deadline and the trace context.
#ifndef TRADEPLANE_ADMIN_ADMIN_CLIENT_H_
#define TRADEPLANE_ADMIN_ADMIN_CLIENT_H_

#include <memory>
#include <string>
#include <string_view>

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>

#include "tradeplane/telemetry/trace_context.h"

#include "absl/status/statusor.h"

namespace tradeplane::admin {

struct AdminClientOptions {
  std::string target;  // host:port
  std::string token;   // "name:secret"
  // TLS: the CA that signed the server's certificate; with cert and key, a
  // client certificate for mTLS. Empty: loopback-only local credentials.
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
  int timeout_ms = 5000;
};

absl::StatusOr<std::shared_ptr<grpc::Channel>> MakeAdminChannel(const AdminClientOptions& options);

// The options a service uses to call another service's admin API (sentinel
// and the reconciler call risk's). The token ("name:secret", so the callee's
// audit names the caller) is the first line of `token_file` that is neither
// empty nor a comment, else TRADEPLANE_ADMIN_TOKEN, else none (the callee
// then refuses the call as unauthenticated). `token_file_key` names the config
// key in the error when the file cannot be read or holds no token.
absl::StatusOr<AdminClientOptions> ServiceClientOptions(std::string target,
                                                        const std::string& token_file,
                                                        std::string_view token_file_key,
                                                        std::string ca_file, int timeout_ms);

// Sets the deadline, "authorization: Bearer <token>" and "traceparent".
void PrepareContext(grpc::ClientContext* context, const AdminClientOptions& options,
                    const telemetry::SpanContext& trace = {});

// True when the service at `options.target` answers Admin.GetStatus and says
// it is ready; false when it is unreachable, refuses or is not ready yet.
// For callers that wait for a service they started (tests, benchmarks).
bool ServiceSaysReady(const AdminClientOptions& options);

}  // namespace tradeplane::admin

#endif  // TRADEPLANE_ADMIN_ADMIN_CLIENT_H_
