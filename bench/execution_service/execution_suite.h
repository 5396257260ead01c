// The processes the execution benchmark measures, set up as the execution
// integration tests and the demo set them up: a throwaway PostgreSQL,
// tradeplane-signer (CURVE, a keystore made with its command line, one HMAC
// key for the simulator's account), tradeplane-venue-sim (free-running, no
// replay: nothing to trade against, so every limit order rests) and
// tradeplane-execution with the Binance adapter, its order socket and its
// exec.* publisher on ipc. The benchmark plays risk: it signs approvals with
// the key execution shares with risk (the execution tests' key).
//
// The simulator has a second API key, a second account, for the benchmark's
// direct REST baseline: its orders never reach execution's user-data stream.
// The request-weight limit and the signer policy's window limits are set far
// above what a run sends.
#ifndef TRADEPLANE_BENCH_EXECUTION_SERVICE_EXECUTION_SUITE_H_
#define TRADEPLANE_BENCH_EXECUTION_SERVICE_EXECUTION_SUITE_H_

#include <memory>
#include <string>

#include "tradeplane/bench/service_process.h"
#include "tradeplane/bench/signer_process.h"
#include "tradeplane/bus/curve.h"
#include "tradeplane/testing/pg_cluster.h"
#include "tradeplane/testing/temp_dir.h"

#include "absl/status/status.h"

namespace tradeplane::bench {

// The key execution and risk share for approvals (the execution tests' key).
inline constexpr char kApprovalKeyHex[] =
    "8c2f4e1a9b7d6c5e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e";
// The benchmark's own account at the simulator (benchmark-only secrets).
inline constexpr char kDirectApiKey[] =
    "BenchDirectKey00000000000000000000000000000000000000000000000000";
inline constexpr char kDirectSecret[] =
    "Q8z7X6w5V4u3T2s1R0q9P8o7N6m5L4k3J2i1H0g9F8e7D6c5B4a3Z2y1X0w9V8u7";
// The signer's key for the simulator, and what it signs for.
inline constexpr char kVenueKeyId[] = "venue-sim";
inline constexpr char kSymbol[] = "BTCUSDT";

class ExecutionSuite {
 public:
  ExecutionSuite() = default;
  // PostgreSQL, signer, venue simulator, execution; each waited for.
  absl::Status Start();

  std::string orders_endpoint() const { return dir_.Ipc("orders"); }
  std::string exec_endpoint() const { return dir_.Ipc("exec"); }
  std::string rest_url() const;
  const SignerProcess& signer() const { return *signer_; }
  // A client key the signer allows besides execution's ("bench").
  const bus::CurveKeyPair& bench_signer_key() const { return bench_key_; }
  ServiceProcess& execution() { return *execution_; }
  const testing::TempDir& dir() const { return dir_; }

 private:
  absl::Status StartVenueSim();
  absl::Status StartExecution();

  testing::TempDir dir_;
  testing::TempDir signer_dir_;
  std::unique_ptr<testing::PgCluster> pg_;
  std::string conninfo_;
  bus::CurveKeyPair execution_key_, bench_key_;
  int rest_port_ = 0;
  int ws_port_ = 0;
  // Destroyed in reverse: execution first, PostgreSQL last.
  std::unique_ptr<SignerProcess> signer_;
  std::unique_ptr<ServiceProcess> venue_sim_;
  std::unique_ptr<ServiceProcess> execution_;
};

}  // namespace tradeplane::bench

#endif  // TRADEPLANE_BENCH_EXECUTION_SERVICE_EXECUTION_SUITE_H_
