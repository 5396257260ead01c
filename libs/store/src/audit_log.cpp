#include "tradeplane/store/audit_log.h"

#include "database_impl.h"

namespace tradeplane::store {

absl::Status AuditLog::Append(const AuditEntry& e) {
  return db_.impl().Transact("append audit entry", [&](pqxx::work& tx) {
    tx.exec_params(
        "INSERT INTO audit_log (service, instance, actor, action, target, reason, details, outcome)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8)",
        e.service, static_cast<int>(e.instance), e.actor, e.action, e.target, e.reason,
        e.details_json, e.outcome);
  });
}

absl::StatusOr<std::vector<AuditEntry>> AuditLog::Tail(int limit) {
  std::vector<AuditEntry> out;
  absl::Status s = db_.impl().Transact("read audit log", [&](pqxx::work& tx) {
    pqxx::result r = tx.exec_params(
        "SELECT id, (extract(epoch FROM at) * 1000000)::bigint, service, instance, actor, action,"
        " target, reason, details::text, outcome FROM audit_log ORDER BY id DESC LIMIT $1",
        limit);
    for (const auto& row : r) {
      AuditEntry e;
      e.id = row[0].as<int64_t>();
      e.at = Timestamp::FromNanos(row[1].as<int64_t>() * 1000);
      e.service = row[2].as<std::string>();
      e.instance = static_cast<uint32_t>(row[3].as<int>());
      e.actor = row[4].as<std::string>();
      e.action = row[5].as<std::string>();
      e.target = row[6].as<std::string>();
      e.reason = row[7].as<std::string>();
      e.details_json = row[8].as<std::string>();
      e.outcome = row[9].as<std::string>();
      out.push_back(std::move(e));
    }
  });
  if (!s.ok()) return s;
  return out;
}

}  // namespace tradeplane::store
