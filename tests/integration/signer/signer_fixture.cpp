#include "signer_fixture.h"

#include <cctype>
#include <chrono>
#include <csignal>
#include <cstring>

#include <catch2/catch.hpp>
#include <grpcpp/grpcpp.h>

#include "tradeplane/admin/admin_client.h"
#include "tradeplane/admin/v1/admin.grpc.pb.h"
#include "tradeplane/testing/metrics_scrape.h"
#include "tradeplane/testing/wait.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace tradeplane::signer_test {

using testing::BinaryPath;
using testing::CommandResult;
using testing::RunCommand;
using testing::ScrapeMetrics;
using testing::Subprocess;

std::string ToolPath(const std::string& name) {
  for (const std::string dir :
       {"/usr/bin/", "/bin/", "/usr/local/bin/", "/usr/lib/postgresql/15/bin/"}) {
    std::string path = dir + name;
    if (access(path.c_str(), X_OK) == 0) return path;
  }
  return "";
}

CommandResult Psql(const std::string& conninfo, const std::string& sql) {
  std::string psql = ToolPath("psql");
  REQUIRE_FALSE(psql.empty());
  absl::StatusOr<CommandResult> r = RunCommand(
      {psql, "-d", conninfo, "-v", "ON_ERROR_STOP=1", "-At", "-c", sql}, std::chrono::seconds(30));
  REQUIRE(r.ok());
  return *r;
}

SignerFixture::SignerFixture(std::string conninfo, bool metrics)
    : conninfo_(std::move(conninfo)),
      admin_port_(testing::FreeTcpPort()),
      metrics_port_(metrics ? testing::FreeTcpPort() : -1) {
  for (bus::CurveKeyPair* pair : {&server_, &execution_, &reconciler_, &intruder_}) {
    absl::StatusOr<bus::CurveKeyPair> generated = bus::GenerateCurveKeyPair();
    REQUIRE(generated.ok());
    *pair = *generated;
  }
  REQUIRE(bus::WriteCurveKeyPair(server_, dir_.File("server.key")).ok());
  testing::WriteFile(dir_.File("passphrase"), std::string(kPassphrase) + "\n");
  testing::WriteFile(dir_.File("tokens"), std::string(kAdminToken) + "\n");
  testing::WriteFile(dir_.File("token"), std::string(kAdminToken) + "\n");
}

SignerFixture::~SignerFixture() {
  if (process_ != nullptr && process_->Running()) Stop();
}

CommandResult SignerFixture::Run(std::vector<std::string> argv, const std::string& stdin_file) {
  Subprocess::Options options;
  options.env = {{"TRADEPLANE_KEYSTORE_PASSPHRASE", kPassphrase},
                 {"TRADEPLANE_SIGNER_KDF", "minimum"},
                 {"TRADEPLANE_ADMIN_TOKEN", ""},
                 {"XDG_CONFIG_HOME", "/nonexistent"}};
  options.input_file = stdin_file;
  absl::StatusOr<CommandResult> r = RunCommand(std::move(argv), std::chrono::seconds(60), options);
  REQUIRE(r.ok());
  produced_.push_back(r->output);
  return *r;
}

CommandResult SignerFixture::Keys(std::vector<std::string> args, const std::string& stdin_file) {
  args.insert(args.begin(), {BinaryPath("tradeplane-signer"), "keys"});
  args.insert(args.end(), {"--keystore", keystore()});
  return Run(std::move(args), stdin_file);
}

void SignerFixture::CreateKeystore() {
  CommandResult init = Keys({"init"});
  INFO(init.output);
  REQUIRE(init.exit_code == 0);
  testing::WriteFile(dir_.File("binance.secret"), std::string(kHmacSecret) + "\n");
  CommandResult binance =
      Keys({"import", "--id", "binance", "--alg", "hmac-sha256", "--secret-file",
            dir_.File("binance.secret"), "--api-key", kApiKey});
  INFO(binance.output);
  REQUIRE(binance.exit_code == 0);
  testing::WriteFile(dir_.File("wallet.secret"), std::string(kWalletSecretHex) + "\n");
  CommandResult wallet = Keys({"import", "--id", "wallet", "--alg", "secp256k1", "--secret-file",
                               dir_.File("wallet.secret")});
  INFO(wallet.output);
  REQUIRE(wallet.exit_code == 0);
  testing::WriteFile(dir_.File("binance-policy.yaml"),
                     "allowed_venues: [BINANCE]\n"
                     "allowed_kinds: [ORDER, CANCEL, USER_STREAM]\n"
                     "allowed_symbols: [LTCBTC]\n"
                     "max_notional_per_request: '1000'\n"
                     "max_timestamp_skew_ms: 60000\n");
  CommandResult p1 = Keys({"policy", "set", "--id", "binance", dir_.File("binance-policy.yaml")});
  INFO(p1.output);
  REQUIRE(p1.exit_code == 0);
  testing::WriteFile(dir_.File("wallet-policy.yaml"),
                     std::string("allowed_kinds: [EVM_TRANSACTION]\n"
                                 "allowed_chain_ids: [1]\n"
                                 "allowed_destinations: ['") +
                         kDestination +
                         "']\n"
                         "max_evm_value_wei: '1000000000000000000'\n"
                         "# 0.001 ETH of gas: 21000 x 20 gwei passes, 21000 x 100 gwei does not\n"
                         "max_evm_fee_wei: '1000000000000000'\n");
  CommandResult p2 = Keys({"policy", "set", "--id", "wallet", dir_.File("wallet-policy.yaml")});
  INFO(p2.output);
  REQUIRE(p2.exit_code == 0);
}

std::string SignerFixture::WriteConfig(const std::string& extra, bool passphrase_file) {
  std::string yaml =
      "common:\n"
      "  store: {conninfo: '" +
      conninfo_ +
      "'}\n"
      "  admin: {port: " +
      std::to_string(admin_port_) +
      ", token_file: tokens}\n"
      "  telemetry: {metrics_port: " +
      std::to_string(metrics_port_) +
      ", log_file: signer.log}\n"
      "server:\n"
      "  endpoint: '" +
      endpoint() +
      "'\n"
      "  curve:\n"
      "    enabled: true\n"
      "    key_pair_file: server.key\n"
      "    allowed_client_keys: ['execution:" +
      execution_.public_key + "', 'reconciler:" + reconciler_.public_key +
      "']\n"
      "keystore: keystore\n" +
      std::string(passphrase_file ? "passphrase_file: passphrase\n" : "") +
      "keystore_check_interval_ms: 200\n"
      "client_names: {'" +
      execution_.public_key + "': execution}\n" + extra;
  std::string path = dir_.File("signer.yaml");
  testing::WriteFile(path, yaml);
  return path;
}

void SignerFixture::Start(const std::string& extra_config, bool passphrase_in_env) {
  if (process_ != nullptr) produced_.push_back(process_->Output());
  std::string config = WriteConfig(extra_config, !passphrase_in_env);
  Subprocess::Options options;
  if (passphrase_in_env) options.env = {{"TRADEPLANE_KEYSTORE_PASSPHRASE", kPassphrase}};
  options.output_file = dir_.File("signer.out." + std::to_string(++starts_));
  absl::StatusOr<std::unique_ptr<Subprocess>> p =
      Subprocess::Start({BinaryPath("tradeplane-signer"), "--config", config}, options);
  REQUIRE(p.ok());
  process_ = std::move(*p);
  admin::AdminClientOptions o{.target = admin_target(), .token = kAdminToken, .timeout_ms = 2000};
  bool ready = testing::WaitUntil(
      [&] {
        if (!process_->Running()) return false;
        auto channel = admin::MakeAdminChannel(o);
        if (!channel.ok()) return false;
        grpc::ClientContext ctx;
        admin::PrepareContext(&ctx, o);
        admin::v1::ServiceStatus status;
        grpc::Status s = admin::v1::Admin::NewStub(*channel)->GetStatus(
            &ctx, admin::v1::GetStatusRequest(), &status);
        return s.ok() && status.ready();
      },
      std::chrono::seconds(30));
  INFO(process_->Output());
  INFO(testing::ReadFile(dir_.File("signer.log")));
  REQUIRE(ready);
}

int SignerFixture::Stop() {
  process_->Signal(SIGTERM);
  std::optional<int> code = process_->Wait(std::chrono::seconds(20));
  REQUIRE(code.has_value());
  produced_.push_back(process_->Output());
  return *code;
}

CommandResult SignerFixture::Tradectl(std::vector<std::string> args) {
  args.insert(args.begin(), {BinaryPath("tradectl"), "--target", admin_target(), "--token-file",
                             dir_.File("token")});
  return Run(std::move(args));
}

CommandResult SignerFixture::VerifyAudit() {
  return Run(
      {BinaryPath("tradeplane-signer"), "audit", "verify", "--config", dir_.File("signer.yaml")});
}

std::string SignerFixture::Metrics() {
  REQUIRE(metrics_port_ > 0);
  std::string text = ScrapeMetrics(metrics_port_);
  produced_.push_back(text);
  return text;
}

std::unique_ptr<bus::RequestClient> SignerFixture::Client(bus::BusContext& context,
                                                          const bus::CurveKeyPair* key,
                                                          int timeout_ms) {
  config::v1::ClientConfig config;
  config.mutable_socket()->set_endpoint(endpoint());
  config.set_timeout_ms(static_cast<uint32_t>(timeout_ms));
  config.set_retries(0);
  if (key != nullptr) {
    std::string tag = key->public_key.substr(0, 8);
    for (char& c : tag) {
      if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    }
    std::string file = dir_.File("client-" + tag + ".key");
    REQUIRE(bus::WriteCurveKeyPair(*key, file).ok());
    config::v1::CurveConfig* curve = config.mutable_socket()->mutable_curve();
    curve->set_enabled(true);
    curve->set_key_pair_file(file);
    curve->set_server_public_key(server_.public_key);
  }
  absl::StatusOr<std::unique_ptr<bus::RequestClient>> client =
      bus::RequestClient::Create(context, config, "signer-client");
  REQUIRE(client.ok());
  return std::move(*client);
}

std::string SignerFixture::Everything() {
  std::string all;
  for (const std::string& text : produced_) all += text + "\n";
  if (process_ != nullptr) all += process_->Output() + "\n";
  all += testing::ReadFile(dir_.File("signer.log")) + "\n";
  all += testing::ReadFile(keystore()) + "\n";
  if (process_ != nullptr && process_->Running() && metrics_port_ > 0) {
    all += ScrapeMetrics(metrics_port_) + "\n";
  }
  if (conninfo_.empty()) return all;
  for (const char* table : {"signer_audit", "signer_requests", "signer_evm_nonces", "audit_log"}) {
    CommandResult dump = Psql(conninfo_, std::string("SELECT * FROM ") + table);
    all += dump.output + "\n";
  }
  return all;
}

signer::v1::SignRequest DocOrder(const std::string& request_id, int64_t timestamp_ms,
                                 const std::string& symbol) {
  signer::v1::SignRequest request;
  request.set_request_id(request_id);
  request.set_key_id("binance");
  signer::v1::VenueRequest* v = request.mutable_venue();
  v->set_venue(common::v1::VENUE_BINANCE);
  v->set_kind(signer::v1::REQUEST_KIND_ORDER);
  v->set_method("POST");
  v->set_path("/api/v3/order");
  for (const auto& [name, value] :
       std::vector<std::pair<std::string, std::string>>{{"symbol", symbol},
                                                        {"side", "BUY"},
                                                        {"type", "LIMIT"},
                                                        {"timeInForce", "GTC"},
                                                        {"quantity", "1"},
                                                        {"price", "0.1"}}) {
    signer::v1::Param* p = v->add_params();
    p->set_name(name);
    p->set_value(value);
  }
  v->set_timestamp_ms(timestamp_ms);
  v->set_recv_window_ms(5000);
  v->set_symbol(symbol);
  v->set_side(common::v1::SIDE_BUY);
  return request;
}

signer::v1::SignRequest WalletTransfer(const std::string& request_id,
                                       const std::string& gas_price_wei) {
  signer::v1::SignRequest request;
  request.set_request_id(request_id);
  request.set_key_id("wallet");
  signer::v1::EvmTransaction* tx = request.mutable_evm();
  tx->set_type(signer::v1::EVM_TX_TYPE_LEGACY);
  tx->set_chain_id(1);
  tx->set_gas_price_wei(gas_price_wei);
  tx->set_gas_limit(21000);
  tx->set_to(kDestination);
  tx->set_value_wei("10000000000000000");
  return request;
}

signer::v1::SignResponse MustSign(bus::RequestClient& client,
                                  const signer::v1::SignRequest& request) {
  signer::v1::SignResponse response;
  absl::Status s = client.Call(request, &response);
  INFO(s.ToString());
  REQUIRE(s.ok());
  return response;
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace tradeplane::signer_test
