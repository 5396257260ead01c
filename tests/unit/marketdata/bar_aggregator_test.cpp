#include "tradeplane/marketdata/bar_aggregator.h"

#include <chrono>
#include <vector>

#include <catch2/catch.hpp>

#include "tradeplane/marketdata/lobster_book.h"

#include "book_test_values.h"
#include "data_lines.h"

namespace tradeplane::marketdata {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;
using testing::Message;
using testing::P;
using testing::Q;

constexpr Timestamp kT0 = Timestamp::FromSeconds(1'700'000'040);  // a whole minute

Trade T(Duration after, std::string_view price, std::string_view qty, uint64_t id = 0) {
  Trade t;
  t.instrument = 5;
  t.price = P(price);
  t.qty = Q(qty);
  t.trade_id = id;
  t.exchange_time = kT0 + after;
  return t;
}

BarAggregator Minutes(Price tick = Price()) {
  absl::StatusOr<BarAggregator> a =
      BarAggregator::Create({.instrument = 5, .interval = minutes(1), .tick_size = tick});
  REQUIRE(a.ok());
  return *a;
}

std::optional<Bar> Add(BarAggregator& a, const Trade& t) {
  absl::StatusOr<std::optional<Bar>> r = a.OnTrade(t);
  INFO(Message(r.status()));
  REQUIRE(r.ok());
  return *r;
}

TEST_CASE("a bar holds open, high, low, close, volume, VWAP and count", "[marketdata][bars]") {
  BarAggregator a = Minutes();
  CHECK_FALSE(Add(a, T(seconds(1), "10", "1")).has_value());
  CHECK_FALSE(Add(a, T(seconds(2), "12", "2")).has_value());
  CHECK_FALSE(Add(a, T(seconds(3), "9", "1")).has_value());
  CHECK_FALSE(Add(a, T(seconds(59), "11", "4")).has_value());
  std::optional<Bar> bar = Add(a, T(seconds(60), "13", "1"));  // next minute closes the first
  REQUIRE(bar.has_value());
  CHECK(bar->instrument == 5);
  CHECK(bar->interval == minutes(1));
  CHECK(bar->open_time == kT0);
  CHECK(bar->open == P("10"));
  CHECK(bar->high == P("12"));
  CHECK(bar->low == P("9"));
  CHECK(bar->close == P("11"));
  CHECK(bar->volume == Q("8"));
  // (10 + 24 + 9 + 44) / 8 = 87 / 8 = 10.875
  CHECK(bar->vwap == P("10.875"));
  CHECK(bar->trade_count == 4);
  CHECK(a.open_bar()->open_time == kT0 + minutes(1));
  CHECK(a.counters().bars == 1);
}

TEST_CASE("the VWAP is exact, half-even at the scale, then to the tick", "[marketdata][bars]") {
  BarAggregator a = Minutes();
  Add(a, T(seconds(1), "1", "1"));
  Add(a, T(seconds(2), "1", "1"));
  Add(a, T(seconds(3), "2", "1"));
  // 4 / 3 = 1.333333333(33..): the last digit rounds down.
  CHECK(a.open_bar()->vwap == P("1.333333333"));
  BarAggregator b = Minutes();
  Add(b, T(seconds(1), "0.000000001", "1"));
  Add(b, T(seconds(2), "0.000000002", "1"));
  // 1.5e-9 is a tie: half-even gives 2e-9.
  CHECK(b.open_bar()->vwap.raw() == 2);
  BarAggregator ticked = Minutes(P("0.05"));
  Add(ticked, T(seconds(1), "10.00", "1"));
  Add(ticked, T(seconds(2), "10.05", "1"));
  // 10.025 is a tie between 10.00 and 10.05: the even multiple (200 ticks) wins.
  CHECK(ticked.open_bar()->vwap == P("10"));
  Add(ticked, T(seconds(3), "10.05", "2"));
  // (10 + 10.05 * 3) / 4 = 10.0375 -> 10.05
  CHECK(ticked.open_bar()->vwap == P("10.05"));
  // Exactness where doubles fail: 0.1 * 3 + 0.2 * 3 over 6 is exactly 0.15.
  BarAggregator exact = Minutes();
  Add(exact, T(seconds(1), "0.1", "3"));
  Add(exact, T(seconds(2), "0.2", "3"));
  CHECK(exact.open_bar()->vwap == P("0.15"));
}

TEST_CASE("empty intervals emit no bar and the next bar opens at its own start",
          "[marketdata][bars]") {
  BarAggregator a = Minutes();
  Add(a, T(seconds(5), "10", "1"));
  std::optional<Bar> first = Add(a, T(minutes(3) + seconds(7), "11", "1"));
  REQUIRE(first.has_value());
  CHECK(first->open_time == kT0);
  CHECK(a.open_bar()->open_time == kT0 + minutes(3));  // minutes 1 and 2 had no trade
  CHECK(a.counters().bars == 1);
}

TEST_CASE("trades out of order within the open interval are applied by their time",
          "[marketdata][bars]") {
  BarAggregator a = Minutes();
  Add(a, T(seconds(30), "10", "1"));
  Add(a, T(seconds(10), "9", "1"));  // earlier: becomes the open
  Add(a, T(seconds(50), "12", "1"));
  Add(a, T(seconds(40), "11", "1"));  // earlier than the last: not the close
  std::optional<Bar> bar = a.OnTime(kT0 + minutes(1));
  REQUIRE(bar.has_value());
  CHECK(bar->open == P("9"));
  CHECK(bar->close == P("12"));
  CHECK(bar->trade_count == 4);
}

TEST_CASE("a trade for a closed interval is refused and counted", "[marketdata][bars]") {
  BarAggregator a = Minutes();
  Add(a, T(seconds(5), "10", "1"));
  Add(a, T(minutes(2), "11", "1"));
  absl::StatusOr<std::optional<Bar>> late = a.OnTrade(T(seconds(30), "10", "1", 77));
  CHECK(late.status().code() == absl::StatusCode::kFailedPrecondition);
  CHECK_THAT(Message(late.status()), Catch::Contains("trade 77 at"));
  CHECK_THAT(Message(late.status()), Catch::Contains("which is closed"));
  // An interval that never opened but lies before the open bar is closed too.
  CHECK_FALSE(a.OnTrade(T(minutes(1) + seconds(1), "10", "1")).ok());
  CHECK(a.counters().late_trades == 2);
  CHECK(a.open_bar()->trade_count == 1);
}

TEST_CASE("advancing time closes the open bar and the intervals before now", "[marketdata][bars]") {
  BarAggregator a = Minutes();
  Add(a, T(seconds(5), "10", "1"));
  CHECK_FALSE(a.OnTime(kT0 + seconds(59)).has_value());
  CHECK(Add(a, T(seconds(59) + milliseconds(999), "10.5", "1")) == std::nullopt);
  std::optional<Bar> bar = a.OnTime(kT0 + minutes(1));
  REQUIRE(bar.has_value());
  CHECK(bar->close == P("10.5"));
  CHECK_FALSE(a.open_bar().has_value());
  CHECK_FALSE(a.OnTrade(T(seconds(59), "10", "1")).ok());
  // Time moves on with no trade: minute 3 is over before its trade arrives.
  CHECK_FALSE(a.OnTime(kT0 + minutes(4)).has_value());
  CHECK_FALSE(a.OnTrade(T(minutes(3) + seconds(1), "10", "1")).ok());
  CHECK(Add(a, T(minutes(4) + seconds(1), "10", "1")) == std::nullopt);
  CHECK(a.counters().late_trades == 2);
}

TEST_CASE("bad trades and settings are refused with the reason", "[marketdata][bars]") {
  CHECK_THAT(Message(BarAggregator::Create({.interval = Duration(0)}).status()),
             Catch::Contains("interval must be positive"));
  BarAggregator a = Minutes(P("0.01"));
  CHECK_THAT(Message(a.OnTrade(T(seconds(1), "10.005", "1")).status()),
             Catch::Contains("not a multiple of the tick 0.01"));
  CHECK_THAT(Message(a.OnTrade(T(seconds(1), "10", "-1")).status()),
             Catch::Contains("must be positive"));
  CHECK_THAT(Message(a.OnTrade(T(seconds(1), "0", "1")).status()),
             Catch::Contains("must be positive"));
  Add(a, T(seconds(1), "10", "9000000000"));
  absl::StatusOr<std::optional<Bar>> overflow = a.OnTrade(T(seconds(2), "10", "9000000000"));
  CHECK(overflow.status().code() == absl::StatusCode::kOutOfRange);
  CHECK(a.open_bar()->volume == Q("9000000000"));
}

TEST_CASE("one-second bars over the AMZN trades account for every share",
          "[marketdata][bars][data]") {
  std::vector<std::string> lines =
      testing::DataLines("lobster/AMZN_2021-04-12_34200000_57600000_message_10.csv");
  REQUIRE(lines.size() == 40674);
  LobsterBook book({.date = {2021, 4, 12}});
  // No tick: hidden executions at the midpoint trade at half a cent.
  absl::StatusOr<BarAggregator> seconds_bars = BarAggregator::Create({.interval = seconds(1)});
  REQUIRE(seconds_bars.ok());
  int64_t traded_shares = 0;
  int64_t bar_shares = 0;
  uint64_t bar_trades = 0;
  size_t bars = 0;
  for (const std::string& line : lines) {
    absl::StatusOr<LobsterUpdate> u = book.Apply(*ParseLobsterMessage(line));
    REQUIRE(u.ok());
    if (!u->has_trade) continue;
    traded_shares += u->trade.qty.raw() / kFixedPointScale;
    absl::StatusOr<std::optional<Bar>> closed = seconds_bars->OnTrade(u->trade);
    REQUIRE(closed.ok());
    if (*closed) {
      ++bars;
      bar_shares += (*closed)->volume.raw() / kFixedPointScale;
      bar_trades += (*closed)->trade_count;
      CHECK((*closed)->low <= (*closed)->vwap);
      CHECK((*closed)->vwap <= (*closed)->high);
    }
  }
  std::optional<Bar> last = seconds_bars->OnTime(Timestamp::FromSeconds(1618236000));
  REQUIRE(last.has_value());
  ++bars;
  bar_shares += last->volume.raw() / kFixedPointScale;
  bar_trades += last->trade_count;
  CHECK(bar_shares == traded_shares);
  CHECK(bar_trades == 9022);
  CHECK(seconds_bars->counters().late_trades == 0);
  CHECK(bars <= 1800);
}

}  // namespace
}  // namespace tradeplane::marketdata
