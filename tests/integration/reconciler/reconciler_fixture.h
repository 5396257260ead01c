// A whole reconciliation world as real processes: PostgreSQL (a throwaway
// database), tradeplane-venue-sim (the venue, with BTCUSDT), tradeplane-signer
// (the venue key, CURVE clients execution and reconciler),
// tradeplane-execution (the Binance adapter against the simulator), a
// stand-in for risk's admin API (records SetMode), and tradeplane-reconciler.
#ifndef TRADEPLANE_TESTS_INTEGRATION_RECONCILER_RECONCILER_FIXTURE_H_
#define TRADEPLANE_TESTS_INTEGRATION_RECONCILER_RECONCILER_FIXTURE_H_

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "tradeplane/admin/v1/services.grpc.pb.h"
#include "tradeplane/bus/curve.h"
#include "tradeplane/testing/subprocess.h"
#include "tradeplane/testing/temp_dir.h"

#include "execution_harness.h"
#include "venue_sim_fixture.h"

namespace tradeplane::recon_test {

// Risk's admin API as far as the reconciler uses it: SetMode, recorded.
class FakeRiskAdmin final : public admin::v1::RiskAdmin::Service {
 public:
  FakeRiskAdmin();
  ~FakeRiskAdmin() override;
  grpc::Status SetMode(grpc::ServerContext*, const admin::v1::SetModeRequest* request,
                       admin::v1::ModeState* out) override;
  std::string target() const { return "127.0.0.1:" + std::to_string(port_); }
  std::vector<admin::v1::SetModeRequest> requests() const;

 private:
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
  mutable std::mutex mu_;
  std::vector<admin::v1::SetModeRequest> requests_;
};

struct ReconOptions {
  std::string unknown_order_policy = "CANCEL";
  bool ingest_missed_fills = true;
  bool pause_on_failed_run = false;
  bool execution_requires_clean_run = true;
  int venue_timeout_ms = 1500;
  // YAML for balance_tolerance, e.g. "{USDT: '0.5'}"; empty: balances are
  // not reconciled.
  std::string balance_tolerance;
};

class ReconWorld {
 public:
  explicit ReconWorld(ReconOptions options = {});
  ~ReconWorld();

  void StartReconciler();
  void StopReconciler();
  bool ReconcilerRunning();

  // ReconcilerAdmin, with the admin token.
  grpc::Status RunRecon(reconciliation::v1::ReconRun* out, const std::string& reason = "test");
  std::vector<reconciliation::v1::Break> Breaks(bool open_only);
  std::vector<reconciliation::v1::ReconRun> Runs();
  std::string Metrics();
  std::string Log() const;

  // The simulator: an order on our account placed out of band (as a person
  // at the venue's website would), one by another account, and our open
  // orders as the venue lists them (signed GET /api/v3/openOrders).
  venue_sim_test::Response PlaceAtVenue(const std::string& account, const std::string& side,
                                        const std::string& qty, const std::string& price,
                                        const std::string& client_order_id = "");
  std::vector<std::string> VenueOpenClientIds();

  venue_sim_test::VenueSim& sim() { return sim_; }
  testing::ExecutionHarness& exec() { return *exec_; }
  FakeRiskAdmin& risk() { return risk_; }
  const ReconOptions& options() const { return options_; }

 private:
  void StartSigner();
  void WriteReconcilerConfig();
  std::unique_ptr<admin::v1::ReconcilerAdmin::Stub> Stub();

  ReconOptions options_;
  testing::TempDir dir_;
  venue_sim_test::VenueSim sim_;
  FakeRiskAdmin risk_;
  std::unique_ptr<testing::ExecutionHarness> exec_;
  bus::CurveKeyPair server_keys_, exec_keys_, recon_keys_;
  std::unique_ptr<testing::Subprocess> signer_;
  std::unique_ptr<testing::Subprocess> reconciler_;
  int recon_admin_port_ = 0;
  int recon_metrics_port_ = 0;
};

}  // namespace tradeplane::recon_test

#endif  // TRADEPLANE_TESTS_INTEGRATION_RECONCILER_RECONCILER_FIXTURE_H_
