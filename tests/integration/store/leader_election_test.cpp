// Leader election and the journal's fence: the decision logic over a fake
// backend, then two real sessions against PostgreSQL.
#include "tradeplane/store/leader_election.h"

#include <catch2/catch.hpp>

#include "tradeplane/store/database.h"
#include "tradeplane/store/execution_store.h"
#include "tradeplane/store/risk_store.h"
#include "tradeplane/testing/pg_cluster.h"

namespace tradeplane::store {
namespace {

// The database side in memory: one lock per role, shared by the "sessions".
struct FakeDatabase {
  std::string lock_holder;  // session name; empty: free
  int64_t epoch = 0;
  bool reachable = true;
};

class FakeBackend final : public LeadershipBackend {
 public:
  FakeBackend(FakeDatabase& db, std::string session) : db_(db), session_(std::move(session)) {}
  absl::StatusOr<bool> TryLock(std::string_view) override {
    if (!db_.reachable) return absl::UnavailableError("connection refused");
    if (db_.lock_holder.empty()) db_.lock_holder = session_;
    return db_.lock_holder == session_;
  }
  absl::StatusOr<int64_t> IncrementEpoch(std::string_view, std::string_view) override {
    if (!db_.reachable) return absl::UnavailableError("connection refused");
    return ++db_.epoch;
  }
  absl::StatusOr<int64_t> CheckLock(std::string_view) override {
    if (!db_.reachable || db_.lock_holder != session_) {
      return absl::UnavailableError("session lost");
    }
    return db_.epoch;
  }
  void Disconnect() override {
    if (db_.lock_holder == session_) db_.lock_holder.clear();
  }

 private:
  FakeDatabase& db_;
  std::string session_;
};

TEST_CASE("one instance leads, the other waits, and takes over with a newer epoch",
          "[store][leader]") {
  FakeDatabase db;
  FakeBackend a_backend(db, "a"), b_backend(db, "b");
  LeaderElection a(a_backend, {"execution", "a"}), b(b_backend, {"execution", "b"});
  std::vector<std::string> events;
  a.OnElected([&](int64_t e) { events.push_back("a elected " + std::to_string(e)); });
  a.OnDeposed([&](const std::string&) { events.push_back("a deposed"); });
  b.OnElected([&](int64_t e) { events.push_back("b elected " + std::to_string(e)); });
  a.Poll();
  b.Poll();
  CHECK(a.IsLeader());
  CHECK_FALSE(b.IsLeader());
  CHECK(a.epoch() == 1);
  CHECK(b.last_error().empty());  // waiting is the normal standby state
  a.Poll();                       // a leader's check passes
  CHECK(a.IsLeader());
  // a's session dies (the process was killed): the lock is free, b wins it.
  db.lock_holder.clear();
  b.Poll();
  CHECK(b.IsLeader());
  CHECK(b.epoch() == 2);
  // a notices at its next check and steps down.
  a.Poll();
  CHECK_FALSE(a.IsLeader());
  CHECK_THAT(a.last_error(), Catch::Contains("execution leadership lock failed"));
  CHECK(events == std::vector<std::string>{"a elected 1", "b elected 2", "a deposed"});
}

TEST_CASE("a database that cannot be reached keeps a standby waiting with the reason",
          "[store][leader]") {
  FakeDatabase db;
  db.reachable = false;
  FakeBackend backend(db, "a");
  LeaderElection a(backend, {"risk", "a"});
  a.Poll();
  CHECK_FALSE(a.IsLeader());
  CHECK(a.epoch() == 0);
  CHECK_THAT(a.last_error(), Catch::Contains("connection refused"));
  db.reachable = true;
  a.Poll();
  CHECK(a.IsLeader());
  CHECK(a.last_error().empty());
}

TEST_CASE("lock keys are stable and differ by role", "[store][leader]") {
  CHECK(LeadershipLockKey("execution") == LeadershipLockKey("execution"));
  CHECK(LeadershipLockKey("execution") != LeadershipLockKey("risk"));
  CHECK_FALSE(IsFencedWrite(absl::FailedPreconditionError("duplicate key")));
  CHECK(IsFencedWrite(absl::FailedPreconditionError("journal: fenced: exec_orders write ...")));
}

config::v1::StoreConfig StoreFor(const std::string& conninfo) {
  config::v1::StoreConfig c;
  c.set_conninfo(conninfo);
  c.set_pool_size(2);
  return c;
}

JournaledOrder Order(const std::string& client_order_id) {
  JournaledOrder o;
  o.order.set_client_order_id(client_order_id);
  o.order.set_strategy_id("s1");
  o.order.set_status(orders::v1::ORDER_STATUS_PENDING_NEW);
  o.order.mutable_instrument()->set_venue(common::v1::VENUE_BINANCE);
  o.order.mutable_instrument()->set_symbol("BTCUSDT");
  o.order.set_side(common::v1::SIDE_BUY);
  o.order.set_qty(1'000'000);
  o.order.set_price(100'000'000'000);
  return o;
}

TEST_CASE("over PostgreSQL the lock has one holder and a deposed leader's writes are fenced",
          "[store][leader][pg]") {
  absl::StatusOr<std::string> conninfo = testing::PgCluster::Shared().CreateDatabase();
  REQUIRE(conninfo.ok());
  absl::StatusOr<std::unique_ptr<Database>> db = Database::Create(StoreFor(*conninfo));
  REQUIRE(db.ok());
  absl::StatusOr<MigrationReport> migrated = (*db)->Migrate();
  INFO(migrated.status().ToString());
  REQUIRE(migrated.ok());

  std::unique_ptr<LeadershipBackend> a_backend = MakePgLeadershipBackend(StoreFor(*conninfo), "a");
  std::unique_ptr<LeadershipBackend> b_backend = MakePgLeadershipBackend(StoreFor(*conninfo), "b");
  LeaderElection a(*a_backend, {"execution", "instance a"});
  LeaderElection b(*b_backend, {"execution", "instance b"});
  a.Poll();
  b.Poll();
  REQUIRE(a.IsLeader());
  CHECK_FALSE(b.IsLeader());
  const int64_t first_epoch = a.epoch();
  CHECK(first_epoch >= 1);

  ExecutionStore a_journal(**db);
  a_journal.set_fencing_epoch(first_epoch);
  REQUIRE(a_journal.InsertOrder(Order("before"), {"RECEIVED", "", 1}).ok());

  // a's lock session ends (as when its process dies) while its pool still works.
  a_backend->Disconnect();
  b.Poll();
  REQUIRE(b.IsLeader());
  CHECK(b.epoch() == first_epoch + 1);

  // a's late write is refused whole, and says why.
  absl::StatusOr<ExecutionStore::InsertResult> late =
      a_journal.InsertOrder(Order("late"), {"RECEIVED", "", 2});
  REQUIRE_FALSE(late.ok());
  CHECK(IsFencedWrite(late.status()));
  CHECK_THAT(std::string(late.status().message()), Catch::Contains("leader epoch is now"));
  absl::StatusOr<std::optional<JournaledOrder>> missing = a_journal.FindOrder("late");
  REQUIRE(missing.ok());
  CHECK_FALSE(missing->has_value());
  // An update of an order it journaled earlier is refused too.
  JournaledOrder before = Order("before");
  before.order.set_status(orders::v1::ORDER_STATUS_NEW);
  CHECK(IsFencedWrite(a_journal.UpdateOrder(before, {{"VENUE_ACK", "", 3}})));

  // The new leader writes under its epoch; a writer without election (epoch 0)
  // is never fenced.
  ExecutionStore b_journal(**db);
  b_journal.set_fencing_epoch(b.epoch());
  CHECK(b_journal.InsertOrder(Order("after"), {"RECEIVED", "", 4}).ok());
  ExecutionStore unfenced(**db);
  CHECK(unfenced.InsertOrder(Order("single"), {"RECEIVED", "", 5}).ok());

  // a finds out at its next check.
  a.Poll();
  CHECK_FALSE(a.IsLeader());
}

TEST_CASE("a deposed risk leader's decisions and mode changes are fenced", "[store][leader][pg]") {
  absl::StatusOr<std::string> conninfo = testing::PgCluster::Shared().CreateDatabase();
  REQUIRE(conninfo.ok());
  absl::StatusOr<std::unique_ptr<Database>> db = Database::Create(StoreFor(*conninfo));
  REQUIRE(db.ok());
  REQUIRE((*db)->Migrate().ok());
  std::unique_ptr<LeadershipBackend> a_backend = MakePgLeadershipBackend(StoreFor(*conninfo), "a");
  std::unique_ptr<LeadershipBackend> b_backend = MakePgLeadershipBackend(StoreFor(*conninfo), "b");
  LeaderElection a(*a_backend, {"risk", "a"}), b(*b_backend, {"risk", "b"});
  a.Poll();
  REQUIRE(a.IsLeader());
  RiskStore a_store(**db);
  a_store.set_fencing_epoch(a.epoch());
  risk::v1::RiskDecision d;
  d.set_decision_id("d1");
  d.set_intent_id("i1");
  d.set_approved(true);
  REQUIRE(a_store.AppendDecisions({d}).ok());

  a_backend->Disconnect();
  b.Poll();
  REQUIRE(b.IsLeader());
  d.set_decision_id("d2");
  d.set_intent_id("i2");
  CHECK(IsFencedWrite(a_store.AppendDecisions({d})));
  risk::v1::ModeChange halt;
  halt.set_mode(risk::v1::TRADING_MODE_HALTED);
  CHECK(IsFencedWrite(a_store.AppendModeChange(halt)));
  RiskStore b_store(**db);
  b_store.set_fencing_epoch(b.epoch());
  CHECK(b_store.AppendDecisions({d}).ok());
  CHECK(b_store.AppendModeChange(halt).ok());
}

}  // namespace
}  // namespace tradeplane::store
