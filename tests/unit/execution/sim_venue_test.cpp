// SimVenue: the Venue interface over the matching engine, with simulated time,
// latency, updates, fills pages, balances and injected faults.
#include "tradeplane/execution/sim_venue.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

#include "tradeplane/execution/order_state_machine.h"

namespace tradeplane::execution {
namespace {

using orders::v1::ORDER_STATUS_CANCELED;
using orders::v1::ORDER_STATUS_FILLED;
using orders::v1::ORDER_STATUS_NEW;
using orders::v1::ORDER_STATUS_PARTIALLY_FILLED;
using orders::v1::ORDER_STATUS_PENDING_CANCEL;
using orders::v1::ORDER_STATUS_PENDING_NEW;
using orders::v1::ORDER_STATUS_REJECTED;

constexpr Side kBuy = common::v1::SIDE_BUY;
constexpr Side kSell = common::v1::SIDE_SELL;
constexpr Timestamp kT0 = Timestamp::FromSeconds(1'700'000'000);
constexpr InstrumentIndex kBtc = 0;
constexpr InstrumentIndex kEth = 1;
Price P(std::string_view s) { return *Price::Parse(s); }
Quantity Q(std::string_view s) { return *Quantity::Parse(s); }
Amount A(std::string_view s) { return *Amount::Parse(s); }
Timestamp AtMicros(int64_t us) { return kT0 + std::chrono::microseconds(us); }

InstrumentTable Instruments() {
  InstrumentTable table;
  for (const char* base : {"BTC", "ETH"}) {
    InstrumentSpec spec;
    spec.id = InstrumentId{common::v1::VENUE_SIM, std::string(base) + "USDT"};
    spec.base_asset = base;
    spec.quote_asset = "USDT";
    spec.tick_size = P("0.01");
    spec.lot_size = Q("0.001");
    REQUIRE(table.Add(spec).ok());
  }
  return table;
}

std::unique_ptr<SimVenue> MakeVenue(SimVenueConfig config = {}) {
  absl::StatusOr<std::unique_ptr<SimVenue>> venue = SimVenue::Create(Instruments(), config);
  REQUIRE(venue.ok());
  (*venue)->AdvanceTo(kT0);
  return std::move(*venue);
}

VenueOrderRequest Limit(std::string cid, Side side, std::string_view price, std::string_view qty,
                        InstrumentIndex instrument = kBtc) {
  VenueOrderRequest r;
  r.client_order_id = std::move(cid);
  r.instrument = instrument;
  r.side = side;
  r.type = orders::v1::ORDER_TYPE_LIMIT;
  r.time_in_force = orders::v1::TIME_IN_FORCE_GTC;
  r.price = P(price);
  r.qty = Q(qty);
  return r;
}

void Ask(SimVenue& venue, std::string_view price, std::string_view qty, Timestamp t) {
  REQUIRE(venue.OnBookLevel(kBtc, kSell, P(price), Q(qty), t).ok());
}

void TradeAt(SimVenue& venue, std::string_view price, std::string_view qty, Side aggressor,
             Timestamp t) {
  marketdata::Trade trade;
  trade.instrument = kBtc;
  trade.price = P(price);
  trade.qty = Q(qty);
  trade.aggressor = aggressor;
  trade.exchange_time = t;
  REQUIRE(venue.OnTrade(trade).ok());
}

std::vector<VenueUpdate> Updates(SimVenue& venue) {
  absl::StatusOr<std::vector<VenueUpdate>> updates = venue.PollUpdates();
  REQUIRE(updates.ok());
  return *updates;
}

VenueErrorReason ReasonOf(const absl::Status& status) {
  REQUIRE_FALSE(status.ok());
  VenueError error = ClassifyVenueError(status);
  REQUIRE(error.is_definitive());
  return error.reason;
}

TEST_CASE("without latency a submit is carried out at once and answers with its fills",
          "[execution][sim_venue]") {
  SimVenueConfig config;
  config.fees.taker_bps = *matching::FeeBps::Parse("10");
  auto venue = MakeVenue(config);
  Ask(*venue, "100.00", "1", kT0);
  absl::StatusOr<SubmitAck> ack = venue->Submit(Limit("a-1", kBuy, "100.00", "2"));
  REQUIRE(ack.ok());
  CHECK(ack->order.status == ORDER_STATUS_PARTIALLY_FILLED);
  CHECK(ack->order.venue_order_id == "1");
  CHECK(ack->order.filled_qty == Q("1"));
  REQUIRE(ack->fills.size() == 1);
  const Fill& fill = ack->fills[0];
  CHECK(fill.fill_id == "SIM:BTCUSDT:1");
  CHECK(fill.client_order_id == "a-1");
  CHECK(fill.price == P("100.00"));
  CHECK(fill.fee == A("0.1"));
  CHECK(fill.fee_asset == "USDT");
  CHECK(fill.liquidity == orders::v1::LIQUIDITY_TAKER);
  // The same facts are also pushed, like a user data stream.
  std::vector<VenueUpdate> updates = Updates(*venue);
  REQUIRE(updates.size() == 2);
  CHECK(updates[0].kind == VenueUpdateKind::kAccepted);
  CHECK(updates[0].order.status == ORDER_STATUS_NEW);
  CHECK(updates[1].kind == VenueUpdateKind::kFill);
  CHECK(updates[1].fill.fill_id == "SIM:BTCUSDT:1");
  CHECK(Updates(*venue).empty());
}

TEST_CASE("a refused submit is a definitive error that says why", "[execution][sim_venue]") {
  SimVenueConfig config;
  config.check_balances = true;
  config.balances = {{"USDT", A("50")}};
  auto venue = MakeVenue(config);
  Ask(*venue, "100.00", "1", kT0);
  VenueOrderRequest post_only = Limit("p", kBuy, "100.00", "0.1");
  post_only.type = orders::v1::ORDER_TYPE_LIMIT_MAKER;
  CHECK(ReasonOf(venue->Submit(post_only).status()) == VenueErrorReason::kWouldTakeLiquidity);
  CHECK(ReasonOf(venue->Submit(Limit("q", kBuy, "99.00", "0.0001")).status()) ==
        VenueErrorReason::kInvalidOrder);
  CHECK(ReasonOf(venue->Submit(Limit("r", kBuy, "99.00", "1")).status()) ==
        VenueErrorReason::kInsufficientBalance);
  CHECK(ReasonOf(venue->Submit(Limit("s", kBuy, "99.00", "0.1", 7)).status()) ==
        VenueErrorReason::kUnknownSymbol);
  REQUIRE(venue->Submit(Limit("t", kBuy, "99.00", "0.1")).ok());
  CHECK(ReasonOf(venue->Submit(Limit("t", kBuy, "98.00", "0.1")).status()) ==
        VenueErrorReason::kDuplicateOrder);
  // Rejections answered synchronously are not pushed again.
  for (const VenueUpdate& u : Updates(*venue)) CHECK(u.kind != VenueUpdateKind::kRejected);
}

TEST_CASE("with latency the order reaches the book after the market moved",
          "[execution][sim_venue]") {
  SimVenueConfig config;
  config.latency = std::chrono::microseconds(500);
  auto venue = MakeVenue(config);
  Ask(*venue, "100.00", "1", kT0);
  absl::StatusOr<SubmitAck> ack = venue->Submit(Limit("slow", kBuy, "100.00", "1"));
  REQUIRE(ack.ok());
  CHECK(ack->order.status == ORDER_STATUS_PENDING_NEW);
  CHECK(ack->fills.empty());
  CHECK(venue->pending_requests() == 1);
  // Not yet at the venue: unknown to a query.
  CHECK(ReasonOf(venue->QueryOrder(kBtc, "slow").status()) == VenueErrorReason::kUnknownOrder);
  // Someone else takes the ask 100 us later.
  Ask(*venue, "100.00", "0", AtMicros(100));
  Ask(*venue, "100.50", "3", AtMicros(100));
  CHECK(Updates(*venue).empty());
  venue->AdvanceTo(AtMicros(499));
  CHECK(venue->pending_requests() == 1);
  venue->AdvanceTo(AtMicros(500));
  CHECK(venue->pending_requests() == 0);
  std::vector<VenueUpdate> updates = Updates(*venue);
  REQUIRE(updates.size() == 1);
  CHECK(updates[0].kind == VenueUpdateKind::kAccepted);
  CHECK(updates[0].time == AtMicros(500));
  CHECK(venue->QueryOrder(kBtc, "slow")->status == ORDER_STATUS_NEW);  // rests, unfilled
}

TEST_CASE("with latency a request due at a market event's time goes first",
          "[execution][sim_venue]") {
  SimVenueConfig config;
  config.latency = std::chrono::microseconds(10);
  auto venue = MakeVenue(config);
  Ask(*venue, "100.00", "1", kT0);
  REQUIRE(venue->Submit(Limit("first", kBuy, "100.00", "1")).ok());
  Ask(*venue, "100.00", "0", AtMicros(10));  // the market removes the ask at the arrival time
  CHECK(venue->QueryOrder(kBtc, "first")->status == ORDER_STATUS_FILLED);
}

TEST_CASE("with latency a refusal arrives as a rejected update", "[execution][sim_venue]") {
  SimVenueConfig config;
  config.latency = std::chrono::microseconds(50);
  auto venue = MakeVenue(config);
  REQUIRE(venue->Submit(Limit("bad", kBuy, "100.001", "1")).ok());
  venue->AdvanceTo(AtMicros(50));
  std::vector<VenueUpdate> updates = Updates(*venue);
  REQUIRE(updates.size() == 1);
  CHECK(updates[0].kind == VenueUpdateKind::kRejected);
  CHECK(updates[0].order.status == ORDER_STATUS_REJECTED);
  CHECK(updates[0].order.client_order_id == "bad");
  CHECK(updates[0].reason.find("tick") != std::string::npos);
}

TEST_CASE("a fill racing a delayed cancel reaches the order state machine in the venue's order",
          "[execution][sim_venue]") {
  SimVenueConfig config;
  config.latency = std::chrono::microseconds(200);
  auto venue = MakeVenue(config);
  Order order = Order::FromIntent(OrderIntent{.client_order_id = "race", .qty = Q("1")}, kT0);
  auto apply_updates = [&] {
    for (const VenueUpdate& u : Updates(*venue)) {
      absl::StatusOr<Transition> t = ApplyOrderEvent(order, ToOrderEvent(u));
      INFO(t.status().ToString());
      REQUIRE(t.ok());
    }
  };
  REQUIRE(venue->Submit(Limit("race", kBuy, "100.00", "1")).ok());
  REQUIRE(ApplyOrderEvent(order, OrderEvent::SubmitSent(kT0)).ok());
  venue->AdvanceTo(AtMicros(200));
  apply_updates();
  CHECK(order.status == ORDER_STATUS_NEW);
  CHECK(order.venue_order_id == "1");

  absl::StatusOr<VenueOrder> cancel = venue->Cancel(kBtc, "race");
  REQUIRE(cancel.ok());
  CHECK(cancel->status == ORDER_STATUS_PENDING_CANCEL);
  REQUIRE(ApplyOrderEvent(order, OrderEvent::CancelRequested(AtMicros(200))).ok());
  TradeAt(*venue, "99.99", "5", kSell, AtMicros(300));  // trades through our bid
  venue->AdvanceTo(AtMicros(400));                      // the cancel arrives too late
  std::vector<VenueUpdate> updates = Updates(*venue);
  REQUIRE(updates.size() == 2);
  CHECK(updates[0].kind == VenueUpdateKind::kFill);
  CHECK(updates[1].kind == VenueUpdateKind::kCancelRejected);
  for (const VenueUpdate& u : updates) REQUIRE(ApplyOrderEvent(order, ToOrderEvent(u)).ok());
  CHECK(order.status == ORDER_STATUS_FILLED);
  CHECK(order.filled_qty == Q("1"));
}

TEST_CASE(
    "a synchronous answer and its pushed duplicates leave the state machine where the venue is",
    "[execution][sim_venue]") {
  auto venue = MakeVenue();
  Ask(*venue, "100.00", "0.4", kT0);
  Order order = Order::FromIntent(OrderIntent{.client_order_id = "dup", .qty = Q("1")}, kT0);
  REQUIRE(ApplyOrderEvent(order, OrderEvent::SubmitSent(kT0)).ok());
  absl::StatusOr<SubmitAck> ack = venue->Submit(Limit("dup", kBuy, "100.00", "1"));
  REQUIRE(ack.ok());
  REQUIRE(ApplyOrderEvent(order, OrderEvent::VenueAck(kT0, ack->order.venue_order_id)).ok());
  for (const Fill& f : ack->fills) {
    REQUIRE(ApplyOrderEvent(order, OrderEvent::Fill(f.time, f.fill_id, f.qty, f.price)).ok());
  }
  int ignored = 0;
  for (const VenueUpdate& u : Updates(*venue)) {
    absl::StatusOr<Transition> t = ApplyOrderEvent(order, ToOrderEvent(u));
    REQUIRE(t.ok());
    if (!t->changed) ++ignored;
  }
  CHECK(ignored == 2);  // the pushed ack and the pushed fill
  CHECK(order.status == ack->order.status);
  CHECK(order.filled_qty == Q("0.4"));
}

TEST_CASE("cancel answers at once without latency and refuses an order it does not have open",
          "[execution][sim_venue]") {
  auto venue = MakeVenue();
  REQUIRE(venue->Submit(Limit("c", kSell, "101.00", "1")).ok());
  absl::StatusOr<VenueOrder> canceled = venue->Cancel(kBtc, "c");
  REQUIRE(canceled.ok());
  CHECK(canceled->status == ORDER_STATUS_CANCELED);
  CHECK(ReasonOf(venue->Cancel(kBtc, "c").status()) == VenueErrorReason::kUnknownOrder);
  CHECK(ReasonOf(venue->Cancel(kBtc, "never").status()) == VenueErrorReason::kUnknownOrder);
  CHECK(ReasonOf(venue->Cancel(9, "c").status()) == VenueErrorReason::kUnknownSymbol);
  CHECK(venue->QueryOrder(kBtc, "c")->status == ORDER_STATUS_CANCELED);  // closed, still known
}

TEST_CASE("cancel-all cancels the instrument's open orders and no others",
          "[execution][sim_venue]") {
  auto venue = MakeVenue();
  REQUIRE(venue->Submit(Limit("b1", kBuy, "90.00", "1")).ok());
  REQUIRE(venue->Submit(Limit("b2", kSell, "110.00", "1")).ok());
  REQUIRE(venue->Submit(Limit("e1", kBuy, "10.00", "1", kEth)).ok());
  absl::StatusOr<std::vector<VenueOrder>> canceled = venue->CancelAll(kBtc);
  REQUIRE(canceled.ok());
  REQUIRE(canceled->size() == 2);
  CHECK((*canceled)[0].client_order_id == "b1");
  CHECK((*canceled)[1].status == ORDER_STATUS_CANCELED);
  absl::StatusOr<std::vector<VenueOrder>> open = venue->OpenOrders(std::nullopt);
  REQUIRE(open.ok());
  REQUIRE(open->size() == 1);
  CHECK((*open)[0].client_order_id == "e1");
  CHECK((*open)[0].instrument == kEth);
  CHECK(venue->OpenOrders(kBtc)->empty());
  CHECK(ReasonOf(venue->OpenOrders(5).status()) == VenueErrorReason::kUnknownSymbol);
}

TEST_CASE("fills since a checkpoint page through the fills in trade id order",
          "[execution][sim_venue]") {
  auto venue = MakeVenue();
  Ask(*venue, "100.00", "1", kT0);
  Ask(*venue, "100.01", "1", kT0);
  Ask(*venue, "100.02", "1", kT0);
  REQUIRE(venue->Submit(Limit("f", kBuy, "100.02", "3")).ok());
  absl::StatusOr<FillPage> first = venue->FillsSince(kBtc, FillCheckpoint{}, 2);
  REQUIRE(first.ok());
  REQUIRE(first->fills.size() == 2);
  CHECK(first->more);
  CHECK(first->fills[0].price == P("100.00"));
  CHECK(first->next.after_trade_id == 2);
  absl::StatusOr<FillPage> second = venue->FillsSince(kBtc, first->next, 2);
  REQUIRE(second.ok());
  REQUIRE(second->fills.size() == 1);
  CHECK(second->fills[0].fill_id == "SIM:BTCUSDT:3");
  CHECK_FALSE(second->more);
  absl::StatusOr<FillPage> none = venue->FillsSince(kBtc, second->next, 2);
  CHECK(none->fills.empty());
  CHECK(none->next.after_trade_id == 3);
  CHECK(venue->FillsSince(kEth, FillCheckpoint{}, 10)->fills.empty());
  CHECK_FALSE(venue->FillsSince(kBtc, FillCheckpoint{}, 0).ok());
}

TEST_CASE("balances show what is free and what resting orders lock", "[execution][sim_venue]") {
  SimVenueConfig config;
  config.balances = {{"USDT", A("1000")}, {"BTC", A("2")}};
  auto venue = MakeVenue(config);
  REQUIRE(venue->Submit(Limit("b", kBuy, "100.00", "3")).ok());
  REQUIRE(venue->Submit(Limit("s", kSell, "200.00", "0.5")).ok());
  absl::StatusOr<std::vector<VenueBalance>> balances = venue->Balances();
  REQUIRE(balances.ok());
  REQUIRE(balances->size() == 2);
  CHECK((*balances)[0].asset == "USDT");
  CHECK((*balances)[0].free == A("700"));
  CHECK((*balances)[0].locked == A("300"));
  CHECK((*balances)[1].asset == "BTC");
  CHECK((*balances)[1].free == A("1.5"));
  CHECK((*balances)[1].locked == A("0.5"));
}

TEST_CASE("a transient fault changes nothing and an unknown outcome is resolved by a query",
          "[execution][sim_venue]") {
  auto venue = MakeVenue();
  venue->InjectFault(VenueCall::kSubmit, VenueError{VenueErrorKind::kTransient,
                                                    VenueErrorReason::kRateLimited, 200, 429});
  absl::StatusOr<SubmitAck> limited = venue->Submit(Limit("x", kBuy, "99.00", "1"));
  REQUIRE_FALSE(limited.ok());
  CHECK(ClassifyVenueError(limited.status()).is_transient());
  CHECK(ClassifyVenueError(limited.status()).retry_after_ms == 200);
  CHECK(ReasonOf(venue->QueryOrder(kBtc, "x").status()) == VenueErrorReason::kUnknownOrder);

  venue->InjectFault(VenueCall::kSubmit,
                     VenueError{VenueErrorKind::kUnknownOutcome, VenueErrorReason::kNoResponse});
  absl::StatusOr<SubmitAck> lost = venue->Submit(Limit("x", kBuy, "99.00", "1"));
  REQUIRE_FALSE(lost.ok());
  CHECK(ClassifyVenueError(lost.status()).is_unknown_outcome());
  // It was carried out: the query finds it, so the caller must not resend.
  absl::StatusOr<VenueOrder> found = venue->QueryOrder(kBtc, "x");
  REQUIRE(found.ok());
  CHECK(found->status == ORDER_STATUS_NEW);

  venue->InjectFault(VenueCall::kQueryOrder,
                     VenueError{VenueErrorKind::kTransient, VenueErrorReason::kServerError, 0, 503},
                     2);
  CHECK_FALSE(venue->QueryOrder(kBtc, "x").ok());
  CHECK_FALSE(venue->QueryOrder(kBtc, "x").ok());
  CHECK(venue->QueryOrder(kBtc, "x").ok());  // the fault was for two calls
}

TEST_CASE("market events for an instrument the venue does not trade are refused",
          "[execution][sim_venue]") {
  SimVenueConfig config;
  config.instruments = {kBtc};
  auto venue = MakeVenue(config);
  marketdata::Trade trade;
  trade.instrument = kEth;
  trade.price = P("1");
  trade.qty = Q("1");
  CHECK_FALSE(venue->OnTrade(trade).ok());
  CHECK(venue->engine(kEth) == nullptr);
  CHECK(venue->engine(kBtc) != nullptr);
  CHECK(ReasonOf(venue->Submit(Limit("e", kBuy, "1.00", "1", kEth)).status()) ==
        VenueErrorReason::kUnknownSymbol);
  SimVenueConfig bad;
  bad.latency = std::chrono::microseconds(-1);
  CHECK_FALSE(SimVenue::Create(Instruments(), bad).ok());
}

TEST_CASE("a quote and a book view drive the sim venue's book", "[execution][sim_venue]") {
  auto venue = MakeVenue();
  marketdata::Quote quote;
  quote.instrument = kBtc;
  quote.bid_price = P("99.00");
  quote.bid_qty = Q("1");
  quote.ask_price = P("101.00");
  quote.ask_qty = Q("1");
  quote.exchange_time = AtMicros(1);
  REQUIRE(venue->OnQuote(quote).ok());
  REQUIRE(venue->Submit(Limit("q", kBuy, "101.00", "1")).ok());
  CHECK(venue->QueryOrder(kBtc, "q")->status == ORDER_STATUS_FILLED);
  std::vector<marketdata::BookLevel> bids = {{P("99.50"), Q("2")}};
  std::vector<marketdata::BookLevel> asks = {{P("100.50"), Q("2")}};
  marketdata::BookView view{kBtc, bids, asks, 7, AtMicros(2)};
  REQUIRE(venue->OnBook(view, matching::SnapshotDepth::kFull).ok());
  CHECK(venue->now() == AtMicros(2));
  REQUIRE(venue->Submit(Limit("v", kSell, "99.50", "1")).ok());
  CHECK(venue->QueryOrder(kBtc, "v")->status == ORDER_STATUS_FILLED);
}

}  // namespace
}  // namespace tradeplane::execution
