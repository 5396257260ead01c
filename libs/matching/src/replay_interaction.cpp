// The replayed market's side of the engine: book levels, quotes and trades,
// and how they fill our resting orders (docs/explanation/simulated-matching.md).
#include "tradeplane/core/str_cat.h"
#include "tradeplane/matching/matching_engine.h"

namespace tradeplane::matching {
namespace {

using orders::v1::LIQUIDITY_MAKER;

Quantity MinQty(Quantity a, Quantity b) { return a < b ? a : b; }

// Levels best first, strictly ordered, positive prices; zero quantities are
// skipped (feeds pad empty levels with them) and negative ones refused.
absl::Status ValidateLevels(const PriceLadder& ladder,
                            std::span<const marketdata::BookLevel> levels,
                            std::string_view side_name) {
  const marketdata::BookLevel* previous = nullptr;
  for (size_t i = 0; i < levels.size(); ++i) {
    const marketdata::BookLevel& level = levels[i];
    if (level.qty.is_negative()) {
      return absl::InvalidArgumentError(StrCat("book snapshot: ", side_name, " level ", i,
                                               ": negative quantity ", level.qty.ToString()));
    }
    if (level.qty.is_zero()) continue;
    if (!level.price.is_positive()) {
      return absl::InvalidArgumentError(StrCat("book snapshot: ", side_name, " level ", i,
                                               ": price ", level.price.ToString(),
                                               " is not positive"));
    }
    if (previous != nullptr && !ladder.Better(previous->price, level.price)) {
      return absl::InvalidArgumentError(
          StrCat("book snapshot: ", side_name, " level ", i, ": price ", level.price.ToString(),
                 " does not come after ", previous->price.ToString(), " (levels go best first)"));
    }
    previous = &level;
  }
  return absl::OkStatus();
}

}  // namespace

void MatchingEngine::ClampQueueAhead(PriceLevel& level) {
  const Quantity available = level.available();
  for (OrderId id = level.head; id != 0; id = order(id).next) {
    EngineOrder& o = order(id);
    if (o.queue_ahead > available) o.queue_ahead = available;
  }
}

bool MatchingEngine::RestoreLevel(PriceLevel& level, Quantity displayed) {
  level.displayed = displayed;
  // A replay update restores the level: what we consumed of it is forgotten.
  level.consumed = Quantity::Zero();
  // Quantity that left the level may have been ahead of us (we assume so).
  ClampQueueAhead(level);
  return level.empty();
}

absl::Status MatchingEngine::ApplyBookLevel(Side side, Price price, Quantity qty, Timestamp now) {
  if (side != common::v1::SIDE_BUY && side != common::v1::SIDE_SELL) {
    return absl::InvalidArgumentError("book level: side must be BUY or SELL");
  }
  if (!price.is_positive() || qty.is_negative()) {
    return absl::InvalidArgumentError(StrCat("book level ", price.ToString(), " x ", qty.ToString(),
                                             ": price must be positive, quantity not negative"));
  }
  PriceLadder& ladder = own_side(side);
  if (qty.is_zero()) {
    PriceLevel* level = ladder.Find(price);
    if (level != nullptr && RestoreLevel(*level, qty)) ladder.Erase(*level);
    return absl::OkStatus();  // removing liquidity crosses nothing
  }
  RestoreLevel(ladder.FindOrInsert(price), qty);
  CrossRestingOrders(now);
  return absl::OkStatus();
}

void MatchingEngine::ApplySide(PriceLadder& ladder, std::span<const marketdata::BookLevel> levels,
                               SnapshotDepth depth) {
  const marketdata::BookLevel* worst = nullptr;
  for (const marketdata::BookLevel& level : levels) {
    if (level.qty.is_positive()) worst = &level;
  }
  // 1. Levels the snapshot no longer lists lose their displayed quantity. Both
  // go best to worst: one merge pass.
  size_t j = 0;
  for (auto it = ladder.begin(); it != ladder.end();) {
    PriceLevel& level = it->second;
    if (level.displayed.is_zero()) {
      ++it;
      continue;
    }
    if (depth == SnapshotDepth::kTruncated &&
        (worst == nullptr || ladder.Better(worst->price, level.price))) {
      break;  // this and every worse level are beyond the snapshot's view
    }
    while (j < levels.size() &&
           (levels[j].qty.is_zero() || ladder.Better(levels[j].price, level.price))) {
      ++j;
    }
    const bool listed = j < levels.size() && levels[j].price == level.price;
    if (!listed && RestoreLevel(level, Quantity::Zero())) {
      it = ladder.Erase(it);
    } else {
      ++it;
    }
  }
  // 2. Listed levels whose quantity changed are updated (and restored).
  for (const marketdata::BookLevel& level : levels) {
    if (level.qty.is_zero()) continue;
    PriceLevel& ours = ladder.FindOrInsert(level.price);
    if (ours.displayed != level.qty) RestoreLevel(ours, level.qty);
  }
}

absl::Status MatchingEngine::ApplyBookSnapshot(std::span<const marketdata::BookLevel> bids,
                                               std::span<const marketdata::BookLevel> asks,
                                               SnapshotDepth depth, Timestamp now) {
  // All or nothing: validate both sides before changing either.
  if (absl::Status s = ValidateLevels(bids_, bids, "bid"); !s.ok()) return s;
  if (absl::Status s = ValidateLevels(asks_, asks, "ask"); !s.ok()) return s;
  ApplySide(bids_, bids, depth);
  ApplySide(asks_, asks, depth);
  CrossRestingOrders(now);
  return absl::OkStatus();
}

absl::Status MatchingEngine::ApplyQuote(const marketdata::Quote& quote) {
  marketdata::BookLevel bid{quote.bid_price, quote.bid_qty};
  marketdata::BookLevel ask{quote.ask_price, quote.ask_qty};
  return ApplyBookSnapshot(std::span<const marketdata::BookLevel>(&bid, 1),
                           std::span<const marketdata::BookLevel>(&ask, 1), SnapshotDepth::kFull,
                           quote.exchange_time);
}

void MatchingEngine::CrossRestingOrders(Timestamp now) {
  CrossSide(bids_, asks_, now);
  CrossSide(asks_, bids_, now);
}

void MatchingEngine::CrossSide(PriceLadder& own, PriceLadder& replay, Timestamp now) {
  // Cheap when nothing crosses: both scans stop at the first level that
  // matters, which for quotes near the touch is the first or second one.
  while (own.own_orders() > 0) {
    auto o = own.begin();
    while (!o->second.has_own()) ++o;  // own_orders() > 0: there is one
    auto r = replay.begin();
    while (r != replay.end() && !r->second.available().is_positive()) ++r;
    if (r == replay.end()) return;
    PriceLevel& ours = o->second;
    PriceLevel& theirs = r->second;
    // Crossed unless the replayed price is better than ours from our side's
    // view: an ask above our bid, a bid below our ask.
    if (own.Better(theirs.price, ours.price)) return;
    EngineOrder& maker = order(ours.head);
    Quantity q = MinQty(maker.remaining(), theirs.available());
    theirs.consumed = Quantity::FromRaw(theirs.consumed.raw() + q.raw());
    ClampQueueAhead(theirs);
    // At our price: we were resting, the replayed order came to us.
    ExecuteFill(maker, ours.price, q, LIQUIDITY_MAKER, next_trade_id_++, 0, now);
    if (maker.remaining().is_zero()) {
      UnlinkFromLevel(own, ours, maker);
      if (ours.empty()) own.Erase(o);
    }
  }
}

absl::Status MatchingEngine::ApplyTrade(const marketdata::Trade& trade) {
  if (!trade.price.is_positive() || !trade.qty.is_positive()) {
    return absl::InvalidArgumentError(StrCat("trade ", trade.trade_id, " ", trade.qty.ToString(),
                                             " @ ", trade.price.ToString(),
                                             ": price and quantity must be positive"));
  }
  // A sell aggressor hits bids (our buys), a buy aggressor lifts asks (our sells).
  if (trade.aggressor != common::v1::SIDE_BUY) {
    TradeAgainst(bids_, trade.price, trade.qty, trade.exchange_time);
  }
  if (trade.aggressor != common::v1::SIDE_SELL) {
    TradeAgainst(asks_, trade.price, trade.qty, trade.exchange_time);
  }
  return absl::OkStatus();
}

void MatchingEngine::TradeAgainst(PriceLadder& own, Price trade_price, Quantity trade_qty,
                                  Timestamp now) {
  for (auto it = own.begin(); it != own.end() && own.own_orders() > 0;) {
    PriceLevel& level = it->second;
    if (own.Better(level.price, trade_price)) {
      // The market traded through our price: we would have been filled first.
      while (level.has_own()) {
        EngineOrder& o = order(level.head);
        ExecuteFill(o, level.price, o.remaining(), LIQUIDITY_MAKER, next_trade_id_++, 0, now);
        UnlinkFromLevel(own, level, o);
      }
      it = level.empty() ? own.Erase(it) : std::next(it);
      continue;
    }
    if (level.price != trade_price) return;  // worse than the trade: not reached
    // At our price: the trade uses up the queue ahead of each of our orders,
    // then what is left of it fills our orders oldest first, never more than
    // the trade's quantity in total.
    int64_t filled_raw = 0;
    for (OrderId id = level.head; id != 0;) {
      EngineOrder& o = order(id);
      id = o.next;
      int64_t reach = trade_qty.raw() - o.queue_ahead.raw() - filled_raw;
      o.queue_ahead =
          Quantity::FromRaw(o.queue_ahead > trade_qty ? o.queue_ahead.raw() - trade_qty.raw() : 0);
      if (reach <= 0) continue;
      Quantity q = MinQty(o.remaining(), Quantity::FromRaw(reach));
      filled_raw += q.raw();
      ExecuteFill(o, level.price, q, LIQUIDITY_MAKER, next_trade_id_++, 0, now);
      if (o.remaining().is_zero()) UnlinkFromLevel(own, level, o);
    }
    if (level.empty()) own.Erase(it);
    return;
  }
}

}  // namespace tradeplane::matching
