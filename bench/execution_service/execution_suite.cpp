#include "execution_suite.h"

#include "tradeplane/bench/status_context.h"
#include "tradeplane/net/http_client.h"
#include "tradeplane/testing/subprocess.h"
#include "tradeplane/testing/wait.h"

#include "absl/strings/str_cat.h"

namespace tradeplane::bench {
namespace {

// Execution's account at the simulator: the signer holds its secret.
constexpr char kVenueApiKey[] = "BenchExecutionKey00000000000000000000000000000000000000000000000";
constexpr char kVenueSecret[] = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
constexpr char kAdminToken[] = "bench:0123456789abcdef0123";

// BTCUSDT as both the simulator and execution know it.
constexpr char kInstrumentSpec[] =
    "base_asset: BTC, quote_asset: USDT, tick_size: '0.01', lot_size: '0.00001', "
    "min_notional: '1'";

}  // namespace

std::string ExecutionSuite::rest_url() const {
  return absl::StrCat("http://127.0.0.1:", rest_port_);
}

absl::Status ExecutionSuite::Start() {
  absl::StatusOr<std::unique_ptr<testing::PgCluster>> pg = testing::PgCluster::Start();
  if (!pg.ok()) return Context("PostgreSQL", pg.status());
  pg_ = std::move(*pg);
  absl::StatusOr<std::string> conninfo = pg_->CreateDatabase();
  if (!conninfo.ok()) return Context("PostgreSQL", conninfo.status());
  conninfo_ = *conninfo;

  for (bus::CurveKeyPair* pair : {&execution_key_, &bench_key_}) {
    absl::StatusOr<bus::CurveKeyPair> generated = bus::GenerateCurveKeyPair();
    if (!generated.ok()) return generated.status();
    *pair = *generated;
  }
  SignerSetup setup;
  setup.dir = signer_dir_.path();
  setup.conninfo = conninfo_;
  setup.keys = {
      {kVenueKeyId, "hmac-sha256", kVenueSecret, kVenueApiKey, PermissiveVenuePolicyYaml()}};
  setup.clients = {{"execution", execution_key_.public_key}, {"bench", bench_key_.public_key}};
  absl::StatusOr<std::unique_ptr<SignerProcess>> signer = SignerProcess::Start(setup);
  if (!signer.ok()) return Context("tradeplane-signer", signer.status());
  signer_ = std::move(*signer);

  if (absl::Status s = StartVenueSim(); !s.ok()) return s;
  return StartExecution();
}

absl::Status ExecutionSuite::StartVenueSim() {
  rest_port_ = testing::FreeTcpPort();
  ws_port_ = testing::FreeTcpPort();
  testing::WriteFile(dir_.File("execution-account.secret"), std::string(kVenueSecret) + "\n");
  testing::WriteFile(dir_.File("direct-account.secret"), std::string(kDirectSecret) + "\n");
  std::string yaml = absl::StrCat(
      "common:\n"
      "  admin: {port: -1}\n"
      "  telemetry: {metrics_port: -1, log_file: sim.log}\n"
      "rest_port: ",
      rest_port_, "\nws_port: ", ws_port_, "\ncontrol_port: ", testing::FreeTcpPort(),
      "\n"
      "lockstep: false\n"
      "request_weight_per_minute: 100000000\n"
      "api_key_dir: .\n"
      "api_keys: {",
      kVenueApiKey, ": execution-account.secret, ", kDirectApiKey,
      ": direct-account.secret}\n"
      "initial_balances: {USDT: '1000000000', BTC: '100000'}\n"
      "instruments:\n"
      "  - {id: {symbol: ",
      kSymbol, "}, ", kInstrumentSpec, "}\n");
  testing::WriteFile(dir_.File("venue-sim.yaml"), yaml);
  const std::string ping = rest_url() + "/api/v3/ping";
  ServiceOptions options;
  options.name = "tradeplane-venue-sim";
  options.argv = {testing::BinaryPath("tradeplane-venue-sim"), "--config",
                  dir_.File("venue-sim.yaml")};
  options.output_file = dir_.File("venue-sim.out");
  options.log_file = dir_.File("sim.log");
  options.ready = [ping] {
    net::HttpClient probe;
    absl::StatusOr<net::HttpResponse> r = probe.Get(ping, {}, std::chrono::milliseconds(1000));
    return r.ok() && r->status == 200;
  };
  absl::StatusOr<std::unique_ptr<ServiceProcess>> process = ServiceProcess::Start(options);
  if (!process.ok()) return Context("tradeplane-venue-sim", process.status());
  venue_sim_ = std::move(*process);
  return absl::OkStatus();
}

absl::Status ExecutionSuite::StartExecution() {
  testing::WriteFile(dir_.File("approval.key"), std::string(kApprovalKeyHex) + "\n");
  testing::WriteFile(dir_.File("tokens"), std::string(kAdminToken) + "\n");
  if (absl::Status s = bus::WriteCurveKeyPair(execution_key_, dir_.File("execution.curve"));
      !s.ok()) {
    return s;
  }
  const int admin_port = testing::FreeTcpPort();
  std::string yaml = absl::StrCat(
      "common:\n"
      "  admin: {port: ",
      admin_port,
      ", token_file: tokens}\n"
      "  telemetry: {metrics_port: -1, log_file: execution.log}\n"
      "  store: {conninfo: '",
      conninfo_,
      "', pool_size: 2}\n"
      "orders: {endpoint: '",
      orders_endpoint(),
      "'}\n"
      "publisher: {endpoint: '",
      exec_endpoint(),
      "'}\n"
      "market_data: {endpoint: '",
      dir_.Ipc("md"),
      "'}\n"
      "signer:\n"
      "  socket:\n"
      "    endpoint: '",
      signer_->endpoint(),
      "'\n"
      "    curve: {enabled: true, key_pair_file: execution.curve, server_public_key: '",
      signer_->server_key().public_key,
      "'}\n"
      "  timeout_ms: 5000\n"
      "venue: {kind: BINANCE, venue: BINANCE, key_id: ",
      kVenueKeyId, ", rest_url: '", rest_url(), "', ws_url: 'ws://127.0.0.1:", ws_port_,
      "', recv_window_ms: 5000, timeout_ms: 5000}\n"
      "approval_key_file: approval.key\n"
      "require_clean_reconciliation: false\n"
      "instruments:\n"
      "  - {id: {venue: BINANCE, symbol: ",
      kSymbol, "}, ", kInstrumentSpec, "}\n");
  testing::WriteFile(dir_.File("execution.yaml"), yaml);
  const std::string target = absl::StrCat("127.0.0.1:", admin_port);
  ServiceOptions options;
  options.name = "tradeplane-execution";
  options.argv = {testing::BinaryPath("tradeplane-execution"), "--config",
                  dir_.File("execution.yaml")};
  options.output_file = dir_.File("execution.out");
  options.log_file = dir_.File("execution.log");
  options.ready = [target] { return AdminSaysReady(target, kAdminToken); };
  absl::StatusOr<std::unique_ptr<ServiceProcess>> process = ServiceProcess::Start(options);
  if (!process.ok()) return Context("tradeplane-execution", process.status());
  execution_ = std::move(*process);
  return absl::OkStatus();
}

}  // namespace tradeplane::bench
