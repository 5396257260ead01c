// The reconciler service's shell: the venue (through the Binance adapter,
// every signed request signed by the signer), execution's journal (read-only,
// PostgreSQL), the diff and the resolution policy (libs/reconciliation), the
// corrections sent to execution's order socket (never written to the journal
// here), recon.run / recon.break out, risk asked to PAUSE when a break needs
// a person, runs and breaks kept in PostgreSQL, and ReconcilerAdmin.
//
// A run happens when execution starts (a new incarnation answers on its
// socket), every interval_s, and on demand (ReconcilerAdmin.Run, `tradectl
// recon run`). After a CLEAN run execution is told (ReconciliationClean), so
// a freshly started execution accepts new orders. Runs are made one at a
// time on the main loop.
#ifndef TRADEPLANE_SERVICES_RECONCILER_RECONCILER_SERVICE_H_
#define TRADEPLANE_SERVICES_RECONCILER_RECONCILER_SERVICE_H_

#include <atomic>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "tradeplane/admin/admin_client.h"
#include "tradeplane/admin/v1/services.grpc.pb.h"
#include "tradeplane/binance_venue/binance_venue.h"
#include "tradeplane/binance_venue/bus_request_signer.h"
#include "tradeplane/bus/publisher.h"
#include "tradeplane/bus/request_client.h"
#include "tradeplane/config/v1/services.pb.h"
#include "tradeplane/core/ids.h"
#include "tradeplane/reconciliation/reconciler_settings.h"
#include "tradeplane/service/service_runtime.h"
#include "tradeplane/store/execution_store.h"
#include "tradeplane/store/recon_store.h"

#include "absl/status/statusor.h"
#include "journal_reader.h"
#include "venue_reader.h"

namespace tradeplane::reconciler {

void ApplyDefaults(config::v1::ReconcilerConfig* config);

class ReconcilerService final : public admin::v1::ReconcilerAdmin::Service {
 public:
  static absl::StatusOr<std::unique_ptr<ReconcilerService>> Create(
      const config::v1::ReconcilerConfig& config, service::ServiceRuntime& runtime);
  ~ReconcilerService() override;

  std::vector<grpc::Service*> AdminServices() { return {this}; }
  void FillStatus(admin::v1::ServiceStatus* status);

  grpc::Status Run(grpc::ServerContext*, const admin::v1::RunReconRequest*,
                   reconciliation::v1::ReconRun*) override;
  grpc::Status ListBreaks(grpc::ServerContext*, const admin::v1::ListBreaksRequest*,
                          admin::v1::ListBreaksResponse*) override;
  grpc::Status ListRuns(grpc::ServerContext*, const admin::v1::ListRunsRequest*,
                        admin::v1::ListRunsResponse*) override;

 private:
  ReconcilerService(const config::v1::ReconcilerConfig& config, service::ServiceRuntime& runtime);
  absl::Status Start();
  absl::Status LoadInstruments();
  void RegisterMetrics();
  // Every second on the loop: the schedule, execution's incarnation, gauges.
  void Tick();
  // Probes execution's socket; true when a new incarnation answered.
  bool ExecutionRestarted();

  // reconciler_run.cpp: one run, on the main loop.
  reconciliation::v1::ReconRun RunOnce(const std::string& trigger);
  // The run's body; fills `input`, `diff`, `plan` (a failure is a failed diff).
  void Compare(reconciliation::ReconInput& input, reconciliation::DiffResult& diff);
  // Our expected balances into `input` from the openings and the journal's
  // fills, and the openings still to take; an error fails the run.
  absl::Status ExpectBalances(reconciliation::ReconInput& input);
  bool ReconcilesBalances() const;
  void Resolve(const reconciliation::DiffResult& diff, reconciliation::ResolutionPlan& plan);
  absl::Status SendToExecution(const orders::v1::ExecutionRequest& request,
                               orders::v1::ExecutionReply* reply, int timeout_ms = -1);
  void Record(const reconciliation::v1::ReconRun& run,
              const std::vector<reconciliation::v1::Break>& breaks,
              const reconciliation::DiffResult& diff, const reconciliation::ResolutionPlan& plan);
  void UpdateMetrics(const reconciliation::v1::ReconRun& run,
                     const std::vector<reconciliation::v1::Break>& breaks, double seconds);
  void PauseIfNeeded(const reconciliation::DiffResult& diff,
                     const reconciliation::ResolutionPlan& plan);

  config::v1::ReconcilerConfig config_;
  admin::AdminClientOptions risk_admin_;  // for pause requests
  service::ServiceRuntime& runtime_;
  reconciliation::ReconcilerSettings settings_;
  InstrumentTable instruments_;
  std::unique_ptr<binance_venue::BusRequestSigner> signer_;
  std::unique_ptr<binance_venue::BinanceVenue> venue_;
  std::unique_ptr<VenueReader> venue_reader_;
  std::unique_ptr<store::ExecutionStore> journal_;
  std::unique_ptr<JournalReader> journal_reader_;
  std::unique_ptr<store::ReconStore> store_;
  std::unique_ptr<bus::Publisher> publisher_;
  std::unique_ptr<bus::RequestClient> execution_;
  SystemRandom random_;
  std::unique_ptr<UuidV7Generator> ids_;

  // The database is migrated and the last clean run is read; read by admin
  // handlers.
  std::atomic<bool> store_ready_{false};
  bool checkpoints_loaded_ = false;
  // Trade-id checkpoints and the venue's position there, per instrument.
  std::map<InstrumentIndex, store::ReconCheckpoint> checkpoints_;
  // Balances: the opening per reconciled asset (the named keys of
  // balance_tolerance), and those this run would take (recorded only when it
  // settles with nothing in flight).
  std::map<std::string, Amount, std::less<>> openings_;
  std::vector<store::BalanceOpening> new_openings_;
  uint64_t execution_incarnation_ = 0;
  bool startup_run_done_ = false;
  // A new execution incarnation waits for a clean run: retried every few
  // seconds (not every interval_s) until one is clean.
  bool execution_awaits_clean_ = false;
  Timestamp next_startup_retry_;
  bool follow_up_ = false;  // every break of the last run was resolved: confirm
  Timestamp next_run_;
  Timestamp venue_backoff_until_;
  bool pause_requested_ = false;  // risk took our PAUSE for the current breaks

  // For FillStatus, ListRuns and ListBreaks without a database (any thread).
  mutable std::mutex status_mu_;
  std::deque<reconciliation::v1::ReconRun> recent_runs_;
  std::vector<reconciliation::v1::Break> last_breaks_;  // of the latest run that compared
  std::deque<reconciliation::v1::Break> recent_breaks_;
  Timestamp last_clean_;
  std::string last_outcome_ = "none yet";

  telemetry::Counter* runs_clean_ = nullptr;
  telemetry::Counter* runs_breaks_ = nullptr;
  telemetry::Counter* runs_failed_ = nullptr;
  std::map<reconciliation::v1::BreakType, telemetry::Counter*> breaks_by_type_;
  telemetry::Gauge* open_breaks_ = nullptr;
  telemetry::Gauge* since_clean_ = nullptr;
  telemetry::Histogram* run_duration_ = nullptr;
  telemetry::Counter* actions_done_ = nullptr;
  telemetry::Counter* actions_failed_ = nullptr;
  telemetry::Counter* pause_requests_ = nullptr;
  telemetry::Counter* venue_requests_ = nullptr;
};

}  // namespace tradeplane::reconciler

#endif  // TRADEPLANE_SERVICES_RECONCILER_RECONCILER_SERVICE_H_
