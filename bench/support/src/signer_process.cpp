#include "tradeplane/bench/signer_process.h"

#include "tradeplane/testing/subprocess.h"
#include "tradeplane/testing/temp_dir.h"
#include "tradeplane/testing/wait.h"

#include "absl/strings/str_cat.h"

namespace tradeplane::bench {
namespace {

// Benchmark-only secrets: the keystore is thrown away with the run.
constexpr char kPassphrase[] = "benchmark keystore passphrase";
constexpr char kAdminToken[] = "bench:0123456789abcdef0123";

absl::Status Keys(const std::string& dir, std::vector<std::string> args) {
  args.insert(args.begin(), {testing::BinaryPath("tradeplane-signer"), "keys"});
  args.insert(args.end(), {"--keystore", dir + "/keystore"});
  testing::Subprocess::Options options;
  options.env = {{"TRADEPLANE_KEYSTORE_PASSPHRASE", kPassphrase},
                 {"TRADEPLANE_SIGNER_KDF", "minimum"},
                 {"TRADEPLANE_ADMIN_TOKEN", ""},
                 {"XDG_CONFIG_HOME", "/nonexistent"}};
  std::string what = absl::StrCat("tradeplane-signer keys ", args[2]);
  absl::StatusOr<testing::CommandResult> r =
      testing::RunCommand(std::move(args), std::chrono::seconds(60), options);
  if (!r.ok()) return absl::InternalError(absl::StrCat(what, ": ", r.status().message()));
  if (r->exit_code != 0) {
    return absl::InternalError(
        absl::StrCat(what, " failed (exit ", r->exit_code, "): ", r->output));
  }
  return absl::OkStatus();
}

}  // namespace

std::string PermissiveVenuePolicyYaml() {
  return "allowed_venues: [BINANCE]\n"
         "allowed_kinds: [ORDER, CANCEL, QUERY, USER_STREAM]\n"
         "max_notional_per_request: '100000000'\n"
         "max_notional_per_window: '1000000000'\n"
         "max_requests_per_window: 100000000\n"
         "window_s: 60\n"
         "max_timestamp_skew_ms: 60000\n";
}

absl::StatusOr<std::unique_ptr<SignerProcess>> SignerProcess::Start(const SignerSetup& setup) {
  std::unique_ptr<SignerProcess> signer(new SignerProcess());
  const std::string& dir = setup.dir;
  absl::StatusOr<bus::CurveKeyPair> server = bus::GenerateCurveKeyPair();
  if (!server.ok()) return server.status();
  signer->server_ = *server;
  if (absl::Status s = bus::WriteCurveKeyPair(signer->server_, dir + "/signer.curve"); !s.ok()) {
    return s;
  }
  testing::WriteFile(dir + "/passphrase", std::string(kPassphrase) + "\n");
  testing::WriteFile(dir + "/tokens", std::string(kAdminToken) + "\n");

  if (absl::Status s = Keys(dir, {"init"}); !s.ok()) return s;
  for (const SignerKey& key : setup.keys) {
    std::vector<std::string> args = {"import", "--id", key.id, "--alg", key.algorithm};
    if (key.secret.empty()) {
      args.push_back("--generate");
    } else {
      // Secrets travel through a file, never the command line.
      std::string secret_file = dir + "/" + key.id + ".secret";
      testing::WriteFile(secret_file, key.secret + "\n");
      args.insert(args.end(), {"--secret-file", secret_file});
    }
    if (!key.api_key.empty()) args.insert(args.end(), {"--api-key", key.api_key});
    if (absl::Status s = Keys(dir, args); !s.ok()) return s;
    std::string policy_file = dir + "/" + key.id + ".policy.yaml";
    testing::WriteFile(policy_file, key.policy_yaml);
    if (absl::Status s = Keys(dir, {"policy", "set", "--id", key.id, policy_file}); !s.ok()) {
      return s;
    }
  }

  signer->endpoint_ = "ipc://" + dir + "/signer";
  const int admin_port = testing::FreeTcpPort();
  std::string allowed;
  for (const auto& [name, public_key] : setup.clients) {
    absl::StrAppend(&allowed, allowed.empty() ? "" : ", ", "'", name, ":", public_key, "'");
  }
  std::string config = absl::StrCat(
      "common:\n"
      "  store: {conninfo: '",
      setup.conninfo,
      "'}\n"
      "  admin: {port: ",
      admin_port,
      ", token_file: tokens}\n"
      "  telemetry: {metrics_port: -1, log_file: signer.log}\n"
      "server:\n"
      "  endpoint: '",
      signer->endpoint_,
      "'\n"
      "  curve: {enabled: true, key_pair_file: signer.curve, allowed_client_keys: [",
      allowed,
      "]}\n"
      "keystore: keystore\n"
      "passphrase_file: passphrase\n");
  testing::WriteFile(dir + "/signer.yaml", config);

  const std::string target = absl::StrCat("127.0.0.1:", admin_port);
  ServiceOptions options;
  options.name = "tradeplane-signer";
  options.argv = {testing::BinaryPath("tradeplane-signer"), "--config", dir + "/signer.yaml"};
  options.output_file = dir + "/signer.out";
  options.log_file = dir + "/signer.log";
  options.ready = [target] { return AdminSaysReady(target, kAdminToken); };
  absl::StatusOr<std::unique_ptr<ServiceProcess>> process = ServiceProcess::Start(options);
  if (!process.ok()) return process.status();
  signer->process_ = std::move(*process);
  return signer;
}

}  // namespace tradeplane::bench
