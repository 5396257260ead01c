// The risk service's tables (db/migrations/0002_risk.sql), and what it reads
// of execution's journal to rebuild positions and open orders.
#ifndef TRADEPLANE_STORE_RISK_STORE_H_
#define TRADEPLANE_STORE_RISK_STORE_H_

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
};

}  // namespace tradeplane::store

#endif  // TRADEPLANE_STORE_RISK_STORE_H_
