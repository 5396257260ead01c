#include "pg_recon_store.h"

#include "tradeplane/core/enum_names.h"
#include "tradeplane/core/str_cat.h"

// The store library's private face: this file is the reconciler's repository
// until it moves into libs/store (it is written the way the repositories
// there are, and only this file touches libpqxx).
#include "database_impl.h"

namespace tradeplane::reconciler {
namespace {

namespace rv1 = reconciliation::v1;

// The proposed db/migrations/0006_reconciler.sql, word for word.
constexpr char kSchema[] = R"sql(
CREATE TABLE IF NOT EXISTS recon_runs (
  run_id           text PRIMARY KEY,
  trigger          text NOT NULL,
  outcome          text NOT NULL,  -- CLEAN, BREAKS, FAILED
  failure_reason   text NOT NULL DEFAULT '',
  started_ns       bigint NOT NULL,
  finished_ns      bigint NOT NULL,
  breaks_found     integer NOT NULL,
  breaks_resolved  integer NOT NULL,
  run              bytea NOT NULL  -- serialized tradeplane.reconciliation.v1.ReconRun
);
CREATE INDEX IF NOT EXISTS recon_runs_started ON recon_runs (started_ns);
CREATE TABLE IF NOT EXISTS recon_breaks (
  break_id         text PRIMARY KEY,
  run_id           text NOT NULL REFERENCES recon_runs (run_id),
  type             text NOT NULL,
  state            text NOT NULL,  -- OPEN, RESOLVED, UNRESOLVED
  client_order_id  text NOT NULL DEFAULT '',
  venue_order_id   text NOT NULL DEFAULT '',
  detected_ns      bigint NOT NULL,
  resolved_ns      bigint NOT NULL DEFAULT 0,
  break            bytea NOT NULL  -- serialized tradeplane.reconciliation.v1.Break
);
CREATE INDEX IF NOT EXISTS recon_breaks_run ON recon_breaks (run_id);
CREATE TABLE IF NOT EXISTS recon_checkpoints (
  venue            text NOT NULL,
  symbol           text NOT NULL,
  after_trade_id   bigint NOT NULL,
  position         bigint NOT NULL,  -- the venue's net position there, 1e-9
  run_id           text NOT NULL,
  PRIMARY KEY (venue, symbol)
);
)sql";

template <typename Message>
Message Parse(const pqxx::field& field) {
  Message m;
  pqxx::binarystring bytes(field);
  m.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
  return m;
}

}  // namespace

absl::Status PgReconStore::EnsureSchema() {
  return db_.impl().Transact("create the reconciler's tables", [](pqxx::work& tx) {
    // Two reconcilers starting at once: one creates, the other waits.
    tx.exec("SELECT pg_advisory_xact_lock(7700)");
    tx.exec(kSchema);
  });
}

absl::Status PgReconStore::RecordRun(const rv1::ReconRun& run,
                                     const std::vector<rv1::Break>& breaks,
                                     const std::vector<StoredCheckpoint>& checkpoints) {
  return db_.impl().Transact("record a reconciliation run", [&](pqxx::work& tx) {
    std::string bytes = run.SerializeAsString();
    tx.exec_params(
        "INSERT INTO recon_runs (run_id, trigger, outcome, failure_reason, started_ns, "
        "finished_ns, breaks_found, breaks_resolved, run) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        run.run_id(), run.trigger(), std::string(ShortEnumName(run.outcome())),
        run.failure_reason(), run.started_ns(), run.finished_ns(),
        static_cast<int>(run.breaks_found()), static_cast<int>(run.breaks_resolved()),
        pqxx::binarystring(bytes.data(), bytes.size()));
    for (const rv1::Break& b : breaks) {
      std::string bb = b.SerializeAsString();
      tx.exec_params(
          "INSERT INTO recon_breaks (break_id, run_id, type, state, client_order_id, "
          "venue_order_id, detected_ns, resolved_ns, break) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
          b.break_id(), b.run_id(), std::string(ShortEnumName(b.type())),
          std::string(ShortEnumName(b.state())), b.client_order_id(), b.venue_order_id(),
          b.detected_ns(), b.resolved_ns(), pqxx::binarystring(bb.data(), bb.size()));
    }
    for (const StoredCheckpoint& c : checkpoints) {
      tx.exec_params(
          "INSERT INTO recon_checkpoints (venue, symbol, after_trade_id, position, run_id) "
          "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (venue, symbol) DO UPDATE SET "
          "after_trade_id = EXCLUDED.after_trade_id, position = EXCLUDED.position, "
          "run_id = EXCLUDED.run_id",
          c.venue, c.symbol, static_cast<int64_t>(c.after_trade_id), c.position_raw, run.run_id());
    }
  });
}

absl::StatusOr<std::vector<rv1::ReconRun>> PgReconStore::ListRuns(uint32_t limit) {
  std::vector<rv1::ReconRun> out;
  absl::Status s = db_.impl().Transact("list reconciliation runs", [&](pqxx::work& tx) {
    pqxx::result r = tx.exec_params("SELECT run FROM recon_runs ORDER BY started_ns DESC LIMIT $1",
                                    static_cast<int>(limit == 0 ? 100 : limit));
    for (const auto& row : r) out.push_back(Parse<rv1::ReconRun>(row[0]));
  });
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<std::vector<rv1::Break>> PgReconStore::ListBreaks(bool open_only, uint32_t limit) {
  std::vector<rv1::Break> out;
  int n = static_cast<int>(limit == 0 ? 100 : limit);
  absl::Status s = db_.impl().Transact("list reconciliation breaks", [&](pqxx::work& tx) {
    pqxx::result r =
        open_only
            ? tx.exec_params(
                  "SELECT break FROM recon_breaks WHERE state <> 'RESOLVED' AND run_id = "
                  "(SELECT run_id FROM recon_runs WHERE outcome <> 'FAILED' "
                  "ORDER BY started_ns DESC LIMIT 1) ORDER BY detected_ns DESC, break_id LIMIT $1",
                  n)
            : tx.exec_params(
                  "SELECT break FROM recon_breaks ORDER BY detected_ns DESC, break_id LIMIT $1", n);
    for (const auto& row : r) out.push_back(Parse<rv1::Break>(row[0]));
  });
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<std::vector<StoredCheckpoint>> PgReconStore::Checkpoints() {
  std::vector<StoredCheckpoint> out;
  absl::Status s = db_.impl().Transact("read trade checkpoints", [&](pqxx::work& tx) {
    pqxx::result r =
        tx.exec("SELECT venue, symbol, after_trade_id, position FROM recon_checkpoints");
    for (const auto& row : r) {
      out.push_back({.venue = row[0].as<std::string>(),
                     .symbol = row[1].as<std::string>(),
                     .after_trade_id = static_cast<uint64_t>(row[2].as<int64_t>()),
                     .position_raw = row[3].as<int64_t>()});
    }
  });
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<std::optional<int64_t>> PgReconStore::LastCleanRunNs() {
  std::optional<int64_t> out;
  absl::Status s = db_.impl().Transact("read the last clean run", [&](pqxx::work& tx) {
    pqxx::result r = tx.exec("SELECT max(finished_ns) FROM recon_runs WHERE outcome = 'CLEAN'");
    if (!r.empty() && !r[0][0].is_null()) out = r[0][0].as<int64_t>();
  });
  if (!s.ok()) return s;
  return out;
}

}  // namespace tradeplane::reconciler
