#include "tradeplane/store/sentinel_store.h"

#include <optional>

#include "tradeplane/core/enum_names.h"
#include "tradeplane/core/str_cat.h"

#include "database_impl.h"

namespace tradeplane::store {
namespace {

namespace sv1 = surveillance::v1;

sv1::MarketAbuseAlert FromRow(const pqxx::row& row) {
  sv1::MarketAbuseAlert a;
  pqxx::binarystring bytes(row[0]);
  a.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
  a.set_acknowledged(row[1].as<bool>());
  a.set_ack_by(row[2].as<std::string>());
  a.set_ack_note(row[3].as<std::string>());
  return a;
}

}  // namespace

absl::Status SentinelStore::InsertAlert(const sv1::MarketAbuseAlert& a) {
  std::string bytes = a.SerializeAsString();
  return db_.impl().Transact("record an alert", [&](pqxx::work& tx) {
    tx.exec_params(
        "INSERT INTO sentinel_alerts (alert_id, type, severity, instrument, subject, raised_ns, "
        "alert) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
        a.alert_id(), std::string(ShortEnumName(a.type())),
        std::string(ShortEnumName(a.severity())),
        StrCat(ShortEnumName(a.instrument().venue()), ".", a.instrument().symbol()), a.subject(),
        a.raised_ns(), pqxx::binarystring(bytes.data(), bytes.size()));
  });
}

absl::StatusOr<std::vector<sv1::MarketAbuseAlert>> SentinelStore::ListAlerts(int64_t since_ns,
                                                                             sv1::AlertType type,
                                                                             int limit) {
  std::vector<sv1::MarketAbuseAlert> out;
  absl::Status s = db_.impl().Transact("list alerts", [&](pqxx::work& tx) {
    pqxx::result r =
        type == sv1::ALERT_TYPE_UNSPECIFIED
            ? tx.exec_params(
                  "SELECT alert, acknowledged, ack_by, ack_note FROM sentinel_alerts "
                  "WHERE raised_ns >= $1 ORDER BY raised_ns DESC LIMIT $2",
                  since_ns, limit)
            : tx.exec_params(
                  "SELECT alert, acknowledged, ack_by, ack_note FROM sentinel_alerts "
                  "WHERE raised_ns >= $1 AND type = $2 ORDER BY raised_ns DESC LIMIT $3",
                  since_ns, std::string(ShortEnumName(type)), limit);
    for (const auto& row : r) out.push_back(FromRow(row));
  });
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<sv1::MarketAbuseAlert> SentinelStore::Acknowledge(const std::string& alert_id,
                                                                 const std::string& by,
                                                                 const std::string& note) {
  std::optional<sv1::MarketAbuseAlert> out;
  absl::Status s = db_.impl().Transact("acknowledge an alert", [&](pqxx::work& tx) {
    pqxx::result r = tx.exec_params(
        "UPDATE sentinel_alerts SET acknowledged = true, ack_by = $2, ack_note = $3, ack_at = "
        "now() "
        "WHERE alert_id = $1 RETURNING alert, acknowledged, ack_by, ack_note",
        alert_id, by, note);
    if (!r.empty()) out = FromRow(r[0]);
  });
  if (!s.ok()) return s;
  if (!out) return absl::NotFoundError(StrCat("no alert '", alert_id, "'"));
  return *out;
}

}  // namespace tradeplane::store
