// The reconciler's runs, breaks and trade checkpoints in PostgreSQL.
//
// The tables (recon_runs, recon_breaks, recon_checkpoints) belong in a
// db/migrations file; until that file exists, EnsureSchema creates them with
// the same statements (CREATE TABLE IF NOT EXISTS), so the service works on a
// database migrated by any binary. See docs/reference/reconciler.md.
//
// Thread-safe (the Database's pool); every call blocks on the database.
#ifndef TRADEPLANE_SERVICES_RECONCILER_PG_RECON_STORE_H_
#define TRADEPLANE_SERVICES_RECONCILER_PG_RECON_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tradeplane/reconciliation/v1/reconciliation.pb.h"
#include "tradeplane/store/database.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace tradeplane::reconciler {

// Where the next run's trade window starts for one instrument, and the
// venue's position there (the kVenueTrades basis).
struct StoredCheckpoint {
  std::string venue;  // short enum name, "BINANCE"
  std::string symbol;
  uint64_t after_trade_id = 0;
  int64_t position_raw = 0;
};

class PgReconStore {
 public:
  explicit PgReconStore(store::Database& db) : db_(db) {}

  absl::Status EnsureSchema();

  // One run with its breaks, in one transaction. The checkpoints are
  // replaced (upserted) in the same transaction, so a run's breaks and the
  // window it leaves behind never disagree.
  absl::Status RecordRun(const reconciliation::v1::ReconRun& run,
                         const std::vector<reconciliation::v1::Break>& breaks,
                         const std::vector<StoredCheckpoint>& checkpoints);

  // Newest first; `limit` 0 = 100.
  absl::StatusOr<std::vector<reconciliation::v1::ReconRun>> ListRuns(uint32_t limit);
  // Newest first. `open_only`: the breaks of the latest run that compared
  // (not FAILED) and are not RESOLVED; a break a person fixed disappears
  // from the open list at the next run that no longer finds it.
  absl::StatusOr<std::vector<reconciliation::v1::Break>> ListBreaks(bool open_only, uint32_t limit);
  absl::StatusOr<std::vector<StoredCheckpoint>> Checkpoints();
  // The finish time of the latest CLEAN run, if any.
  absl::StatusOr<std::optional<int64_t>> LastCleanRunNs();

 private:
  store::Database& db_;
};

}  // namespace tradeplane::reconciler

#endif  // TRADEPLANE_SERVICES_RECONCILER_PG_RECON_STORE_H_
