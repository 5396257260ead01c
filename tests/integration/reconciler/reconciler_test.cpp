// tradeplane-reconciler against real processes: the venue simulator, the
// signer, execution (Binance adapter) and PostgreSQL; risk's admin API is a
// stand-in that records SetMode.
#include <catch2/catch.hpp>

#include "tradeplane/core/enum_names.h"
#include "tradeplane/core/str_cat.h"
#include "tradeplane/testing/wait.h"

#include "reconciler_fixture.h"

namespace tradeplane::recon_test {
namespace {

namespace rv1 = reconciliation::v1;
namespace ov1 = orders::v1;
using common::v1::SIDE_BUY;
using testing::WaitUntil;

std::string Describe(const std::vector<rv1::Break>& breaks) {
  std::string out;
  for (const rv1::Break& b : breaks) out += b.ShortDebugString() + "\n";
  return out;
}

const rv1::Break* FindBreak(const std::vector<rv1::Break>& breaks, rv1::BreakType type) {
  for (const rv1::Break& b : breaks) {
    if (b.type() == type) return &b;
  }
  return nullptr;
}

// Execution up and gated open by the reconciler's startup run.
void StartAll(ReconWorld& w) {
  w.exec().Start();
  w.StartReconciler();
  w.exec().WaitReady();
}

TEST_CASE("a clean state produces no break and lets a freshly started execution accept orders",
          "[reconciler][pg]") {
  ReconWorld w;
  w.exec().Start();
  // Without a clean run execution refuses new orders.
  REQUIRE(WaitUntil([&] {
    return w.exec().Status().not_ready_reason().find("reconciliation") != std::string::npos;
  }));
  auto refused = w.exec().Place(w.exec().Order("before-recon", SIDE_BUY, "0.01", "100"));
  REQUIRE(refused.ok());
  CHECK_FALSE(refused->accepted());
  CHECK(refused->refusal() == ov1::EXECUTION_REFUSAL_NOT_READY);

  w.StartReconciler();
  w.exec().WaitReady();
  std::vector<rv1::ReconRun> runs = w.Runs();
  REQUIRE_FALSE(runs.empty());
  CHECK(runs.back().trigger() == "startup");
  CHECK(runs.back().outcome() == rv1::RUN_OUTCOME_CLEAN);

  auto placed = w.exec().Place(w.exec().Order("c-1", SIDE_BUY, "0.01", "100"));
  REQUIRE(placed.ok());
  INFO(placed->DebugString() << w.exec().Log());
  CHECK(placed->accepted());

  rv1::ReconRun run;
  grpc::Status s = w.RunRecon(&run);
  INFO(s.error_message() << w.Log());
  REQUIRE(s.ok());
  CHECK(run.outcome() == rv1::RUN_OUTCOME_CLEAN);
  CHECK(run.orders_compared() >= 1);
  CHECK(run.breaks_found() == 0);
  CHECK(run.trigger().starts_with("operator:"));
  CHECK(w.Breaks(false).empty());
  CHECK(w.risk().requests().empty());
  std::string metrics = w.Metrics();
  CHECK(metrics.find("tradeplane_reconciler_runs_total{outcome=\"CLEAN\"}") != std::string::npos);
  CHECK(metrics.find("tradeplane_reconciler_open_breaks 0") != std::string::npos);
}

TEST_CASE("an order placed directly at the venue is an unknown venue order, canceled by policy",
          "[reconciler][pg]") {
  ReconWorld w({.unknown_order_policy = "CANCEL"});
  StartAll(w);
  auto r = w.PlaceAtVenue(venue_sim_test::kDocApiKey, "SELL", "0.02", "250", "by-hand-1");
  INFO(r.body);
  REQUIRE(r.status == 200);
  REQUIRE(w.VenueOpenClientIds() == std::vector<std::string>{"by-hand-1"});

  rv1::ReconRun run;
  REQUIRE(w.RunRecon(&run).ok());
  std::vector<rv1::Break> breaks = w.Breaks(false);
  INFO(Describe(breaks) << w.Log());
  CHECK(run.outcome() == rv1::RUN_OUTCOME_BREAKS);
  CHECK(run.breaks_found() == 1);
  CHECK(run.breaks_resolved() == 1);
  const rv1::Break* b = FindBreak(breaks, rv1::BREAK_TYPE_UNKNOWN_VENUE_ORDER);
  REQUIRE(b != nullptr);
  CHECK(b->state() == rv1::BREAK_STATE_RESOLVED);
  CHECK(b->client_order_id() == "by-hand-1");
  CHECK(b->resolution().find("CANCEL") != std::string::npos);
  CHECK(b->resolved_ns() > 0);
  CHECK(w.VenueOpenClientIds().empty());
  CHECK(w.risk().requests().empty());
  // Resolved breaks stay in history; the confirming run is clean.
  REQUIRE(WaitUntil([&] {
    std::vector<rv1::ReconRun> runs = w.Runs();
    return !runs.empty() && runs.front().trigger() == "follow-up";
  }));
  CHECK(w.Runs().front().outcome() == rv1::RUN_OUTCOME_CLEAN);
  CHECK(w.Breaks(true).empty());
  CHECK(w.Breaks(false).size() == 1);
}

TEST_CASE("an order placed directly at the venue is adopted into execution's journal by policy",
          "[reconciler][pg]") {
  ReconWorld w({.unknown_order_policy = "ADOPT"});
  StartAll(w);
  auto r = w.PlaceAtVenue(venue_sim_test::kDocApiKey, "BUY", "0.03", "90", "by-hand-2");
  REQUIRE(r.status == 200);

  rv1::ReconRun run;
  REQUIRE(w.RunRecon(&run).ok());
  std::vector<rv1::Break> breaks = w.Breaks(false);
  INFO(Describe(breaks) << w.Log() << w.exec().Log());
  const rv1::Break* b = FindBreak(breaks, rv1::BREAK_TYPE_UNKNOWN_VENUE_ORDER);
  REQUIRE(b != nullptr);
  CHECK(b->state() == rv1::BREAK_STATE_RESOLVED);
  auto adopted = w.exec().journal().FindOrder("by-hand-2");
  REQUIRE(adopted.ok());
  REQUIRE(adopted->has_value());
  CHECK((*adopted)->order.status() == ov1::ORDER_STATUS_NEW);
  CHECK(w.VenueOpenClientIds() == std::vector<std::string>{"by-hand-2"});  // still working
  // The next run finds the order ours.
  REQUIRE(w.RunRecon(&run).ok());
  CHECK(run.outcome() == rv1::RUN_OUTCOME_CLEAN);
}

TEST_CASE(
    "a fill while execution is down is a missed fill, left to a person when execution "
    "cannot take it, and clean once execution has recovered it",
    "[reconciler][pg]") {
  ReconWorld w;
  StartAll(w);
  auto placed = w.exec().Place(w.exec().Order("rest-1", SIDE_BUY, "0.01", "100"));
  REQUIRE(placed.ok());
  REQUIRE(placed->accepted());
  w.exec().Kill();
  // Another account sells into our bid while execution is away.
  auto sold = w.PlaceAtVenue("other-client", "SELL", "0.01", "100");
  INFO(sold.body);
  REQUIRE(sold.status == 200);

  rv1::ReconRun run;
  REQUIRE(w.RunRecon(&run).ok());
  std::vector<rv1::Break> breaks = w.Breaks(false);
  INFO(Describe(breaks) << w.Log());
  CHECK(run.outcome() == rv1::RUN_OUTCOME_BREAKS);
  const rv1::Break* missed = FindBreak(breaks, rv1::BREAK_TYPE_MISSED_FILL);
  REQUIRE(missed != nullptr);
  CHECK(missed->client_order_id() == "rest-1");
  CHECK(missed->venue() == 10'000'000);  // 0.01 at the 1e-9 scale
  // Execution cannot take the fill: the break needs a person, trading pauses.
  CHECK(missed->state() == rv1::BREAK_STATE_UNRESOLVED);
  REQUIRE(WaitUntil([&] { return !w.risk().requests().empty(); }));
  CHECK(w.risk().requests().front().mode() == risk::v1::TRADING_MODE_PAUSED);
  CHECK(w.risk().requests().front().reason().find("MISSED_FILL") != std::string::npos);
  CHECK_FALSE(w.Breaks(true).empty());

  // Execution comes back, recovers the fill from the venue; the next run is
  // clean and execution's gate opens.
  w.exec().Start();
  w.exec().WaitReady();
  REQUIRE(w.RunRecon(&run).ok());
  INFO(w.Log());
  CHECK(run.outcome() == rv1::RUN_OUTCOME_CLEAN);
  CHECK(w.Breaks(true).empty());
  CHECK(w.exec().Query("SELECT count(*) FROM exec_fills WHERE client_order_id = 'rest-1'") == "1");
}

TEST_CASE("a venue that does not answer fails the run with the reason and nothing is resolved",
          "[reconciler][pg]") {
  ReconWorld w({.pause_on_failed_run = true});
  StartAll(w);
  auto r = w.PlaceAtVenue(venue_sim_test::kDocApiKey, "SELL", "0.02", "250", "by-hand-3");
  REQUIRE(r.status == 200);
  rv1::ReconRun run;

  SECTION("a timeout") {
    REQUIRE(w.sim().Control("POST", "/control/faults/freeze").status == 200);
    grpc::Status s = w.RunRecon(&run);
    REQUIRE(w.sim().Control("POST", "/control/faults/unfreeze").status == 200);
    REQUIRE(s.ok());
  }
  SECTION("server errors") {
    REQUIRE(w.sim().Control("POST", "/control/faults/errors?count=3&status=503").status == 200);
    REQUIRE(w.RunRecon(&run).ok());
    w.sim().Control("POST", "/control/faults/clear");
  }
  INFO(run.ShortDebugString() << w.Log());
  CHECK(run.outcome() == rv1::RUN_OUTCOME_FAILED);
  CHECK(run.failure_reason().find("incomplete") != std::string::npos);
  CHECK(run.breaks_found() == 0);
  CHECK(run.breaks_resolved() == 0);
  // Nothing was done: the unknown order is still open at the venue.
  CHECK(w.VenueOpenClientIds() == std::vector<std::string>{"by-hand-3"});
  std::vector<rv1::ReconRun> runs = w.Runs();
  REQUIRE_FALSE(runs.empty());
  CHECK(runs.front().outcome() == rv1::RUN_OUTCOME_FAILED);
  CHECK(runs.front().failure_reason() == run.failure_reason());
  CHECK(w.Metrics().find("tradeplane_reconciler_runs_total{outcome=\"FAILED\"} 1") !=
        std::string::npos);
  // pause_on_failed_run: risk is asked to pause.
  REQUIRE(WaitUntil([&] { return !w.risk().requests().empty(); }));
  CHECK(w.risk().requests().front().mode() == risk::v1::TRADING_MODE_PAUSED);
}

// The unresolved break of `type` on `client_order_id` in the latest run, and
// risk asked to pause naming the type.
void ExpectPausedFor(ReconWorld& w, rv1::BreakType type, const std::string& client_order_id) {
  rv1::ReconRun run;
  REQUIRE(w.RunRecon(&run).ok());
  std::vector<rv1::Break> breaks = w.Breaks(true);
  INFO(Describe(breaks) << w.Log());
  CHECK(run.outcome() == rv1::RUN_OUTCOME_BREAKS);
  const rv1::Break* b = FindBreak(breaks, type);
  REQUIRE(b != nullptr);
  CHECK(b->client_order_id() == client_order_id);
  CHECK(b->state() == rv1::BREAK_STATE_UNRESOLVED);
  CHECK_FALSE(b->explanation().empty());
  REQUIRE(WaitUntil([&] { return !w.risk().requests().empty(); }));
  CHECK(w.risk().requests().back().mode() == risk::v1::TRADING_MODE_PAUSED);
  CHECK(w.risk().requests().back().reason().find(std::string(ShortEnumName(type))) !=
        std::string::npos);
}

// A resting order of ours with `filled` of it filled by another account.
void RestingOrderFilled(ReconWorld& w, const std::string& client_order_id,
                        const std::string& filled) {
  auto placed = w.exec().Place(w.exec().Order(client_order_id, SIDE_BUY, "0.02", "100"));
  REQUIRE(placed.ok());
  REQUIRE(placed->accepted());
  auto sold = w.PlaceAtVenue("other-client", "SELL", filled, "100");
  INFO(sold.body);
  REQUIRE(sold.status == 200);
  REQUIRE(WaitUntil([&] {
    return w.exec().Query("SELECT count(*) FROM exec_fills WHERE client_order_id = '" +
                          client_order_id + "'") == "1";
  }));
}

TEST_CASE(
    "an order journaled but never sent, execution down, is a status mismatch until "
    "execution recovers it",
    "[reconciler][pg]") {
  ReconWorld w;
  // Execution dies between journaling the order and sending it.
  w.exec().Start({{"TRADEPLANE_TEST_CRASH_AT", "after_journal"}});
  w.StartReconciler();
  w.exec().WaitReady();
  (void)w.exec().Place(w.exec().Order("lost-1", SIDE_BUY, "0.01", "100"));
  REQUIRE(w.exec().WaitExit(std::chrono::seconds(10)).has_value());
  CHECK(w.exec().Query("SELECT status FROM exec_orders WHERE client_order_id = 'lost-1'") ==
        "PENDING_NEW");
  // Open here, unknown there and never filled: it never reached the venue,
  // which the diff reads as REJECTED there.
  ExpectPausedFor(w, rv1::BREAK_TYPE_STATUS_MISMATCH, "lost-1");

  // Execution's own recovery asks the venue, which never saw it: final here
  // too, and the next run is clean.
  w.exec().Start();
  w.exec().WaitReady();
  rv1::ReconRun run;
  REQUIRE(w.RunRecon(&run).ok());
  INFO(w.Log() << w.exec().Log());
  CHECK(run.outcome() == rv1::RUN_OUTCOME_CLEAN);
  CHECK(w.exec().Query("SELECT status FROM exec_orders WHERE client_order_id = 'lost-1'") !=
        "PENDING_NEW");
}

TEST_CASE(
    "an order the journal holds open and partly filled that the venue never knew is a "
    "missing venue order",
    "[reconciler][pg]") {
  ReconWorld w;
  StartAll(w);
  w.exec().Kill();
  // Stands for a journal that does not belong to this account (restored
  // from the wrong backup): an order open and partly filled here, unknown
  // at the venue. What became of it there cannot be said.
  store::JournaledOrder ghost;
  ov1::Order& o = ghost.order;
  o.set_client_order_id("ghost-1");
  o.set_venue_order_id("424242");
  o.set_strategy_id("s1");
  o.mutable_instrument()->set_venue(common::v1::VENUE_BINANCE);
  o.mutable_instrument()->set_symbol("BTCUSDT");
  o.set_side(SIDE_BUY);
  o.set_order_type(ov1::ORDER_TYPE_LIMIT);
  o.set_time_in_force(ov1::TIME_IN_FORCE_GTC);
  o.set_qty(20'000'000);
  o.set_price(100'000'000'000);
  o.set_filled_qty(5'000'000);
  o.set_status(ov1::ORDER_STATUS_PARTIALLY_FILLED);
  ghost.sent = true;
  auto inserted = w.exec().journal().InsertOrder(ghost, {"VENUE_ACK", "test", 1});
  REQUIRE(inserted.ok());
  REQUIRE(inserted->inserted);
  ExpectPausedFor(w, rv1::BREAK_TYPE_MISSING_VENUE_ORDER, "ghost-1");
}

TEST_CASE("an order canceled at the venue while execution is down is a status mismatch",
          "[reconciler][pg]") {
  ReconWorld w;
  StartAll(w);
  auto placed = w.exec().Place(w.exec().Order("rest-2", SIDE_BUY, "0.01", "100"));
  REQUIRE(placed.ok());
  REQUIRE(placed->accepted());
  w.exec().Kill();
  // A person cancels it on the venue's website meanwhile.
  venue_sim_test::Response canceled =
      w.sim().Signed("DELETE", "/api/v3/order", "symbol=BTCUSDT&origClientOrderId=rest-2");
  INFO(canceled.body);
  REQUIRE(canceled.status == 200);
  // The correction goes through execution, which is down: a person decides.
  ExpectPausedFor(w, rv1::BREAK_TYPE_STATUS_MISMATCH, "rest-2");

  w.exec().Start();
  w.exec().WaitReady();
  rv1::ReconRun run;
  REQUIRE(w.RunRecon(&run).ok());
  CHECK(run.outcome() == rv1::RUN_OUTCOME_CLEAN);
  CHECK(w.exec().Query("SELECT status FROM exec_orders WHERE client_order_id = 'rest-2'") ==
        "CANCELED");
}

TEST_CASE(
    "a filled quantity in the journal that the fills and the venue disagree with is a "
    "filled-quantity mismatch",
    "[reconciler][pg]") {
  ReconWorld w;
  StartAll(w);
  RestingOrderFilled(w, "fq-1", "0.01");
  w.exec().Kill();
  // Stands for a damaged journal: the order says 0.015 filled, its one fill
  // and the venue 0.01.
  auto order = w.exec().journal().FindOrder("fq-1");
  REQUIRE(order.ok());
  REQUIRE(order->has_value());
  store::JournaledOrder damaged = **order;
  damaged.order.set_filled_qty(15'000'000);
  REQUIRE(w.exec().journal().UpdateOrder(damaged, {}).ok());
  ExpectPausedFor(w, rv1::BREAK_TYPE_FILLED_QTY_MISMATCH, "fq-1");
}

TEST_CASE("a second fill journaled for one venue trade is a duplicate fill", "[reconciler][pg]") {
  ReconWorld w;
  StartAll(w);
  RestingOrderFilled(w, "dup-1", "0.01");
  w.exec().Kill();
  // Stands for a damaged journal: the venue's one trade journaled twice.
  auto fills = w.exec().journal().FillsOfOrder("dup-1");
  REQUIRE(fills.ok());
  REQUIRE(fills->size() == 1);
  ov1::Fill copy = fills->front();
  copy.set_fill_id(copy.fill_id() + "-copy");
  auto order = w.exec().journal().FindOrder("dup-1");
  REQUIRE(order.ok());
  REQUIRE(order->has_value());
  auto recorded =
      w.exec().journal().RecordFill(copy, copy.exchange_time_ns(), **order, {"FILL", "copy", 1});
  REQUIRE(recorded.ok());
  REQUIRE(*recorded);
  ExpectPausedFor(w, rv1::BREAK_TYPE_DUPLICATE_FILL, "dup-1");
}

TEST_CASE("a position the venue's trades do not give is a position mismatch", "[reconciler][pg]") {
  ReconWorld w;
  StartAll(w);
  RestingOrderFilled(w, "pos-1", "0.01");
  rv1::ReconRun run;
  REQUIRE(w.RunRecon(&run).ok());
  REQUIRE(run.outcome() == rv1::RUN_OUTCOME_CLEAN);
  // Stands for a venue position that moved outside every trade we can see:
  // the stored checkpoint says the venue held 0.005 more than it did.
  w.StopReconciler();
  REQUIRE(w.exec().Query("UPDATE recon_checkpoints SET position = position + 5000000 WHERE "
                         "symbol = 'BTCUSDT' RETURNING symbol") == "BTCUSDT");
  w.StartReconciler();
  REQUIRE(w.RunRecon(&run).ok());
  std::vector<rv1::Break> breaks = w.Breaks(true);
  INFO(Describe(breaks) << w.Log());
  const rv1::Break* b = FindBreak(breaks, rv1::BREAK_TYPE_POSITION_MISMATCH);
  REQUIRE(b != nullptr);
  CHECK(b->state() == rv1::BREAK_STATE_UNRESOLVED);
  CHECK(b->ours() == 10'000'000);
  CHECK(b->venue() == 15'000'000);
  REQUIRE(WaitUntil([&] { return !w.risk().requests().empty(); }));
  CHECK(w.risk().requests().back().reason().find("POSITION_MISMATCH") != std::string::npos);
}

TEST_CASE("balances: a withdrawal beyond the tolerance is a balance mismatch, dust is not",
          "[reconciler][pg]") {
  ReconWorld w({.balance_tolerance = "{USDT: '0.5', BTC: '0.00001'}"});
  StartAll(w);
  // A trade of ours moves both balances; the opening taken at the startup
  // run accounts for what was there before.
  RestingOrderFilled(w, "bal-1", "0.01");
  rv1::ReconRun run;
  REQUIRE(w.RunRecon(&run).ok());
  INFO(Describe(w.Breaks(true)) << w.Log());
  REQUIRE(run.outcome() == rv1::RUN_OUTCOME_CLEAN);
  CHECK(w.exec().Query("SELECT count(*) FROM recon_balance_openings") == "2");

  // Dust within the tolerance: still clean.
  auto move = [&](const std::string& delta) {
    venue_sim_test::Response r =
        w.sim().Control("POST", StrCat("/control/balance?account=", venue_sim_test::kDocApiKey,
                                       "&asset=USDT&delta=", delta));
    INFO(r.body);
    REQUIRE(r.status == 200);
  };
  move("-0.3");
  REQUIRE(w.RunRecon(&run).ok());
  CHECK(run.outcome() == rv1::RUN_OUTCOME_CLEAN);

  // A withdrawal nobody told us about: a person must find out.
  move("-250");
  REQUIRE(w.RunRecon(&run).ok());
  std::vector<rv1::Break> breaks = w.Breaks(true);
  INFO(Describe(breaks) << w.Log());
  CHECK(run.outcome() == rv1::RUN_OUTCOME_BREAKS);
  const rv1::Break* b = FindBreak(breaks, rv1::BREAK_TYPE_BALANCE_MISMATCH);
  REQUIRE(b != nullptr);
  CHECK(b->asset() == "USDT");
  CHECK(b->state() == rv1::BREAK_STATE_UNRESOLVED);
  CHECK(b->ours() - b->venue() == 250'300'000'000);  // both withdrawals, in 1e-9
  CHECK(FindBreak(breaks, rv1::BREAK_TYPE_POSITION_MISMATCH) == nullptr);
  REQUIRE(WaitUntil([&] { return !w.risk().requests().empty(); }));
  CHECK(w.risk().requests().back().reason().find("BALANCE_MISMATCH") != std::string::npos);
}

}  // namespace
}  // namespace tradeplane::recon_test
