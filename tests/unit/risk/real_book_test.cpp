// Market orders against a real book: the NKNUSDT depth snapshot Binance
// served on 2021-10-12 (data/binance/spot-2021-10-12.rest.log).
#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "risk_fixture.h"
#include <rapidjson/document.h>

namespace tradeplane::risk {
namespace {

using namespace testing;  // NOLINT: the fixture's vocabulary

struct Snapshot {
  std::vector<marketdata::BookLevel> bids;
  std::vector<marketdata::BookLevel> asks;
};

// A .rest.log line: "<url> -> <receive time>: <JSON body>".
Snapshot LoadDepth(std::string_view symbol) {
  std::ifstream in(TRADEPLANE_SOURCE_DIR "/data/binance/spot-2021-10-12.rest.log");
  REQUIRE(in.good());
  std::string line;
  while (std::getline(in, line)) {
    if (line.find(StrCat("symbol=", symbol, "&")) == std::string::npos) continue;
    size_t body = line.find(": ", line.find(" -> "));
    REQUIRE(body != std::string::npos);
    rapidjson::Document doc;
    doc.Parse<rapidjson::kParseNumbersAsStringsFlag>(line.c_str() + body + 2);
    REQUIRE_FALSE(doc.HasParseError());
    Snapshot s;
    for (auto [side, out] : {std::pair{"bids", &s.bids}, std::pair{"asks", &s.asks}}) {
      for (const auto& level : doc[side].GetArray()) {
        out->push_back({Px(level[0].GetString()), Qty(level[1].GetString())});
      }
    }
    return s;
  }
  FAIL("no depth snapshot for " << symbol);
  return {};
}

TEST_CASE("a market order must fit within the collar of the real NKNUSDT book", "[risk][check]") {
  RiskFixture f;
  f.LimitsOf(f.nkn)->set_collar_bps(30);
  f.Build();
  Snapshot depth = LoadDepth("NKNUSDT");
  REQUIRE(depth.asks.size() == 1000);
  marketdata::BookView book{f.nkn, depth.bids, depth.asks, 499869752, kT0};
  f.state->OnBook(book, kT0);
  // Mid (0.3521 + 0.3525) / 2 = 0.3523; 30 bps above: 0.3533569.
  Price high = Px("0.3533569");
  int64_t within = 0;
  for (const marketdata::BookLevel& level : depth.asks) {
    if (level.price <= high) within += level.qty.raw();
  }
  CHECK(Quantity::FromRaw(within) == Qty("39557"));
  CHECK_APPROVED(f.Check(f.Market(f.nkn, kBuy, "39557")));
  CHECK_REFUSED(f.Check(f.Market(f.nkn, kBuy, "39558")), v1::REFUSAL_CODE_INSUFFICIENT_DEPTH);
  // A limit order at the edge of the collar is fine, one tick beyond is not.
  CHECK_APPROVED(f.Check(f.Limit(f.nkn, kBuy, "100", "0.3533")));
  CHECK_REFUSED(f.Check(f.Limit(f.nkn, kBuy, "100", "0.3534")), v1::REFUSAL_CODE_PRICE_COLLAR);
}

}  // namespace
}  // namespace tradeplane::risk
