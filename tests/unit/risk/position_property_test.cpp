// Property tests of the accounting over many random fill sequences, against
// computations written plainly here: the cash-flow identity, the position as
// the sum of fills, and independence from the order in which fills arrive.
#include <algorithm>
#include <map>
#include <random>

#include <catch2/catch.hpp>

#include "tradeplane/risk/position_account.h"
#include "tradeplane/risk/position_ledger.h"

#include "risk_fixture.h"

namespace tradeplane::risk {
namespace {

using namespace testing;  // NOLINT: the fixture's vocabulary
using fixed_point::Int128;

constexpr int kSeeds = 400;

// A price with 6 decimals in [0.5, 1500) and a quantity with 4 decimals in
// (0, 2000]: their products have 10 decimals, so notionals round.
Price RandomPrice(std::mt19937_64& rng) {
  return Price::FromRaw(std::uniform_int_distribution<int64_t>(500'000, 1'500'000'000)(rng) * 1000);
}
Quantity RandomQty(std::mt19937_64& rng) {
  return Quantity::FromRaw(std::uniform_int_distribution<int64_t>(1, 20'000'000)(rng) * 100'000);
}
Side RandomSide(std::mt19937_64& rng) {
  return std::uniform_int_distribution<int>(0, 1)(rng) == 0 ? kBuy : kSell;
}

// The plain computation: cash in for sells, out for buys, each fill's
// notional rounded half-even once.
int64_t SignedCash(Side side, Price price, Quantity qty) {
  int64_t n = Notional(price, qty, Rounding::kHalfEven)->raw();
  return side == kSell ? n : -n;
}

TEST_CASE("realized plus unrealized equals the cash flows plus the position at the mark",
          "[risk][ledger][property]") {
  for (int seed = 1; seed <= kSeeds; ++seed) {
    std::mt19937_64 rng(seed);
    PositionAccount account;
    Int128 cash = 0;
    Int128 qty = 0;
    int64_t min_price = INT64_MAX;
    int64_t max_price = 0;
    int n = std::uniform_int_distribution<int>(1, 60)(rng);
    for (int k = 0; k < n; ++k) {
      Side side = RandomSide(rng);
      Price price = RandomPrice(rng);
      Quantity q = RandomQty(rng);
      REQUIRE(account.Apply(side, price, q).ok());
      cash += SignedCash(side, price, q);
      qty += side == kBuy ? q.raw() : -q.raw();
      min_price = std::min(min_price, price.raw());
      max_price = std::max(max_price, price.raw());

      INFO("seed " << seed << " fill " << k);
      REQUIRE(account.qty().raw() == qty);
      Price mark = RandomPrice(rng);
      Int128 at_mark = Notional(mark, account.qty(), Rounding::kHalfEven)->raw();
      REQUIRE(static_cast<Int128>(account.realized().raw()) + account.Unrealized(mark)->raw() ==
              cash + at_mark);
      // The cost basis has the position's sign, and its average lies among
      // the prices traded (give or take the last unit of rounding).
      if (account.flat()) {
        REQUIRE(account.cost_basis().is_zero());
      } else {
        REQUIRE((account.cost_basis().raw() > 0) == (account.qty().raw() > 0));
        REQUIRE(account.AverageCost().raw() >= min_price - 1);
        REQUIRE(account.AverageCost().raw() <= max_price + 1);
      }
    }
  }
}

struct Generated {
  std::vector<Fill> fills;
  int duplicates = 0;
};

// Fills over two instruments and three strategies, some at the same instant
// (ordered by fill_id then), with quote-asset fees.
Generated RandomLedgerFills(std::mt19937_64& rng, const RiskFixture& f) {
  Generated g;
  int n = std::uniform_int_distribution<int>(1, 50)(rng);
  const char* strategies[] = {"mm", "trend", ""};
  for (int k = 0; k < n; ++k) {
    Fill fill;
    fill.fill_id = StrCat("f", std::uniform_int_distribution<int>(0, 1'000'000)(rng), "-", k);
    fill.instrument = std::uniform_int_distribution<int>(0, 1)(rng) == 0 ? f.nkn : f.amzn;
    fill.strategy_id = strategies[std::uniform_int_distribution<int>(0, 2)(rng)];
    fill.side = RandomSide(rng);
    fill.price = RandomPrice(rng);
    fill.qty = RandomQty(rng);
    fill.fee = Amount::FromRaw(std::uniform_int_distribution<int64_t>(0, 5'000'000'000)(rng));
    fill.fee_asset = fill.instrument == f.nkn ? "USDT" : "USD";
    fill.time = kT0 + std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 20)(rng));
    g.fills.push_back(fill);
  }
  return g;
}

PositionLedger MakeLedger(const RiskFixture& f) {
  PositionLedger ledger(&f.table);
  ValuationConfig valuation;
  valuation.currency = "USDT";
  valuation.rates = {{"USD", Px("1")}};
  ledger.SetValuation(valuation);
  return ledger;
}

TEST_CASE("positions and PnL do not depend on the order fills arrive in",
          "[risk][ledger][property]") {
  RiskFixture f;
  for (int seed = 1; seed <= kSeeds / 2; ++seed) {
    std::mt19937_64 rng(seed);
    Generated g = RandomLedgerFills(rng, f);
    std::vector<Fill> by_time = g.fills;
    std::sort(by_time.begin(), by_time.end(), [](const Fill& a, const Fill& b) {
      return std::tie(a.time, a.fill_id) < std::tie(b.time, b.fill_id);
    });
    std::vector<Fill> arrival = g.fills;
    std::shuffle(arrival.begin(), arrival.end(), rng);
    // Some fills arrive twice.
    int duplicates = std::uniform_int_distribution<int>(0, 5)(rng);
    for (int k = 0; k < duplicates; ++k) {
      arrival.push_back(g.fills[std::uniform_int_distribution<size_t>(0, g.fills.size() - 1)(rng)]);
    }
    std::shuffle(arrival.begin(), arrival.end(), rng);

    PositionLedger in_order = MakeLedger(f);
    PositionLedger shuffled = MakeLedger(f);
    for (const Fill& fill : by_time) REQUIRE(*in_order.ApplyFill(fill) == FillOutcome::kApplied);
    for (const Fill& fill : arrival) REQUIRE(shuffled.ApplyFill(fill).ok());
    INFO("seed " << seed);
    CHECK(shuffled.duplicate_fills() == static_cast<uint64_t>(duplicates));

    std::map<std::pair<InstrumentIndex, std::string>, Int128> qty_by_strategy;
    std::map<InstrumentIndex, Int128> qty_by_instrument;
    for (const Fill& fill : g.fills) {
      int64_t signed_qty = fill.side == kBuy ? fill.qty.raw() : -fill.qty.raw();
      std::string strategy =
          fill.strategy_id.empty() ? std::string(kUnattributedStrategy) : fill.strategy_id;
      qty_by_strategy[{fill.instrument, strategy}] += signed_qty;
      qty_by_instrument[fill.instrument] += signed_qty;
    }
    for (const auto& [key, qty] : qty_by_strategy) {
      const PositionAccount* a = shuffled.StrategyAccount(key.first, key.second);
      const PositionAccount* b = in_order.StrategyAccount(key.first, key.second);
      REQUIRE(a != nullptr);
      REQUIRE(b != nullptr);
      CHECK(a->qty().raw() == qty);
      CHECK(*a == *b);
    }
    for (InstrumentIndex i : {f.nkn, f.amzn}) {
      CHECK(shuffled.NetQty(i).raw() == qty_by_instrument[i]);
      CHECK(shuffled.InstrumentAccount(i) == in_order.InstrumentAccount(i));
    }
  }
}

TEST_CASE("equity is the starting equity plus cash flows plus positions at the mark less fees",
          "[risk][ledger][property]") {
  RiskFixture f;
  for (int seed = 1; seed <= kSeeds / 2; ++seed) {
    std::mt19937_64 rng(1000 + seed);
    Generated g = RandomLedgerFills(rng, f);
    PositionLedger ledger = MakeLedger(f);
    ledger.SetStartingEquity(Amt("100000"));
    std::map<InstrumentIndex, Price> marks = {{f.nkn, RandomPrice(rng)},
                                              {f.amzn, RandomPrice(rng)}};
    for (const auto& [i, mark] : marks) ledger.SetMark(i, mark);

    Int128 expected = Amt("100000").raw();
    std::map<InstrumentIndex, Int128> qty;
    for (const Fill& fill : g.fills) {
      REQUIRE(ledger.ApplyFill(fill).ok());
      expected += SignedCash(fill.side, fill.price, fill.qty) - fill.fee.raw();
      qty[fill.instrument] += fill.side == kBuy ? fill.qty.raw() : -fill.qty.raw();
    }
    for (const auto& [i, q] : qty) {
      expected +=
          Notional(marks[i], Quantity::FromRaw(static_cast<int64_t>(q)), Rounding::kHalfEven)
              ->raw();
    }
    INFO("seed " << seed);
    absl::StatusOr<Amount> equity = ledger.Equity();
    REQUIRE(equity.ok());
    CHECK(equity->raw() == expected);
    absl::StatusOr<v1::PnlSummary> summary = ledger.Revalue(kT0);
    REQUIRE(summary.ok());
    CHECK(summary->equity() == expected);
    CHECK(static_cast<Int128>(summary->realized()) + summary->unrealized() - summary->fees() ==
          expected - Amt("100000").raw());
  }
}

}  // namespace
}  // namespace tradeplane::risk
