#include "tradeplane/core/ids.h"

#include <set>

#include <catch2/catch.hpp>

namespace tradeplane {
namespace {

TEST_CASE("UUIDv7 ids are 36 characters, versioned and strictly increasing", "[core][ids]") {
  ManualClock clock(Timestamp::FromMillis(1'700'000'000'000));
  SeededRandom random(42);
  UuidV7Generator ids(clock, random);
  std::string prev;
  std::set<std::string> seen;
  for (int i = 0; i < 20'000; ++i) {  // several thousand per millisecond: counter overflow
    if (i % 7000 == 0) clock.Advance(std::chrono::milliseconds(1));
    std::string id = ids.Next();
    REQUIRE(id.size() == 36);
    REQUIRE(id[14] == '7');                                                       // version
    REQUIRE((id[19] == '8' || id[19] == '9' || id[19] == 'a' || id[19] == 'b'));  // variant
    REQUIRE(ValidateClientOrderId(id).ok());
    REQUIRE(id > prev);
    prev = id;
    seen.insert(id);
  }
  CHECK(seen.size() == 20'000);
  // The timestamp is the first 48 bits.
  CHECK(prev.substr(0, 8) == "018bcfe5");
}

TEST_CASE("ids stay increasing when the clock goes backwards", "[core][ids]") {
  ManualClock clock(Timestamp::FromMillis(2'000'000'000'000));
  SeededRandom random(1);
  UuidV7Generator ids(clock, random);
  std::string a = ids.Next();
  clock.Advance(-std::chrono::seconds(5));
  std::string b = ids.Next();
  CHECK(b > a);
}

TEST_CASE("two generators (two processes) do not collide", "[core][ids]") {
  ManualClock clock(Timestamp::FromMillis(1'700'000'000'000));
  SystemRandom r1, r2;
  UuidV7Generator g1(clock, r1), g2(clock, r2);
  std::set<std::string> seen;
  for (int i = 0; i < 10'000; ++i) {
    REQUIRE(seen.insert(g1.Next()).second);
    REQUIRE(seen.insert(g2.Next()).second);
  }
}

TEST_CASE("seeded generators repeat exactly (the backtest relies on it)", "[core][ids]") {
  ManualClock c1(Timestamp::FromMillis(5)), c2(Timestamp::FromMillis(5));
  SeededRandom r1(9), r2(9);
  UuidV7Generator g1(c1, r1), g2(c2, r2);
  for (int i = 0; i < 100; ++i) REQUIRE(g1.Next() == g2.Next());
}

TEST_CASE("client order ids follow Binance's rule", "[core][ids]") {
  CHECK(ValidateClientOrderId("abc-DEF_1.2:3/4").ok());
  CHECK(ValidateClientOrderId(std::string(36, 'a')).ok());
  CHECK_THAT(std::string(ValidateClientOrderId(std::string(37, 'a')).message()),
             Catch::Contains("37 characters"));
  CHECK_THAT(std::string(ValidateClientOrderId("").message()), Catch::Contains("empty"));
  CHECK_THAT(std::string(ValidateClientOrderId("a b").message()), Catch::Contains("position 1"));
}

}  // namespace
}  // namespace tradeplane
