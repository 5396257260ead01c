// tradeplane-signer for a benchmark, set up the way the signer's integration
// tests set it up: a keystore made with the real `tradeplane-signer keys`
// command line (minimum Argon2 limits, so it takes a second), a CURVE key pair
// for the server, an allow-list of client keys, a config, the process, and
// readiness through its admin server.
#ifndef TRADEPLANE_BENCH_SIGNER_PROCESS_H_
#define TRADEPLANE_BENCH_SIGNER_PROCESS_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tradeplane/bench/service_process.h"
#include "tradeplane/bus/curve.h"

#include "absl/status/statusor.h"

namespace tradeplane::bench {

struct SignerKey {
  std::string id;
  std::string algorithm;  // as `keys import --alg` takes it: hmac-sha256, ed25519
  std::string secret;     // empty: --generate
  std::string api_key;    // the venue's public API key for it
  std::string policy_yaml;
};

struct SignerSetup {
  std::string dir;  // keystore, config, keys, logs go here
  std::string conninfo;
  std::vector<SignerKey> keys;
  // Allowed clients: name and public key ("execution", key).
  std::vector<std::pair<std::string, std::string>> clients;
};

class SignerProcess {
 public:
  static absl::StatusOr<std::unique_ptr<SignerProcess>> Start(const SignerSetup& setup);

  // ipc://<dir>/signer
  const std::string& endpoint() const { return endpoint_; }
  const bus::CurveKeyPair& server_key() const { return server_; }
  ServiceProcess& process() { return *process_; }

 private:
  SignerProcess() = default;
  std::string endpoint_;
  bus::CurveKeyPair server_;
  std::unique_ptr<ServiceProcess> process_;
};

// A policy that lets a benchmark sign as much as it likes for BINANCE: every
// kind of venue request, any symbol, large notional and window limits.
std::string PermissiveVenuePolicyYaml();

}  // namespace tradeplane::bench

#endif  // TRADEPLANE_BENCH_SIGNER_PROCESS_H_
