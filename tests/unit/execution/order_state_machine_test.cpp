// The order state machine: every (state, event) cell, then the real-world
// edge cases as short stories.
#include "tradeplane/execution/order_state_machine.h"

#include <array>
#include <string>
#include <string_view>
#include <tuple>

#include <catch2/catch.hpp>

#include "tradeplane/core/enum_names.h"

namespace tradeplane::execution {
namespace {

using orders::v1::ORDER_STATUS_CANCELED;
using orders::v1::ORDER_STATUS_EXPIRED;
using orders::v1::ORDER_STATUS_FILLED;
using orders::v1::ORDER_STATUS_NEW;
using orders::v1::ORDER_STATUS_PARTIALLY_FILLED;
using orders::v1::ORDER_STATUS_PENDING_CANCEL;
using orders::v1::ORDER_STATUS_PENDING_NEW;
using orders::v1::ORDER_STATUS_REJECTED;
using orders::v1::ORDER_STATUS_UNSPECIFIED;

constexpr Timestamp kT0 = Timestamp::FromSeconds(1'700'000'000);
Price P(std::string_view s) { return *Price::Parse(s); }
Quantity Q(std::string_view s) { return *Quantity::Parse(s); }
Amount A(std::string_view s) { return *Amount::Parse(s); }

Order NewOrder(std::string_view qty = "10") {
  Order order;
  order.client_order_id = "c-1";
  order.side = common::v1::SIDE_BUY;
  order.qty = Q(qty);
  order.price = P("100");
  order.created = kT0;
  order.updated = kT0;
  return order;
}

// The rows of the table, named as the test's expectations name them.
struct Row {
  std::string_view name;
  OrderStatus status;
  OrderStatus before_cancel;
  std::string_view filled;  // of 10
};
constexpr std::array<Row, 10> kRows = {{
    {"PENDING_NEW", ORDER_STATUS_PENDING_NEW, ORDER_STATUS_UNSPECIFIED, "0"},
    {"NEW", ORDER_STATUS_NEW, ORDER_STATUS_UNSPECIFIED, "0"},
    {"PARTIALLY_FILLED", ORDER_STATUS_PARTIALLY_FILLED, ORDER_STATUS_UNSPECIFIED, "1"},
    {"FILLED", ORDER_STATUS_FILLED, ORDER_STATUS_UNSPECIFIED, "10"},
    {"PC/PENDING_NEW", ORDER_STATUS_PENDING_CANCEL, ORDER_STATUS_PENDING_NEW, "0"},
    {"PC/NEW", ORDER_STATUS_PENDING_CANCEL, ORDER_STATUS_NEW, "0"},
    {"PC/PARTIALLY_FILLED", ORDER_STATUS_PENDING_CANCEL, ORDER_STATUS_PARTIALLY_FILLED, "1"},
    {"CANCELED", ORDER_STATUS_CANCELED, ORDER_STATUS_UNSPECIFIED, "1"},
    {"REJECTED", ORDER_STATUS_REJECTED, ORDER_STATUS_UNSPECIFIED, "0"},
    {"EXPIRED", ORDER_STATUS_EXPIRED, ORDER_STATUS_UNSPECIFIED, "0"},
}};

constexpr std::array<std::string_view, 10> kEvents = {
    "submit sent",      "venue ack",  "venue reject",    "partial fill", "complete fill",
    "cancel requested", "cancel ack", "cancel rejected", "expired",      "reconciled"};

// The expected outcome of every cell: a row name (applied, now in that state),
// "ignore" (legal, nothing changes) or "refuse" (an error, nothing changes).
// "reconciled" always takes the reported status (EXPIRED with nothing filled
// in this test).
constexpr std::array<std::array<std::string_view, 10>, 10> kExpected = {{
    // submit sent,   venue ack,     venue reject, partial fill,
    // complete fill, cancel requested, cancel ack, cancel rejected, expired, reconciled
    /* PENDING_NEW */
    {"PENDING_NEW", "NEW", "REJECTED", "PARTIALLY_FILLED", "FILLED", "PC/PENDING_NEW", "CANCELED",
     "ignore", "EXPIRED", "EXPIRED"},
    /* NEW */
    {"refuse", "ignore", "refuse", "PARTIALLY_FILLED", "FILLED", "PC/NEW", "CANCELED", "ignore",
     "EXPIRED", "EXPIRED"},
    /* PARTIALLY_FILLED */
    {"refuse", "ignore", "refuse", "PARTIALLY_FILLED", "FILLED", "PC/PARTIALLY_FILLED", "CANCELED",
     "ignore", "EXPIRED", "EXPIRED"},
    /* FILLED */
    {"refuse", "ignore", "refuse", "refuse", "refuse", "refuse", "refuse", "ignore", "refuse",
     "EXPIRED"},
    /* PC/PENDING_NEW */
    {"refuse", "PC/NEW", "REJECTED", "PC/PARTIALLY_FILLED", "FILLED", "ignore", "CANCELED",
     "PENDING_NEW", "EXPIRED", "EXPIRED"},
    /* PC/NEW */
    {"refuse", "ignore", "refuse", "PC/PARTIALLY_FILLED", "FILLED", "ignore", "CANCELED", "NEW",
     "EXPIRED", "EXPIRED"},
    /* PC/PARTIALLY_FILLED */
    {"refuse", "ignore", "refuse", "PC/PARTIALLY_FILLED", "FILLED", "ignore", "CANCELED",
     "PARTIALLY_FILLED", "EXPIRED", "EXPIRED"},
    /* CANCELED */
    {"refuse", "ignore", "refuse", "CANCELED", "FILLED", "refuse", "ignore", "ignore", "refuse",
     "EXPIRED"},
    /* REJECTED */
    {"refuse", "refuse", "ignore", "refuse", "refuse", "refuse", "refuse", "ignore", "refuse",
     "EXPIRED"},
    /* EXPIRED */
    {"refuse", "ignore", "refuse", "EXPIRED", "FILLED", "refuse", "refuse", "ignore", "ignore",
     "EXPIRED"},
}};

Order OrderIn(const Row& row) {
  Order order = NewOrder();
  order.status = row.status;
  order.status_before_cancel = row.before_cancel;
  order.filled_qty = Q(row.filled);
  order.filled_notional_e18 =
      static_cast<fixed_point::Int128>(order.filled_qty.raw()) * P("100").raw();
  return order;
}

OrderEvent EventFor(size_t column, const Order& order) {
  Timestamp t = kT0 + std::chrono::seconds(1);
  switch (column) {
    case 0:
      return OrderEvent::SubmitSent(t);
    case 1:
      return OrderEvent::VenueAck(t);
    case 2:
      return OrderEvent::VenueReject(t, "insufficient balance");
    // A partial fill is 1; a complete one is what remains (1 when nothing
    // remains, which then overfills).
    case 3:
      return OrderEvent::Fill(t, "f-partial", Q("1"), P("101"));
    case 4: {
      Quantity remaining = order.remaining_qty();
      return OrderEvent::Fill(t, "f-complete", remaining.is_zero() ? Q("1") : remaining, P("101"));
    }
    case 5:
      return OrderEvent::CancelRequested(t);
    case 6:
      return OrderEvent::CancelAck(t);
    case 7:
      return OrderEvent::CancelRejected(t, "unknown order");
    case 8:
      return OrderEvent::Expired(t);
    default:
      return OrderEvent::Reconciled(t, ORDER_STATUS_EXPIRED, Q("0"), A("0"));
  }
}

auto Snapshot(const Order& o) {
  return std::make_tuple(o.status, o.status_before_cancel, o.filled_qty.raw(), o.fill_ids.size(),
                         o.reject_reason, o.sent, o.updated);
}

const Row& RowNamed(std::string_view name) {
  for (const Row& row : kRows) {
    if (row.name == name) return row;
  }
  FAIL("no row named " << name);
  return kRows[0];
}

TEST_CASE("every state and event pair has the outcome the table promises", "[execution]") {
  int cells = 0;
  for (size_t r = 0; r < kRows.size(); ++r) {
    for (size_t e = 0; e < kEvents.size(); ++e) {
      const Row& row = kRows[r];
      const std::string_view expected = kExpected[r][e];
      INFO("state " << row.name << " + event " << kEvents[e] << ", expected " << expected);
      Order order = OrderIn(row);
      const auto before = Snapshot(order);
      const OrderEvent event = EventFor(e, order);
      absl::StatusOr<Transition> t = ApplyOrderEvent(order, event);
      ++cells;
      if (expected == "refuse") {
        CHECK_FALSE(t.ok());
        CHECK(Snapshot(order) == before);
        continue;
      }
      REQUIRE(t.ok());
      if (expected == "ignore") {
        CHECK(t->action == CellAction::kIgnore);
        CHECK_FALSE(t->changed);
        CHECK(Snapshot(order) == before);
        continue;
      }
      const Row& next = RowNamed(expected);
      CHECK(t->changed);
      CHECK(order.status == next.status);
      CHECK(order.status_before_cancel == next.before_cancel);
      CHECK(t->from == row.status);
      CHECK(t->to == next.status);
      CHECK(order.updated == event.time);
      if (event.kind == OrderEventKind::kFill) {
        CHECK(order.filled_qty.raw() == Q(row.filled).raw() + event.fill_qty.raw());
        CHECK(order.HasFill(event.fill_id));
      }
      if (e == 9) CHECK(order.filled_qty.is_zero());  // the venue's cumulative fills
    }
  }
  CHECK(cells == 100);
}

TEST_CASE("the state table has one row per state and leads every row somewhere", "[execution]") {
  // Each non-terminal row can leave its state; each PENDING_CANCEL row returns
  // to the state it remembers when the cancel is rejected.
  CHECK(LookupTransition(TableState::kPendingCancelFromNew, TableEvent::kCancelRejected).next ==
        TableState::kNew);
  CHECK(LookupTransition(TableState::kPendingCancelFromPendingNew, TableEvent::kCancelRejected)
            .next == TableState::kPendingNew);
  CHECK(TableStateName(TableState::kPendingCancelFromPartiallyFilled) ==
        "PENDING_CANCEL (was PARTIALLY_FILLED)");
  CHECK(StatusOf(TableState::kPendingCancelFromNew) == ORDER_STATUS_PENDING_CANCEL);
}

TEST_CASE(
    "a fill after a cancel request keeps the cancel pending, and a rejected cancel returns to "
    "PARTIALLY_FILLED",
    "[execution]") {
  Order order = NewOrder();
  REQUIRE(ApplyOrderEvent(order, OrderEvent::SubmitSent(kT0)).ok());
  REQUIRE(ApplyOrderEvent(order, OrderEvent::VenueAck(kT0, "778")).ok());
  REQUIRE(ApplyOrderEvent(order, OrderEvent::CancelRequested(kT0)).ok());
  REQUIRE(ApplyOrderEvent(order, OrderEvent::Fill(kT0, "f1", Q("4"), P("100"))).ok());
  CHECK(order.status == ORDER_STATUS_PENDING_CANCEL);
  CHECK(order.status_before_cancel == ORDER_STATUS_PARTIALLY_FILLED);
  REQUIRE(ApplyOrderEvent(order, OrderEvent::CancelRejected(kT0, "too late")).ok());
  CHECK(order.status == ORDER_STATUS_PARTIALLY_FILLED);
  CHECK(order.status_before_cancel == ORDER_STATUS_UNSPECIFIED);
  CHECK(order.filled_qty == Q("4"));
}

TEST_CASE(
    "a complete fill while a cancel is pending fills the order and the late cancel reject is "
    "ignored",
    "[execution]") {
  Order order = NewOrder("2");
  REQUIRE(ApplyOrderEvent(order, OrderEvent::VenueAck(kT0)).ok());
  REQUIRE(ApplyOrderEvent(order, OrderEvent::CancelRequested(kT0)).ok());
  REQUIRE(ApplyOrderEvent(order, OrderEvent::Fill(kT0, "f1", Q("2"), P("100"))).ok());
  CHECK(order.status == ORDER_STATUS_FILLED);
  absl::StatusOr<Transition> late =
      ApplyOrderEvent(order, OrderEvent::CancelRejected(kT0, "filled"));
  REQUIRE(late.ok());
  CHECK(late->action == CellAction::kIgnore);
  CHECK(order.status == ORDER_STATUS_FILLED);
}

TEST_CASE(
    "a fill for an order the venue never acknowledged is applied and the late ack only names it",
    "[execution]") {
  Order order = NewOrder("3");
  REQUIRE(ApplyOrderEvent(order, OrderEvent::SubmitSent(kT0)).ok());
  REQUIRE(ApplyOrderEvent(order, OrderEvent::Fill(kT0, "f1", Q("1"), P("100"))).ok());
  CHECK(order.status == ORDER_STATUS_PARTIALLY_FILLED);
  absl::StatusOr<Transition> ack = ApplyOrderEvent(order, OrderEvent::VenueAck(kT0, "v-9"));
  REQUIRE(ack.ok());
  CHECK(ack->action == CellAction::kIgnore);
  CHECK(order.status == ORDER_STATUS_PARTIALLY_FILLED);
  CHECK(order.venue_order_id == "v-9");  // the ack still tells us the venue's id
  REQUIRE(ApplyOrderEvent(order, OrderEvent::Fill(kT0, "f2", Q("2"), P("100"))).ok());
  CHECK(order.status == ORDER_STATUS_FILLED);
}

TEST_CASE("a cancel requested before the ack survives the ack and a rejected cancel returns to NEW",
          "[execution]") {
  Order order = NewOrder();
  REQUIRE(ApplyOrderEvent(order, OrderEvent::CancelRequested(kT0)).ok());
  CHECK(order.status_before_cancel == ORDER_STATUS_PENDING_NEW);
  REQUIRE(ApplyOrderEvent(order, OrderEvent::VenueAck(kT0)).ok());
  CHECK(order.status == ORDER_STATUS_PENDING_CANCEL);
  CHECK(order.status_before_cancel == ORDER_STATUS_NEW);
  REQUIRE(ApplyOrderEvent(order, OrderEvent::CancelRejected(kT0, "busy")).ok());
  CHECK(order.status == ORDER_STATUS_NEW);
}

TEST_CASE("a duplicate fill is ignored and counts once", "[execution]") {
  Order order = NewOrder();
  REQUIRE(ApplyOrderEvent(order, OrderEvent::Fill(kT0, "SIM:X:1", Q("4"), P("100"))).ok());
  absl::StatusOr<Transition> again =
      ApplyOrderEvent(order, OrderEvent::Fill(kT0, "SIM:X:1", Q("4"), P("100")));
  REQUIRE(again.ok());
  CHECK(again->duplicate_fill);
  CHECK_FALSE(again->changed);
  CHECK(order.filled_qty == Q("4"));
  // Even on a filled order, a fill seen before is a duplicate, not an overfill.
  REQUIRE(ApplyOrderEvent(order, OrderEvent::Fill(kT0, "SIM:X:2", Q("6"), P("100"))).ok());
  CHECK(ApplyOrderEvent(order, OrderEvent::Fill(kT0, "SIM:X:2", Q("6"), P("100")))->duplicate_fill);
}

TEST_CASE("an overfill is refused as out of range and changes nothing", "[execution]") {
  Order order = NewOrder("5");
  REQUIRE(ApplyOrderEvent(order, OrderEvent::Fill(kT0, "f1", Q("3"), P("100"))).ok());
  absl::StatusOr<Transition> over =
      ApplyOrderEvent(order, OrderEvent::Fill(kT0, "f2", Q("2.1"), P("100")));
  CHECK(absl::IsOutOfRange(over.status()));
  CHECK(order.filled_qty == Q("3"));
  CHECK_FALSE(order.HasFill("f2"));
}

TEST_CASE("fills need a positive quantity and price", "[execution]") {
  Order order = NewOrder();
  CHECK(absl::IsInvalidArgument(
      ApplyOrderEvent(order, OrderEvent::Fill(kT0, "f", Q("0"), P("1"))).status()));
  CHECK(absl::IsInvalidArgument(
      ApplyOrderEvent(order, OrderEvent::Fill(kT0, "f", Q("-1"), P("1"))).status()));
  CHECK(absl::IsInvalidArgument(
      ApplyOrderEvent(order, OrderEvent::Fill(kT0, "f", Q("1"), P("0"))).status()));
  CHECK(order.status == ORDER_STATUS_PENDING_NEW);
}

TEST_CASE("an illegal transition is refused as a failed precondition naming the state and event",
          "[execution]") {
  Order order = NewOrder();
  REQUIRE(ApplyOrderEvent(order, OrderEvent::VenueReject(kT0, "bad symbol")).ok());
  CHECK(order.reject_reason == "bad symbol");
  absl::StatusOr<Transition> t = ApplyOrderEvent(order, OrderEvent::VenueAck(kT0));
  REQUIRE(absl::IsFailedPrecondition(t.status()));
  CHECK(t.status().message() == "order c-1: venue ack is illegal in REJECTED");
}

TEST_CASE("an order in a state outside the table is refused", "[execution]") {
  Order order = NewOrder();
  order.status = ORDER_STATUS_UNSPECIFIED;
  CHECK(absl::IsFailedPrecondition(ApplyOrderEvent(order, OrderEvent::VenueAck(kT0)).status()));
  order.status = ORDER_STATUS_PENDING_CANCEL;
  order.status_before_cancel = ORDER_STATUS_FILLED;
  CHECK(absl::IsFailedPrecondition(ApplyOrderEvent(order, OrderEvent::VenueAck(kT0)).status()));
}

TEST_CASE("a resend while pending new is allowed and marks the order sent", "[execution]") {
  Order order = NewOrder();
  CHECK_FALSE(order.sent);
  REQUIRE(ApplyOrderEvent(order, OrderEvent::SubmitSent(kT0)).ok());
  REQUIRE(ApplyOrderEvent(order, OrderEvent::SubmitSent(kT0)).ok());
  CHECK(order.sent);
  CHECK(order.status == ORDER_STATUS_PENDING_NEW);
}

TEST_CASE("reconciliation sets the venue's status and fills and refuses contradictions",
          "[execution]") {
  Order order = NewOrder();
  REQUIRE(ApplyOrderEvent(order, OrderEvent::VenueAck(kT0)).ok());
  auto reconcile = [&](OrderStatus status, std::string_view filled, std::string_view quote) {
    return ApplyOrderEvent(order, OrderEvent::Reconciled(kT0, status, Q(filled), A(quote)));
  };
  CHECK(absl::IsInvalidArgument(reconcile(ORDER_STATUS_FILLED, "9", "900").status()));
  CHECK(absl::IsInvalidArgument(reconcile(ORDER_STATUS_NEW, "1", "100").status()));
  CHECK(absl::IsInvalidArgument(reconcile(ORDER_STATUS_PENDING_CANCEL, "0", "0").status()));
  CHECK(absl::IsInvalidArgument(reconcile(ORDER_STATUS_PARTIALLY_FILLED, "10", "1000").status()));
  CHECK(absl::IsInvalidArgument(reconcile(ORDER_STATUS_CANCELED, "11", "1100").status()));
  CHECK(absl::IsInvalidArgument(reconcile(ORDER_STATUS_CANCELED, "1", "0").status()));
  CHECK(order.status == ORDER_STATUS_NEW);
  REQUIRE(reconcile(ORDER_STATUS_CANCELED, "4", "400.4").ok());
  CHECK(order.status == ORDER_STATUS_CANCELED);
  CHECK(order.filled_qty == Q("4"));
  CHECK(*order.average_fill_price() == P("100.1"));
}

TEST_CASE("the average fill price is the exact notional over the quantity, rounded half-even",
          "[execution]") {
  Order order = NewOrder();
  CHECK(order.average_fill_price()->is_zero());
  REQUIRE(ApplyOrderEvent(order, OrderEvent::Fill(kT0, "a", Q("1"), P("100.00"))).ok());
  REQUIRE(ApplyOrderEvent(order, OrderEvent::Fill(kT0, "b", Q("2"), P("100.01"))).ok());
  // 300.02 / 3 = 100.00666...
  CHECK(*order.average_fill_price() == P("100.006666667"));
  CHECK(*order.filled_notional() == A("300.02"));
  CHECK(order.remaining_qty() == Q("7"));

  // Ties go to the even neighbour: 1.5e-9 -> 2e-9, 2.5e-9 -> 2e-9.
  Order tie = NewOrder();
  REQUIRE(ApplyOrderEvent(tie, OrderEvent::Fill(kT0, "a", Q("1"), P("0.000000001"))).ok());
  REQUIRE(ApplyOrderEvent(tie, OrderEvent::Fill(kT0, "b", Q("1"), P("0.000000002"))).ok());
  CHECK(*tie.average_fill_price() == P("0.000000002"));
  Order tie2 = NewOrder();
  REQUIRE(ApplyOrderEvent(tie2, OrderEvent::Fill(kT0, "a", Q("1"), P("0.000000002"))).ok());
  REQUIRE(ApplyOrderEvent(tie2, OrderEvent::Fill(kT0, "b", Q("1"), P("0.000000003"))).ok());
  CHECK(*tie2.average_fill_price() == P("0.000000002"));
  // Small fills whose 1e-9 notionals would each round: the exact sum does not.
  Order small = NewOrder("1");
  for (int i = 0; i < 3; ++i) {
    REQUIRE(
        ApplyOrderEvent(small, OrderEvent::Fill(kT0, std::to_string(i), Q("0.1"), P("0.000000005")))
            .ok());
  }
  CHECK(*small.average_fill_price() == P("0.000000005"));
  CHECK(*small.filled_notional() == A("0.000000002"));  // 1.5e-9 -> 2e-9
}

TEST_CASE("an order from an intent starts pending new with the intent's terms", "[execution]") {
  OrderIntent intent;
  intent.client_order_id = "cid-7";
  intent.strategy_id = "mm";
  intent.instrument = 3;
  intent.side = common::v1::SIDE_SELL;
  intent.type = orders::v1::ORDER_TYPE_LIMIT_MAKER;
  intent.qty = Q("2");
  intent.price = P("5.5");
  Order order = Order::FromIntent(intent, kT0);
  CHECK(order.status == ORDER_STATUS_PENDING_NEW);
  CHECK(order.client_order_id == "cid-7");
  CHECK(order.instrument == 3);
  CHECK(order.type == orders::v1::ORDER_TYPE_LIMIT_MAKER);
  CHECK(order.remaining_qty() == Q("2"));
  CHECK(order.created == kT0);
  CHECK_FALSE(order.is_terminal());
}

}  // namespace
}  // namespace tradeplane::execution
