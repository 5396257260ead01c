// tradeplane-execution as a process on a real PostgreSQL, paper trading on
// the in-process sim venue fed by md.* (the test publishes the market and
// plays risk: it signs approvals with the shared key).
#include <csignal>
#include <set>

#include <catch2/catch.hpp>
#include <grpcpp/grpcpp.h>

#include "tradeplane/core/fixed_point.h"
#include "tradeplane/testing/wait.h"

#include "execution_harness.h"

namespace tradeplane {
namespace {

namespace ov1 = orders::v1;
using common::v1::SIDE_BUY;
using common::v1::SIDE_SELL;
using testing::ExecutionHarness;
using testing::WaitUntil;

const std::string kSimVenue =
    "venue: {kind: SIM, venue: BINANCE, sim_balances: {USDT: '1000000', BTC: '100'}}\n"
    "instruments:\n"
    "  - {id: {venue: BINANCE, symbol: BTCUSDT}, base_asset: BTC, quote_asset: USDT,\n"
    "     tick_size: '0.01', lot_size: '0.001'}\n";
const std::string kNoGate = "require_clean_reconciliation: false\n";

int64_t Raw(const std::string& decimal) { return *fixed_point::ParseRaw(decimal); }

int64_t FilledQty(const ExecutionHarness& h, const std::string& client_order_id) {
  int64_t sum = 0;
  for (const ov1::Fill& f : h.fills()) {
    if (f.client_order_id() == client_order_id) sum += f.qty();
  }
  return sum;
}

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

TEST_CASE(
    "paper trading: an approved order rests, fills from the market, is journaled and "
    "published",
    "[execution][pg]") {
  ExecutionHarness h(kSimVenue + kNoGate);
  h.Start();
  h.WaitReady();

  absl::StatusOr<ov1::ExecutionReply> placed = h.Place(h.Order("paper-a", SIDE_BUY, "0.01", "100"));
  REQUIRE(placed.ok());
  INFO(placed->DebugString());
  CHECK(placed->accepted());
  CHECK_FALSE(placed->duplicate());
  CHECK(placed->order().status() == ov1::ORDER_STATUS_NEW);
  CHECK_FALSE(placed->order().venue_order_id().empty());

  // Public trades at our price fill the resting order (nothing queued ahead).
  bool filled = WaitUntil(
      [&] {
        h.PublishTrade("100", "0.004", SIDE_SELL);
        h.Pump();
        return FilledQty(h, "paper-a") == Raw("0.01");
      },
      std::chrono::seconds(15));
  INFO(h.Log());
  REQUIRE(filled);
  std::set<std::string> ids;
  for (const ov1::Fill& f : h.fills()) {
    CHECK(f.fill_id().starts_with("BINANCE:BTCUSDT:"));
    CHECK(f.price() == Raw("100"));
    CHECK(f.source() == ov1::FILL_SOURCE_LIVE);
    CHECK(f.strategy_id() == "test-strategy");
    ids.insert(f.fill_id());
  }
  CHECK(ids.size() == h.fills().size());  // each fill published once
  CHECK(h.fills().size() == 3);           // 0.004 + 0.004 + 0.002
  WaitUntil([&] {
    h.Pump();
    return Contains(h.TopicsFor("paper-a"), "exec.order.FILLED");
  });
  std::vector<std::string> topics = h.TopicsFor("paper-a");
  CHECK(Contains(topics, "exec.order.PENDING_NEW"));
  CHECK(Contains(topics, "exec.order.NEW"));
  CHECK(Contains(topics, "exec.order.PARTIALLY_FILLED"));
  CHECK(Contains(topics, "exec.order.FILLED"));

  // The journal: the order, its events in order, every fill, all published.
  auto stored = h.journal().FindOrder("paper-a");
  REQUIRE(stored.ok());
  REQUIRE(stored->has_value());
  CHECK((*stored)->order.status() == ov1::ORDER_STATUS_FILLED);
  CHECK((*stored)->order.filled_qty() == Raw("0.01"));
  CHECK((*stored)->order.avg_fill_price() == Raw("100"));
  CHECK((*stored)->fill_ids.size() == 3);
  auto events = h.journal().EventsOf("paper-a");
  REQUIRE(events.ok());
  REQUIRE(events->size() >= 6);
  CHECK((*events)[0].event == "NEW_ORDER");
  CHECK((*events)[1].event == "SUBMIT_SENT");
  CHECK((*events)[2].event == "VENUE_ACK");
  CHECK(events->back().status == "FILLED");
  CHECK(h.Query("SELECT count(*) FROM exec_fills WHERE NOT published") == "0");

  // A resting order canceled: the venue's ack is journaled and published.
  placed = h.Place(h.Order("paper-b", SIDE_SELL, "0.005", "150"));
  REQUIRE(placed.ok());
  CHECK(placed->order().status() == ov1::ORDER_STATUS_NEW);
  ov1::ExecutionRequest cancel;
  cancel.mutable_cancel()->set_client_order_id("paper-b");
  cancel.mutable_cancel()->set_reason("test");
  absl::StatusOr<ov1::ExecutionReply> canceled = h.Call(cancel);
  REQUIRE(canceled.ok());
  CHECK(canceled->accepted());
  CHECK(canceled->orders_canceled() == 1);
  CHECK(canceled->order().status() == ov1::ORDER_STATUS_CANCELED);
  WaitUntil([&] {
    h.Pump();
    return Contains(h.TopicsFor("paper-b"), "exec.order.CANCELED");
  });
  CHECK(Contains(h.TopicsFor("paper-b"), "exec.order.CANCELED"));

  // The admin plane lists what the journal holds.
  auto admin = h.AdminStub();
  grpc::ClientContext ctx;
  h.PrepareContext(&ctx);
  admin::v1::ListFillsRequest fills_req;
  admin::v1::ListFillsResponse fills_resp;
  REQUIRE(admin->ListFills(&ctx, fills_req, &fills_resp).ok());
  CHECK(fills_resp.fills_size() == 3);
}

TEST_CASE("an order without a valid risk approval is refused NOT_APPROVED and never journaled",
          "[execution][pg]") {
  ExecutionHarness h(kSimVenue + kNoGate);
  h.Start();
  h.WaitReady();

  ov1::NewOrder missing = h.Order("no-approval", SIDE_BUY, "0.01", "100");
  missing.clear_approval();
  ov1::NewOrder forged = h.Order("forged", SIDE_BUY, "0.01", "100");
  forged.set_qty(Raw("1"));  // changed after risk signed it
  ov1::NewOrder other_key = h.Order("other-key", SIDE_BUY, "0.01", "100");
  other_key.mutable_approval()->set_token(std::string(32, 'x'));
  ov1::NewOrder stale = h.Order("stale", SIDE_BUY, "0.01", "100");
  {
    absl::StatusOr<ApprovalKey> key = ApprovalKey::FromHex(testing::kApprovalKeyHex);
    REQUIRE(key.ok());
    stale.mutable_approval()->set_approved_ns(stale.approval().approved_ns() - 60'000'000'000);
    key->Sign(&stale);
  }
  for (const ov1::NewOrder& o : {missing, forged, other_key, stale}) {
    absl::StatusOr<ov1::ExecutionReply> r = h.Place(o);
    REQUIRE(r.ok());
    INFO(o.client_order_id() << ": " << r->DebugString());
    CHECK_FALSE(r->accepted());
    CHECK(r->refusal() == ov1::EXECUTION_REFUSAL_NOT_APPROVED);
    auto stored = h.journal().FindOrder(o.client_order_id());
    REQUIRE(stored.ok());
    CHECK_FALSE(stored->has_value());
  }
  CHECK(h.Query("SELECT count(*) FROM exec_anomalies WHERE kind = 'approval_refused'") == "3");
  CHECK(h.Query("SELECT count(*) FROM exec_orders") == "0");
}

TEST_CASE("a repeated client order id returns the existing order and never a second venue order",
          "[execution][pg]") {
  ExecutionHarness h(kSimVenue + kNoGate);
  h.Start();
  h.WaitReady();
  ov1::NewOrder o = h.Order("dup-1", SIDE_BUY, "0.002", "90");
  absl::StatusOr<ov1::ExecutionReply> first = h.Place(o, "req-1");
  REQUIRE(first.ok());
  CHECK(first->accepted());
  CHECK_FALSE(first->duplicate());
  // Another request id: past the bus's reply cache, to the journal.
  absl::StatusOr<ov1::ExecutionReply> second = h.Place(o, "req-2");
  REQUIRE(second.ok());
  CHECK(second->accepted());
  CHECK(second->duplicate());
  CHECK(second->order().venue_order_id() == first->order().venue_order_id());
  CHECK(h.Query("SELECT count(*) FROM exec_order_events WHERE client_order_id = 'dup-1' AND "
                "event = 'SUBMIT_SENT'") == "1");

  // After a restart the reply cache is gone; the journal still answers.
  h.Start();
  h.WaitReady();
  absl::StatusOr<ov1::ExecutionReply> third = h.Place(o, "req-3");
  REQUIRE(third.ok());
  CHECK(third->duplicate());
  CHECK(third->order().client_order_id() == "dup-1");
  CHECK(h.Query("SELECT count(*) FROM exec_order_events WHERE client_order_id = 'dup-1' AND "
                "event = 'SUBMIT_SENT'") == "1");
  CHECK(h.Query("SELECT count(*) FROM exec_orders") == "1");
}

TEST_CASE("bad input gets a clear refusal and is journaled as an anomaly", "[execution][pg]") {
  ExecutionHarness h(kSimVenue + kNoGate);
  h.Start();
  h.WaitReady();
  absl::StatusOr<ApprovalKey> key = ApprovalKey::FromHex(testing::kApprovalKeyHex);
  REQUIRE(key.ok());
  auto resign = [&](ov1::NewOrder o) {
    key->Sign(&o);
    return o;
  };
  ov1::NewOrder unknown = h.Order("bad-1", SIDE_BUY, "0.01", "100");
  unknown.mutable_instrument()->set_symbol("DOGEUSDT");
  ov1::NewOrder zero = h.Order("bad-2", SIDE_BUY, "0.01", "100");
  zero.set_qty(0);
  ov1::NewOrder off_tick = h.Order("bad-3", SIDE_BUY, "0.01", "100");
  off_tick.set_price(Raw("100.005"));
  ov1::NewOrder bad_id = h.Order("bad id with spaces", SIDE_BUY, "0.01", "100");
  struct Case {
    ov1::NewOrder order;
    ov1::ExecutionRefusal refusal;
  };
  for (const Case& c : {Case{resign(unknown), ov1::EXECUTION_REFUSAL_UNKNOWN_INSTRUMENT},
                        Case{resign(zero), ov1::EXECUTION_REFUSAL_INVALID_ORDER},
                        Case{resign(off_tick), ov1::EXECUTION_REFUSAL_INVALID_ORDER},
                        Case{bad_id, ov1::EXECUTION_REFUSAL_INVALID_ORDER}}) {
    absl::StatusOr<ov1::ExecutionReply> r = h.Place(c.order);
    REQUIRE(r.ok());
    INFO(r->DebugString());
    CHECK_FALSE(r->accepted());
    CHECK(r->refusal() == c.refusal);
    CHECK_FALSE(r->reason().empty());
  }
  CHECK(h.Query("SELECT count(*) FROM exec_anomalies WHERE kind = 'unknown_instrument'") == "1");
  CHECK(h.Query("SELECT count(*) FROM exec_anomalies WHERE kind = 'malformed_order'") == "3");

  // The reconciler's corrections: a fill for an order nobody knows...
  ov1::ExecutionRequest ingest;
  ov1::Fill* fill = ingest.mutable_ingest_fill();
  fill->set_fill_id("BINANCE:BTCUSDT:999");
  fill->set_client_order_id("nobody");
  fill->mutable_instrument()->set_venue(common::v1::VENUE_BINANCE);
  fill->mutable_instrument()->set_symbol("BTCUSDT");
  fill->set_side(SIDE_BUY);
  fill->set_price(Raw("100"));
  fill->set_qty(Raw("0.001"));
  absl::StatusOr<ov1::ExecutionReply> r = h.Call(ingest);
  REQUIRE(r.ok());
  CHECK(r->refusal() == ov1::EXECUTION_REFUSAL_UNKNOWN_ORDER);
  CHECK(h.Query("SELECT count(*) FROM exec_anomalies WHERE kind = 'fill_for_unknown_order'") ==
        "1");
  // ...and a status that contradicts its fills go through the state
  // machine, which refuses them: the order is unchanged.
  REQUIRE(h.Place(h.Order("resting", SIDE_BUY, "0.01", "90")).ok());
  ov1::ExecutionRequest correct;
  ov1::Order* o = correct.mutable_correct_status();
  o->set_client_order_id("resting");
  o->set_status(ov1::ORDER_STATUS_PARTIALLY_FILLED);
  o->set_filled_qty(Raw("0.01"));
  o->set_avg_fill_price(Raw("90"));
  r = h.Call(correct);
  REQUIRE(r.ok());
  CHECK(r->refusal() == ov1::EXECUTION_REFUSAL_ILLEGAL_TRANSITION);
  CHECK(r->order().status() == ov1::ORDER_STATUS_NEW);
  CHECK(h.Query("SELECT count(*) FROM exec_anomalies WHERE kind = 'invalid_event'") == "1");
  CHECK(h.Query("SELECT status FROM exec_orders WHERE client_order_id = 'resting'") == "NEW");
}

TEST_CASE("new orders wait for a clean reconciliation run or a recorded override",
          "[execution][pg]") {
  ExecutionHarness h(kSimVenue + "require_clean_reconciliation: true\n");
  h.Start();
  bool waiting = WaitUntil(
      [&] {
        return h.Status().not_ready_reason().find("clean reconciliation") != std::string::npos;
      },
      std::chrono::seconds(30));
  INFO(h.Log());
  REQUIRE(waiting);
  absl::StatusOr<ov1::ExecutionReply> r = h.Place(h.Order("gate-1", SIDE_BUY, "0.01", "90"));
  REQUIRE(r.ok());
  CHECK(r->refusal() == ov1::EXECUTION_REFUSAL_NOT_READY);
  CHECK_THAT(r->reason(), Catch::Contains("reconciliation"));
  CHECK_FALSE(h.Ready());

  ov1::ExecutionRequest clean;
  clean.mutable_reconciliation_clean()->set_run_id("run-1");
  r = h.Call(clean);
  REQUIRE(r.ok());
  CHECK(r->accepted());
  h.WaitReady();
  r = h.Place(h.Order("gate-2", SIDE_BUY, "0.01", "90"));
  REQUIRE(r.ok());
  CHECK(r->accepted());

  // The next start waits again; a person's override opens it, recorded.
  h.Start();
  REQUIRE(WaitUntil([&] {
    return h.Status().not_ready_reason().find("clean reconciliation") != std::string::npos;
  }));
  auto admin = h.AdminStub();
  grpc::ClientContext ctx;
  h.PrepareContext(&ctx);
  admin::v1::OverrideRequest req;
  req.set_reason("reconciler down for maintenance, checked by hand");
  admin::v1::OverrideResponse resp;
  grpc::Status s = admin->OverrideStartGate(&ctx, req, &resp);
  INFO(s.error_message());
  REQUIRE(s.ok());
  CHECK(resp.accepting_orders());
  CHECK(h.Query("SELECT actor || ': ' || reason FROM exec_start_overrides") ==
        "ops: reconciler down for maintenance, checked by hand");
  CHECK(WaitUntil([&] {
    return h.Query(
               "SELECT count(*) FROM audit_log WHERE action = "
               "'ExecutionAdmin.OverrideStartGate'") == "1";
  }));
  r = h.Place(h.Order("gate-3", SIDE_BUY, "0.01", "90"));
  REQUIRE(r.ok());
  CHECK(r->accepted());
}

TEST_CASE("killed between journaling and sending: the order is rejected as never sent, once",
          "[execution][pg][crash]") {
  ExecutionHarness h(kSimVenue + kNoGate);
  h.Start({{"TRADEPLANE_TEST_CRASH_AT", "after_journal"}});
  h.WaitReady();
  ov1::NewOrder o = h.Order("crash-journal", SIDE_BUY, "0.01", "90");
  absl::StatusOr<ov1::ExecutionReply> r = h.Place(o);
  CHECK_FALSE(r.ok());  // no answer: it died
  CHECK(h.WaitExit(std::chrono::seconds(10)) == 128 + SIGKILL);
  CHECK(h.Query("SELECT status || ' ' || sent FROM exec_orders WHERE client_order_id = "
                "'crash-journal'") == "PENDING_NEW false");

  h.Start();
  h.WaitReady();
  auto stored = h.journal().FindOrder("crash-journal");
  REQUIRE(stored.ok());
  REQUIRE(stored->has_value());
  CHECK((*stored)->order.status() == ov1::ORDER_STATUS_REJECTED);
  CHECK_THAT((*stored)->order.reject_reason(), Catch::Contains("never sent"));
  // Risk's retry (same order, new request id) gets that order, not a new one.
  r = h.Place(o);
  REQUIRE(r.ok());
  CHECK(r->duplicate());
  CHECK(r->order().status() == ov1::ORDER_STATUS_REJECTED);
  CHECK(h.Query("SELECT count(*) FROM exec_order_events WHERE client_order_id = "
                "'crash-journal' AND event = 'SUBMIT_SENT'") == "0");
  bool published = WaitUntil([&] {
    h.Pump();
    return Contains(h.TopicsFor("crash-journal"), "exec.order.REJECTED");
  });
  std::string topics;
  for (const std::string& topic : h.TopicsFor("crash-journal")) topics += topic + " ";
  INFO("topics seen: " << topics);
  INFO(h.Log());
  CHECK(published);
}

TEST_CASE(
    "killed between a fill's journal and its publication: the fill is published after the "
    "restart",
    "[execution][pg][crash]") {
  ExecutionHarness h(kSimVenue + kNoGate);
  h.Start({{"TRADEPLANE_TEST_CRASH_AT", "before_fill_publish"}});
  h.WaitReady();
  absl::StatusOr<ov1::ExecutionReply> r = h.Place(h.Order("crash-fill", SIDE_BUY, "0.01", "100"));
  REQUIRE(r.ok());
  REQUIRE(r->order().status() == ov1::ORDER_STATUS_NEW);
  bool died = WaitUntil(
      [&] {
        h.PublishTrade("100", "0.004", SIDE_SELL);
        return h.WaitExit(std::chrono::milliseconds(1)).has_value();
      },
      std::chrono::seconds(15));
  REQUIRE(died);
  CHECK(h.WaitExit(std::chrono::seconds(1)) == 128 + SIGKILL);
  h.Pump();
  CHECK(FilledQty(h, "crash-fill") == 0);  // journaled, never published
  CHECK(h.Query("SELECT count(*) || ' ' || bool_and(NOT published) FROM exec_fills") == "1 true");
  std::string fill_id = h.Query("SELECT fill_id FROM exec_fills");

  h.Start();
  h.WaitReady();
  bool published = WaitUntil([&] {
    h.Pump();
    return FilledQty(h, "crash-fill") == Raw("0.004");
  });
  INFO(h.Log());
  REQUIRE(published);
  CHECK(h.fills().front().fill_id() == fill_id);
  CHECK(h.Query("SELECT count(*) FROM exec_fills WHERE NOT published") == "0");
  CHECK(h.Query("SELECT filled_qty_ok FROM (SELECT count(*) = 1 AS filled_qty_ok FROM "
                "exec_fills WHERE client_order_id = 'crash-fill') t") == "t");
}

}  // namespace
}  // namespace tradeplane
