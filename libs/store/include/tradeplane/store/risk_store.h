// The risk service's tables (db/migrations/0002_risk.sql), and what it reads
// of execution's journal to rebuild positions and open orders.
#ifndef TRADEPLANE_STORE_RISK_STORE_H_
#define TRADEPLANE_STORE_RISK_STORE_H_

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "tradeplane/orders/v1/orders.pb.h"
#include "tradeplane/risk/v1/risk.pb.h"
#include "tradeplane/store/database.h"

#include "absl/status/statusor.h"

namespace tradeplane::store {

class RiskStore {
 public:
  explicit RiskStore(Database& db) : db_(db) {}

  // The epoch this instance won as the risk leader (0: no election); stamped
  // on every mode change and decision, which the database refuses once a
  // successor has won a newer one (db/migrations/0008_leadership.sql).
  void set_fencing_epoch(int64_t epoch) { fencing_epoch_.store(epoch); }
  int64_t fencing_epoch() const { return fencing_epoch_.load(); }

  absl::StatusOr<std::optional<risk::v1::ModeChange>> LatestMode();
  absl::Status AppendModeChange(const risk::v1::ModeChange& change);

  absl::StatusOr<std::vector<risk::v1::Block>> Blocks();
  absl::Status PutBlock(const risk::v1::Block& block);
  absl::Status RemoveBlock(risk::v1::BlockScope scope, const std::string& id);

  absl::StatusOr<std::optional<risk::v1::Limits>> LatestLimits();
  absl::Status AppendLimits(const risk::v1::Limits& limits, const std::string& yaml,
                            const std::string& actor, const std::string& reason);

  // Idempotent: a decision already recorded (same intent id) is skipped.
  absl::Status AppendDecisions(const std::vector<risk::v1::RiskDecision>& decisions);
  absl::StatusOr<std::vector<risk::v1::RiskDecision>> DecisionsSince(int64_t since_ns);

  // Idempotent by fill id.
  absl::Status AppendFills(const std::vector<orders::v1::Fill>& fills, int64_t applied_ns);
  absl::StatusOr<std::vector<orders::v1::Fill>> AppliedFills();

  // Execution's journal (read only): every fill, and the orders not yet final.
  absl::StatusOr<std::vector<orders::v1::Fill>> ExecutionFills();
  absl::StatusOr<std::vector<orders::v1::Order>> OpenExecutionOrders();

 private:
  Database& db_;
  std::atomic<int64_t> fencing_epoch_{0};
};

}  // namespace tradeplane::store

#endif  // TRADEPLANE_STORE_RISK_STORE_H_
