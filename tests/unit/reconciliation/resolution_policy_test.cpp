// The resolution policy: the planned action (or "unresolved, pause") per
// break type and per configuration, the order to execute them in, the
// requests they become, and the config mapping.
#include <catch2/catch.hpp>

#include "tradeplane/reconciliation/reconciler_settings.h"

#include "recon_fixture.h"

namespace tradeplane::reconciliation {
namespace {

using namespace testing;  // NOLINT: the fixture's vocabulary
using config::v1::UNKNOWN_ORDER_POLICY_ADOPT;
using config::v1::UNKNOWN_ORDER_POLICY_CANCEL;
using config::v1::UNKNOWN_ORDER_POLICY_PAUSE;

World WithUnknownOrder(std::string_view filled) {
  World w;
  VenueOrder web;
  web.client_order_id = "web_8f2c";
  web.venue_order_id = "9001";
  web.instrument = w.sushi;
  web.side = kSell;
  web.status = Qty(filled).is_zero() ? ORDER_STATUS_NEW : ORDER_STATUS_PARTIALLY_FILLED;
  web.qty = Qty("4");
  web.filled_qty = Qty(filled);
  web.price = Px("11");
  web.created = kT0 + minutes(10);
  w.input.venue.open_orders.push_back(web);
  if (!web.filled_qty.is_zero()) {
    w.VenueOnlyTrade(w.sushi, MakeTrade("507", "9001", kSell, "11", filled, kT0 + minutes(12)));
  }
  return w;
}

TEST_CASE("a clean diff plans nothing and does not pause", "[reconciliation][policy]") {
  World w;
  ResolutionPlan plan = PlanResolutions(w.Diff(), World::Policy(UNKNOWN_ORDER_POLICY_CANCEL, true));
  CHECK(plan.outcome == v1::RUN_OUTCOME_CLEAN);
  CHECK(plan.plans.empty());
  CHECK_FALSE(plan.pause_trading);
  CHECK(plan.ExecutionOrder().empty());
}

TEST_CASE("an unknown open order is canceled, adopted or left to a person, as configured",
          "[reconciliation][policy]") {
  DiffResult d = WithUnknownOrder("0").Diff();
  REQUIRE(d.breaks.size() == 1);

  ResolutionPlan cancel = PlanResolutions(d, World::Policy(UNKNOWN_ORDER_POLICY_CANCEL, true));
  REQUIRE(cancel.plans.size() == 1);
  CHECK(cancel.plans[0].action.kind == ActionKind::kCancelVenueOrder);
  CHECK(cancel.plans[0].resolves());
  CHECK(cancel.plans[0].state == ActionState::kPlanned);
  CHECK_FALSE(cancel.pause_trading);
  orders::v1::ExecutionRequest request = cancel.plans[0].action.ToExecutionRequest("reconciler");
  REQUIRE(request.has_cancel());
  CHECK(request.cancel().client_order_id() == "web_8f2c");
  CHECK(request.cancel().requested_by() == "reconciler");
  CHECK(request.cancel().reason() ==
        "reconciliation: venue order 9001 on BINANCE.SUSHIUSDT is unknown to us");

  ResolutionPlan adopt = PlanResolutions(d, World::Policy(UNKNOWN_ORDER_POLICY_ADOPT, true));
  CHECK(adopt.plans[0].action.kind == ActionKind::kAdoptVenueOrder);
  CHECK(adopt.plans[0].action.ToExecutionRequest("reconciler").adopt_venue_order_id() == "9001");
  CHECK_FALSE(adopt.pause_trading);

  ResolutionPlan pause = PlanResolutions(d, World::Policy(UNKNOWN_ORDER_POLICY_PAUSE, true));
  CHECK(pause.plans[0].action.kind == ActionKind::kNone);
  CHECK(pause.plans[0].pause_trading);
  CHECK(pause.pause_trading);
  CHECK(pause.pause_reason == "1 unresolved break: 1 UNKNOWN_VENUE_ORDER");
}

TEST_CASE("an unknown order that already filled is canceled and pauses, and is never adopted",
          "[reconciliation][policy]") {
  DiffResult d = WithUnknownOrder("1").Diff();
  INFO(Summary(d));
  REQUIRE(d.breaks.size() == 1);  // its trade moved the position: explained by the same break
  CHECK_THAT(d.breaks[0].explanation,
             Catch::Contains("1 trade(s) of 1 on it since the checkpoint"));

  ResolutionPlan cancel = PlanResolutions(d, World::Policy(UNKNOWN_ORDER_POLICY_CANCEL, true));
  CHECK(cancel.plans[0].action.kind == ActionKind::kCancelVenueOrder);
  CHECK(cancel.plans[0].pause_trading);
  CHECK_FALSE(cancel.plans[0].resolves());
  CHECK(cancel.pause_trading);

  ResolutionPlan adopt = PlanResolutions(d, World::Policy(UNKNOWN_ORDER_POLICY_ADOPT, true));
  CHECK(adopt.plans[0].action.kind == ActionKind::kNone);
  CHECK(adopt.plans[0].pause_trading);
}

TEST_CASE("executions on an unknown closed order pause whatever the policy",
          "[reconciliation][policy]") {
  World w;
  w.VenueOnlyTrade(w.sushi, MakeTrade("508", "9002", kBuy, "9.5", "3", kT0 + minutes(35)));
  DiffResult d = w.Diff();
  for (UnknownOrderPolicy p :
       {UNKNOWN_ORDER_POLICY_CANCEL, UNKNOWN_ORDER_POLICY_ADOPT, UNKNOWN_ORDER_POLICY_PAUSE}) {
    ResolutionPlan plan = PlanResolutions(d, World::Policy(p, true));
    CHECK(plan.plans[0].action.kind == ActionKind::kNone);
    CHECK(plan.pause_trading);
  }
}

TEST_CASE("a missed fill is ingested when the policy says so, else it pauses",
          "[reconciliation][policy]") {
  World w;
  w.VenueOnlyTrade(w.sushi, MakeTrade("504", "1002", kBuy, "9.9", "1", kT0 + minutes(30)));
  w.open_order("1002")->filled_qty = Qty("3");
  DiffResult d = w.Diff();

  ResolutionPlan ingest = PlanResolutions(d, World::Policy(UNKNOWN_ORDER_POLICY_PAUSE, true));
  REQUIRE(ingest.plans.size() == 1);
  CHECK(ingest.outcome == v1::RUN_OUTCOME_BREAKS);
  CHECK(ingest.plans[0].action.kind == ActionKind::kIngestFill);
  CHECK(ingest.plans[0].reason ==
        "ingest venue trade 504 as fill BINANCE:SUSHIUSDT:504 (source RECONCILIATION)");
  CHECK_FALSE(ingest.pause_trading);
  orders::v1::ExecutionRequest request = ingest.plans[0].action.ToExecutionRequest("reconciler");
  REQUIRE(request.has_ingest_fill());
  CHECK(request.ingest_fill().fill_id() == "BINANCE:SUSHIUSDT:504");
  CHECK(request.ingest_fill().source() == orders::v1::FILL_SOURCE_RECONCILIATION);

  ResolutionPlan off = PlanResolutions(d, World::Policy(UNKNOWN_ORDER_POLICY_PAUSE, false));
  CHECK(off.plans[0].action.kind == ActionKind::kNone);
  CHECK(off.pause_trading);
  CHECK(off.pause_reason == "1 unresolved break: 1 MISSED_FILL");
}

TEST_CASE("fills are ingested before statuses are corrected, and a status waits for its fills",
          "[reconciliation][policy]") {
  World w;
  w.VenueOnlyTrade(w.sushi, MakeTrade("513", "1001", kBuy, "10", "4", kT0 + minutes(40)));
  w.RemoveOpenOrder("1001");
  DiffResult d = w.Diff();
  REQUIRE(d.breaks.size() == 2);  // STATUS_MISMATCH, then MISSED_FILL (by type)

  ResolutionPlan plan = PlanResolutions(d, World::Policy(UNKNOWN_ORDER_POLICY_PAUSE, true));
  CHECK_FALSE(plan.pause_trading);
  CHECK(plan.plans[0].action.kind == ActionKind::kCorrectStatus);
  CHECK(plan.plans[0].action.ToExecutionRequest("reconciler").correct_status().status() ==
        ORDER_STATUS_CANCELED);
  CHECK(plan.plans[1].action.kind == ActionKind::kIngestFill);
  CHECK(plan.ExecutionOrder() == std::vector<size_t>{1, 0});

  ResolutionPlan off = PlanResolutions(d, World::Policy(UNKNOWN_ORDER_POLICY_PAUSE, false));
  CHECK(off.plans[0].action.kind == ActionKind::kNone);
  CHECK(off.plans[0].reason == "a missed fill of this order stays unresolved, so its status waits");
  CHECK(off.pause_reason == "2 unresolved breaks: 1 STATUS_MISMATCH, 1 MISSED_FILL");
}

TEST_CASE("duplicate fills, position and balance drifts and missing orders always pause",
          "[reconciliation][policy]") {
  World w;
  VenueTrade ghost = MakeTrade("599", "1002", kBuy, "9.9", "1", kT0 + minutes(25));
  w.input.ours.fills.push_back(FillOf(ghost, "c-2", w.sushi, "SUSHIUSDT"));
  w.order("c-2").filled_qty = Qty("3");
  w.SetBalance("SUSHI", "20", "19", "0");
  w.SetOurPosition(w.sushi, "20.5");             // the ghost fill's 1, and 0.5 more
  w.SetBalance("USDT", "990.11", "900", "100");  // the ghost fill's 9.91, and 0.02 more
  w.AddOrder(
      MakeOrder("c-6", "2002", w.nkn, kBuy, ORDER_STATUS_NEW, "10", "0", "0.3", kT0 + minutes(30)));
  w.input.venue.open_orders_scope = {w.sushi};  // NKN's open orders were not asked for
  w.input.venue.lookups.push_back(VenueOrderLookup{"c-6", w.nkn, false, {}});
  w.order("c-6").filled_qty = Qty("1");  // yet the venue never heard of it
  DiffResult d = w.Diff();
  INFO(Summary(d));
  ResolutionPlan plan = PlanResolutions(d, World::Policy(UNKNOWN_ORDER_POLICY_CANCEL, true));
  REQUIRE(plan.plans.size() == 4);
  for (const BreakPlan& p : plan.plans) {
    CHECK(p.action.kind == ActionKind::kNone);
    CHECK(p.pause_trading);
    CHECK_FALSE(p.reason.empty());
  }
  CHECK(plan.pause_reason ==
        "4 unresolved breaks: 1 MISSING_VENUE_ORDER, 1 DUPLICATE_FILL, 1 POSITION_MISMATCH, "
        "1 BALANCE_MISMATCH");
}

TEST_CASE("a failed diff plans nothing: the run is FAILED with the reason",
          "[reconciliation][policy]") {
  World w;
  w.input.venue.complete = false;
  w.input.venue.incomplete_reason = "open orders: timeout after 5 s";
  DiffResult d = w.Diff();
  ResolutionPlan plan = PlanResolutions(d, World::Policy(UNKNOWN_ORDER_POLICY_CANCEL, true));
  CHECK(plan.outcome == v1::RUN_OUTCOME_FAILED);
  CHECK(plan.failure_reason == "the venue's answer is incomplete: open orders: timeout after 5 s");
  CHECK(plan.plans.empty());
  CHECK_FALSE(plan.pause_trading);

  ResolutionPolicy pausing = World::Policy(UNKNOWN_ORDER_POLICY_CANCEL, true);
  pausing.pause_on_failed_run = true;
  ResolutionPlan paused = PlanResolutions(d, pausing);
  CHECK(paused.plans.empty());
  CHECK(paused.pause_trading);
  CHECK(paused.pause_reason ==
        "reconciliation failed: the venue's answer is incomplete: open orders: timeout after 5 s");
}

TEST_CASE("an action execution refuses leaves its break unresolved and pauses",
          "[reconciliation][policy]") {
  DiffResult d = WithUnknownOrder("0").Diff();
  ResolutionPlan plan = PlanResolutions(d, World::Policy(UNKNOWN_ORDER_POLICY_CANCEL, true));
  REQUIRE(MarkActionFailed(plan, 0, "UNKNOWN_ORDER: execution does not know web_8f2c").ok());
  CHECK(plan.plans[0].state == ActionState::kFailed);
  CHECK(plan.plans[0].pause_trading);
  CHECK(plan.pause_trading);
  CHECK(plan.pause_reason ==
        "plan 0: CANCEL_VENUE_ORDER failed: UNKNOWN_ORDER: execution does not know web_8f2c");
  CHECK(MarkActionDone(plan, 0, kAsOf).code() == absl::StatusCode::kFailedPrecondition);
  CHECK(MarkActionDone(plan, 5, kAsOf).code() == absl::StatusCode::kOutOfRange);
}

TEST_CASE("the config maps onto the options and the policy, and refuses what is unset",
          "[reconciliation][policy]") {
  config::v1::ReconcilerConfig config;
  config.set_unknown_order_policy(UNKNOWN_ORDER_POLICY_CANCEL);
  config.set_ingest_missed_fills(true);
  config.set_pause_on_failed_run(true);
  (*config.mutable_balance_tolerance())["USDT"] = Raw("0.01");
  (*config.mutable_balance_tolerance())["*"] = Raw("0.000001");
  absl::StatusOr<ReconcilerSettings> s = SettingsFromConfig(config, seconds(2));
  REQUIRE(s.ok());
  CHECK(s->policy.unknown_order_policy == UNKNOWN_ORDER_POLICY_CANCEL);
  CHECK(s->policy.ingest_missed_fills);
  CHECK(s->policy.pause_on_failed_run);
  CHECK(s->diff.in_flight_grace == seconds(2));
  CHECK(s->diff.ToleranceFor("USDT") == Amt("0.01"));
  CHECK(s->diff.ToleranceFor("SUSHI") == Amt("0.000001"));

  config.set_unknown_order_policy(config::v1::UNKNOWN_ORDER_POLICY_UNSPECIFIED);
  absl::StatusOr<ReconcilerSettings> unset = SettingsFromConfig(config, seconds(2));
  REQUIRE_FALSE(unset.ok());
  CHECK(std::string(unset.status().message()) ==
        "unknown_order_policy: must be one of CANCEL, ADOPT, PAUSE");

  config.set_unknown_order_policy(UNKNOWN_ORDER_POLICY_PAUSE);
  (*config.mutable_balance_tolerance())["BNB"] = -1;
  absl::StatusOr<ReconcilerSettings> negative = SettingsFromConfig(config, seconds(2));
  REQUIRE_FALSE(negative.ok());
  CHECK(std::string(negative.status().message()) ==
        "balance_tolerance.BNB: -0.000000001 must not be negative");
}

}  // namespace
}  // namespace tradeplane::reconciliation
