// Trading modes: the whole transition table for operators and breakers,
// four-eyes out of HALTED, how the mode starts, and blocks.
#include "tradeplane/risk/trading_mode.h"

#include <catch2/catch.hpp>

#include "tradeplane/risk/blocks.h"

#include "risk_fixture.h"

namespace tradeplane::risk {
namespace {

using namespace testing;  // NOLINT: the fixture's vocabulary
using std::chrono::minutes;

constexpr v1::TradingMode kModes[] = {v1::TRADING_MODE_ACTIVE, v1::TRADING_MODE_REDUCING,
                                      v1::TRADING_MODE_PAUSED, v1::TRADING_MODE_HALTED};

TradingModeController In(v1::TradingMode mode, ModeOptions options = {}) {
  v1::ModeChange stored;
  stored.set_mode(mode);
  stored.set_actor("carol");
  stored.set_reason("stored");
  stored.set_changed_ns(kT0.nanos() - 1000);
  return TradingModeController::FromStore(stored, options, kT0);
}

std::string Name(v1::TradingMode m) { return v1::TradingMode_Name(m); }

TEST_CASE("every operator transition between two modes follows the table", "[risk][mode]") {
  for (v1::TradingMode from : kModes) {
    for (v1::TradingMode to : kModes) {
      INFO(Name(from) << " -> " << Name(to));
      TradingModeController modes = In(from);
      absl::StatusOr<ModeRequestResult> r = modes.Request(to, "alice", "because", kT0);
      if (from == to) {
        CHECK(absl::IsFailedPrecondition(r.status()));
        CHECK(modes.mode() == from);
        continue;
      }
      REQUIRE(r.ok());
      if (from == v1::TRADING_MODE_HALTED) {
        // Leaving HALTED: pending until a second operator confirms.
        CHECK_FALSE(r->applied);
        CHECK(modes.mode() == v1::TRADING_MODE_HALTED);
        REQUIRE(modes.pending().has_value());
        CHECK(modes.pending()->mode() == to);
        absl::StatusOr<ModeRequestResult> second =
            modes.Request(to, "bob", "checked", kT0 + minutes(1));
        REQUIRE(second.ok());
        CHECK(second->applied);
        CHECK(second->change.actor() == "alice");
        CHECK(second->change.confirmed_by() == "bob");
        CHECK_FALSE(modes.pending().has_value());
      } else {
        CHECK(r->applied);
        CHECK(r->change.actor() == "alice");
        CHECK(r->change.reason() == "because");
        CHECK(r->change.changed_ns() == kT0.nanos());
        CHECK(r->change.confirmed_by().empty());
      }
      CHECK(modes.mode() == to);
      CHECK(modes.last_change().mode() == to);
      CHECK(modes.last_change().previous() == from);
    }
  }
}

TEST_CASE("without four-eyes one operator may leave HALTED", "[risk][mode]") {
  for (v1::TradingMode to : kModes) {
    if (to == v1::TRADING_MODE_HALTED) continue;
    TradingModeController modes = In(v1::TRADING_MODE_HALTED, ModeOptions{false, minutes(15)});
    absl::StatusOr<ModeRequestResult> r = modes.Request(to, "alice", "resume", kT0);
    REQUIRE(r.ok());
    CHECK(r->applied);
    CHECK(modes.mode() == to);
  }
}

TEST_CASE("every breaker trip between two modes only ever tightens", "[risk][mode][breakers]") {
  for (v1::TradingMode from : kModes) {
    for (v1::TradingMode to : kModes) {
      INFO(Name(from) << " -> " << Name(to));
      TradingModeController modes = In(from);
      std::optional<v1::ModeChange> change =
          modes.Tighten(to, "daily_loss", "daily PnL -1200 is below -1000", kT0);
      if (Strictness(to) > Strictness(from)) {
        REQUIRE(change.has_value());
        CHECK(change->mode() == to);
        CHECK(change->previous() == from);
        CHECK(change->actor() == "breaker:daily_loss");
        CHECK(change->reason() == "daily PnL -1200 is below -1000");
        CHECK(modes.mode() == to);
      } else {
        CHECK_FALSE(change.has_value());
        CHECK(modes.mode() == from);
      }
    }
    TradingModeController modes = In(from);
    CHECK_FALSE(modes.Tighten(v1::TRADING_MODE_UNSPECIFIED, "x", "y", kT0).has_value());
  }
}

TEST_CASE("the strictness order is ACTIVE, REDUCING, PAUSED, HALTED", "[risk][mode]") {
  CHECK(Strictness(v1::TRADING_MODE_ACTIVE) < Strictness(v1::TRADING_MODE_REDUCING));
  CHECK(Strictness(v1::TRADING_MODE_REDUCING) < Strictness(v1::TRADING_MODE_PAUSED));
  CHECK(Strictness(v1::TRADING_MODE_PAUSED) < Strictness(v1::TRADING_MODE_HALTED));
  CHECK(Strictness(v1::TRADING_MODE_UNSPECIFIED) < 0);
}

TEST_CASE("operator requests need a name, a reason and a real mode", "[risk][mode]") {
  TradingModeController modes = In(v1::TRADING_MODE_PAUSED);
  CHECK(absl::IsInvalidArgument(modes.Request(v1::TRADING_MODE_ACTIVE, "", "r", kT0).status()));
  CHECK(absl::IsInvalidArgument(modes.Request(v1::TRADING_MODE_ACTIVE, "alice", "", kT0).status()));
  CHECK(absl::IsInvalidArgument(
      modes.Request(v1::TRADING_MODE_ACTIVE, "breaker:daily_loss", "r", kT0).status()));
  CHECK(
      absl::IsInvalidArgument(modes.Request(v1::TRADING_MODE_ACTIVE, "system", "r", kT0).status()));
  CHECK(absl::IsInvalidArgument(
      modes.Request(v1::TRADING_MODE_UNSPECIFIED, "alice", "r", kT0).status()));
  CHECK(absl::IsInvalidArgument(
      modes.Request(static_cast<v1::TradingMode>(42), "alice", "r", kT0).status()));
  CHECK(modes.mode() == v1::TRADING_MODE_PAUSED);
}

TEST_CASE("four-eyes: the same operator cannot confirm their own request", "[risk][mode]") {
  TradingModeController modes = In(v1::TRADING_MODE_HALTED);
  REQUIRE(modes.Request(v1::TRADING_MODE_ACTIVE, "alice", "fixed", kT0).ok());
  absl::StatusOr<ModeRequestResult> again =
      modes.Request(v1::TRADING_MODE_ACTIVE, "alice", "really fixed", kT0);
  CHECK(absl::IsFailedPrecondition(again.status()));
  CHECK(modes.mode() == v1::TRADING_MODE_HALTED);
  REQUIRE(modes.pending().has_value());
  CHECK(modes.pending()->actor() == "alice");
}

TEST_CASE("four-eyes: a request for another mode replaces the pending one", "[risk][mode]") {
  TradingModeController modes = In(v1::TRADING_MODE_HALTED);
  REQUIRE(modes.Request(v1::TRADING_MODE_ACTIVE, "alice", "fixed", kT0).ok());
  absl::StatusOr<ModeRequestResult> other =
      modes.Request(v1::TRADING_MODE_REDUCING, "bob", "only reduce first", kT0);
  REQUIRE(other.ok());
  CHECK_FALSE(other->applied);
  CHECK(modes.pending()->mode() == v1::TRADING_MODE_REDUCING);
  CHECK(modes.pending()->actor() == "bob");
  absl::StatusOr<ModeRequestResult> confirm =
      modes.Request(v1::TRADING_MODE_REDUCING, "alice", "agreed", kT0);
  REQUIRE(confirm.ok());
  CHECK(confirm->applied);
  CHECK(confirm->change.actor() == "bob");
  CHECK(confirm->change.confirmed_by() == "alice");
  CHECK(modes.mode() == v1::TRADING_MODE_REDUCING);
}

TEST_CASE("four-eyes: a pending request expires after the confirmation window", "[risk][mode]") {
  TradingModeController modes = In(v1::TRADING_MODE_HALTED);
  REQUIRE(modes.Request(v1::TRADING_MODE_ACTIVE, "alice", "fixed", kT0).ok());
  absl::StatusOr<ModeRequestResult> late =
      modes.Request(v1::TRADING_MODE_ACTIVE, "bob", "ok", kT0 + minutes(16));
  REQUIRE(late.ok());
  CHECK_FALSE(late->applied);  // bob's is now the first request
  CHECK(modes.pending()->actor() == "bob");
  CHECK(modes.mode() == v1::TRADING_MODE_HALTED);
}

TEST_CASE("a restored mode is taken as is and nothing stored starts PAUSED", "[risk][mode]") {
  for (v1::TradingMode mode : kModes) {
    TradingModeController modes = In(mode);
    CHECK(modes.mode() == mode);
    CHECK_FALSE(modes.start_change().has_value());
    CHECK(modes.last_change().actor() == "carol");
  }
  TradingModeController fresh = TradingModeController::FromStore(std::nullopt, {}, kT0);
  CHECK(fresh.mode() == v1::TRADING_MODE_PAUSED);
  REQUIRE(fresh.start_change().has_value());
  CHECK(fresh.start_change()->actor() == "system");
  CHECK(fresh.start_change()->changed_ns() == kT0.nanos());

  v1::ModeChange garbage;
  garbage.set_mode(v1::TRADING_MODE_UNSPECIFIED);
  CHECK(TradingModeController::FromStore(garbage, {}, kT0).mode() == v1::TRADING_MODE_PAUSED);
}

TEST_CASE("starting without the database is PAUSED with a record saying so", "[risk][mode]") {
  TradingModeController modes = TradingModeController::WithoutStore({}, kT0);
  CHECK(modes.mode() == v1::TRADING_MODE_PAUSED);
  REQUIRE(modes.start_change().has_value());
  CHECK(modes.start_change()->reason().find("without the database") != std::string::npos);
  CHECK(modes.start_change()->mode() == v1::TRADING_MODE_PAUSED);
}

TEST_CASE("blocks name who and why and refuse double blocks and unknown ids", "[risk][blocks]") {
  RiskFixture f;
  Blocks blocks(&f.table);
  absl::StatusOr<BlockChange> b =
      blocks.Block(v1::BLOCK_SCOPE_INSTRUMENT, "binance.NKNUSDT", "alice", "halted venue", kT0);
  REQUIRE(b.ok());
  CHECK(b->blocked);
  CHECK(b->block.id() == "BINANCE.NKNUSDT");
  CHECK(b->block.actor() == "alice");
  CHECK(b->block.reason() == "halted venue");
  CHECK(b->block.since_ns() == kT0.nanos());
  CHECK(blocks.FindInstrument(f.nkn) != nullptr);
  CHECK(absl::IsFailedPrecondition(
      blocks.Block(v1::BLOCK_SCOPE_INSTRUMENT, "BINANCE.NKNUSDT", "bob", "again", kT0).status()));
  CHECK(absl::IsNotFound(
      blocks.Block(v1::BLOCK_SCOPE_INSTRUMENT, "BINANCE.DOGEUSDT", "bob", "x", kT0).status()));
  CHECK_FALSE(blocks.Block(v1::BLOCK_SCOPE_INSTRUMENT, "NKNUSDT", "bob", "x", kT0).ok());
  CHECK(absl::IsInvalidArgument(
      blocks.Block(v1::BLOCK_SCOPE_UNSPECIFIED, "mm", "bob", "x", kT0).status()));
  CHECK(
      absl::IsInvalidArgument(blocks.Block(v1::BLOCK_SCOPE_STRATEGY, "mm", "", "x", kT0).status()));
  CHECK(absl::IsInvalidArgument(
      blocks.Block(v1::BLOCK_SCOPE_STRATEGY, "mm", "bob", "", kT0).status()));

  REQUIRE(blocks.Block(v1::BLOCK_SCOPE_STRATEGY, "mm", "bob", "losing", kT0).ok());
  std::vector<v1::Block> listed = blocks.List();
  REQUIRE(listed.size() == 2);
  CHECK(listed[0].id() == "mm");
  CHECK(listed[1].id() == "BINANCE.NKNUSDT");

  absl::StatusOr<BlockChange> u =
      blocks.Unblock(v1::BLOCK_SCOPE_STRATEGY, "mm", "carol", "reviewed", kT0 + minutes(5));
  REQUIRE(u.ok());
  CHECK_FALSE(u->blocked);
  CHECK(u->block.actor() == "carol");
  CHECK(u->block.since_ns() == (kT0 + minutes(5)).nanos());
  CHECK(blocks.FindStrategy("mm") == nullptr);
  CHECK(absl::IsFailedPrecondition(
      blocks.Unblock(v1::BLOCK_SCOPE_STRATEGY, "mm", "carol", "again", kT0).status()));

  Blocks restored(&f.table);
  REQUIRE(restored.Restore(listed[1]).ok());
  CHECK(restored.FindInstrument(f.nkn) != nullptr);
}

}  // namespace
}  // namespace tradeplane::risk
