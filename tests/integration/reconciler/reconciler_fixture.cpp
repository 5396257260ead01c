#include "reconciler_fixture.h"

#include <csignal>

#include <catch2/catch.hpp>

#include "tradeplane/admin/admin_client.h"
#include "tradeplane/core/str_cat.h"
#include "tradeplane/testing/metrics_scrape.h"
#include "tradeplane/testing/wait.h"

namespace tradeplane::recon_test {
namespace {

using testing::ReadFile;
using testing::Subprocess;
using testing::WaitUntil;
using testing::WriteFile;

constexpr char kPassphrase[] = "reconciler test passphrase";

// BTCUSDT for the simulator's instrument list (the harness trades it).
constexpr char kBtcUsdt[] =
    "  - {id: {symbol: BTCUSDT}, base_asset: BTC, quote_asset: USDT, tick_size: '0.01', "
    "lot_size: '0.0001'}\n";

void Keys(const testing::TempDir& dir, std::vector<std::string> args) {
  args.insert(args.begin(), {testing::BinaryPath("tradeplane-signer"), "keys"});
  args.insert(args.end(), {"--keystore", dir.File("keystore")});
  Subprocess::Options options;
  options.env = {{"TRADEPLANE_KEYSTORE_PASSPHRASE", kPassphrase},
                 {"TRADEPLANE_SIGNER_KDF", "minimum"}};
  auto r = testing::RunCommand(std::move(args), std::chrono::seconds(60), options);
  REQUIRE(r.ok());
  INFO(r->output);
  REQUIRE(r->exit_code == 0);
}

bool AdminReady(int port) {
  return admin::ServiceSaysReady({.target = "127.0.0.1:" + std::to_string(port),
                                  .token = testing::kAdminToken,
                                  .timeout_ms = 2000});
}

}  // namespace

FakeRiskAdmin::FakeRiskAdmin() {
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
  builder.RegisterService(this);
  server_ = builder.BuildAndStart();
  REQUIRE(server_ != nullptr);
}

FakeRiskAdmin::~FakeRiskAdmin() { server_->Shutdown(); }

grpc::Status FakeRiskAdmin::SetMode(grpc::ServerContext*, const admin::v1::SetModeRequest* request,
                                    admin::v1::ModeState* out) {
  std::lock_guard<std::mutex> lock(mu_);
  requests_.push_back(*request);
  out->set_mode(request->mode());
  return grpc::Status::OK;
}

std::vector<admin::v1::SetModeRequest> FakeRiskAdmin::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

ReconWorld::ReconWorld(ReconOptions options) : options_(std::move(options)) {
  sim_.Start({.extra_yaml = kBtcUsdt});
  exec_ = std::make_unique<testing::ExecutionHarness>("");
  StartSigner();
  std::string signer_section = "signer:\n  socket:\n    endpoint: '" + dir_.Ipc("signer") +
                               "'\n    curve: {enabled: true, key_pair_file: '" +
                               dir_.File("execution.key") + "', server_public_key: '" +
                               server_keys_.public_key + "'}\n  timeout_ms: 3000\n";
  exec_->Reconfigure(
      signer_section +
      "venue: {kind: BINANCE, venue: BINANCE, key_id: binance, rest_url: 'http://127.0.0.1:" +
      std::to_string(sim_.rest_port()) + "', ws_url: '" + sim_.WsUrl("") +
      "', timeout_ms: 2000, max_retries: 2, retry_backoff_ms: 50, reconnect_backoff_ms: 100, "
      "max_reconnect_backoff_ms: 400}\n"
      "instruments:\n  - {id: {venue: BINANCE, symbol: BTCUSDT}}\n"
      "require_clean_reconciliation: " +
      std::string(options_.execution_requires_clean_run ? "true" : "false") +
      "\nresync_interval_ms: 300\n");
  recon_admin_port_ = testing::FreeTcpPort();
  recon_metrics_port_ = testing::FreeTcpPort();
  WriteFile(dir_.File("tokens"), std::string(testing::kAdminToken) + "\n");
  WriteReconcilerConfig();
}

ReconWorld::~ReconWorld() {
  StopReconciler();
  exec_.reset();
  if (signer_ != nullptr) {
    signer_->Signal(SIGTERM);
    signer_->Wait(std::chrono::seconds(10));
  }
}

void ReconWorld::StartSigner() {
  auto server = bus::GenerateCurveKeyPair();
  auto exec = bus::GenerateCurveKeyPair();
  auto recon = bus::GenerateCurveKeyPair();
  REQUIRE((server.ok() && exec.ok() && recon.ok()));
  server_keys_ = *server;
  exec_keys_ = *exec;
  recon_keys_ = *recon;
  REQUIRE(bus::WriteCurveKeyPair(server_keys_, dir_.File("server.key")).ok());
  REQUIRE(bus::WriteCurveKeyPair(exec_keys_, dir_.File("execution.key")).ok());
  REQUIRE(bus::WriteCurveKeyPair(recon_keys_, dir_.File("reconciler.key")).ok());
  WriteFile(dir_.File("passphrase"), std::string(kPassphrase) + "\n");
  WriteFile(dir_.File("tokens"), std::string(testing::kAdminToken) + "\n");
  WriteFile(dir_.File("binance.secret"), std::string(venue_sim_test::kDocSecret) + "\n");
  WriteFile(dir_.File("policy.yaml"),
            "allowed_venues: [BINANCE]\n"
            "allowed_kinds: [ORDER, CANCEL, QUERY, USER_STREAM]\n"
            "max_notional_per_request: '100000'\n"
            "max_timestamp_skew_ms: 60000\n");
  Keys(dir_, {"init"});
  Keys(dir_, {"import", "--id", "binance", "--alg", "hmac-sha256", "--secret-file",
              dir_.File("binance.secret"), "--api-key", venue_sim_test::kDocApiKey});
  Keys(dir_, {"policy", "set", "--id", "binance", dir_.File("policy.yaml")});
  int admin_port = testing::FreeTcpPort();
  WriteFile(dir_.File("signer.yaml"),
            "common:\n  store: {conninfo: '" + exec_->conninfo() +
                "'}\n  admin: {port: " + std::to_string(admin_port) +
                ", token_file: tokens}\n  telemetry: {metrics_port: -1, log_file: signer.log}\n"
                "server:\n  endpoint: '" +
                dir_.Ipc("signer") +
                "'\n  curve: {enabled: true, key_pair_file: server.key, allowed_client_keys: "
                "['execution:" +
                exec_keys_.public_key + "', 'reconciler:" + recon_keys_.public_key +
                "']}\nkeystore: keystore\npassphrase_file: passphrase\n");
  Subprocess::Options options;
  options.output_file = dir_.File("signer.out");
  auto p = Subprocess::Start(
      {testing::BinaryPath("tradeplane-signer"), "--config", dir_.File("signer.yaml")}, options);
  REQUIRE(p.ok());
  signer_ = std::move(*p);
  bool ready = WaitUntil([&] { return AdminReady(admin_port); }, std::chrono::seconds(30));
  INFO(ReadFile(dir_.File("signer.log")));
  REQUIRE(ready);
}

void ReconWorld::WriteReconcilerConfig() {
  WriteFile(dir_.File("reconciler.yaml"),
            StrCat("common:\n  admin: {port: ", recon_admin_port_,
                   ", token_file: tokens}\n  telemetry: {metrics_port: ", recon_metrics_port_,
                   ", log_file: recon.log}\n  store: {conninfo: '", exec_->conninfo(),
                   "', pool_size: 2}\n"
                   "execution:\n  socket: {endpoint: '",
                   exec_->dir().Ipc("orders"),
                   "'}\n  timeout_ms: 3000\n"
                   "signer:\n  socket:\n    endpoint: '",
                   dir_.Ipc("signer"), "'\n    curve: {enabled: true, key_pair_file: '",
                   dir_.File("reconciler.key"), "', server_public_key: '", server_keys_.public_key,
                   "'}\n  timeout_ms: 3000\n"
                   "publisher: {endpoint: '",
                   dir_.Ipc("recon"),
                   "'}\n"
                   "venue: {kind: BINANCE, venue: BINANCE, key_id: binance, rest_url: "
                   "'http://127.0.0.1:",
                   sim_.rest_port(), "', timeout_ms: ", options_.venue_timeout_ms,
                   "}\n"
                   "interval_s: 3600\n"
                   "unknown_order_policy: ",
                   options_.unknown_order_policy,
                   "\ningest_missed_fills: ", options_.ingest_missed_fills ? "true" : "false",
                   "\npause_on_failed_run: ", options_.pause_on_failed_run ? "true" : "false",
                   "\nrisk_admin_target: '", risk_.target(), "'\nin_flight_grace_ms: 1\n",
                   options_.balance_tolerance.empty()
                       ? std::string()
                       : StrCat("balance_tolerance: ", options_.balance_tolerance, "\n")));
}

void ReconWorld::StartReconciler() {
  StopReconciler();
  Subprocess::Options options;
  options.output_file = dir_.File("reconciler.out");
  options.env = {{"TRADEPLANE_ADMIN_TOKEN", testing::kAdminToken}};
  auto p = Subprocess::Start(
      {testing::BinaryPath("tradeplane-reconciler"), "--config", dir_.File("reconciler.yaml")},
      options);
  REQUIRE(p.ok());
  reconciler_ = std::move(*p);
  bool ready = WaitUntil([&] { return !reconciler_->Running() || AdminReady(recon_admin_port_); },
                         std::chrono::seconds(30));
  INFO(ReadFile(dir_.File("reconciler.out")) << Log());
  REQUIRE(ready);
  REQUIRE(reconciler_->Running());
}

void ReconWorld::StopReconciler() {
  if (reconciler_ == nullptr) return;
  reconciler_->Signal(SIGTERM);
  reconciler_->Wait(std::chrono::seconds(10));
  reconciler_.reset();
}

bool ReconWorld::ReconcilerRunning() { return reconciler_ != nullptr && reconciler_->Running(); }

std::unique_ptr<admin::v1::ReconcilerAdmin::Stub> ReconWorld::Stub() {
  auto channel = admin::MakeAdminChannel(
      {.target = "127.0.0.1:" + std::to_string(recon_admin_port_), .token = testing::kAdminToken});
  REQUIRE(channel.ok());
  return admin::v1::ReconcilerAdmin::NewStub(*channel);
}

grpc::Status ReconWorld::RunRecon(reconciliation::v1::ReconRun* out, const std::string& reason) {
  admin::v1::RunReconRequest request;
  request.set_reason(reason);
  grpc::ClientContext ctx;
  admin::PrepareContext(&ctx, {.target = "127.0.0.1:" + std::to_string(recon_admin_port_),
                               .token = testing::kAdminToken,
                               .timeout_ms = 60000});
  return Stub()->Run(&ctx, request, out);
}

std::vector<reconciliation::v1::Break> ReconWorld::Breaks(bool open_only) {
  admin::v1::ListBreaksRequest request;
  request.set_open_only(open_only);
  admin::v1::ListBreaksResponse response;
  grpc::ClientContext ctx;
  admin::PrepareContext(&ctx, {.target = "127.0.0.1:" + std::to_string(recon_admin_port_),
                               .token = testing::kAdminToken});
  REQUIRE(Stub()->ListBreaks(&ctx, request, &response).ok());
  return {response.breaks().begin(), response.breaks().end()};
}

std::vector<reconciliation::v1::ReconRun> ReconWorld::Runs() {
  admin::v1::ListRunsRequest request;
  admin::v1::ListRunsResponse response;
  grpc::ClientContext ctx;
  admin::PrepareContext(&ctx, {.target = "127.0.0.1:" + std::to_string(recon_admin_port_),
                               .token = testing::kAdminToken});
  REQUIRE(Stub()->ListRuns(&ctx, request, &response).ok());
  return {response.runs().begin(), response.runs().end()};
}

std::string ReconWorld::Metrics() { return testing::ScrapeMetrics(recon_metrics_port_); }

std::string ReconWorld::Log() const {
  std::string log = ReadFile(dir_.File("recon.log"));
  return log.size() > 8000 ? log.substr(log.size() - 8000) : log;
}

venue_sim_test::Response ReconWorld::PlaceAtVenue(const std::string& account,
                                                  const std::string& side, const std::string& qty,
                                                  const std::string& price,
                                                  const std::string& client_order_id) {
  std::string query = StrCat("/control/order?account=", account, "&symbol=BTCUSDT&side=", side,
                             "&type=LIMIT&timeInForce=GTC&quantity=", qty, "&price=", price);
  if (!client_order_id.empty()) query += "&newClientOrderId=" + client_order_id;
  return sim_.Control("POST", query);
}

std::vector<std::string> ReconWorld::VenueOpenClientIds() {
  venue_sim_test::Response r = sim_.Signed("GET", "/api/v3/openOrders", "symbol=BTCUSDT");
  INFO(r.body);
  REQUIRE(r.status == 200);
  std::vector<std::string> out;
  for (const auto& o : r.json.GetArray()) out.push_back(venue_sim_test::Str(o, "clientOrderId"));
  return out;
}

}  // namespace tradeplane::recon_test
