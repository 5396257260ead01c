// The audit trail of state-changing admin calls (who, what, when, why).
#ifndef TRADEPLANE_STORE_AUDIT_LOG_H_
#define TRADEPLANE_STORE_AUDIT_LOG_H_

#include <cstdint>
#include <string>
#include <vector>

#include "tradeplane/core/timestamp.h"
#include "tradeplane/store/database.h"

#include "absl/status/statusor.h"

namespace tradeplane::store {

struct AuditEntry {
  int64_t id = 0;  // assigned by the database
  Timestamp at;    // assigned by the database
  std::string service;
  uint32_t instance = 0;
  std::string actor;   // the admin token's name
  std::string action;  // e.g. "RiskAdmin.SetMode"
  std::string target;  // what it acted on ("mode", a client order id...)
  std::string reason;
  std::string details_json = "{}";
  std::string outcome = "ok";  // "ok" or the error
};

class AuditLog {
 public:
  explicit AuditLog(Database& db) : db_(db) {}
  // Appends one entry; the table refuses updates and deletes.
  absl::Status Append(const AuditEntry& entry);
  // The newest `limit` entries, newest first.
  absl::StatusOr<std::vector<AuditEntry>> Tail(int limit);

 private:
  Database& db_;
};

}  // namespace tradeplane::store

#endif  // TRADEPLANE_STORE_AUDIT_LOG_H_
