#include "tradeplane/store/recon_store.h"

#include "tradeplane/core/enum_names.h"
#include "tradeplane/core/str_cat.h"

#include "bytea.h"
#include "database_impl.h"

namespace tradeplane::store {
namespace {

namespace rv1 = reconciliation::v1;

// Every row is a message this binary wrote; one that does not parse means
// the table was edited or damaged, which a run must report, not skip.
template <typename Message>
absl::Status ReadRows(const pqxx::result& rows, std::string_view table, std::vector<Message>* out) {
  for (const auto& row : rows) {
    Message m;
    if (!ParseBytea(row[0], &m)) {
      return absl::DataLossError(StrCat(table, ": a stored row does not parse"));
    }
    out->push_back(std::move(m));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ReconStore::RecordRun(const rv1::ReconRun& run, const std::vector<rv1::Break>& breaks,
                                   const std::vector<ReconCheckpoint>& checkpoints,
                                   const std::vector<BalanceOpening>& openings) {
  return db_.impl().Transact("record a reconciliation run", [&](pqxx::work& tx) {
    std::string buffer;
    tx.exec_params(
        "INSERT INTO recon_runs (run_id, trigger, outcome, failure_reason, started_ns, "
        "finished_ns, breaks_found, breaks_resolved, run) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        run.run_id(), run.trigger(), std::string(ShortEnumName(run.outcome())),
        run.failure_reason(), run.started_ns(), run.finished_ns(),
        static_cast<int>(run.breaks_found()), static_cast<int>(run.breaks_resolved()),
        Bytes(run, &buffer));
    for (const rv1::Break& b : breaks) {
      tx.exec_params(
          "INSERT INTO recon_breaks (break_id, run_id, type, state, client_order_id, "
          "venue_order_id, detected_ns, resolved_ns, break) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
          b.break_id(), b.run_id(), std::string(ShortEnumName(b.type())),
          std::string(ShortEnumName(b.state())), b.client_order_id(), b.venue_order_id(),
          b.detected_ns(), b.resolved_ns(), Bytes(b, &buffer));
    }
    for (const ReconCheckpoint& c : checkpoints) {
      tx.exec_params(
          "INSERT INTO recon_checkpoints (venue, symbol, after_trade_id, position, run_id) "
          "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (venue, symbol) DO UPDATE SET "
          "after_trade_id = EXCLUDED.after_trade_id, position = EXCLUDED.position, "
          "run_id = EXCLUDED.run_id",
          c.venue, c.symbol, static_cast<int64_t>(c.after_trade_id), c.position_raw, run.run_id());
    }
    for (const BalanceOpening& o : openings) {
      tx.exec_params(
          "INSERT INTO recon_balance_openings (venue, asset, opening, run_id, taken_ns) "
          "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (venue, asset) DO NOTHING",
          o.venue, o.asset, o.opening_raw, run.run_id(), run.finished_ns());
    }
  });
}

absl::StatusOr<std::vector<rv1::ReconRun>> ReconStore::ListRuns(uint32_t limit) {
  std::vector<rv1::ReconRun> out;
  absl::Status read;
  absl::Status s = db_.impl().Transact("list reconciliation runs", [&](pqxx::work& tx) {
    pqxx::result r = tx.exec_params("SELECT run FROM recon_runs ORDER BY started_ns DESC LIMIT $1",
                                    static_cast<int>(limit == 0 ? 100 : limit));
    read = ReadRows(r, "recon_runs", &out);
  });
  if (!s.ok()) return s;
  if (!read.ok()) return read;
  return out;
}

absl::StatusOr<std::vector<rv1::Break>> ReconStore::ListBreaks(bool open_only, uint32_t limit) {
  std::vector<rv1::Break> out;
  absl::Status read;
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
    read = ReadRows(r, "recon_breaks", &out);
  });
  if (!s.ok()) return s;
  if (!read.ok()) return read;
  return out;
}

absl::StatusOr<std::vector<ReconCheckpoint>> ReconStore::Checkpoints() {
  std::vector<ReconCheckpoint> out;
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

absl::StatusOr<std::vector<BalanceOpening>> ReconStore::BalanceOpenings() {
  std::vector<BalanceOpening> out;
  absl::Status s = db_.impl().Transact("read opening balances", [&](pqxx::work& tx) {
    for (const auto& row : tx.exec("SELECT venue, asset, opening FROM recon_balance_openings")) {
      out.push_back({.venue = row[0].as<std::string>(),
                     .asset = row[1].as<std::string>(),
                     .opening_raw = row[2].as<int64_t>()});
    }
  });
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<std::optional<int64_t>> ReconStore::LastCleanRunNs() {
  std::optional<int64_t> out;
  absl::Status s = db_.impl().Transact("read the last clean run", [&](pqxx::work& tx) {
    pqxx::result r = tx.exec("SELECT max(finished_ns) FROM recon_runs WHERE outcome = 'CLEAN'");
    if (!r.empty() && !r[0][0].is_null()) out = r[0][0].as<int64_t>();
  });
  if (!s.ok()) return s;
  return out;
}

}  // namespace tradeplane::store
