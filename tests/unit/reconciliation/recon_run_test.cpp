// The run summary and the published breaks, built from a diff and the
// actions as execution answered them.
#include "tradeplane/reconciliation/recon_run.h"

#include <catch2/catch.hpp>

#include "recon_fixture.h"

namespace tradeplane::reconciliation {
namespace {

using namespace testing;  // NOLINT: the fixture's vocabulary
using config::v1::UNKNOWN_ORDER_POLICY_CANCEL;

const RunInfo kRun{"run-0192", "schedule", kAsOf, kAsOf + seconds(1)};

TEST_CASE("a clean run is CLEAN with what it compared", "[reconciliation][run]") {
  World w;
  DiffResult d = w.Diff();
  ResolutionPlan plan = PlanResolutions(d, World::Policy(UNKNOWN_ORDER_POLICY_CANCEL, true));
  v1::ReconRun run = BuildReconRun(kRun, d, plan);
  CHECK(run.run_id() == "run-0192");
  CHECK(run.trigger() == "schedule");
  CHECK(run.started_ns() == kAsOf.nanos());
  CHECK(run.finished_ns() == (kAsOf + seconds(1)).nanos());
  CHECK(run.outcome() == v1::RUN_OUTCOME_CLEAN);
  CHECK(run.orders_compared() == 4);
  CHECK(run.fills_compared() == 4);
  CHECK(run.breaks_found() == 0);
  CHECK(run.breaks_resolved() == 0);
  CHECK(run.failure_reason().empty());
}

TEST_CASE("a run with breaks counts those whose action execution accepted",
          "[reconciliation][run]") {
  World w;
  w.VenueOnlyTrade(w.sushi, MakeTrade("513", "1001", kBuy, "10", "4", kT0 + minutes(40)));
  w.RemoveOpenOrder("1001");
  w.SetOurPosition(w.nkn, "41");
  DiffResult d = w.Diff();
  REQUIRE(d.breaks.size() == 3);  // status, missed fill, position
  ResolutionPlan plan = PlanResolutions(d, World::Policy(UNKNOWN_ORDER_POLICY_CANCEL, true));

  CHECK(BuildReconRun(kRun, d, plan).breaks_resolved() == 0);  // planned, not done
  for (size_t i : plan.ExecutionOrder()) REQUIRE(MarkActionDone(plan, i, kAsOf + seconds(1)).ok());
  v1::ReconRun run = BuildReconRun(kRun, d, plan);
  CHECK(run.outcome() == v1::RUN_OUTCOME_BREAKS);
  CHECK(run.breaks_found() == 3);
  CHECK(run.breaks_resolved() == 2);
  CHECK(plan.pause_trading);  // the position drift
}

TEST_CASE("a failed run is FAILED with the reason and compared nothing", "[reconciliation][run]") {
  World w;
  w.input.venue.complete = false;
  w.input.venue.incomplete_reason = "balances: HTTP 503";
  DiffResult d = w.Diff();
  v1::ReconRun run =
      BuildReconRun(kRun, d, PlanResolutions(d, World::Policy(UNKNOWN_ORDER_POLICY_CANCEL, true)));
  CHECK(run.outcome() == v1::RUN_OUTCOME_FAILED);
  CHECK(run.failure_reason() == "the venue's answer is incomplete: balances: HTTP 503");
  CHECK(run.breaks_found() == 0);
  CHECK(run.orders_compared() == 0);
}

TEST_CASE("a published break carries its ids, values, explanation, resolution and state",
          "[reconciliation][run]") {
  World w;
  w.VenueOnlyTrade(w.sushi, MakeTrade("504", "1002", kBuy, "9.9", "1", kT0 + minutes(30)));
  w.open_order("1002")->filled_qty = Qty("3");
  w.SetOurPosition(w.nkn, "41");
  DiffResult d = w.Diff();
  REQUIRE(d.breaks.size() == 2);
  ResolutionPlan plan = PlanResolutions(d, World::Policy(UNKNOWN_ORDER_POLICY_CANCEL, true));

  v1::Break missed = BreakToProto(d.breaks[0], plan.plans[0], "run-0192", "brk-1", kAsOf);
  CHECK(missed.break_id() == "brk-1");
  CHECK(missed.run_id() == "run-0192");
  CHECK(missed.type() == v1::BREAK_TYPE_MISSED_FILL);
  CHECK(missed.state() == v1::BREAK_STATE_OPEN);
  CHECK(missed.instrument().symbol() == "SUSHIUSDT");
  CHECK(missed.instrument().venue() == common::v1::VENUE_BINANCE);
  CHECK(missed.client_order_id() == "c-2");
  CHECK(missed.venue_order_id() == "1002");
  CHECK(missed.fill_id() == "BINANCE:SUSHIUSDT:504");
  CHECK(missed.ours() == 0);
  CHECK(missed.venue() == Raw("1"));
  CHECK(missed.explanation() == d.breaks[0].explanation);
  CHECK(
      missed.resolution() ==
      "INGEST_FILL: ingest venue trade 504 as fill BINANCE:SUSHIUSDT:504 (source RECONCILIATION)");
  CHECK(missed.detected_ns() == kAsOf.nanos());

  REQUIRE(MarkActionDone(plan, 0, kAsOf + seconds(1)).ok());
  v1::Break resolved = BreakToProto(d.breaks[0], plan.plans[0], "run-0192", "brk-1", kAsOf);
  CHECK(resolved.state() == v1::BREAK_STATE_RESOLVED);
  CHECK(resolved.resolved_ns() == (kAsOf + seconds(1)).nanos());

  v1::Break position = BreakToProto(d.breaks[1], plan.plans[1], "run-0192", "brk-2", kAsOf);
  CHECK(position.type() == v1::BREAK_TYPE_POSITION_MISMATCH);
  CHECK(position.state() == v1::BREAK_STATE_UNRESOLVED);
  CHECK(position.ours() == Raw("41"));
  CHECK(position.venue() == Raw("40"));
  CHECK_THAT(position.resolution(), Catch::StartsWith("NONE: a position is corrected by fills"));
  CHECK(d.breaks[1].Key() == "POSITION_MISMATCH|BINANCE.NKNUSDT||||");
}

}  // namespace
}  // namespace tradeplane::reconciliation
