// A tradeplane-signer for the tests: a keystore made with the real command
// line, CURVE keys for the server and its clients, a config, the process, and
// everything it produced (so the secrets test can search it).
#ifndef TRADEPLANE_TESTS_INTEGRATION_SIGNER_SIGNER_FIXTURE_H_
#define TRADEPLANE_TESTS_INTEGRATION_SIGNER_SIGNER_FIXTURE_H_

#include <memory>
#include <string>
#include <vector>

#include "tradeplane/bus/context.h"
#include "tradeplane/bus/curve.h"
#include "tradeplane/bus/request_client.h"
#include "tradeplane/signer/v1/signer.pb.h"
#include "tradeplane/testing/subprocess.h"
#include "tradeplane/testing/temp_dir.h"

#include "absl/status/statusor.h"

namespace tradeplane::signer_test {

// The test secrets: none of them may ever appear in anything a run produces.
inline constexpr char kPassphrase[] = "test-passphrase: wobbly gnu 42 ~ never printed";
// Binance's documented HMAC example (its API key is public).
inline constexpr char kHmacSecret[] =
    "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
inline constexpr char kApiKey[] =
    "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
// An HMAC secret that only ever travels through standard input.
inline constexpr char kStdinSecret[] =
    "Q8z7X6w5V4u3T2s1R0q9P8o7N6m5L4k3J2i1H0g9F8e7D6c5B4a3Z2y1X0w9V8u7";
// keccak256("cow"), a well-known test wallet; its address is below.
inline constexpr char kWalletSecretHex[] =
    "c85ef7d79691fe79573b1a7064c19c1a9819ebdbd1faaab1a8ec92344438aaf4";
inline constexpr char kWalletAddress[] = "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826";
inline constexpr char kDestination[] = "0x3535353535353535353535353535353535353535";
inline constexpr char kAdminToken[] = "ops:0123456789abcdef0123";

// The absolute path of a tool, or "" when it is not installed.
std::string ToolPath(const std::string& name);

// `psql -At -c SQL` against `conninfo`.
testing::CommandResult Psql(const std::string& conninfo, const std::string& sql);

class SignerFixture {
 public:
  // `conninfo`: the database the signer records in. `metrics`: serve
  // /metrics (off by default: stopping the metrics server costs ~2 s).
  explicit SignerFixture(std::string conninfo, bool metrics = false);
  ~SignerFixture();

  const testing::TempDir& dir() const { return dir_; }
  const std::string& conninfo() const { return conninfo_; }
  const bus::CurveKeyPair& server_key() const { return server_; }
  const bus::CurveKeyPair& execution_key() const { return execution_; }
  const bus::CurveKeyPair& reconciler_key() const { return reconciler_; }
  const bus::CurveKeyPair& intruder_key() const { return intruder_; }
  std::string keystore() const { return dir_.File("keystore"); }
  std::string endpoint() const { return dir_.Ipc("signer"); }
  std::string admin_target() const { return "127.0.0.1:" + std::to_string(admin_port_); }
  int metrics_port() const { return metrics_port_; }

  // `tradeplane-signer keys ARGS --keystore K` with the passphrase in the
  // environment and the minimum Argon2 limits; `stdin_file` feeds standard
  // input. The output is kept for the secrets search.
  testing::CommandResult Keys(std::vector<std::string> args, const std::string& stdin_file = "");
  // A keystore with "binance" (HMAC, Binance's doc key) and "wallet"
  // (secp256k1), each with a policy that allows the tests' requests.
  void CreateKeystore();

  // The config: CURVE with execution and reconciler allowed, client_names
  // naming only execution; `extra` is appended (YAML).
  std::string WriteConfig(const std::string& extra = "", bool passphrase_file = true);
  // Starts the process with the config and waits until it is ready. With
  // `passphrase_in_env` the passphrase comes from the environment instead of
  // the config's passphrase_file.
  void Start(const std::string& extra_config = "", bool passphrase_in_env = false);
  // SIGTERM, and waits for the exit.
  int Stop();
  testing::Subprocess& process() { return *process_; }

  // `tradectl --target ... --token-file ... ARGS`; the output is kept.
  testing::CommandResult Tradectl(std::vector<std::string> args);
  // `tradeplane-signer audit verify --config ...`; the output is kept.
  testing::CommandResult VerifyAudit();
  std::string Metrics();
  // Runs a command and keeps its output for the secrets search.
  testing::CommandResult Run(std::vector<std::string> argv, const std::string& stdin_file = "");

  // A request client with `key` as its CURVE identity (null: no CURVE).
  std::unique_ptr<bus::RequestClient> Client(bus::BusContext& context, const bus::CurveKeyPair* key,
                                             int timeout_ms = 5000);
  // Everything the process and the commands produced so far: logs, outputs,
  // metrics, the database's signer tables.
  std::string Everything();
  void Keep(const std::string& text) { produced_.push_back(text); }

 private:
  testing::TempDir dir_;
  std::string conninfo_;
  int admin_port_;
  int metrics_port_;
  bus::CurveKeyPair server_, execution_, reconciler_, intruder_;
  std::unique_ptr<testing::Subprocess> process_;
  std::vector<std::string> produced_;
  int starts_ = 0;
};

// Signing requests the tests send.
signer::v1::SignRequest DocOrder(const std::string& request_id, int64_t timestamp_ms,
                                 const std::string& symbol = "LTCBTC");
signer::v1::SignRequest WalletTransfer(const std::string& request_id,
                                       const std::string& gas_price_wei = "20000000000");

// Calls the signer; the test fails on a transport error.
signer::v1::SignResponse MustSign(bus::RequestClient& client,
                                  const signer::v1::SignRequest& request);

int64_t NowMs();

}  // namespace tradeplane::signer_test

#endif  // TRADEPLANE_TESTS_INTEGRATION_SIGNER_SIGNER_FIXTURE_H_
