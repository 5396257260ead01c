#include "tradeplane/marketdata/csv_format.h"

#include <chrono>

#include <catch2/catch.hpp>

#include "book_test_values.h"

namespace tradeplane::marketdata {
namespace {

using testing::Message;
using testing::P;
using testing::Q;

const CsvReadOptions kPlain{.instrument = 4};

template <typename T>
std::string Error(absl::StatusOr<T> result) {
  REQUIRE_FALSE(result.ok());
  CHECK(result.status().code() == absl::StatusCode::kInvalidArgument);
  return Message(result.status());
}

TEST_CASE("the CSV headers are checked exactly", "[marketdata][csv]") {
  CHECK(CheckCsvHeader("ts,open,high,low,close,volume", kBarCsvHeader).ok());
  CHECK(CheckCsvHeader("ts,open,high,low,close,volume\r", kBarCsvHeader).ok());
  CHECK_THAT(
      Message(CheckCsvHeader("ts,open,high,low,close", kBarCsvHeader)),
      Catch::Contains("header 'ts,open,high,low,close' is not 'ts,open,high,low,close,volume'"));
  CHECK_FALSE(CheckCsvHeader("time,price,qty,aggressor,trade_id", kTradeCsvHeader).ok());
  CHECK(kQuoteCsvHeader == "ts,bid_price,bid_qty,ask_price,ask_qty");
  CHECK(kTradeCsvHeader == "ts,price,qty,aggressor,trade_id");
}

TEST_CASE("ts is RFC 3339 or integer nanoseconds", "[marketdata][csv]") {
  CHECK(*ParseCsvTimestamp("2021-04-12T13:30:00.000376608Z") ==
        Timestamp::FromNanos(1618234200'000376608));
  CHECK(*ParseCsvTimestamp("2021-04-12T09:30:00-04:00") == Timestamp::FromSeconds(1618234200));
  CHECK(*ParseCsvTimestamp("1618234200000376608") == Timestamp::FromNanos(1618234200'000376608));
  CHECK_THAT(Message(ParseCsvTimestamp("99999999999999999999").status()),
             Catch::Contains("out of range"));
  CHECK_THAT(Message(ParseCsvTimestamp("yesterday").status()),
             Catch::Contains("nor integer nanoseconds"));
  CHECK_THAT(Message(ParseCsvTimestamp("").status()), Catch::Contains("empty"));
}

TEST_CASE("quote rows parse and write back the same text", "[marketdata][csv]") {
  absl::StatusOr<Quote> q =
      ParseQuoteCsvRow("2021-10-12T00:28:33.377805000Z,0.3521,672,0.3526,3199", kPlain);
  REQUIRE(q.ok());
  CHECK(q->instrument == 4);
  CHECK(q->bid_price == P("0.3521"));
  CHECK(q->ask_qty == Q("3199"));
  CHECK(q->exchange_time == Timestamp::FromNanos(1633998513'377805000));
  std::string out;
  AppendQuoteCsvRow(*q, &out);
  CHECK(out == "2021-10-12T00:28:33.377805000Z,0.3521,672,0.3526,3199\n");
}

TEST_CASE("trade rows parse with and without aggressor and id, and write back",
          "[marketdata][csv]") {
  absl::StatusOr<Trade> t = ParseTradeCsvRow("1618234201117864772,3355.21,45725,,", kPlain);
  REQUIRE(t.ok());
  CHECK(t->aggressor == common::v1::SIDE_UNSPECIFIED);
  CHECK(t->trade_id == 0);
  CHECK(t->qty == Q("45725"));
  absl::StatusOr<Trade> sell = ParseTradeCsvRow("1618234201117864772,3355.21,5,sell,42", kPlain);
  REQUIRE(sell.ok());
  CHECK(sell->aggressor == common::v1::SIDE_SELL);
  CHECK(sell->trade_id == 42);
  std::string out;
  AppendTradeCsvRow(*sell, &out);
  AppendTradeCsvRow(*t, &out);
  CHECK(out ==
        "2021-04-12T13:30:01.117864772Z,3355.21,5,sell,42\n"
        "2021-04-12T13:30:01.117864772Z,3355.21,45725,,\n");
  absl::StatusOr<Trade> back = ParseTradeCsvRow(out.substr(0, out.find('\n')), kPlain);
  REQUIRE(back.ok());
  CHECK(back->exchange_time == sell->exchange_time);
}

TEST_CASE("bar rows parse with the caller's interval and write back", "[marketdata][csv]") {
  CsvReadOptions options{.instrument = 2, .bar_interval = std::chrono::minutes(1)};
  absl::StatusOr<Bar> bar =
      ParseBarCsvRow("2021-10-12T00:28:00Z,0.3527,0.3528,0.3522,0.3528,25877", options);
  REQUIRE(bar.ok());
  CHECK(bar->interval == std::chrono::minutes(1));
  CHECK(bar->open_time == Timestamp::FromSeconds(1633998480));
  CHECK(bar->low == P("0.3522"));
  CHECK(bar->volume == Q("25877"));
  CHECK(bar->vwap.is_zero());
  std::string out;
  AppendBarCsvRow(*bar, &out);
  CHECK(out == "2021-10-12T00:28:00.000000000Z,0.3527,0.3528,0.3522,0.3528,25877\n");
}

TEST_CASE("bad CSV rows are refused with the column and the reason", "[marketdata][csv]") {
  CHECK_THAT(
      Error(ParseQuoteCsvRow("1,2,3", kPlain)),
      Catch::Contains("expected 5 columns (ts,bid_price,bid_qty,ask_price,ask_qty), found 3"));
  CHECK_THAT(Error(ParseQuoteCsvRow("1,2,3,4,5,6", kPlain)), Catch::Contains("more than 5"));
  CHECK_THAT(Error(ParseQuoteCsvRow("1,abc,3,4,5", kPlain)),
             Catch::Contains("column bid_price: not a decimal number: 'abc'"));
  CHECK_THAT(Error(ParseQuoteCsvRow("1,2,-3,4,5", kPlain)),
             Catch::Contains("column bid_qty: negative quantity -3"));
  CHECK_THAT(Error(ParseQuoteCsvRow("1,4,3,4,5", kPlain)), Catch::Contains("crossed or locked"));
  CHECK_THAT(Error(ParseQuoteCsvRow("x,2,3,4,5", kPlain)), Catch::Contains("column ts"));
  CHECK_THAT(Error(ParseTradeCsvRow("1,0,3,,", kPlain)),
             Catch::Contains("column price: price 0 must be positive"));
  CHECK_THAT(Error(ParseTradeCsvRow("1,2,0,,", kPlain)),
             Catch::Contains("column qty: quantity must be positive"));
  CHECK_THAT(Error(ParseTradeCsvRow("1,2,3,up,", kPlain)),
             Catch::Contains("column aggressor: 'up' is not buy, sell or empty"));
  CHECK_THAT(Error(ParseTradeCsvRow("1,2,3,buy,-7", kPlain)),
             Catch::Contains("column trade_id: '-7' is not an unsigned integer"));
  CsvReadOptions ticked{.tick_size = P("0.01"), .lot_size = Q("1")};
  CHECK_THAT(Error(ParseTradeCsvRow("1,2.005,3,buy,", ticked)),
             Catch::Contains("column price: price 2.005 is not a multiple of the tick 0.01"));
  CHECK_THAT(Error(ParseTradeCsvRow("1,2.01,3.5,buy,", ticked)),
             Catch::Contains("column qty: quantity 3.5 is not a multiple of the lot 1"));
  CHECK_THAT(Error(ParseBarCsvRow("1,2,3,1,4,10", kPlain)),
             Catch::Contains("need low <= open, close <= high"));
  CHECK_THAT(Error(ParseBarCsvRow("1,2,3,1,2,-10", kPlain)),
             Catch::Contains("column volume: negative quantity -10"));
  CHECK_THAT(Error(ParseBarCsvRow("1,2,3,1,2", kPlain)),
             Catch::Contains("(ts,open,high,low,close,volume), found 5"));
}

}  // namespace
}  // namespace tradeplane::marketdata
