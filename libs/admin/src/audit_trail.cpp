#include "tradeplane/admin/audit_trail.h"

#include "tradeplane/telemetry/log.h"

namespace tradeplane::admin {

AuditTrail::AuditTrail(std::string service, uint32_t instance, store::Database* db)
    : service_(std::move(service)), instance_(instance) {
  if (db != nullptr) log_ = std::make_unique<store::AuditLog>(*db);
}

void AuditTrail::Record(store::AuditEntry entry) {
  entry.service = service_;
  entry.instance = instance_;
  telemetry::LogInfo("audit", {{"actor", entry.actor},
                               {"action", entry.action},
                               {"target", entry.target},
                               {"reason", entry.reason},
                               {"outcome", entry.outcome}});
  if (log_ == nullptr) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    pending_.push_back(std::move(entry));
  }
  FlushPending();
}

size_t AuditTrail::FlushPending() {
  if (log_ == nullptr) return 0;
  std::lock_guard<std::mutex> lock(mu_);
  while (!pending_.empty()) {
    absl::Status s = log_->Append(pending_.front());
    if (!s.ok()) {
      telemetry::LogWarn("audit entry kept in memory until the database is back",
                         {{"pending", pending_.size()}, {"error", s}});
      break;
    }
    pending_.pop_front();
  }
  return pending_.size();
}

size_t AuditTrail::pending() const {
  std::lock_guard<std::mutex> lock(mu_);
  return pending_.size();
}

}  // namespace tradeplane::admin
