// The reconciler's runs, breaks and trade checkpoints
// (db/migrations/0006_reconciler.sql). See docs/reference/reconciler.md.
//
// Thread-safe (the Database's pool); every call blocks on the database.
#ifndef TRADEPLANE_STORE_RECON_STORE_H_
#define TRADEPLANE_STORE_RECON_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tradeplane/reconciliation/v1/reconciliation.pb.h"
#include "tradeplane/store/database.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace tradeplane::store {

// Where the next run's trade window starts for one instrument, and the
// venue's position there (the kVenueTrades basis).
struct ReconCheckpoint {
  std::string venue;  // short enum name, "BINANCE"
  std::string symbol;
  uint64_t after_trade_id = 0;
  int64_t position_raw = 0;
};

// The opening balance of one asset (db/migrations/0007_recon_balances.sql).
struct BalanceOpening {
  std::string venue;  // short enum name, "BINANCE"
  std::string asset;
  int64_t opening_raw = 0;
};

class ReconStore {
 public:
  explicit ReconStore(Database& db) : db_(db) {}

  // One run with its breaks, in one transaction. The checkpoints are
  // replaced (upserted) in the same transaction, so a run's breaks and the
  // window it leaves behind never disagree.
  // Openings are added in the same transaction; an asset that already has
  // one keeps it.
  absl::Status RecordRun(const reconciliation::v1::ReconRun& run,
                         const std::vector<reconciliation::v1::Break>& breaks,
                         const std::vector<ReconCheckpoint>& checkpoints,
                         const std::vector<BalanceOpening>& openings = {});

  // Newest first; `limit` 0 = 100.
  absl::StatusOr<std::vector<reconciliation::v1::ReconRun>> ListRuns(uint32_t limit);
  // Newest first. `open_only`: the breaks of the latest run that compared
  // (not FAILED) and are not RESOLVED; a break a person fixed disappears
  // from the open list at the next run that no longer finds it.
  absl::StatusOr<std::vector<reconciliation::v1::Break>> ListBreaks(bool open_only, uint32_t limit);
  absl::StatusOr<std::vector<ReconCheckpoint>> Checkpoints();
  absl::StatusOr<std::vector<BalanceOpening>> BalanceOpenings();
  // The finish time of the latest CLEAN run, if any.
  absl::StatusOr<std::optional<int64_t>> LastCleanRunNs();

 private:
  Database& db_;
};

}  // namespace tradeplane::store

#endif  // TRADEPLANE_STORE_RECON_STORE_H_
