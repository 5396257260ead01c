// The reconciler's repository (store::ReconStore) against a real PostgreSQL.
#include "tradeplane/store/recon_store.h"

#include <catch2/catch.hpp>

#include "tradeplane/store/database.h"
#include "tradeplane/testing/pg_cluster.h"

namespace tradeplane::store {
namespace {

namespace rv1 = reconciliation::v1;
using testing::PgCluster;

struct MigratedDatabase {
  MigratedDatabase() {
    absl::StatusOr<std::string> created = PgCluster::Shared().CreateDatabase();
    REQUIRE(created.ok());
    conninfo = *created;
    config::v1::StoreConfig c;
    c.set_conninfo(conninfo);
    c.set_pool_size(1);
    absl::StatusOr<std::unique_ptr<Database>> opened = Database::Create(c);
    REQUIRE(opened.ok());
    db = std::move(*opened);
    absl::StatusOr<MigrationReport> migrated = db->Migrate();
    INFO(migrated.status().ToString());
    REQUIRE(migrated.ok());
  }
  std::string conninfo;
  std::unique_ptr<Database> db;
};

rv1::ReconRun Run(const std::string& id, rv1::RunOutcome outcome, int64_t started_ns) {
  rv1::ReconRun run;
  run.set_run_id(id);
  run.set_outcome(outcome);
  run.set_trigger("schedule");
  run.set_started_ns(started_ns);
  run.set_finished_ns(started_ns + 1000);
  return run;
}

rv1::Break Break(const std::string& id, const std::string& run_id, rv1::BreakState state,
                 int64_t detected_ns) {
  rv1::Break b;
  b.set_break_id(id);
  b.set_run_id(run_id);
  b.set_type(rv1::BREAK_TYPE_MISSED_FILL);
  b.set_state(state);
  b.set_client_order_id("c-" + id);
  b.set_explanation("the venue reports a fill we never saw");
  b.set_detected_ns(detected_ns);
  return b;
}

TEST_CASE("a reconciliation run is stored with its breaks and checkpoints and read back",
          "[store][pg][recon]") {
  MigratedDatabase m;
  ReconStore store(*m.db);
  CHECK(store.LastCleanRunNs()->has_value() == false);

  rv1::ReconRun first = Run("run-1", rv1::RUN_OUTCOME_BREAKS, 1'000);
  first.set_breaks_found(2);
  REQUIRE(store
              .RecordRun(first,
                         {Break("b-1", "run-1", rv1::BREAK_STATE_UNRESOLVED, 1'100),
                          Break("b-2", "run-1", rv1::BREAK_STATE_RESOLVED, 1'200)},
                         {{.venue = "BINANCE",
                           .symbol = "NKNUSDT",
                           .after_trade_id = 41,
                           .position_raw = 5'000'000'000}})
              .ok());
  REQUIRE(store
              .RecordRun(Run("run-2", rv1::RUN_OUTCOME_CLEAN, 2'000), {},
                         {{.venue = "BINANCE",
                           .symbol = "NKNUSDT",
                           .after_trade_id = 57,
                           .position_raw = 7'000'000'000}})
              .ok());

  absl::StatusOr<std::vector<rv1::ReconRun>> runs = store.ListRuns(0);
  REQUIRE(runs.ok());
  REQUIRE(runs->size() == 2);
  CHECK((*runs)[0].run_id() == "run-2");  // newest first
  CHECK((*runs)[1].breaks_found() == 2);

  absl::StatusOr<std::vector<rv1::Break>> all = store.ListBreaks(/*open_only=*/false, 0);
  REQUIRE(all.ok());
  REQUIRE(all->size() == 2);
  CHECK((*all)[0].break_id() == "b-2");
  CHECK((*all)[1].explanation() == "the venue reports a fill we never saw");

  // The checkpoint of an instrument is replaced, not added to.
  absl::StatusOr<std::vector<ReconCheckpoint>> checkpoints = store.Checkpoints();
  REQUIRE(checkpoints.ok());
  REQUIRE(checkpoints->size() == 1);
  CHECK((*checkpoints)[0].after_trade_id == 57);
  CHECK((*checkpoints)[0].position_raw == 7'000'000'000);

  absl::StatusOr<std::optional<int64_t>> clean = store.LastCleanRunNs();
  REQUIRE(clean.ok());
  CHECK(clean->value_or(0) == 3'000);
}

TEST_CASE("open breaks are the unresolved ones of the latest run that compared",
          "[store][pg][recon]") {
  MigratedDatabase m;
  ReconStore store(*m.db);
  REQUIRE(store
              .RecordRun(Run("run-1", rv1::RUN_OUTCOME_BREAKS, 1'000),
                         {Break("b-1", "run-1", rv1::BREAK_STATE_UNRESOLVED, 1'100),
                          Break("b-2", "run-1", rv1::BREAK_STATE_RESOLVED, 1'200)},
                         {})
              .ok());
  absl::StatusOr<std::vector<rv1::Break>> open = store.ListBreaks(/*open_only=*/true, 0);
  REQUIRE(open.ok());
  REQUIRE(open->size() == 1);
  CHECK((*open)[0].break_id() == "b-1");

  // A run that could not compare (venue down) says nothing about the breaks:
  // the last comparing run's stay open.
  REQUIRE(store.RecordRun(Run("run-2", rv1::RUN_OUTCOME_FAILED, 2'000), {}, {}).ok());
  open = store.ListBreaks(/*open_only=*/true, 0);
  REQUIRE(open.ok());
  CHECK(open->size() == 1);

  // A later run that no longer finds the break closes it.
  REQUIRE(store.RecordRun(Run("run-3", rv1::RUN_OUTCOME_CLEAN, 3'000), {}, {}).ok());
  open = store.ListBreaks(/*open_only=*/true, 0);
  REQUIRE(open.ok());
  CHECK(open->empty());
}

TEST_CASE("a run whose break names an unknown run is refused whole", "[store][pg][recon]") {
  MigratedDatabase m;
  ReconStore store(*m.db);
  absl::Status s = store.RecordRun(Run("run-1", rv1::RUN_OUTCOME_BREAKS, 1'000),
                                   {Break("b-1", "no-such-run", rv1::BREAK_STATE_OPEN, 1'100)},
                                   {{.venue = "BINANCE", .symbol = "NKNUSDT"}});
  CHECK_FALSE(s.ok());
  // One transaction: neither the run nor the checkpoint was kept.
  CHECK(store.ListRuns(0)->empty());
  CHECK(store.Checkpoints()->empty());
}

TEST_CASE("a stored run that no longer parses is reported, not skipped", "[store][pg][recon]") {
  MigratedDatabase m;
  ReconStore store(*m.db);
  REQUIRE(store.RecordRun(Run("run-1", rv1::RUN_OUTCOME_CLEAN, 1'000), {}, {}).ok());
  absl::StatusOr<std::string> damaged =
      testing::RunSql(m.conninfo, "UPDATE recon_runs SET run = '\\xffffffff'::bytea");
  INFO(damaged.status().ToString());
  REQUIRE(damaged.ok());
  absl::StatusOr<std::vector<rv1::ReconRun>> runs = store.ListRuns(0);
  REQUIRE_FALSE(runs.ok());
  CHECK(runs.status().code() == absl::StatusCode::kDataLoss);
  CHECK_THAT(std::string(runs.status().message()), Catch::Contains("recon_runs"));
}

}  // namespace
}  // namespace tradeplane::store
