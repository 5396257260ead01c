// The admin plane end to end: a process on ServiceRuntime, its gRPC admin
// server (tokens, health, audit), and tradectl against it.
#include <csignal>

#include <catch2/catch.hpp>
#include <grpcpp/grpcpp.h>

#include "tradeplane/admin/admin_client.h"
#include "tradeplane/admin/v1/admin.grpc.pb.h"
#include "tradeplane/store/audit_log.h"
#include "tradeplane/store/database.h"
#include "tradeplane/testing/pg_cluster.h"
#include "tradeplane/testing/subprocess.h"
#include "tradeplane/testing/temp_dir.h"
#include "tradeplane/testing/wait.h"

#include "grpc/health/v1/health.grpc.pb.h"

namespace tradeplane {
namespace {

using testing::BinaryPath;
using testing::RunCommand;
using testing::Subprocess;
using testing::TempDir;
using testing::WaitUntil;

constexpr char kToken[] = "alice:0123456789abcdef0123";

struct Peer {
  TempDir dir;
  int admin_port = testing::FreeTcpPort();
  int metrics_port = testing::FreeTcpPort();
  std::unique_ptr<Subprocess> process;

  void Start(const std::string& extra_yaml = "") {
    testing::WriteFile(dir.File("tokens"),
                       std::string("# operators\n") + kToken + "\nbob:fedcba9876543210fedc\n");
    testing::WriteFile(dir.File("peer.yaml"), "admin: {port: " + std::to_string(admin_port) +
                                                  ", token_file: tokens}\n"
                                                  "telemetry: {metrics_port: " +
                                                  std::to_string(metrics_port) + "}\n" +
                                                  extra_yaml);
    auto p = Subprocess::Start({BinaryPath("admin_peer"), "--config", dir.File("peer.yaml")});
    REQUIRE(p.ok());
    process = std::move(*p);
  }
  std::string target() const { return "127.0.0.1:" + std::to_string(admin_port); }
};

admin::AdminClientOptions Client(const Peer& peer, const std::string& token) {
  admin::AdminClientOptions o;
  o.target = peer.target();
  o.token = token;
  o.timeout_ms = 2000;
  return o;
}

grpc::Status GetStatus(const admin::AdminClientOptions& o, admin::v1::ServiceStatus* out) {
  auto channel = admin::MakeAdminChannel(o);
  REQUIRE(channel.ok());
  grpc::ClientContext ctx;
  admin::PrepareContext(&ctx, o);
  return admin::v1::Admin::NewStub(*channel)->GetStatus(&ctx, admin::v1::GetStatusRequest(), out);
}

grpc::health::v1::HealthCheckResponse::ServingStatus Health(const Peer& peer) {
  admin::AdminClientOptions o = Client(peer, "");
  auto channel = admin::MakeAdminChannel(o);
  grpc::ClientContext ctx;
  admin::PrepareContext(&ctx, o);
  grpc::health::v1::HealthCheckRequest req;
  grpc::health::v1::HealthCheckResponse resp;
  grpc::Status s = grpc::health::v1::Health::NewStub(*channel)->Check(&ctx, req, &resp);
  return s.ok() ? resp.status() : grpc::health::v1::HealthCheckResponse::UNKNOWN;
}

testing::CommandResult Tradectl(std::vector<std::string> args) {
  args.insert(args.begin(), BinaryPath("tradectl"));
  Subprocess::Options opts;
  opts.env = {{"TRADEPLANE_ADMIN_TOKEN", ""}, {"XDG_CONFIG_HOME", "/nonexistent"}};
  absl::StatusOr<testing::CommandResult> r = RunCommand(args, std::chrono::seconds(30), opts);
  REQUIRE(r.ok());
  return *r;
}

TEST_CASE("admin calls need a valid named token, health does not", "[admin]") {
  Peer peer;
  peer.Start();
  REQUIRE(
      WaitUntil([&] { return Health(peer) == grpc::health::v1::HealthCheckResponse::SERVING; }));
  admin::v1::ServiceStatus status;
  grpc::Status none = GetStatus(Client(peer, ""), &status);
  CHECK(none.error_code() == grpc::StatusCode::UNAUTHENTICATED);
  CHECK_THAT(none.error_message(), Catch::Contains("Bearer"));
  CHECK(GetStatus(Client(peer, "alice:wrong-secret-wrong"), &status).error_code() ==
        grpc::StatusCode::UNAUTHENTICATED);
  CHECK(GetStatus(Client(peer, "mallory:0123456789abcdef0123"), &status).error_code() ==
        grpc::StatusCode::UNAUTHENTICATED);
  grpc::Status ok = GetStatus(Client(peer, kToken), &status);
  REQUIRE(ok.ok());
  CHECK(status.service() == "venue-sim");
  CHECK(status.ready());
  CHECK(status.counters_size() == 1);
  CHECK(status.details().at("database") == "not configured");
}

TEST_CASE("tradectl: status, log level, json, and its exit codes", "[admin][tradectl]") {
  Peer peer;
  peer.Start();
  REQUIRE(
      WaitUntil([&] { return Health(peer) == grpc::health::v1::HealthCheckResponse::SERVING; }));
  testing::WriteFile(peer.dir.File("token"), std::string(kToken) + "\n");
  std::vector<std::string> base = {"--target", peer.target(), "--token-file",
                                   peer.dir.File("token")};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> a = base;
    a.insert(a.end(), extra.begin(), extra.end());
    return Tradectl(a);
  };
  testing::CommandResult status = with({"status", "--service", "venue-sim"});
  INFO(status.output);
  CHECK(status.exit_code == 0);
  CHECK_THAT(status.output, Catch::Contains("service:") && Catch::Contains("venue-sim"));
  testing::CommandResult json = with({"status", "--service", "venue-sim", "-o", "json"});
  CHECK(json.exit_code == 0);
  CHECK_THAT(json.output, Catch::Contains(R"("service": "venue-sim")"));
  CHECK_THAT(json.output, Catch::Contains(R"("started_ns": ")"));  // RFC 3339 text
  testing::CommandResult yaml = with({"status", "--service", "venue-sim", "-o", "yaml"});
  CHECK_THAT(yaml.output, Catch::Contains("service: \"venue-sim\""));

  testing::CommandResult level = with({"log-level", "set", "debug", "--reason", "investigating"});
  CHECK(level.exit_code == 0);
  CHECK_THAT(level.output, Catch::Contains("info -> debug") || Catch::Contains(R"(debug)"));
  testing::CommandResult no_reason = with({"log-level", "set", "info"});
  CHECK(no_reason.exit_code == 2);
  CHECK_THAT(no_reason.output, Catch::Contains("--reason TEXT is required"));
  testing::CommandResult bad_level = with({"log-level", "set", "loud", "--reason", "x"});
  CHECK(bad_level.exit_code == 1);
  CHECK_THAT(bad_level.output, Catch::Contains("unknown log level 'loud'"));

  // Health needs no token: what a container health check runs.
  testing::CommandResult health = Tradectl({"--target", peer.target(), "health"});
  CHECK(health.exit_code == 0);
  CHECK_THAT(health.output, Catch::Contains("SERVING"));
  testing::CommandResult nowhere =
      Tradectl({"--target", "127.0.0.1:" + std::to_string(testing::FreeTcpPort()), "health",
                "--timeout-ms", "500"});
  CHECK(nowhere.exit_code == 3);
  CHECK(Tradectl({"health"}).exit_code == 2);  // which server?

  testing::CommandResult no_token =
      Tradectl({"--target", peer.target(), "status", "--service", "risk"});
  CHECK(no_token.exit_code == 4);
  testing::CommandResult unreachable =
      Tradectl({"--target", "127.0.0.1:" + std::to_string(testing::FreeTcpPort()), "--token-file",
                peer.dir.File("token"), "pnl"});
  CHECK(unreachable.exit_code == 3);
  CHECK_THAT(unreachable.output, Catch::Contains("unreachable"));
  // The peer serves Admin only: a risk command is refused, clearly.
  testing::CommandResult unimplemented = with({"mode", "get"});
  CHECK(unimplemented.exit_code == 1);
  CHECK_THAT(unimplemented.output, Catch::Contains("does not serve this command"));
  testing::CommandResult bad_mode = with({"mode", "set", "SIDEWAYS", "--reason", "x"});
  CHECK(bad_mode.exit_code == 2);
  CHECK_THAT(bad_mode.output, Catch::Contains("ACTIVE, REDUCING, PAUSED, HALTED"));
  CHECK(with({"frobnicate"}).exit_code == 2);
  testing::CommandResult help = Tradectl({"mode", "--help"});
  CHECK(help.exit_code == 0);
  CHECK_THAT(help.output, Catch::Contains("tradectl mode set MODE --reason TEXT"));
  CHECK_THAT(help.output, !Catch::Contains("tradectl kill"));
}

TEST_CASE("health follows the database, and state changes are audited in it", "[admin][pg]") {
  absl::StatusOr<std::unique_ptr<testing::PgCluster>> pg = testing::PgCluster::Start();
  REQUIRE(pg.ok());
  Peer peer;
  peer.Start("store: {conninfo: '" + (*pg)->Conninfo() + "'}\n");
  REQUIRE(WaitUntil([&] { return Health(peer) == grpc::health::v1::HealthCheckResponse::SERVING; },
                    std::chrono::seconds(20)));
  testing::WriteFile(peer.dir.File("token"), std::string(kToken) + "\n");
  testing::CommandResult level =
      Tradectl({"--target", peer.target(), "--token-file", peer.dir.File("token"), "log-level",
                "set", "warn", "--reason", "quieter please"});
  REQUIRE(level.exit_code == 0);
  config::v1::StoreConfig sc;
  sc.set_conninfo((*pg)->Conninfo());
  auto db = store::Database::Create(sc);
  REQUIRE(db.ok());
  store::AuditLog audit(**db);
  absl::StatusOr<std::vector<store::AuditEntry>> tail = audit.Tail(5);
  REQUIRE(tail.ok());
  REQUIRE_FALSE(tail->empty());
  CHECK((*tail)[0].actor == "alice");
  CHECK((*tail)[0].action == "Admin.SetLogLevel");
  CHECK((*tail)[0].reason == "quieter please");
  CHECK((*tail)[0].service == "venue-sim");

  REQUIRE((*pg)->Stop().ok());
  CHECK(
      WaitUntil([&] { return Health(peer) == grpc::health::v1::HealthCheckResponse::NOT_SERVING; },
                std::chrono::seconds(20)));
  testing::CommandResult not_serving = Tradectl({"--target", peer.target(), "health"});
  CHECK(not_serving.exit_code == 1);
  CHECK_THAT(not_serving.output, Catch::Contains("NOT_SERVING"));
  admin::v1::ServiceStatus status;
  REQUIRE(GetStatus(Client(peer, kToken), &status).ok());
  CHECK(status.not_ready_reason() == "database unavailable");
  CHECK(status.details().at("database") == "down");
  REQUIRE((*pg)->Restart().ok());
  CHECK(WaitUntil([&] { return Health(peer) == grpc::health::v1::HealthCheckResponse::SERVING; },
                  std::chrono::seconds(20)));
}

TEST_CASE("the admin server refuses to listen beyond loopback without TLS", "[admin]") {
  Peer peer;
  peer.Start("");
  peer.process.reset();
  testing::WriteFile(peer.dir.File("open.yaml"),
                     "admin: {port: " + std::to_string(peer.admin_port) +
                         ", bind_address: 0.0.0.0}\ntelemetry: {metrics_port: -1}\n");
  absl::StatusOr<testing::CommandResult> r =
      RunCommand({BinaryPath("admin_peer"), "--config", peer.dir.File("open.yaml")});
  REQUIRE(r.ok());
  CHECK(r->exit_code == 1);
  CHECK_THAT(r->output, Catch::Contains("not loopback"));
}

// A throwaway CA that signs the server's certificate (for 127.0.0.1) and
// an operator's client certificate, and a rogue CA with its own client
// certificate: made with the openssl command, as an operator would.
struct TestPki {
  TempDir dir;

  void Run(const std::string& command) {
    absl::StatusOr<testing::CommandResult> r =
        RunCommand({"/bin/sh", "-c", "cd '" + dir.path() + "' && " + command + " 2>&1"});
    REQUIRE(r.ok());
    INFO(command << "\n" << r->output);
    REQUIRE(r->exit_code == 0);
  }
  void MakeCa(const std::string& name) {
    Run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -keyout " +
        name + ".key -out " + name + ".crt -subj /CN=" + name);
  }
  void MakeCert(const std::string& name, const std::string& ca, const std::string& san) {
    Run("openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout " + name +
        ".key -out " + name + ".csr -subj /CN=" + name);
    testing::WriteFile(dir.File(name + ".ext"), san.empty() ? "" : "subjectAltName=" + san + "\n");
    Run("openssl x509 -req -in " + name + ".csr -CA " + ca + ".crt -CAkey " + ca +
        ".key -CAcreateserial -days 1 -out " + name + ".crt -extfile " + name + ".ext");
  }
  std::string File(const std::string& name) { return dir.File(name); }
};

TEST_CASE("with mTLS configured, only clients with a certificate from the client CA get in",
          "[admin][tls]") {
  TestPki pki;
  pki.MakeCa("ca");
  pki.MakeCert("server", "ca", "IP:127.0.0.1,DNS:localhost");
  pki.MakeCert("operator", "ca", "");
  pki.MakeCa("rogue-ca");
  pki.MakeCert("intruder", "rogue-ca", "");

  Peer peer;
  testing::WriteFile(peer.dir.File("tokens"), std::string(kToken) + "\n");
  // Beyond loopback is allowed once TLS is on.
  testing::WriteFile(peer.dir.File("tls.yaml"),
                     "admin: {port: " + std::to_string(peer.admin_port) +
                         ", bind_address: 0.0.0.0, token_file: tokens, tls: {cert_file: '" +
                         pki.File("server.crt") + "', key_file: '" + pki.File("server.key") +
                         "', client_ca_file: '" + pki.File("ca.crt") +
                         "'}}\ntelemetry: {metrics_port: -1}\n");
  auto p = Subprocess::Start({BinaryPath("admin_peer"), "--config", peer.dir.File("tls.yaml")});
  REQUIRE(p.ok());
  peer.process = std::move(*p);

  auto with = [&](const std::string& cert, const std::string& ca, const std::string& token) {
    admin::AdminClientOptions o = Client(peer, token);
    o.ca_file = pki.File(ca + ".crt");
    if (!cert.empty()) {
      o.cert_file = pki.File(cert + ".crt");
      o.key_file = pki.File(cert + ".key");
    }
    return o;
  };
  admin::v1::ServiceStatus status;
  REQUIRE(WaitUntil([&] { return GetStatus(with("operator", "ca", kToken), &status).ok(); },
                    std::chrono::seconds(20)));
  CHECK(status.ready());

  // The certificate lets a client in; the token still says who it is.
  CHECK(GetStatus(with("operator", "ca", ""), &status).error_code() ==
        grpc::StatusCode::UNAUTHENTICATED);
  // No client certificate, one from another CA, or no TLS at all: refused
  // in the handshake, before any call is read.
  CHECK(GetStatus(with("", "ca", kToken), &status).error_code() == grpc::StatusCode::UNAVAILABLE);
  CHECK(GetStatus(with("intruder", "ca", kToken), &status).error_code() ==
        grpc::StatusCode::UNAVAILABLE);
  CHECK(GetStatus(Client(peer, kToken), &status).error_code() == grpc::StatusCode::UNAVAILABLE);
  // A server the client's CA did not sign is not trusted either.
  CHECK(GetStatus(with("operator", "rogue-ca", kToken), &status).error_code() ==
        grpc::StatusCode::UNAVAILABLE);

  // tradectl with the same files.
  std::string target = peer.target();
  testing::CommandResult ok =
      Tradectl({"--target", target, "--ca-file", pki.File("ca.crt"), "--cert-file",
                pki.File("operator.crt"), "--key-file", pki.File("operator.key"), "--token-file",
                peer.dir.File("tokens"), "-o", "json", "status"});
  INFO(ok.output);
  CHECK(ok.exit_code == 0);
  testing::CommandResult refused = Tradectl({"--target", target, "--ca-file", pki.File("ca.crt"),
                                             "--token-file", peer.dir.File("tokens"), "status"});
  INFO(refused.output);
  CHECK(refused.exit_code != 0);
  CHECK(peer.process->Running());
}

TEST_CASE("a bad service config is refused at start with the key's path", "[admin][config]") {
  TempDir dir;
  testing::WriteFile(dir.File("bad.yaml"), "admin: {prot: 1}\nidentity: {instance: 7}\n");
  absl::StatusOr<testing::CommandResult> r =
      RunCommand({BinaryPath("admin_peer"), "--config", dir.File("bad.yaml")});
  REQUIRE(r.ok());
  CHECK(r->exit_code == 2);
  CHECK_THAT(r->output, Catch::Contains("bad.yaml:1:9: admin.prot: unknown key"));
  CHECK_THAT(r->output, Catch::Contains("identity.instance: 7 is out of range [0, 4]"));
  absl::StatusOr<testing::CommandResult> missing = RunCommand({BinaryPath("admin_peer")});
  CHECK(missing->exit_code == 2);
  CHECK_THAT(missing->output, Catch::Contains("--config FILE.yaml is required"));
  absl::StatusOr<testing::CommandResult> help = RunCommand({BinaryPath("admin_peer"), "--help"});
  CHECK(help->exit_code == 0);
  CHECK_THAT(help->output, Catch::Contains("tradeplane.config.v1.ServiceCommon"));
}

TEST_CASE("a tracing config the build cannot use is refused at start, naming the key",
          "[admin][config]") {
  TempDir dir;
  testing::WriteFile(
      dir.File("grpc.yaml"),
      "admin: {port: -1}\n"
      "telemetry:\n  metrics_port: -1\n"
      "  tracing: {enabled: true, otlp_endpoint: 'localhost:4317', protocol: grpc}\n");
  absl::StatusOr<testing::CommandResult> r =
      RunCommand({BinaryPath("admin_peer"), "--config", dir.File("grpc.yaml")});
  REQUIRE(r.ok());
  CHECK(r->exit_code == 1);
  CHECK_THAT(r->output, Catch::Contains("common.telemetry.tracing.protocol"));
  CHECK_THAT(r->output, Catch::Contains("OTLP/HTTP"));

  testing::WriteFile(dir.File("endpoint.yaml"),
                     "admin: {port: -1}\n"
                     "telemetry:\n  metrics_port: -1\n"
                     "  tracing: {enabled: true, otlp_endpoint: 'ftp://collector:4318'}\n");
  r = RunCommand({BinaryPath("admin_peer"), "--config", dir.File("endpoint.yaml")});
  REQUIRE(r.ok());
  CHECK(r->exit_code == 1);
  CHECK_THAT(r->output, Catch::Contains("common.telemetry.tracing.otlp_endpoint"));
}

}  // namespace
}  // namespace tradeplane
