// libs/store against a real PostgreSQL (scripts/pg-local.sh).
#include <thread>

#include <catch2/catch.hpp>

#include "tradeplane/store/audit_log.h"
#include "tradeplane/store/database.h"
#include "tradeplane/testing/pg_cluster.h"
#include "tradeplane/testing/wait.h"

namespace tradeplane::store {
namespace {

using testing::PgCluster;

std::unique_ptr<Database> Connect(const std::string& conninfo) {
  config::v1::StoreConfig c;
  c.set_conninfo(conninfo);
  c.set_pool_size(2);
  absl::StatusOr<std::unique_ptr<Database>> db = Database::Create(c);
  REQUIRE(db.ok());
  return std::move(*db);
}

std::unique_ptr<Database> FreshDatabase() {
  absl::StatusOr<std::string> conninfo = PgCluster::Shared().CreateDatabase();
  REQUIRE(conninfo.ok());
  return Connect(*conninfo);
}

TEST_CASE("migrations apply in order, once, and are recorded", "[store][pg]") {
  auto db = FreshDatabase();
  absl::StatusOr<MigrationReport> first = db->Migrate();
  INFO(first.status().ToString());
  REQUIRE(first.ok());
  CHECK(first->applied.size() == EmbeddedMigrations().size());
  CHECK(first->applied.front() == "0001_foundation.sql");
  CHECK(first->schema_version >= 1);
  absl::StatusOr<MigrationReport> again = db->Migrate();
  REQUIRE(again.ok());
  CHECK(again->applied.empty());
  CHECK(again->schema_version == first->schema_version);
}

TEST_CASE("a migration changed after it was applied is refused", "[store][pg]") {
  auto db = FreshDatabase();
  std::vector<MigrationFile> v1 = {{"0001_a.sql", "CREATE TABLE a (x int);"}};
  REQUIRE(db->Migrate(v1).ok());
  std::vector<MigrationFile> edited = {{"0001_a.sql", "CREATE TABLE a (x bigint);"}};
  absl::StatusOr<MigrationReport> r = db->Migrate(edited);
  CHECK(r.status().code() == absl::StatusCode::kFailedPrecondition);
  CHECK_THAT(std::string(r.status().message()), Catch::Contains("0001_a.sql was changed"));
}

TEST_CASE("a database newer than the binary is refused", "[store][pg]") {
  auto db = FreshDatabase();
  std::vector<MigrationFile> newer = {{"0001_a.sql", "SELECT 1;"}, {"0002_b.sql", "SELECT 2;"}};
  REQUIRE(db->Migrate(newer).ok());
  std::vector<MigrationFile> older = {{"0001_a.sql", "SELECT 1;"}};
  absl::StatusOr<MigrationReport> r = db->Migrate(older);
  CHECK_THAT(std::string(r.status().message()), Catch::Contains("newer than this binary"));
}

TEST_CASE("a failing migration is rolled back and reported", "[store][pg]") {
  auto db = FreshDatabase();
  std::vector<MigrationFile> bad = {{"0001_a.sql", "CREATE TABLE a (x int); SELEC oops;"}};
  absl::StatusOr<MigrationReport> r = db->Migrate(bad);
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(std::string(r.status().message()), Catch::Contains("migration 0001_a.sql"));
  std::vector<MigrationFile> good = {{"0001_a.sql", "CREATE TABLE a (x int);"}};
  CHECK(db->Migrate(good).ok());  // nothing of the failed attempt remained
  CHECK_FALSE(db->Migrate({{"1_x.sql", ""}}).ok());
}

TEST_CASE("two processes migrating at once apply each migration once", "[store][pg]") {
  absl::StatusOr<std::string> conninfo = PgCluster::Shared().CreateDatabase();
  REQUIRE(conninfo.ok());
  auto a = Connect(*conninfo);
  auto b = Connect(*conninfo);
  absl::StatusOr<MigrationReport> ra, rb;
  std::thread ta([&] { ra = a->Migrate(); });
  std::thread tb([&] { rb = b->Migrate(); });
  ta.join();
  tb.join();
  REQUIRE(ra.ok());
  REQUIRE(rb.ok());
  CHECK(ra->applied.size() + rb->applied.size() == EmbeddedMigrations().size());
}

TEST_CASE("the audit log appends and refuses edits", "[store][pg]") {
  auto db = FreshDatabase();
  REQUIRE(db->Migrate().ok());
  AuditLog audit(*db);
  REQUIRE(audit
              .Append({.service = "risk",
                       .actor = "alice",
                       .action = "RiskAdmin.SetMode",
                       .target = "mode",
                       .reason = "open",
                       .details_json = R"({"mode":"ACTIVE"})"})
              .ok());
  absl::StatusOr<std::vector<AuditEntry>> tail = audit.Tail(10);
  REQUIRE(tail.ok());
  REQUIRE(tail->size() == 1);
  CHECK((*tail)[0].actor == "alice");
  CHECK((*tail)[0].details_json == R"({"mode": "ACTIVE"})");
  CHECK(audit.Append({.service = "risk", .actor = "x", .action = "y", .details_json = "{bad"})
            .code() == absl::StatusCode::kInternal);
}

TEST_CASE("a lost database is UNAVAILABLE, and the pool reconnects when it returns",
          "[store][pg]") {
  absl::StatusOr<std::unique_ptr<PgCluster>> own = PgCluster::Start();
  REQUIRE(own.ok());
  auto db = Connect((*own)->Conninfo());
  REQUIRE(db->Ping().ok());
  REQUIRE((*own)->Stop().ok());
  absl::Status down = db->Ping();
  CHECK(down.code() == absl::StatusCode::kUnavailable);
  REQUIRE((*own)->Restart().ok());
  CHECK(testing::WaitUntil([&] { return db->Ping().ok(); }, std::chrono::seconds(20)));
}

TEST_CASE("a config without a connection string is refused", "[store]") {
  CHECK_THAT(std::string(Database::Create({}).status().message()),
             Catch::Contains("store.conninfo is required"));
}

}  // namespace
}  // namespace tradeplane::store
