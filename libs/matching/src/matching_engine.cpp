// Our orders: validation, taking liquidity, resting, fills, balances, cancels.
// The replayed market's side of the engine is in replay_interaction.cpp.
#include "tradeplane/matching/matching_engine.h"

#include <algorithm>
#include <utility>

#include "tradeplane/core/str_cat.h"

namespace tradeplane::matching {
namespace {

using fixed_point::Int128;
using orders::v1::LIQUIDITY_MAKER;
using orders::v1::LIQUIDITY_TAKER;

constexpr Int128 kScale = kFixedPointScale;
constexpr Int128 kBpsDenominatorRaw = static_cast<Int128>(10'000) * kFixedPointScale;

bool FitsRaw(Int128 value) {
  return value <= fixed_point::kMaxRaw && value >= fixed_point::kMinRaw;
}

Int128 CeilDiv(Int128 numerator, Int128 denominator) {  // numerator >= 0, denominator > 0
  return (numerator + denominator - 1) / denominator;
}

// price * qty truncated to the scale: what the fills are charged (never more
// than the exact product, so locks computed with ceilings always cover them).
Int128 NotionalRaw(Price price, Quantity qty) {
  return static_cast<Int128>(price.raw()) * qty.raw() / kScale;
}

Quantity MinQty(Quantity a, Quantity b) { return a < b ? a : b; }

}  // namespace

absl::StatusOr<std::unique_ptr<MatchingEngine>> MatchingEngine::Create(MatchingConfig config,
                                                                       MatchEventSink* sink) {
  const InstrumentSpec& spec = config.instrument;
  std::string name = spec.id.ToString();
  if (sink == nullptr) return absl::InvalidArgumentError("matching engine: no event sink");
  if (!spec.tick_size.is_positive() || !spec.lot_size.is_positive()) {
    return absl::InvalidArgumentError(
        StrCat("matching engine for ", name, ": tick and lot sizes must be positive"));
  }
  if (spec.base_asset.empty() || spec.quote_asset.empty() || spec.base_asset == spec.quote_asset) {
    return absl::InvalidArgumentError(
        StrCat("matching engine for ", name, ": base and quote assets must be two names"));
  }
  if (absl::Status fees = config.fees.Validate(); !fees.ok()) {
    return absl::InvalidArgumentError(
        StrCat("matching engine for ", name, ": ", ToStd(fees.message())));
  }
  if (config.first_order_id == 0 || config.first_trade_id == 0) {
    return absl::InvalidArgumentError(
        StrCat("matching engine for ", name, ": first order and trade ids must be positive"));
  }
  return std::unique_ptr<MatchingEngine>(new MatchingEngine(std::move(config), sink));
}

MatchingEngine::MatchingEngine(MatchingConfig config, MatchEventSink* sink)
    : config_(std::move(config)),
      sink_(sink),
      next_order_id_(config_.first_order_id),
      next_trade_id_(config_.first_trade_id),
      bids_(common::v1::SIDE_BUY),
      asks_(common::v1::SIDE_SELL) {
  if (config_.balances != nullptr) {
    base_asset_ = config_.balances->InternAsset(config_.instrument.base_asset);
    quote_asset_ = config_.balances->InternAsset(config_.instrument.quote_asset);
  }
}

// --- Validation and submission ----------------------------------------------

OrderReason MatchingEngine::Validate(const OrderRequest& request, TimeInForce* tif) const {
  const InstrumentSpec& spec = config_.instrument;
  if (!ValidateClientOrderId(request.client_order_id).ok()) {
    return OrderReason::kInvalidClientOrderId;
  }
  if (request.side != common::v1::SIDE_BUY && request.side != common::v1::SIDE_SELL) {
    return OrderReason::kInvalidSide;
  }
  *tif = request.time_in_force;
  switch (request.type) {
    case orders::v1::ORDER_TYPE_LIMIT:
      if (*tif != orders::v1::TIME_IN_FORCE_GTC && *tif != orders::v1::TIME_IN_FORCE_IOC &&
          *tif != orders::v1::TIME_IN_FORCE_FOK) {
        return OrderReason::kInvalidTimeInForce;
      }
      break;
    case orders::v1::ORDER_TYPE_MARKET:
      // A market order never rests: GTC means nothing for it.
      if (*tif != orders::v1::TIME_IN_FORCE_FOK) *tif = orders::v1::TIME_IN_FORCE_IOC;
      break;
    case orders::v1::ORDER_TYPE_LIMIT_MAKER:
      if (*tif != orders::v1::TIME_IN_FORCE_GTC && *tif != orders::v1::TIME_IN_FORCE_UNSPECIFIED) {
        return OrderReason::kInvalidTimeInForce;
      }
      *tif = orders::v1::TIME_IN_FORCE_GTC;
      break;
    default:
      return OrderReason::kInvalidOrderType;
  }
  if (!spec.CheckQuantity(request.qty).ok()) return OrderReason::kInvalidQuantity;
  if (request.type == orders::v1::ORDER_TYPE_MARKET) {
    if (!request.price.is_zero()) return OrderReason::kInvalidPrice;
  } else {
    if (!spec.CheckPrice(request.price).ok()) return OrderReason::kInvalidPrice;
    Int128 notional = NotionalRaw(request.price, request.qty);
    if (notional < spec.min_notional.raw()) return OrderReason::kBelowMinNotional;
    // The lock of a buy (notional plus the largest fee, rounded up) must fit.
    Int128 ceil_notional =
        CeilDiv(static_cast<Int128>(request.price.raw()) * request.qty.raw(), kScale);
    Int128 lock =
        ceil_notional + CeilDiv(ceil_notional * config_.fees.Max().raw(), kBpsDenominatorRaw);
    if (!FitsRaw(lock)) return OrderReason::kNotionalTooLarge;
  }
  return OrderReason::kNone;
}

SubmitResult MatchingEngine::Reject(const OrderRequest& request, OrderReason reason,
                                    Timestamp now) {
  MatchEvent event;
  event.kind = MatchEventKind::kRejected;
  event.account = request.account;
  absl::StatusOr<ClientOrderId> id = ClientOrderId::Make(request.client_order_id);
  if (id.ok()) event.client_order_id = *id;
  event.side = request.side;
  event.status = orders::v1::ORDER_STATUS_REJECTED;
  event.reason = reason;
  event.time = now;
  event.remaining_qty = request.qty;
  sink_->OnMatchEvent(event);
  return SubmitResult{0, reason};
}

bool MatchingEngine::Crosses(const EngineOrder& taker, Price level_price) const {
  if (taker.type == orders::v1::ORDER_TYPE_MARKET) return true;
  return taker.side == common::v1::SIDE_BUY ? level_price <= taker.price
                                            : level_price >= taker.price;
}

SubmitResult MatchingEngine::Submit(const OrderRequest& request, Timestamp now) {
  TimeInForce tif = orders::v1::TIME_IN_FORCE_UNSPECIFIED;
  OrderReason invalid = Validate(request, &tif);
  if (invalid != OrderReason::kNone) return Reject(request, invalid, now);

  EngineOrder o;
  o.id = next_order_id_;
  o.account = request.account;
  o.client_order_id = *ClientOrderId::Make(request.client_order_id);  // validated above
  o.side = request.side;
  o.type = request.type;
  o.time_in_force = tif;
  o.price = request.price;
  o.qty = request.qty;
  o.status = orders::v1::ORDER_STATUS_NEW;
  o.created = now;
  o.updated = now;

  OwnKey key{o.account, o.client_order_id};
  if (auto it = by_client_id_.find(key); it != by_client_id_.end() && order(it->second).is_open()) {
    return Reject(request, OrderReason::kDuplicateClientOrderId, now);
  }
  if (o.type == orders::v1::ORDER_TYPE_LIMIT_MAKER) {
    // Post-only: refused if anything on the other side would match it now.
    PriceLadder& book = other_side(o.side);
    for (auto it = book.begin(); it != book.end() && Crosses(o, it->first); ++it) {
      if (it->second.available().is_positive() || it->second.has_own()) {
        return Reject(request, OrderReason::kWouldTakeLiquidity, now);
      }
    }
  }
  const bool is_market = o.type == orders::v1::ORDER_TYPE_MARKET;
  const bool is_fok = tif == orders::v1::TIME_IN_FORCE_FOK;
  Reach reach;
  if (is_fok || (is_market && o.side == common::v1::SIDE_BUY)) reach = MeasureReach(o);
  Int128 lock = LockFor(o, o.qty);
  if (config_.balances != nullptr && config_.check_balances) {
    Int128 needed = lock;
    if (is_market && o.side == common::v1::SIDE_BUY) needed = reach.cost_raw;
    if (needed > config_.balances->free_raw(o.account, lock_asset(o))) {
      return Reject(request, OrderReason::kInsufficientBalance, now);
    }
  }

  // Accepted: from here on the order exists.
  ++next_order_id_;
  orders_.push_back(o);
  EngineOrder& taker = orders_.back();
  by_client_id_[key] = taker.id;
  SetLock(taker, lock);
  Emit(taker, MatchEventKind::kAccepted, now);

  if (is_fok && reach.qty < taker.qty) {
    Close(taker, orders::v1::ORDER_STATUS_EXPIRED, OrderReason::kFillOrKill,
          MatchEventKind::kExpired, now);
    return SubmitResult{taker.id, OrderReason::kNone};
  }
  OrderReason stopped = Take(taker, now);
  if (taker.remaining().is_zero()) {
    SetLock(taker, 0);  // what the lock held beyond the fills' cost
  } else if (stopped != OrderReason::kNone) {
    Close(taker, orders::v1::ORDER_STATUS_EXPIRED, stopped, MatchEventKind::kExpired, now);
  } else if (is_market) {
    Close(taker, orders::v1::ORDER_STATUS_EXPIRED, OrderReason::kNoMoreLiquidity,
          MatchEventKind::kExpired, now);
  } else if (tif != orders::v1::TIME_IN_FORCE_GTC) {
    Close(taker, orders::v1::ORDER_STATUS_EXPIRED, OrderReason::kImmediateOrCancel,
          MatchEventKind::kExpired, now);
  } else {
    Rest(taker);
  }
  return SubmitResult{taker.id, OrderReason::kNone};
}

// --- Taking liquidity ---------------------------------------------------------

MatchingEngine::Reach MatchingEngine::MeasureReach(const EngineOrder& taker) const {
  // Walks exactly the chunks Take() would fill, so the cost is the cost Take()
  // will charge.
  const PriceLadder& book = taker.side == common::v1::SIDE_BUY ? asks_ : bids_;
  const FeeBps fee_bps = config_.fees.taker_bps;
  Reach reach;
  Quantity left = taker.qty;
  auto add = [&](Price price, Quantity q) {
    Int128 notional = NotionalRaw(price, q);
    reach.cost_raw +=
        notional +
        FeeSchedule::FeeOn(Amount::FromRaw(static_cast<int64_t>(notional)), fee_bps).raw();
    left = Quantity::FromRaw(left.raw() - q.raw());
  };
  for (auto it = book.begin(); it != book.end() && left.is_positive(); ++it) {
    const PriceLevel& level = it->second;
    if (!Crosses(taker, level.price)) break;
    if (level.available().is_positive()) add(level.price, MinQty(left, level.available()));
    for (OrderId id = level.head; id != 0 && left.is_positive(); id = order(id).next) {
      const EngineOrder& maker = order(id);
      if (maker.account == taker.account) {  // self-trade prevention stops the taker here
        reach.qty = Quantity::FromRaw(taker.qty.raw() - left.raw());
        return reach;
      }
      add(level.price, MinQty(left, maker.remaining()));
    }
  }
  reach.qty = Quantity::FromRaw(taker.qty.raw() - left.raw());
  return reach;
}

OrderReason MatchingEngine::Take(EngineOrder& taker, Timestamp now) {
  PriceLadder& book = other_side(taker.side);
  auto fits = [&](Price price, Quantity q) {
    // Limit orders were bounded at validation; a market order's notional is not.
    return FitsRaw(static_cast<Int128>(taker.filled_quote.raw()) + NotionalRaw(price, q));
  };
  for (auto it = book.begin(); it != book.end() && taker.remaining().is_positive();) {
    PriceLevel& level = it->second;
    if (!Crosses(taker, level.price)) break;
    // The replayed quantity first, then our resting orders (they joined behind it).
    if (level.available().is_positive()) {
      Quantity q = MinQty(taker.remaining(), level.available());
      if (!fits(level.price, q)) return OrderReason::kNotionalTooLarge;
      level.consumed = Quantity::FromRaw(level.consumed.raw() + q.raw());
      ClampQueueAhead(level);
      ExecuteFill(taker, level.price, q, LIQUIDITY_TAKER, next_trade_id_++, 0, now);
    }
    while (taker.remaining().is_positive() && level.has_own()) {
      EngineOrder& maker = order(level.head);
      if (maker.account == taker.account) return OrderReason::kSelfTradePrevention;
      Quantity q = MinQty(taker.remaining(), maker.remaining());
      if (!fits(level.price, q)) return OrderReason::kNotionalTooLarge;
      TradeId trade_id = next_trade_id_++;
      ExecuteFill(maker, level.price, q, LIQUIDITY_MAKER, trade_id, taker.id, now);
      ExecuteFill(taker, level.price, q, LIQUIDITY_TAKER, trade_id, maker.id, now);
      if (maker.remaining().is_zero()) UnlinkFromLevel(book, level, maker);
    }
    it = level.empty() ? book.Erase(it) : std::next(it);
  }
  return OrderReason::kNone;
}

void MatchingEngine::ExecuteFill(EngineOrder& o, Price price, Quantity qty, Liquidity liquidity,
                                 TradeId trade_id, OrderId counter_order_id, Timestamp now) {
  const Amount notional = Amount::FromRaw(static_cast<int64_t>(NotionalRaw(price, qty)));
  const Amount fee = FeeSchedule::FeeOn(notional, config_.fees.For(liquidity));
  o.filled_qty = Quantity::FromRaw(o.filled_qty.raw() + qty.raw());
  o.filled_quote = Amount::FromRaw(o.filled_quote.raw() + notional.raw());
  o.fees = Amount::FromRaw(o.fees.raw() + fee.raw());
  o.status = o.remaining().is_zero() ? orders::v1::ORDER_STATUS_FILLED
                                     : orders::v1::ORDER_STATUS_PARTIALLY_FILLED;
  o.updated = now;
  if (BalanceBook* book = config_.balances; book != nullptr) {
    if (o.side == common::v1::SIDE_BUY) {
      // Release the lock, pay, lock again for what remains: the lock was
      // computed with ceilings and the cost with truncation, so it covers it.
      book->AddFree(o.account, base_asset_, qty.raw());
      Int128 relock = LockFor(o, o.remaining());
      SetLock(o, 0);
      book->AddFree(o.account, quote_asset_, -(static_cast<Int128>(notional.raw()) + fee.raw()));
      SetLock(o, relock);
    } else {
      Int128 from_lock = std::min<Int128>(o.locked.raw(), qty.raw());
      SetLock(o, o.locked.raw() - from_lock);
      book->AddFree(o.account, base_asset_, -static_cast<Int128>(qty.raw()));
      book->AddFree(o.account, quote_asset_, static_cast<Int128>(notional.raw()) - fee.raw());
    }
  }
  MatchEvent event;
  event.kind = MatchEventKind::kFill;
  event.order_id = o.id;
  event.account = o.account;
  event.client_order_id = o.client_order_id;
  event.side = o.side;
  event.status = o.status;
  event.time = now;
  event.trade_id = trade_id;
  event.price = price;
  event.qty = qty;
  event.quote_qty = notional;
  event.fee = fee;
  event.liquidity = liquidity;
  event.counter_order_id = counter_order_id;
  event.filled_qty = o.filled_qty;
  event.remaining_qty = o.remaining();
  sink_->OnMatchEvent(event);
}

Int128 MatchingEngine::LockFor(const EngineOrder& o, Quantity remaining) const {
  if (o.side == common::v1::SIDE_SELL) return remaining.raw();
  if (o.type == orders::v1::ORDER_TYPE_MARKET) return 0;  // pays from free as it fills
  Int128 notional = CeilDiv(static_cast<Int128>(o.price.raw()) * remaining.raw(), kScale);
  return notional + CeilDiv(notional * config_.fees.Max().raw(), kBpsDenominatorRaw);
}

void MatchingEngine::SetLock(EngineOrder& o, Int128 lock) {
  if (config_.balances != nullptr) {
    Int128 delta = lock - o.locked.raw();
    if (delta > 0) config_.balances->Lock(o.account, lock_asset(o), delta);
    if (delta < 0) config_.balances->Unlock(o.account, lock_asset(o), -delta);
  }
  o.locked = Amount::FromRaw(static_cast<int64_t>(lock));  // fits: checked at validation
}

// --- Resting, closing, cancelling ---------------------------------------------

void MatchingEngine::Rest(EngineOrder& o) {
  PriceLadder& book = own_side(o.side);
  PriceLevel& level = book.FindOrInsert(o.price);
  // Back of the queue: everything displayed here now is ahead of us.
  o.queue_ahead = level.available();
  o.prev = level.tail;
  o.next = 0;
  if (level.tail != 0) {
    order(level.tail).next = o.id;
  } else {
    level.head = o.id;
  }
  level.tail = o.id;
  o.resting = true;
  book.AddOwn();
}

void MatchingEngine::UnlinkFromLevel(PriceLadder& book, PriceLevel& level, EngineOrder& o) {
  if (o.prev != 0) {
    order(o.prev).next = o.next;
  } else {
    level.head = o.next;
  }
  if (o.next != 0) {
    order(o.next).prev = o.prev;
  } else {
    level.tail = o.prev;
  }
  o.prev = 0;
  o.next = 0;
  o.resting = false;
  book.RemoveOwn();
}

void MatchingEngine::Close(EngineOrder& o, OrderStatus status, OrderReason reason,
                           MatchEventKind kind, Timestamp now) {
  if (o.resting) {
    PriceLadder& book = own_side(o.side);
    PriceLevel& level = *book.Find(o.price);  // a resting order's level exists
    UnlinkFromLevel(book, level, o);
    if (level.empty()) book.Erase(level);
  }
  SetLock(o, 0);
  o.status = status;
  o.reason = reason;
  o.updated = now;
  Emit(o, kind, now);
}

void MatchingEngine::Emit(const EngineOrder& o, MatchEventKind kind, Timestamp now) {
  MatchEvent event;
  event.kind = kind;
  event.order_id = o.id;
  event.account = o.account;
  event.client_order_id = o.client_order_id;
  event.side = o.side;
  event.status = o.status;
  event.reason = o.reason;
  event.time = now;
  event.filled_qty = o.filled_qty;
  event.remaining_qty = o.remaining();
  sink_->OnMatchEvent(event);
}

absl::Status MatchingEngine::Cancel(AccountId account, OrderId order_id, Timestamp now) {
  const EngineOrder* found = Find(order_id);
  if (found == nullptr || found->account != account || !found->is_open()) {
    return absl::NotFoundError(StrCat("cancel: account ", account, " has no open order ", order_id,
                                      " in ", config_.instrument.id.ToString()));
  }
  Close(order(order_id), orders::v1::ORDER_STATUS_CANCELED, OrderReason::kCanceledByRequest,
        MatchEventKind::kCanceled, now);
  return absl::OkStatus();
}

absl::Status MatchingEngine::CancelByClientId(AccountId account, std::string_view client_order_id,
                                              Timestamp now) {
  const EngineOrder* found = FindByClientId(account, client_order_id);
  if (found == nullptr || !found->is_open()) {
    return absl::NotFoundError(StrCat("cancel: account ", account, " has no open order '",
                                      client_order_id, "' in ", config_.instrument.id.ToString()));
  }
  return Cancel(account, found->id, now);
}

size_t MatchingEngine::CancelAll(AccountId account, Timestamp now) {
  std::vector<const EngineOrder*> open = OpenOrders(account);
  for (const EngineOrder* o : open) {
    Close(order(o->id), orders::v1::ORDER_STATUS_CANCELED, OrderReason::kCanceledByRequest,
          MatchEventKind::kCanceled, now);
  }
  return open.size();
}

const EngineOrder* MatchingEngine::Find(OrderId order_id) const {
  if (order_id < config_.first_order_id || order_id >= next_order_id_) return nullptr;
  return &order(order_id);
}

const EngineOrder* MatchingEngine::FindByClientId(AccountId account,
                                                  std::string_view client_order_id) const {
  absl::StatusOr<ClientOrderId> id = ClientOrderId::Make(client_order_id);
  if (!id.ok()) return nullptr;
  auto it = by_client_id_.find(OwnKey{account, *id});
  return it == by_client_id_.end() ? nullptr : &order(it->second);
}

std::vector<const EngineOrder*> MatchingEngine::OpenOrders(AccountId account) const {
  std::vector<const EngineOrder*> out;
  for (const PriceLadder* book : {&bids_, &asks_}) {
    for (const auto& [price, level] : *book) {
      for (OrderId id = level.head; id != 0; id = order(id).next) {
        if (order(id).account == account) out.push_back(&order(id));
      }
    }
  }
  std::sort(out.begin(), out.end(),
            [](const EngineOrder* a, const EngineOrder* b) { return a->id < b->id; });
  return out;
}

std::vector<MatchingEngine::LevelView> MatchingEngine::Depth(Side side, size_t max_levels) const {
  const PriceLadder& book = side == common::v1::SIDE_BUY ? bids_ : asks_;
  std::vector<LevelView> out;
  for (const auto& [price, level] : book) {
    if (out.size() >= max_levels) break;
    LevelView view{level.price, level.displayed, level.available(), Quantity::Zero(), 0};
    for (OrderId id = level.head; id != 0; id = order(id).next) {
      view.own_qty = Quantity::FromRaw(view.own_qty.raw() + order(id).remaining().raw());
      ++view.own_orders;
    }
    out.push_back(view);
  }
  return out;
}

}  // namespace tradeplane::matching
