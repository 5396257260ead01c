#include "tradeplane/admin/admin_server.h"

#include <fstream>
#include <sstream>

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/auth_metadata_processor.h>
#include <grpcpp/security/server_credentials.h>

#include "tradeplane/core/str_cat.h"
#include "tradeplane/telemetry/log.h"

namespace tradeplane::admin {
namespace {

constexpr char kCallerProperty[] = "tradeplane-caller";

// Calls that need no token: probes and tools discovering the API.
bool IsOpenMethod(std::string_view path) {
  return path.starts_with("/grpc.health.v1.Health/") ||
         path.starts_with("/grpc.reflection.v1alpha.ServerReflection/");
}

class TokenProcessor final : public grpc::AuthMetadataProcessor {
 public:
  explicit TokenProcessor(AdminTokens tokens) : tokens_(std::move(tokens)) {}
  bool IsBlocking() const override { return false; }

  grpc::Status Process(const InputMetadata& metadata, grpc::AuthContext* context, OutputMetadata*,
                       OutputMetadata*) override {
    auto path = metadata.find(":path");
    std::string_view method =
        path == metadata.end() ? "" : std::string_view(path->second.data(), path->second.size());
    if (IsOpenMethod(method)) return grpc::Status::OK;
    auto auth = metadata.find("authorization");
    if (auth == metadata.end()) {
      telemetry::LogWarn("admin call refused: no token", {{"method", method}});
      return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                          "admin calls need 'authorization: Bearer name:secret' "
                          "(tradectl reads --token-file or TRADEPLANE_ADMIN_TOKEN)");
    }
    absl::StatusOr<std::string> name =
        tokens_.Authenticate(std::string_view(auth->second.data(), auth->second.size()));
    if (!name.ok()) {
      telemetry::LogWarn("admin call refused: bad token", {{"method", method}});
      return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                          std::string(ToStd(name.status().message())));
    }
    context->AddProperty(kCallerProperty, *name);
    return grpc::Status::OK;
  }

 private:
  AdminTokens tokens_;
};

absl::StatusOr<std::string> ReadFile(const std::string& path, std::string_view what) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(StrCat("cannot read ", what, " '", path, "'"));
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool IsLoopback(std::string_view address) {
  return address == "127.0.0.1" || address == "localhost" || address == "[::1]" || address == "::1";
}

}  // namespace

absl::StatusOr<std::unique_ptr<AdminServer>> AdminServer::Start(
    AdminServerOptions options, std::vector<grpc::Service*> services) {
  std::shared_ptr<grpc::ServerCredentials> credentials;
  const config::v1::TlsConfig& tls = options.tls;
  if (!tls.cert_file().empty() || !tls.key_file().empty()) {
    absl::StatusOr<std::string> cert = ReadFile(tls.cert_file(), "admin.tls.cert_file");
    if (!cert.ok()) return cert.status();
    absl::StatusOr<std::string> key = ReadFile(tls.key_file(), "admin.tls.key_file");
    if (!key.ok()) return key.status();
    grpc::SslServerCredentialsOptions ssl;
    ssl.pem_key_cert_pairs.push_back({*key, *cert});
    if (!tls.client_ca_file().empty()) {
      absl::StatusOr<std::string> ca = ReadFile(tls.client_ca_file(), "admin.tls.client_ca_file");
      if (!ca.ok()) return ca.status();
      ssl.pem_root_certs = *ca;
      ssl.client_certificate_request = GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
    }
    credentials = grpc::SslServerCredentials(ssl);
  } else {
    if (!IsLoopback(options.bind_address)) {
      return absl::InvalidArgumentError(
          StrCat("admin.bind_address '", options.bind_address,
                 "' is not loopback: without admin.tls (cert_file, key_file) the admin server only "
                 "listens on 127.0.0.1, so tokens never cross a network in clear"));
    }
    // Local credentials accept loopback peers only, and, unlike insecure
    // credentials, run the auth processor.
    credentials = grpc::experimental::LocalServerCredentials(LOCAL_TCP);
  }
  if (options.tokens.empty()) {
    telemetry::LogWarn("admin server has no tokens: every admin call will be refused",
                       {{"service", options.service}});
  }
  credentials->SetAuthMetadataProcessor(std::make_shared<TokenProcessor>(options.tokens));

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  std::unique_ptr<AdminServer> server(new AdminServer());
  server->service_ = options.service;
  std::string address = StrCat(
      options.bind_address == "localhost" ? "127.0.0.1" : options.bind_address, ":", options.port);
  builder.AddListeningPort(address, credentials, &server->port_);
  for (grpc::Service* s : services) builder.RegisterService(s);
  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || server->port_ == 0) {
    return absl::UnavailableError(
        StrCat("cannot serve admin gRPC on ", address, " (port in use or address not available)"));
  }
  server->SetReady(false);
  return server;
}

AdminServer::~AdminServer() { Shutdown(); }

void AdminServer::SetReady(bool ready) {
  if (server_ == nullptr) return;
  grpc::HealthCheckServiceInterface* health = server_->GetHealthCheckService();
  if (health == nullptr) return;
  health->SetServingStatus(ready);
  health->SetServingStatus(service_, ready);
}

void AdminServer::Shutdown() {
  if (server_ == nullptr) return;
  server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  server_.reset();
}

std::string CallerName(const grpc::ServerContext& context) {
  std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
  if (auth == nullptr) return "";
  std::vector<grpc::string_ref> v = auth->FindPropertyValues(kCallerProperty);
  return v.empty() ? "" : std::string(v.front().data(), v.front().size());
}

telemetry::SpanContext TraceFromContext(const grpc::ServerContext& context) {
  auto it = context.client_metadata().find("traceparent");
  if (it == context.client_metadata().end()) return {};
  absl::StatusOr<telemetry::SpanContext> c = telemetry::SpanContext::FromTraceparent(
      std::string_view(it->second.data(), it->second.size()));
  return c.ok() ? *c : telemetry::SpanContext();
}

grpc::Status ToGrpc(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(ToStd(status.message())));
}

absl::Status FromGrpc(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
}

}  // namespace tradeplane::admin
