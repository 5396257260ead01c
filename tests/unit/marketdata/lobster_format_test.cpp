#include "tradeplane/marketdata/lobster_format.h"

#include <chrono>
#include <cstring>

#include <catch2/catch.hpp>

#include "book_test_values.h"
#include "data_lines.h"

namespace tradeplane::marketdata {
namespace {

using testing::DataLines;
using testing::Message;
using testing::P;
using testing::Q;

constexpr const char* kAaplMessages = "lobster/AAPL_2012-06-21_34200000_57600000_message_10.csv";
constexpr const char* kAaplBook = "lobster/AAPL_2012-06-21_34200000_57600000_orderbook_10.csv";
constexpr const char* kAmznMessages = "lobster/AMZN_2021-04-12_34200000_57600000_message_10.csv";

std::string MessageError(std::string_view line) {
  absl::StatusOr<LobsterMessage> m = ParseLobsterMessage(line);
  REQUIRE_FALSE(m.ok());
  CHECK(m.status().code() == absl::StatusCode::kInvalidArgument);
  return Message(m.status());
}

std::string RowError(std::string_view line, size_t levels = 0) {
  absl::StatusOr<LobsterBookRow> row = ParseLobsterBookRow(line, levels);
  REQUIRE_FALSE(row.ok());
  return Message(row.status());
}

TEST_CASE("a LOBSTER message row parses exactly, with and without the mpid column",
          "[marketdata][lobster]") {
  absl::StatusOr<LobsterMessage> m = ParseLobsterMessage("34200.004241176,1,16113575,18,5853300,1");
  REQUIRE(m.ok());
  CHECK(m->time_after_midnight == Duration(34'200'004'241'176));
  CHECK(m->type == LobsterEventType::kSubmit);
  CHECK(m->order_id == 16113575);
  CHECK(m->size == Q("18"));
  CHECK(m->price == P("585.33"));
  CHECK(m->direction == common::v1::SIDE_BUY);
  CHECK(m->mpid[0] == '\0');

  absl::StatusOr<LobsterMessage> amzn =
      ParseLobsterMessage("34201.117864772,1,7467025,10,33560000,-1,UBSS\r");
  REQUIRE(amzn.ok());
  CHECK(std::string(amzn->mpid, 4) == "UBSS");
  CHECK(amzn->direction == common::v1::SIDE_SELL);
  CHECK(amzn->price == P("3356"));
  absl::StatusOr<LobsterMessage> null_mpid =
      ParseLobsterMessage("34200.000376608,5,0,10,33578400,1,null");
  REQUIRE(null_mpid.ok());
  CHECK(null_mpid->mpid[0] == '\0');
  // Fewer decimals are fine; the cross trade has order id -1.
  absl::StatusOr<LobsterMessage> cross = ParseLobsterMessage("34201.1,6,-1,45725,33552100,-1,null");
  REQUIRE(cross.ok());
  CHECK(cross->time_after_midnight == Duration(34'201'100'000'000));
  CHECK(cross->order_id == -1);
  CHECK(cross->price == P("3355.21"));
}

TEST_CASE("a halt message carries its state in the price column", "[marketdata][lobster]") {
  absl::StatusOr<LobsterMessage> halt = ParseLobsterMessage("36000.5,7,0,0,-1,-1");
  REQUIRE(halt.ok());
  CHECK(halt->halt == LobsterHaltState::kHalted);
  CHECK(halt->price.is_zero());
  CHECK(ParseLobsterMessage("36000.5,7,0,0,0,-1")->halt == LobsterHaltState::kQuotesResumed);
  CHECK(ParseLobsterMessage("36000.5,7,0,0,1,-1")->halt == LobsterHaltState::kTradingResumed);
  CHECK_THAT(MessageError("36000.5,7,0,0,2,-1"), Catch::Contains("a halt message (type 7)"));
}

TEST_CASE("bad LOBSTER message rows are refused with the column and the reason",
          "[marketdata][lobster]") {
  CHECK_THAT(MessageError("garbage"), Catch::Contains("expected 6 or 7 comma-separated columns"));
  CHECK_THAT(MessageError(""), Catch::Contains("found 1"));
  CHECK_THAT(MessageError("34200.1,1,16113575,18,5853300"), Catch::Contains("found 5"));
  CHECK_THAT(MessageError("34200.1,1,1,18,5853300,1,null,extra"),
             Catch::Contains("found more than 7"));
  CHECK_THAT(MessageError("34200.1,1,1,18,58533.00,1"),
             Catch::Contains("price '58533.00': not an integer"));
  CHECK_THAT(MessageError("34200.1,1,1,18,abc,1"), Catch::Contains("price 'abc'"));
  CHECK_THAT(MessageError("34200.1,1,1,18,,1"), Catch::Contains("price ''"));
  CHECK_THAT(MessageError("34200.1,1,1,18,0,1"), Catch::Contains("price must be positive"));
  CHECK_THAT(MessageError("34200.1,1,1,18,-5853300,1"), Catch::Contains("positive"));
  CHECK_THAT(MessageError("34200.1,1,1,-18,5853300,1"),
             Catch::Contains("size '-18': negative size"));
  CHECK_THAT(MessageError("34200.1,1,1,0,5853300,1"),
             Catch::Contains("a submit needs a positive size"));
  CHECK_THAT(MessageError("34200.1,1,1,1.5,5853300,1"), Catch::Contains("size '1.5'"));
  CHECK_THAT(MessageError("34200.1,8,1,18,5853300,1"), Catch::Contains("type '8'"));
  CHECK_THAT(MessageError("34200.1,1,1,18,5853300,0"), Catch::Contains("direction '0'"));
  CHECK_THAT(MessageError("34200.1,1,x,18,5853300,1"), Catch::Contains("order_id 'x'"));
  CHECK_THAT(MessageError("-1,1,1,18,5853300,1"), Catch::Contains("time '-1'"));
  CHECK_THAT(MessageError("34200.1234567891,1,1,18,5853300,1"),
             Catch::Contains("up to 9 decimals"));
  CHECK_THAT(MessageError("1e4,1,1,18,5853300,1"), Catch::Contains("time '1e4'"));
  CHECK_THAT(MessageError("34200.1,1,1,18,5853300,1,TOOLONGID"),
             Catch::Contains("1 to 8 characters"));
  CHECK_THAT(MessageError("34200.1,1,1,18,99999999999,1"), Catch::Contains("out of range"));
}

TEST_CASE("an order-book row yields the non-empty levels best first", "[marketdata][lobster]") {
  absl::StatusOr<LobsterBookRow> row = ParseLobsterBookRow(
      "5859400,200,5853300,18,5859800,200,5853000,150,9999999999,0,-9999999999,0", 3);
  REQUIRE(row.ok());
  CHECK(row->levels == 3);
  REQUIRE(row->asks.size() == 2);
  REQUIRE(row->bids.size() == 2);
  CHECK(row->asks[0].price == P("585.94"));
  CHECK(row->asks[1].qty == Q("200"));
  CHECK(row->bids[0].price == P("585.33"));
  CHECK(row->bids[1].price == P("585.3"));
  // A one-sided book: empty bids.
  absl::StatusOr<LobsterBookRow> one_sided = ParseLobsterBookRow("5859400,200,-9999999999,0", 1);
  REQUIRE(one_sided.ok());
  CHECK(one_sided->bids.empty());
}

TEST_CASE("bad order-book rows are refused with the column and the reason",
          "[marketdata][lobster]") {
  CHECK_THAT(RowError("5859400,200,5853300"), Catch::Contains("a multiple of 4 columns"));
  CHECK_THAT(RowError("5859400,200,5853300,18", 10), Catch::Contains("expected 40 columns"));
  CHECK_THAT(RowError(""), Catch::Contains("found 0"));
  CHECK_THAT(RowError("5859400,-200,5853300,18"),
             Catch::Contains("ask_size_1 '-200': negative size"));
  CHECK_THAT(RowError("5859400,200,58533.5,18"), Catch::Contains("bid_price_1 '58533.5'"));
  CHECK_THAT(RowError("5859400,200,abc,18"), Catch::Contains("bid_price_1 'abc'"));
  CHECK_THAT(RowError("5859400,0,5853300,18"), Catch::Contains("size 0 at a real price"));
  CHECK_THAT(RowError("5859400,200,5853300,18,5859000,100,5853000,10"),
             Catch::Contains("ask_price_2 '5859000': not above the previous level's price"));
  CHECK_THAT(RowError("9999999999,0,5853300,18,5859800,200,5853000,150"),
             Catch::Contains("ask level 2 is not empty but a better level is"));
  CHECK_THAT(RowError("5853300,200,5853300,18"), Catch::Contains("crossed or locked"));
}

TEST_CASE("LOBSTER file names give the symbol, date, window, kind and levels",
          "[marketdata][lobster]") {
  absl::StatusOr<LobsterFileName> name = ParseLobsterFileName(std::string("data/") + kAaplMessages);
  REQUIRE(name.ok());
  CHECK(name->symbol == "AAPL");
  CHECK(name->date.year == 2012);
  CHECK(name->date.month == 6);
  CHECK(name->date.day == 21);
  CHECK(name->start_after_midnight == std::chrono::hours(9) + std::chrono::minutes(30));
  CHECK(name->end_after_midnight == std::chrono::hours(16));
  CHECK(name->kind == LobsterFileKind::kMessage);
  CHECK(name->levels == 10);
  CHECK(ParseLobsterFileName(kAaplBook)->kind == LobsterFileKind::kOrderBook);
  CHECK(ParseLobsterFileName("BRK_B_2021-04-12_0_100_message_5.csv")->symbol == "BRK_B");
  CHECK_THAT(Message(ParseLobsterFileName("AAPL_2012-06-21_1_2_message_10.txt").status()),
             Catch::Contains("does not end in .csv"));
  CHECK_THAT(Message(ParseLobsterFileName("AAPL_2012-13-21_1_2_message_10.csv").status()),
             Catch::Contains("date"));
  CHECK_THAT(Message(ParseLobsterFileName("AAPL_2012-06-21_1_2_trades_10.csv").status()),
             Catch::Contains("neither message nor orderbook"));
  CHECK_THAT(Message(ParseLobsterFileName("2012-06-21_1_2_message_10.csv").status()),
             Catch::Contains("too few"));
}

TEST_CASE("every row of the three LOBSTER files parses", "[marketdata][lobster][data]") {
  std::vector<std::string> aapl = DataLines(kAaplMessages);
  std::vector<std::string> book = DataLines(kAaplBook);
  std::vector<std::string> amzn = DataLines(kAmznMessages);
  REQUIRE(aapl.size() == 999);
  REQUIRE(book.size() == 999);
  REQUIRE(amzn.size() == 40674);
  size_t executions = 0;
  for (size_t i = 0; i < aapl.size(); ++i) {
    absl::StatusOr<LobsterMessage> m = ParseLobsterMessage(aapl[i]);
    INFO("AAPL message line " << i + 1 << ": " << Message(m.status()));
    REQUIRE(m.ok());
  }
  LobsterBookRow row;
  for (size_t i = 0; i < book.size(); ++i) {
    absl::Status s = ParseLobsterBookRow(book[i], 10, &row);
    INFO("AAPL order-book line " << i + 1 << ": " << Message(s));
    REQUIRE(s.ok());
  }
  for (size_t i = 0; i < amzn.size(); ++i) {
    absl::StatusOr<LobsterMessage> m = ParseLobsterMessage(amzn[i]);
    if (!m.ok()) FAIL("AMZN line " << i + 1 << ": " << Message(m.status()));
    if (m->type == LobsterEventType::kExecuteVisible) ++executions;
  }
  CHECK(executions == 5389);
}

TEST_CASE("LOBSTER times become UTC on the file's date", "[marketdata][lobster]") {
  absl::StatusOr<LobsterMessage> first = ParseLobsterMessage(DataLines(kAmznMessages).at(0));
  REQUIRE(first.ok());
  absl::StatusOr<Timestamp> t = LobsterTimeToUtc({2021, 4, 12}, first->time_after_midnight);
  REQUIRE(t.ok());
  CHECK(FormatRfc3339(*t) == "2021-04-12T13:30:00.000376608Z");
  absl::StatusOr<Timestamp> winter = LobsterTimeToUtc({2021, 1, 15}, first->time_after_midnight);
  CHECK(FormatRfc3339(*winter) == "2021-01-15T14:30:00.000376608Z");
}

}  // namespace
}  // namespace tradeplane::marketdata
