#include "tradeplane/store/risk_store.h"

#include "tradeplane/core/enum_names.h"
#include "tradeplane/core/str_cat.h"

#include "bytea.h"
#include "database_impl.h"

namespace tradeplane::store {
namespace {}  // namespace

absl::StatusOr<std::optional<risk::v1::ModeChange>> RiskStore::LatestMode() {
  std::optional<risk::v1::ModeChange> out;
  absl::Status s = db_.impl().Transact("read the latest trading mode", [&](pqxx::work& tx) {
    pqxx::result r = tx.exec(
        "SELECT mode, previous, actor, reason, confirmed_by, changed_ns FROM risk_mode_changes "
        "ORDER BY id DESC LIMIT 1");
    if (r.empty()) return;
    risk::v1::ModeChange c;
    risk::v1::TradingMode mode, previous;
    if (!ParseEnum(r[0][0].as<std::string>(), &mode)) return;
    if (ParseEnum(r[0][1].as<std::string>(), &previous)) c.set_previous(previous);
    c.set_mode(mode);
    c.set_actor(r[0][2].as<std::string>());
    c.set_reason(r[0][3].as<std::string>());
    c.set_confirmed_by(r[0][4].as<std::string>());
    c.set_changed_ns(r[0][5].as<int64_t>());
    out = c;
  });
  if (!s.ok()) return s;
  return out;
}

absl::Status RiskStore::AppendModeChange(const risk::v1::ModeChange& c) {
  return db_.impl().Transact("record a trading mode change", [&](pqxx::work& tx) {
    tx.exec_params(
        "INSERT INTO risk_mode_changes (mode, previous, actor, reason, confirmed_by, changed_ns, "
        "fencing_epoch) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        std::string(ShortEnumName(c.mode())), std::string(ShortEnumName(c.previous())), c.actor(),
        c.reason(), c.confirmed_by(), c.changed_ns(), fencing_epoch());
  });
}

absl::StatusOr<std::vector<risk::v1::Block>> RiskStore::Blocks() {
  std::vector<risk::v1::Block> out;
  absl::Status s = db_.impl().Transact("read blocks", [&](pqxx::work& tx) {
    for (const auto& row : tx.exec("SELECT scope, id, actor, reason, since_ns FROM risk_blocks")) {
      risk::v1::Block b;
      risk::v1::BlockScope scope;
      if (!ParseEnum(row[0].as<std::string>(), &scope)) continue;
      b.set_scope(scope);
      b.set_id(row[1].as<std::string>());
      b.set_actor(row[2].as<std::string>());
      b.set_reason(row[3].as<std::string>());
      b.set_since_ns(row[4].as<int64_t>());
      out.push_back(std::move(b));
    }
  });
  if (!s.ok()) return s;
  return out;
}

absl::Status RiskStore::PutBlock(const risk::v1::Block& b) {
  return db_.impl().Transact("record a block", [&](pqxx::work& tx) {
    tx.exec_params(
        "INSERT INTO risk_blocks (scope, id, actor, reason, since_ns) VALUES ($1, $2, $3, $4, $5) "
        "ON CONFLICT (scope, id) DO UPDATE SET actor = $3, reason = $4, since_ns = $5",
        std::string(ShortEnumName(b.scope())), b.id(), b.actor(), b.reason(), b.since_ns());
  });
}

absl::Status RiskStore::RemoveBlock(risk::v1::BlockScope scope, const std::string& id) {
  return db_.impl().Transact("remove a block", [&](pqxx::work& tx) {
    tx.exec_params("DELETE FROM risk_blocks WHERE scope = $1 AND id = $2",
                   std::string(ShortEnumName(scope)), id);
  });
}

absl::StatusOr<std::optional<risk::v1::Limits>> RiskStore::LatestLimits() {
  std::optional<risk::v1::Limits> out;
  absl::Status s = db_.impl().Transact("read limits", [&](pqxx::work& tx) {
    pqxx::result r = tx.exec("SELECT limits FROM risk_limits ORDER BY version DESC LIMIT 1");
    if (r.empty()) return;
    risk::v1::Limits l;
    if (ParseBytea(r[0][0], &l)) out = std::move(l);
  });
  if (!s.ok()) return s;
  return out;
}

absl::Status RiskStore::AppendLimits(const risk::v1::Limits& limits, const std::string& yaml,
                                     const std::string& actor, const std::string& reason) {
  std::string buffer;
  return db_.impl().Transact("record limits", [&](pqxx::work& tx) {
    tx.exec_params("INSERT INTO risk_limits (limits, yaml, actor, reason) VALUES ($1, $2, $3, $4)",
                   Bytes(limits, &buffer), yaml, actor, reason);
  });
}

absl::Status RiskStore::AppendDecisions(const std::vector<risk::v1::RiskDecision>& decisions) {
  std::string buffer;
  const int64_t epoch = fencing_epoch();
  return db_.impl().Transact("record decisions", [&](pqxx::work& tx) {
    for (const risk::v1::RiskDecision& d : decisions) {
      tx.exec_params(
          "INSERT INTO risk_decisions (decision_id, intent_id, client_order_id, strategy_id, "
          "instrument, approved, code, reason, decided_ns, decision, fencing_epoch) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING",
          d.decision_id(), d.intent_id(), d.client_order_id(), d.strategy_id(),
          StrCat(ShortEnumName(d.instrument().venue()), ".", d.instrument().symbol()), d.approved(),
          std::string(ShortEnumName(d.code())), d.reason(), d.decided_ns(), Bytes(d, &buffer),
          epoch);
    }
  });
}

absl::StatusOr<std::vector<risk::v1::RiskDecision>> RiskStore::DecisionsSince(int64_t since_ns) {
  std::vector<risk::v1::RiskDecision> out;
  absl::Status s = db_.impl().Transact("read decisions", [&](pqxx::work& tx) {
    pqxx::result r = tx.exec_params(
        "SELECT decision FROM risk_decisions WHERE decided_ns >= $1 ORDER BY decided_ns", since_ns);
    for (const auto& row : r) {
      risk::v1::RiskDecision d;
      if (ParseBytea(row[0], &d)) out.push_back(std::move(d));
    }
  });
  if (!s.ok()) return s;
  return out;
}

absl::Status RiskStore::AppendFills(const std::vector<orders::v1::Fill>& fills,
                                    int64_t applied_ns) {
  std::string buffer;
  return db_.impl().Transact("record applied fills", [&](pqxx::work& tx) {
    for (const orders::v1::Fill& f : fills) {
      tx.exec_params(
          "INSERT INTO risk_fills (fill_id, fill, applied_ns) VALUES ($1, $2, $3) "
          "ON CONFLICT DO NOTHING",
          f.fill_id(), Bytes(f, &buffer), applied_ns);
    }
  });
}

absl::StatusOr<std::vector<orders::v1::Fill>> RiskStore::AppliedFills() {
  std::vector<orders::v1::Fill> out;
  absl::Status s = db_.impl().Transact("read applied fills", [&](pqxx::work& tx) {
    for (const auto& row : tx.exec("SELECT fill FROM risk_fills ORDER BY applied_ns, fill_id")) {
      orders::v1::Fill f;
      if (ParseBytea(row[0], &f)) out.push_back(std::move(f));
    }
  });
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<std::vector<orders::v1::Fill>> RiskStore::ExecutionFills() {
  std::vector<orders::v1::Fill> out;
  absl::Status s = db_.impl().Transact("read execution's fills", [&](pqxx::work& tx) {
    for (const auto& row : tx.exec("SELECT fill FROM exec_fills ORDER BY journaled_ns, fill_id")) {
      orders::v1::Fill f;
      if (ParseBytea(row[0], &f)) out.push_back(std::move(f));
    }
  });
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<std::vector<orders::v1::Order>> RiskStore::OpenExecutionOrders() {
  std::vector<orders::v1::Order> out;
  absl::Status s = db_.impl().Transact("read execution's open orders", [&](pqxx::work& tx) {
    for (const auto& row :
         tx.exec("SELECT order_proto FROM exec_orders WHERE status IN "
                 "('PENDING_NEW', 'NEW', 'PARTIALLY_FILLED', 'PENDING_CANCEL')")) {
      orders::v1::Order o;
      if (ParseBytea(row[0], &o)) out.push_back(std::move(o));
    }
  });
  if (!s.ok()) return s;
  return out;
}

}  // namespace tradeplane::store
