// Sentinel's alerts (db/migrations/0005_sentinel.sql).
#ifndef TRADEPLANE_STORE_SENTINEL_STORE_H_
#define TRADEPLANE_STORE_SENTINEL_STORE_H_

#include <vector>

#include "tradeplane/store/database.h"
#include "tradeplane/surveillance/v1/surveillance.pb.h"

#include "absl/status/statusor.h"

namespace tradeplane::store {

class SentinelStore {
 public:
  explicit SentinelStore(Database& db) : db_(db) {}

  // Idempotent by alert id.
  absl::Status InsertAlert(const surveillance::v1::MarketAbuseAlert& alert);
  // Newest first; type UNSPECIFIED = every type.
  absl::StatusOr<std::vector<surveillance::v1::MarketAbuseAlert>> ListAlerts(
      int64_t since_ns, surveillance::v1::AlertType type, int limit);
  // NOT_FOUND for an unknown id.
  absl::StatusOr<surveillance::v1::MarketAbuseAlert> Acknowledge(const std::string& alert_id,
                                                                 const std::string& by,
                                                                 const std::string& note);

 private:
  Database& db_;
};

}  // namespace tradeplane::store

#endif  // TRADEPLANE_STORE_SENTINEL_STORE_H_
