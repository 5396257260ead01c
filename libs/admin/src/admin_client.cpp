#include "tradeplane/admin/admin_client.h"

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include "tradeplane/admin/v1/admin.grpc.pb.h"
#include "tradeplane/core/str_cat.h"

namespace tradeplane::admin {
namespace {

absl::StatusOr<std::string> Read(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(StrCat("cannot read '", path, "'"));
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

absl::StatusOr<std::shared_ptr<grpc::Channel>> MakeAdminChannel(const AdminClientOptions& options) {
  if (options.target.empty()) return absl::InvalidArgumentError("no admin target (host:port)");
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  if (!options.ca_file.empty()) {
    grpc::SslCredentialsOptions ssl;
    absl::StatusOr<std::string> ca = Read(options.ca_file);
    if (!ca.ok()) return ca.status();
    ssl.pem_root_certs = *ca;
    if (!options.cert_file.empty()) {
      absl::StatusOr<std::string> cert = Read(options.cert_file);
      if (!cert.ok()) return cert.status();
      absl::StatusOr<std::string> key = Read(options.key_file);
      if (!key.ok()) return key.status();
      ssl.pem_cert_chain = *cert;
      ssl.pem_private_key = *key;
    }
    credentials = grpc::SslCredentials(ssl);
  } else {
    credentials = grpc::experimental::LocalCredentials(LOCAL_TCP);
  }
  return grpc::CreateChannel(options.target, credentials);
}

void PrepareContext(grpc::ClientContext* context, const AdminClientOptions& options,
                    const telemetry::SpanContext& trace) {
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::milliseconds(options.timeout_ms));
  if (!options.token.empty()) context->AddMetadata("authorization", "Bearer " + options.token);
  if (trace.valid()) context->AddMetadata("traceparent", trace.ToTraceparent());
}

absl::StatusOr<AdminClientOptions> ServiceClientOptions(std::string target,
                                                        const std::string& token_file,
                                                        std::string_view token_file_key,
                                                        std::string ca_file, int timeout_ms) {
  AdminClientOptions o;
  o.target = std::move(target);
  o.ca_file = std::move(ca_file);
  o.timeout_ms = timeout_ms;
  if (!token_file.empty()) {
    std::ifstream in(token_file);
    if (!in)
      return absl::InvalidArgumentError(StrCat(token_file_key, ": cannot read '", token_file, "'"));
    std::string line;
    while (std::getline(in, line)) {
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
      if (!line.empty() && line[0] != '#') {
        o.token = line;
        break;
      }
    }
    if (o.token.find(':') == std::string::npos) {
      return absl::InvalidArgumentError(
          StrCat(token_file_key, ": '", token_file, "' holds no token (name:secret)"));
    }
  } else if (const char* env = std::getenv("TRADEPLANE_ADMIN_TOKEN"); env != nullptr) {
    o.token = env;
  }
  return o;
}

bool ServiceSaysReady(const AdminClientOptions& options) {
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = MakeAdminChannel(options);
  if (!channel.ok()) return false;
  grpc::ClientContext context;
  PrepareContext(&context, options);
  v1::ServiceStatus status;
  grpc::Status s =
      v1::Admin::NewStub(*channel)->GetStatus(&context, v1::GetStatusRequest(), &status);
  return s.ok() && status.ready();
}

}  // namespace tradeplane::admin
