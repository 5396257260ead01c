// tradeplane-signal as a process between a test that plays market data,
// execution, risk and an operator over real sockets.
#include <set>

#include <catch2/catch.hpp>

#include "tradeplane/core/fixed_point.h"
#include "tradeplane/testing/subprocess.h"

#include "signal_harness.h"

namespace tradeplane {
namespace {

using testing::SignalHarness;
using RiskMode = SignalHarness::RiskMode;

// One quoting strategy: bid and ask 10 bps around the mid, 100 per side, at
// most 500 held, never short (so with no inventory it only bids).
std::string Quoter(const std::string& id, const std::string& params = "") {
  return "  - id: " + id +
         "\n"
         "    kind: QUOTING\n"
         "    enabled: true\n"
         "    instruments: [{venue: SIM, symbol: NKNUSDT}]\n"
         "    sizing: {kind: FIXED_QTY, qty: '100'}\n"
         "    params: {half_spread_bps: 10, skew_bps: 5, max_inventory: 500, requote_bps: 5" +
         params + "}\n";
}

const std::string kQuoter = "strategies:\n" + Quoter("quoter");

int64_t Raw(const std::string& decimal) { return *fixed_point::ParseRaw(decimal); }

// Mid 0.35110: the bid target is 0.3511 * (1 - 10 bps) = 0.350749, floored to
// the 0.00001 tick.
constexpr char kBid[] = "0.35100";
constexpr char kAsk[] = "0.35120";
constexpr char kQuotedBid[] = "0.35074";

std::string StateOf(SignalHarness& h, const std::string& id) {
  admin::v1::ListStrategiesResponse list = h.ListStrategies();
  const admin::v1::StrategyInfo* info = h.FindStrategy(list, id);
  return info == nullptr ? "" : info->state();
}

TEST_CASE("a quote produces an intent at risk with ids, a reason and the quote's trace",
          "[signal][process]") {
  SignalHarness h(kQuoter);
  h.StartAndWaitLive();
  telemetry::SpanContext trace = h.PublishQuote(kBid, kAsk);
  REQUIRE(h.WaitFor([&] { return !h.risk_intents().empty(); }));

  const SignalHarness::SeenIntent seen = h.risk_intents().front();
  const signal::v1::OrderIntent& intent = seen.intent;
  CHECK(h.risk_intents().size() == 1);  // no inventory, no shorting: a bid only
  CHECK_FALSE(intent.client_order_id().empty());
  CHECK(intent.client_order_id().size() <= 36);
  CHECK_FALSE(intent.intent_id().empty());
  CHECK(seen.request_id == intent.intent_id());
  CHECK(intent.strategy_id() == "quoter");
  CHECK(intent.instrument().symbol() == testing::kSymbol);
  CHECK(intent.side() == common::v1::SIDE_BUY);
  CHECK(intent.order_type() == orders::v1::ORDER_TYPE_LIMIT_MAKER);
  CHECK(intent.price() == Raw(kQuotedBid));
  CHECK(intent.qty() == Raw("100"));
  CHECK_THAT(intent.reason(), Catch::StartsWith("quote bid 0.35074 x 100 (mid 0.351100"));
  // The trace of the market event that caused it.
  CHECK(seen.trace.TraceIdHex() == trace.TraceIdHex());

  // sig.<strategy>.<symbol> carries the same intent.
  REQUIRE(h.WaitFor([&] {
    for (const SignalHarness::SeenSignal& s : h.signals()) {
      if (s.event.intent().client_order_id() == intent.client_order_id()) return true;
    }
    return false;
  }));
  for (const SignalHarness::SeenSignal& s : h.signals()) {
    if (s.event.intent().client_order_id() != intent.client_order_id()) continue;
    CHECK(s.topic == "sig.quoter.NKNUSDT");
    CHECK(s.event.strategy_id() == "quoter");
    CHECK(s.event.intent().intent_id() == intent.intent_id());
    CHECK(s.event.intent().reason() == intent.reason());
  }

  // The operator sees it, approved.
  REQUIRE(h.WaitFor([&] { return h.StatusCounter("approved") == 1; }));
  admin::v1::ListStrategiesResponse list = h.ListStrategies();
  const admin::v1::StrategyInfo* info = h.FindStrategy(list, "quoter");
  REQUIRE(info != nullptr);
  CHECK(info->kind() == "quoting");
  CHECK(info->state() == "running; intents 1, approved 1, refused 0");
  CHECK(info->last_intent().client_order_id() == intent.client_order_id());
}

TEST_CASE("an intent risk does not answer in time is sent again with the same ids",
          "[signal][process]") {
  // Quotes stay fresh for 10 minutes: no timer pulls the quote while risk is
  // silent, so the only intent is the first one.
  SignalHarness h("strategies:\n" + Quoter("quoter", ", stale_ms: 600000"),
                  /*risk_timeout_ms=*/200);
  h.StartAndWaitLive();
  h.set_risk_mode(RiskMode::kSilent);
  h.PublishQuote(kBid, kAsk);
  // The call (two attempts of 200 ms) went unanswered; from now on the timer
  // sends it again every 100 ms.
  REQUIRE(h.WaitFor([&] { return h.StatusCounter("unanswered") == 1; }));
  REQUIRE(h.WaitFor([&] { return h.Log().find("will be sent again") != std::string::npos; }));
  CHECK(h.StatusCounter("approved") == 0);

  h.set_risk_mode(RiskMode::kApprove);
  REQUIRE(h.WaitFor([&] { return h.StatusCounter("approved") == 1; }));
  INFO(h.Log());
  REQUIRE_FALSE(h.risk_intents().empty());
  const signal::v1::OrderIntent first = h.risk_intents().front().intent;
  std::set<std::string> client_ids, intent_ids;
  for (const SignalHarness::SeenIntent& seen : h.risk_intents()) {
    client_ids.insert(seen.intent.client_order_id());
    intent_ids.insert(seen.intent.intent_id());
    CHECK(seen.request_id == seen.intent.intent_id());
  }
  CHECK(client_ids.size() == 1);
  CHECK(intent_ids.size() == 1);
  // Every attempt that reached risk after the first was a duplicate of it
  // (the reply cache is keyed by the request id, which is the intent id).
  INFO("handled " << h.risk_intents().size() << ", duplicates " << h.risk_duplicates());
  CHECK(h.risk_intents().size() + h.risk_duplicates() >= 2);
  CHECK(h.StatusCounter("intents") == 1);
  // The one intent decided is the one published on sig.* at decision time.
  REQUIRE(h.WaitFor([&] {
    for (const SignalHarness::SeenSignal& s : h.signals()) {
      if (s.event.has_intent()) return true;
    }
    return false;
  }));
  for (const SignalHarness::SeenSignal& s : h.signals()) {
    if (s.event.has_intent()) CHECK(s.event.intent().client_order_id() == first.client_order_id());
  }
  CHECK(StateOf(h, "quoter") == "running; intents 1, approved 1, refused 0");
  CHECK(h.process().Running());
}

TEST_CASE("while risk is silent, new orders beyond the held bound are dropped and counted",
          "[signal][process]") {
  // Two quoters on one market, room for one held intent: the first intent of
  // the quote waits for risk, the second is dropped and never reaches risk.
  SignalHarness h("max_pending_intents: 1\nstrategies:\n" + Quoter("first", ", stale_ms: 600000") +
                      Quoter("second", ", stale_ms: 600000"),
                  /*risk_timeout_ms=*/200);
  h.StartAndWaitLive();
  h.set_risk_mode(RiskMode::kSilent);
  h.PublishQuote(kBid, kAsk);
  REQUIRE(h.WaitFor([&] { return h.StatusCounter("dropped") == 1; }));
  INFO(h.Log());
  CHECK(h.Log().find("order dropped") != std::string::npos);
  CHECK(h.StatusCounter("intents") == 2);

  h.set_risk_mode(RiskMode::kApprove);
  REQUIRE(h.WaitFor([&] { return h.StatusCounter("approved") == 1; }));
  std::set<std::string> strategies_at_risk;
  for (const SignalHarness::SeenIntent& seen : h.risk_intents())
    strategies_at_risk.insert(seen.intent.strategy_id());
  CHECK(strategies_at_risk.size() == 1);
  CHECK(h.StatusCounter("dropped") == 1);
  CHECK(h.process().Running());
}

TEST_CASE("a refused intent frees the strategy to quote again and is counted",
          "[signal][process]") {
  SignalHarness h(kQuoter);
  h.StartAndWaitLive();
  h.set_risk_mode(RiskMode::kRefuse);
  h.PublishQuote(kBid, kAsk);
  REQUIRE(h.WaitFor([&] { return h.StatusCounter("refused") == 1; }));
  CHECK(StateOf(h, "quoter") == "running; intents 1, approved 0, refused 1");
  REQUIRE(h.WaitFor([&] { return h.Log().find("intent refused") != std::string::npos; }));
  CHECK_THAT(h.Log(), Catch::Contains("MAX_POSITION"));

  // Still running, and the refused order no longer counts as open: the same
  // market gets a new quote with a new client order id.
  h.set_risk_mode(RiskMode::kApprove);
  h.PublishQuote(kBid, kAsk);
  REQUIRE(h.WaitFor([&] { return h.StatusCounter("approved") == 1; }));
  REQUIRE(h.risk_intents().size() == 2);
  CHECK(h.risk_intents()[1].intent.client_order_id() !=
        h.risk_intents()[0].intent.client_order_id());
  CHECK(h.risk_intents()[1].intent.price() == Raw(kQuotedBid));
  CHECK(StateOf(h, "quoter") == "running; intents 2, approved 1, refused 1");
  CHECK(h.process().Running());
}

TEST_CASE("fills on exec.fill move the strategy's position as the operator sees it",
          "[signal][process]") {
  SignalHarness h(kQuoter);
  h.StartAndWaitLive();
  h.PublishQuote(kBid, kAsk);
  REQUIRE(h.WaitFor([&] { return h.StatusCounter("approved") == 1; }));
  const std::string bid_id = h.risk_intents().front().intent.client_order_id();
  auto position = [&](const std::string& id) -> int64_t {
    admin::v1::ListStrategiesResponse list = h.ListStrategies();
    const admin::v1::StrategyInfo* info = h.FindStrategy(list, id);
    if (info == nullptr || info->positions_size() != 1) return -1;
    return info->positions(0).qty();
  };
  CHECK(position("quoter") == 0);

  h.PublishFill("SIM:NKNUSDT:1", "quoter", bid_id, common::v1::SIDE_BUY, kQuotedBid, "40");
  REQUIRE(h.WaitFor([&] { return position("quoter") == Raw("40"); }));
  // Another strategy's fill is not ours; then the rest of our bid fills.
  h.PublishFill("SIM:NKNUSDT:2", "someone-else", "other-order", common::v1::SIDE_BUY, kQuotedBid,
                "1000");
  h.PublishFill("SIM:NKNUSDT:3", "quoter", bid_id, common::v1::SIDE_BUY, kQuotedBid, "60");
  REQUIRE(h.WaitFor([&] { return position("quoter") == Raw("100"); }));

  // With 100 held the strategy may now offer it, and bids again.
  h.PublishQuote(kBid, kAsk);
  REQUIRE(h.WaitFor([&] { return h.risk_intents().size() >= 3; }));
  bool sold = false;
  for (const SignalHarness::SeenIntent& seen : h.risk_intents()) {
    if (seen.intent.side() != common::v1::SIDE_SELL) continue;
    sold = true;
    CHECK(seen.intent.qty() == Raw("100"));
    CHECK_THAT(seen.intent.reason(), Catch::Contains("inventory 100 of max 500"));
  }
  CHECK(sold);
}

TEST_CASE("a strategy disabled by the operator sends nothing until enabled again",
          "[signal][process]") {
  // `witness` trades the same market and stays enabled: its intents show
  // that the service handled each quote.
  SignalHarness h("strategies:\n" + Quoter("quoter") + Quoter("witness"));
  h.StartAndWaitLive();
  h.PublishQuote(kBid, kAsk);
  REQUIRE(h.WaitFor([&] { return h.StatusCounter("approved") == 2; }));
  REQUIRE(h.RiskIntentsOf("quoter").size() == 1);
  const std::string quoter_bid = h.RiskIntentsOf("quoter")[0].intent.client_order_id();

  admin::v1::StrategyInfo info;
  grpc::Status off = h.SetEnabled("quoter", false, "test: pause the quoter", &info);
  INFO(off.error_message());
  REQUIRE(off.ok());
  CHECK_FALSE(info.enabled());
  CHECK_THAT(StateOf(h, "quoter"), Catch::StartsWith("disabled;"));

  // The market moves ~57 bps, past requote_bps: an enabled quoter replaces
  // its bid (a cancel and a new bid).
  h.PublishQuote("0.35300", "0.35320");
  REQUIRE(h.WaitFor([&] { return h.RiskIntentsOf("witness").size() >= 3; }));
  CHECK(h.RiskIntentsOf("quoter").size() == 1);

  grpc::Status on = h.SetEnabled("quoter", true, "test: resume the quoter", &info);
  REQUIRE(on.ok());
  CHECK(info.enabled());
  h.PublishQuote("0.35500", "0.35520");
  REQUIRE(h.WaitFor([&] { return h.RiskIntentsOf("quoter").size() >= 3; }));
  std::vector<SignalHarness::SeenIntent> resumed = h.RiskIntentsOf("quoter");
  CHECK(resumed[1].intent.cancel_client_order_id() == quoter_bid);
  CHECK(resumed[2].intent.side() == common::v1::SIDE_BUY);
  CHECK(resumed[2].intent.price() == Raw("0.35474"));  // 0.3551 * (1 - 10 bps), floored

  // The operator must say why, and name a strategy that exists.
  CHECK(h.SetEnabled("quoter", false, "").error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(h.SetEnabled("nobody", false, "test").error_code() == grpc::StatusCode::NOT_FOUND);
}

TEST_CASE("an invalid strategy config is refused at start naming the key",
          "[signal][process][config]") {
  SECTION("a parameter out of range") {
    SignalHarness h("strategies:\n" + Quoter("quoter", ", stale_ms: 0"));
    h.Start();
    std::optional<int> code = h.process().Wait(std::chrono::seconds(20));
    REQUIRE(code.has_value());
    INFO(h.Log());
    CHECK(*code != 0);
    CHECK_THAT(h.process().Output(), Catch::Contains("strategies[0].params.stale_ms"));
  }
  SECTION("an unknown key") {
    SignalHarness h("strategies:\n" + Quoter("quoter") + "    sizng: {kind: FIXED_QTY}\n");
    h.Start();
    std::optional<int> code = h.process().Wait(std::chrono::seconds(20));
    REQUIRE(code.has_value());
    INFO(h.Log());
    CHECK(*code != 0);
    CHECK_THAT(h.process().Output(), Catch::Contains("strategies[0].sizng"));
  }
  SECTION("an unknown strategy parameter") {
    SignalHarness h("strategies:\n" + Quoter("quoter", ", half_sprad_bps: 3"));
    h.Start();
    std::optional<int> code = h.process().Wait(std::chrono::seconds(20));
    REQUIRE(code.has_value());
    INFO(h.Log());
    CHECK(*code != 0);
    CHECK_THAT(h.process().Output(), Catch::Contains("strategies[0].params.half_sprad_bps"));
  }
}

TEST_CASE("a crossed, locked or stale market produces no intent and says why on sig",
          "[signal][process]") {
  SignalHarness h(kQuoter);
  // Going live already fed it crossed quotes.
  h.StartAndWaitLive();
  auto noted = [&](const std::string& text) {
    for (const SignalHarness::SeenSignal& s : h.signals()) {
      if (s.event.no_action_reason().find(text) != std::string::npos) {
        CHECK(s.topic == "sig.quoter.NKNUSDT");
        CHECK_FALSE(s.event.has_intent());
        return true;
      }
    }
    return false;
  };
  CHECK(noted("crossed book: bid 0.35"));
  h.PublishBook(kBid, kAsk, "1000", std::chrono::hours(1));
  REQUIRE(h.WaitFor([&] { return noted("stale market data"); }));
  h.PublishQuote("0.35130", kAsk);
  REQUIRE(h.WaitFor([&] { return noted("crossed book: bid 0.35130 >= ask 0.35120"); }));
  h.PublishQuote(kAsk, kAsk);
  REQUIRE(h.WaitFor([&] { return noted("locked book: bid 0.35120 >= ask 0.35120"); }));
  CHECK(h.risk_intents().empty());
  CHECK(h.StatusCounter("intents") == 0);
  admin::v1::ListStrategiesResponse list = h.ListStrategies();
  CHECK_THAT(h.FindStrategy(list, "quoter")->last_no_action_reason(),
             Catch::Contains("locked book"));

  // A sane, fresh book on the same path is quoted.
  h.PublishBook(kBid, kAsk, "1000");
  REQUIRE(h.WaitFor([&] { return !h.risk_intents().empty(); }));
  CHECK(h.risk_intents().front().intent.price() == Raw(kQuotedBid));
}

}  // namespace
}  // namespace tradeplane
