// Audit of state-changing admin calls (who, what, when, why) in PostgreSQL.
//
// Recording never fails the call it records: a kill switch must work while
// the database is down. Entries that cannot be written wait in memory, in
// order, and are written when the database is back (FlushPending, which the
// service calls periodically); the count of waiting entries is exported.
#ifndef TRADEPLANE_ADMIN_AUDIT_TRAIL_H_
#define TRADEPLANE_ADMIN_AUDIT_TRAIL_H_

#include <deque>
#include <memory>
#include <mutex>
#include <string>

#include "tradeplane/store/audit_log.h"
#include "tradeplane/store/database.h"

namespace tradeplane::admin {

class AuditTrail {
 public:
  // `db` may be null (a service without a store): entries are then logged only.
  AuditTrail(std::string service, uint32_t instance, store::Database* db);

  void Record(store::AuditEntry entry);
  // Writes waiting entries; stops at the first failure. Returns how many remain.
  size_t FlushPending();
  size_t pending() const;

 private:
  std::string service_;
  uint32_t instance_;
  std::unique_ptr<store::AuditLog> log_;
  mutable std::mutex mu_;
  std::deque<store::AuditEntry> pending_;
};

}  // namespace tradeplane::admin

#endif  // TRADEPLANE_ADMIN_AUDIT_TRAIL_H_
