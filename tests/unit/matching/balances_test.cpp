// Balances: locks for resting orders, settlement of fills with fees in the
// quote asset, refusal of orders the account cannot fund.
#include <catch2/catch.hpp>

#include "engine_fixture.h"

namespace tradeplane::matching {
namespace {

using namespace testing;  // NOLINT: test builders

Balance Get(const BalanceBook& book, AccountId account, std::string_view asset) {
  absl::StatusOr<Balance> balance = book.Get(account, asset);
  REQUIRE(balance.ok());
  return *balance;
}

FixtureOptions WithBalances(BalanceBook* book, FeeSchedule fees = {}) {
  FixtureOptions options;
  options.balances = book;
  options.fees = fees;
  return options;
}

TEST_CASE("a resting buy locks its notional plus the larger fee, and a cancel releases it",
          "[matching][balances]") {
  BalanceBook book;
  REQUIRE(book.SetFree(1, "USDT", A("1000")).ok());
  EngineFixture f(WithBalances(&book, FeeSchedule{Bps("1"), Bps("2")}));
  SubmitResult r = f.Limit(kBuy, "100.00", "2");
  CHECK(Get(book, 1, "USDT").free == A("799.96"));
  CHECK(Get(book, 1, "USDT").locked == A("200.04"));
  CHECK(f.Order(r.order_id).locked == A("200.04"));
  REQUIRE(f.engine().Cancel(1, r.order_id, f.Now()).ok());
  CHECK(Get(book, 1, "USDT").free == A("1000"));
  CHECK(Get(book, 1, "USDT").locked.is_zero());
}

TEST_CASE("a resting sell locks its base quantity", "[matching][balances]") {
  BalanceBook book;
  REQUIRE(book.SetFree(1, "BTC", A("5")).ok());
  EngineFixture f(WithBalances(&book));
  f.Limit(kSell, "100.00", "2");
  CHECK(Get(book, 1, "BTC").free == A("3"));
  CHECK(Get(book, 1, "BTC").locked == A("2"));
}

TEST_CASE("a trade between two accounts moves base and quote and charges both fees",
          "[matching][balances]") {
  BalanceBook book;
  REQUIRE(book.SetFree(1, "USDT", A("1000")).ok());
  REQUIRE(book.SetFree(2, "BTC", A("5")).ok());
  EngineFixture f(WithBalances(&book, FeeSchedule{Bps("1"), Bps("2")}));
  f.Limit(kSell, "100.00", "2", kGtc, 2);
  f.Limit(kBuy, "100.00", "2", kGtc, 1);
  // Buyer (taker): pays 200 + 0.04, receives 2 BTC.
  CHECK(Get(book, 1, "USDT").free == A("799.96"));
  CHECK(Get(book, 1, "USDT").locked.is_zero());
  CHECK(Get(book, 1, "BTC").free == A("2"));
  // Seller (maker): gives 2 BTC, receives 200 - 0.02.
  CHECK(Get(book, 2, "BTC").free == A("3"));
  CHECK(Get(book, 2, "BTC").locked.is_zero());
  CHECK(Get(book, 2, "USDT").free == A("199.98"));
}

TEST_CASE("a buy filled below its limit pays the fill price and releases the rest of its lock",
          "[matching][balances]") {
  BalanceBook book;
  REQUIRE(book.SetFree(1, "USDT", A("1000")).ok());
  EngineFixture f(WithBalances(&book, FeeSchedule{Bps("0"), Bps("2")}));
  f.Level(kSell, "100.00", "1");
  f.Limit(kBuy, "101.00", "1");
  CHECK(Get(book, 1, "USDT").free == A("899.98"));
  CHECK(Get(book, 1, "USDT").locked.is_zero());
  CHECK(Get(book, 1, "BTC").free == A("1"));
}

TEST_CASE("an order the account cannot fund is rejected", "[matching][balances]") {
  BalanceBook book;
  REQUIRE(book.SetFree(1, "USDT", A("150")).ok());
  REQUIRE(book.SetFree(1, "BTC", A("0.5")).ok());
  EngineFixture f(WithBalances(&book, FeeSchedule{Bps("0"), Bps("2")}));
  f.Level(kSell, "100.00", "2");
  CHECK(f.Limit(kBuy, "75.00", "2").reject_reason == OrderReason::kInsufficientBalance);
  CHECK(f.Limit(kSell, "101.00", "0.501").reject_reason == OrderReason::kInsufficientBalance);
  CHECK(f.Market(kSell, "0.501").reject_reason == OrderReason::kInsufficientBalance);
  // A market buy is priced by walking the book: 2 cost 200.04, 1 costs 100.02.
  CHECK(f.Market(kBuy, "2").reject_reason == OrderReason::kInsufficientBalance);
  CHECK(f.last().kind == MatchEventKind::kRejected);
  SubmitResult one = f.Market(kBuy, "1");
  REQUIRE(one.accepted());
  CHECK(f.Order(one.order_id).status == orders::v1::ORDER_STATUS_FILLED);
  CHECK(Get(book, 1, "USDT").free == A("49.98"));
  // Exactly affordable is affordable: 49.98 / 1.0002 = 49.97000599... -> 49.97 at tick 0.01.
  CHECK(f.Limit(kBuy, "49.97", "1").accepted());
  CHECK(Get(book, 1, "USDT").free == A("0.000006"));
}

TEST_CASE("locks never run short across many small fills at prices the scale cannot hold",
          "[matching][balances]") {
  BalanceBook book;
  FixtureOptions options = WithBalances(&book, FeeSchedule{Bps("3.3"), Bps("7.5")});
  options.instrument.tick_size = P("0.00000001");
  EngineFixture f(options);
  // 0.12345679 * 10 = 1.2345679; + ceil(7.5 bps of it) 0.000925926 = 1.235493826.
  REQUIRE(book.SetFree(1, "USDT", A("1.235493826")).ok());
  SubmitResult r = f.Limit(kBuy, "0.12345679", "10");
  REQUIRE(r.accepted());
  CHECK(Get(book, 1, "USDT").free.is_zero());
  int trades = 0;
  while (f.Order(r.order_id).is_open()) {
    f.Trade("0.12345679", "0.007", kSell);
    Balance usdt = Get(book, 1, "USDT");
    REQUIRE_FALSE(usdt.free.is_negative());
    REQUIRE_FALSE(usdt.locked.is_negative());
    ++trades;
  }
  CHECK(trades == 1429);
  const EngineOrder& o = f.Order(r.order_id);
  CHECK(Get(book, 1, "USDT").locked.is_zero());
  CHECK(Get(book, 1, "BTC").free == A("10"));
  // Paid exactly what the fills cost, the rest of the lock came back.
  CHECK(Get(book, 1, "USDT").free.raw() ==
        A("1.235493826").raw() - o.filled_quote.raw() - o.fees.raw());
  CHECK(o.filled_quote < A("1.2345679"));  // truncation never charges more than exact
}

TEST_CASE("without balance checks balances are kept and may go negative", "[matching][balances]") {
  BalanceBook book;
  FixtureOptions options = WithBalances(&book);
  options.check_balances = false;
  EngineFixture f(options);
  f.Level(kSell, "100.00", "1");
  REQUIRE(f.Market(kBuy, "1").accepted());
  CHECK(Get(book, 1, "USDT").free == A("-100"));
  CHECK(Get(book, 1, "BTC").free == A("1"));
}

TEST_CASE("one balance book funds the engines of several instruments", "[matching][balances]") {
  BalanceBook book;
  REQUIRE(book.SetFree(1, "USDT", A("150")).ok());
  EngineFixture btc(WithBalances(&book));
  FixtureOptions eth_options = WithBalances(&book);
  eth_options.instrument.id.symbol = "ETHUSDT";
  eth_options.instrument.base_asset = "ETH";
  EngineFixture eth(eth_options);
  REQUIRE(btc.Limit(kBuy, "100.00", "1").accepted());
  CHECK(eth.Limit(kBuy, "60.00", "1").reject_reason == OrderReason::kInsufficientBalance);
  CHECK(eth.Limit(kBuy, "50.00", "1").accepted());
  CHECK(Get(book, 1, "USDT").free.is_zero());
  CHECK(Get(book, 1, "USDT").locked == A("150"));
}

TEST_CASE("the balance book refuses negative deposits and reads zero for what it never saw",
          "[matching][balances]") {
  BalanceBook book;
  CHECK(absl::IsInvalidArgument(book.SetFree(1, "USDT", A("-1"))));
  CHECK(Get(book, 9, "DOGE").free.is_zero());
  REQUIRE(book.SetFree(1, "USDT", A("3")).ok());
  REQUIRE(book.SetFree(1, "BTC", A("2")).ok());
  absl::StatusOr<std::vector<AssetBalance>> all = book.All(1);
  REQUIRE(all.ok());
  REQUIRE(all->size() == 2);
  CHECK((*all)[0].asset == "USDT");
  CHECK((*all)[1].free == A("2"));
  CHECK(book.All(2)->empty());
}

}  // namespace
}  // namespace tradeplane::matching
