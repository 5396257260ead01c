#include "exchange.h"

#include <algorithm>

#include "tradeplane/core/str_cat.h"

#include "binance_json.h"
#include "json_out.h"

namespace tradeplane::venue_sim {

using matching::MatchEvent;
using matching::MatchEventKind;

class Exchange::Sink final : public matching::MatchEventSink {
 public:
  Sink(Exchange* exchange, InstrumentIndex instrument)
      : exchange_(exchange), instrument_(instrument) {}
  // The engine's events wait for the end of its call: the sink must not call
  // back into the engine, and frames need the order's state after the call.
  void OnMatchEvent(const MatchEvent& event) override {
    exchange_->pending_.emplace_back(instrument_, event);
  }

 private:
  Exchange* exchange_;
  InstrumentIndex instrument_;
};

struct Exchange::Market {
  explicit Market(const InstrumentSpec& s) : spec(s), book(s.id.symbol) {}

  InstrumentSpec spec;
  std::unique_ptr<Sink> sink;
  std::unique_ptr<matching::MatchingEngine> engine;
  std::vector<OrderMeta> meta;  // index = order id - 1
  BookPublisher book;
  BookPublisher::Frames frames;
  uint64_t public_trade_id = 0;
  uint64_t execution_id = 0;
  bool dirty = false;  // the book may have changed since the last publish

  OrderMeta& Meta(OrderId id) {
    if (meta.size() < id) meta.resize(id);
    return meta[id - 1];
  }
};

Exchange::Exchange(const matching::FeeSchedule& fees, StreamSink* sink)
    : fees_(fees), sink_(sink) {}

Exchange::~Exchange() = default;

const InstrumentSpec& Exchange::spec(InstrumentIndex i) const { return markets_[i]->spec; }
const matching::MatchingEngine& Exchange::engine(InstrumentIndex i) const {
  return *markets_[i]->engine;
}
const OrderMeta& Exchange::meta(InstrumentIndex instrument, OrderId id) const {
  return markets_[instrument]->meta[id - 1];
}
const BookPublisher& Exchange::book(InstrumentIndex i) const { return markets_[i]->book; }

absl::StatusOr<std::unique_ptr<Exchange>> Exchange::Create(const InstrumentTable& instruments,
                                                           Options options, StreamSink* sink) {
  absl::Status fees = options.fees.Validate();
  if (!fees.ok()) return fees;
  std::unique_ptr<Exchange> ex(new Exchange(options.fees, sink));
  ex->initial_balances_ = std::move(options.initial_balances);
  for (InstrumentIndex i = 0; i < instruments.size(); ++i) {
    auto m = std::make_unique<Market>(instruments.at(i));
    m->sink = std::make_unique<Sink>(ex.get(), i);
    matching::MatchingConfig config;
    config.instrument = instruments.at(i);
    config.fees = options.fees;
    config.balances = &ex->balances_;
    config.check_balances = true;
    absl::StatusOr<std::unique_ptr<matching::MatchingEngine>> engine =
        matching::MatchingEngine::Create(config, m->sink.get());
    if (!engine.ok()) {
      return absl::InvalidArgumentError(StrCat("instrument ", instruments.at(i).id.symbol, ": ",
                                               ToStd(engine.status().message())));
    }
    m->engine = std::move(*engine);
    ex->markets_.push_back(std::move(m));
  }
  return ex;
}

AccountId Exchange::Account(std::string_view name) {
  if (std::optional<AccountId> found = FindAccount(name)) return *found;
  AccountState a;
  a.name = std::string(name);
  a.id = static_cast<AccountId>(accounts_.size() + 1);
  a.trades.resize(markets_.size());
  for (const auto& [asset, amount] : initial_balances_) {
    // Refused only for a negative amount, which the config check excludes.
    (void)balances_.SetFree(a.id, asset, amount);
  }
  accounts_.push_back(std::move(a));
  return accounts_.back().id;
}

std::optional<AccountId> Exchange::FindAccount(std::string_view name) const {
  for (const AccountState& a : accounts_) {
    if (a.name == name) return a.id;
  }
  return std::nullopt;
}

std::optional<InstrumentIndex> Exchange::FindSymbol(std::string_view symbol) const {
  for (InstrumentIndex i = 0; i < markets_.size(); ++i) {
    if (markets_[i]->spec.id.symbol == symbol) return i;
  }
  return std::nullopt;
}

std::string Exchange::NextClientOrderId() { return StrCat("sim-", ++generated_client_ids_); }

PlaceResult Exchange::Place(const NewOrder& o, Timestamp now) {
  Market& m = *markets_[o.instrument];
  std::string client_id = o.client_order_id.empty() ? NextClientOrderId() : o.client_order_id;
  matching::OrderRequest request;
  request.account = o.account;
  request.client_order_id = client_id;
  request.side = o.side;
  request.type = o.type;
  request.time_in_force = o.time_in_force;
  request.price = o.price;
  request.qty = o.qty;
  matching::SubmitResult submitted = m.engine->Submit(request, now);
  PlaceResult result;
  result.order_id = submitted.order_id;
  result.reject_reason = submitted.reject_reason;
  if (submitted.accepted()) {
    ++counters_.orders_accepted;
    m.Meta(submitted.order_id);
  } else {
    ++counters_.orders_rejected;
  }
  Drain(now, Cause::kOrders, &result.fills, submitted.order_id, o.instrument);
  return result;
}

const EngineOrder* Exchange::Cancel(AccountId account, InstrumentIndex instrument, OrderId order_id,
                                    std::string_view client_order_id,
                                    std::string cancel_client_order_id, Timestamp now) {
  Market& m = *markets_[instrument];
  const EngineOrder* o = Find(account, instrument, order_id, client_order_id);
  if (o == nullptr || !o->is_open()) return nullptr;
  OrderId id = o->id;
  m.Meta(id).cancel_client_order_id =
      cancel_client_order_id.empty() ? NextClientOrderId() : std::move(cancel_client_order_id);
  if (!m.engine->Cancel(account, id, now).ok()) return nullptr;
  ++counters_.cancels;
  Drain(now, Cause::kOrders);
  return m.engine->Find(id);
}

std::vector<const EngineOrder*> Exchange::CancelAll(AccountId account, InstrumentIndex instrument,
                                                    Timestamp now) {
  Market& m = *markets_[instrument];
  std::vector<OrderId> ids;
  for (const EngineOrder* o : m.engine->OpenOrders(account)) {
    ids.push_back(o->id);
    m.Meta(o->id).cancel_client_order_id = NextClientOrderId();
  }
  counters_.cancels += m.engine->CancelAll(account, now);
  Drain(now, Cause::kOrders);
  std::vector<const EngineOrder*> out;
  for (OrderId id : ids) out.push_back(m.engine->Find(id));
  return out;
}

const EngineOrder* Exchange::Find(AccountId account, InstrumentIndex instrument, OrderId order_id,
                                  std::string_view client_order_id) const {
  const matching::MatchingEngine& e = *markets_[instrument]->engine;
  const EngineOrder* o =
      order_id != 0 ? e.Find(order_id) : e.FindByClientId(account, client_order_id);
  if (o == nullptr || o->account != account) return nullptr;
  if (order_id != 0 && !client_order_id.empty() && o->client_order_id.view() != client_order_id) {
    return nullptr;  // both given: Binance requires them to name the same order
  }
  return o;
}

std::vector<const EngineOrder*> Exchange::OpenOrders(AccountId account,
                                                     InstrumentIndex instrument) const {
  return markets_[instrument]->engine->OpenOrders(account);
}

std::vector<const EngineOrder*> Exchange::AllOrders(AccountId account,
                                                    InstrumentIndex instrument) const {
  const matching::MatchingEngine& e = *markets_[instrument]->engine;
  std::vector<const EngineOrder*> out;
  for (OrderId id = 1; id < e.next_order_id(); ++id) {
    const EngineOrder* o = e.Find(id);
    if (o != nullptr && o->account == account) out.push_back(o);
  }
  return out;
}

const std::vector<AccountTrade>& Exchange::Trades(AccountId account,
                                                  InstrumentIndex instrument) const {
  return accounts_[account - 1].trades[instrument];
}

absl::StatusOr<std::vector<matching::AssetBalance>> Exchange::Balances(AccountId account) const {
  return balances_.All(account);
}

absl::StatusOr<Amount> Exchange::Transfer(AccountId account, std::string_view asset, Amount delta) {
  absl::StatusOr<matching::Balance> now = balances_.Get(account, asset);
  if (!now.ok()) return now.status();
  absl::StatusOr<Amount> free = now->free.Add(delta);
  if (!free.ok()) return free.status();
  if (free->raw() < 0) {
    return absl::FailedPreconditionError(
        StrCat("a withdrawal of ", Amount::FromRaw(-delta.raw()).ToString(), " ", asset,
               " exceeds the free balance ", now->free.ToString()));
  }
  if (absl::Status s = balances_.SetFree(account, asset, *free); !s.ok()) return s;
  return *free;
}

void Exchange::ReplayLevels(InstrumentIndex i, std::span<const marketdata::BookLevel> bids,
                            std::span<const marketdata::BookLevel> asks, Timestamp now) {
  Market& m = *markets_[i];
  for (const marketdata::BookLevel& l : bids) {
    if (!m.engine->ApplyBookLevel(common::v1::SIDE_BUY, l.price, l.qty, now).ok()) {
      ++counters_.replay_errors;
    }
    m.book.Touch(l.price);
  }
  for (const marketdata::BookLevel& l : asks) {
    if (!m.engine->ApplyBookLevel(common::v1::SIDE_SELL, l.price, l.qty, now).ok()) {
      ++counters_.replay_errors;
    }
    m.book.Touch(l.price);
  }
  m.dirty = true;
  Drain(now, Cause::kReplayBook);
}

void Exchange::ReplaySnapshot(InstrumentIndex i, std::span<const marketdata::BookLevel> bids,
                              std::span<const marketdata::BookLevel> asks, Timestamp now) {
  Market& m = *markets_[i];
  if (!m.engine->ApplyBookSnapshot(bids, asks, matching::SnapshotDepth::kFull, now).ok()) {
    ++counters_.replay_errors;
  }
  m.book.TouchAll();
  m.dirty = true;
  Drain(now, Cause::kReplayBook);
}

void Exchange::ReplayTrade(InstrumentIndex i, Price price, Quantity qty, Side aggressor,
                           Timestamp now) {
  Market& m = *markets_[i];
  // Binance's m: the buyer was the maker, i.e. a seller hit the bid.
  PublishTrade(i, price, qty, aggressor == common::v1::SIDE_SELL, now);
  marketdata::Trade t;
  t.instrument = i;
  t.price = price;
  t.qty = qty;
  t.aggressor = aggressor;
  t.exchange_time = now;
  t.receive_time = now;
  if (!m.engine->ApplyTrade(t).ok()) ++counters_.replay_errors;
  Drain(now, Cause::kReplayTrade);
}

void Exchange::PublishTrade(InstrumentIndex i, Price price, Quantity qty, bool buyer_is_maker,
                            Timestamp now) {
  Market& m = *markets_[i];
  uint64_t id = ++m.public_trade_id;
  ++counters_.public_trades;
  const std::string& symbol = m.spec.id.symbol;
  {
    JsonOut out;
    out.BeginObject()
        .Str("e", "aggTrade")
        .Num("E", now.millis())
        .Str("s", symbol)
        .Num("a", static_cast<int64_t>(id))
        .Money("p", price.raw())
        .Money("q", qty.raw())
        .Num("f", static_cast<int64_t>(id))
        .Num("l", static_cast<int64_t>(id))
        .Num("T", now.millis())
        .Flag("m", buyer_is_maker)
        .Flag("M", true)
        .EndObject();
    sink_->PublishMarket(i, MarketStream::kAggTrade, out.Take());
  }
  JsonOut out;
  out.BeginObject()
      .Str("e", "trade")
      .Num("E", now.millis())
      .Str("s", symbol)
      .Num("t", static_cast<int64_t>(id))
      .Money("p", price.raw())
      .Money("q", qty.raw())
      .Num("T", now.millis())
      .Flag("m", buyer_is_maker)
      .Flag("M", true)
      .EndObject();
  sink_->PublishMarket(i, MarketStream::kTrade, out.Take());
}

void Exchange::PublishBook(InstrumentIndex i, Timestamp now) {
  Market& m = *markets_[i];
  m.dirty = false;
  m.book.Publish(*m.engine, now, &m.frames);
  if (!m.frames.depth.empty()) sink_->PublishMarket(i, MarketStream::kDepth, m.frames.depth);
  if (!m.frames.ticker.empty()) {
    sink_->PublishMarket(i, MarketStream::kBookTicker, m.frames.ticker);
  }
}

void Exchange::Drain(Timestamp now, Cause cause, std::vector<FillReport>* fills_of,
                     OrderId fills_order, InstrumentIndex fills_instrument) {
  for (size_t k = 0; k < pending_.size(); ++k) {
    const auto& [i, e] = pending_[k];
    if (e.kind == MatchEventKind::kRejected || e.order_id == 0) continue;
    Market& m = *markets_[i];
    OrderMeta& meta = m.Meta(e.order_id);
    const EngineOrder* o = m.engine->Find(e.order_id);
    if (o == nullptr) continue;  // cannot happen: the engine keeps every accepted order
    if (e.kind == MatchEventKind::kExpired &&
        e.reason == matching::OrderReason::kSelfTradePrevention) {
      meta.expired_in_match = true;
    }
    if (e.kind == MatchEventKind::kFill) {
      meta.cum_quote_raw += e.quote_qty.raw();
      ++counters_.fills;
      bool maker = e.liquidity == orders::v1::LIQUIDITY_MAKER;
      accounts_[e.account - 1].trades[i].push_back(
          AccountTrade{e.trade_id, e.order_id, e.price, e.qty, e.quote_qty, e.fee,
                       e.side == common::v1::SIDE_BUY, maker, e.time});
      if (fills_of != nullptr && e.order_id == fills_order && i == fills_instrument) {
        fills_of->push_back(FillReport{e.price, e.qty, e.fee, e.trade_id});
      }
      // Our fill is a public trade unless a replayed trade (already published)
      // caused it; two of our orders trading show once, on the taker's event.
      if (!maker) {
        PublishTrade(i, e.price, e.qty, /*buyer_is_maker=*/e.side == common::v1::SIDE_SELL, now);
      } else if (e.counter_order_id == 0 && cause != Cause::kReplayTrade) {
        // Replayed liquidity crossed our resting order: it was the aggressor.
        PublishTrade(i, e.price, e.qty, /*buyer_is_maker=*/e.side == common::v1::SIDE_BUY, now);
      }
      m.book.Touch(e.price);
    }
    if (!o->price.is_zero()) m.book.Touch(o->price);
    m.dirty = true;
    sink_->PublishUser(e.account, ExecutionReport(m.spec.id.symbol, e, *o, meta, m.spec.quote_asset,
                                                  now.millis(), ++m.execution_id));
    accounts_[e.account - 1].update_ms = now.millis();
    std::pair<AccountId, InstrumentIndex> key{e.account, i};
    if (std::find(touched_accounts_.begin(), touched_accounts_.end(), key) ==
        touched_accounts_.end()) {
      touched_accounts_.push_back(key);
    }
  }
  pending_.clear();

  // One outboundAccountPosition per account, with the assets that moved.
  std::sort(touched_accounts_.begin(), touched_accounts_.end());
  for (size_t k = 0; k < touched_accounts_.size();) {
    AccountId account = touched_accounts_[k].first;
    std::vector<std::string_view> assets;
    for (; k < touched_accounts_.size() && touched_accounts_[k].first == account; ++k) {
      const InstrumentSpec& spec = markets_[touched_accounts_[k].second]->spec;
      for (std::string_view a :
           {std::string_view(spec.base_asset), std::string_view(spec.quote_asset)}) {
        if (std::find(assets.begin(), assets.end(), a) == assets.end()) assets.push_back(a);
      }
    }
    JsonOut out;
    out.BeginObject()
        .Str("e", "outboundAccountPosition")
        .Num("E", now.millis())
        .Num("u", now.millis())
        .Key("B")
        .BeginArray();
    for (std::string_view asset : assets) {
      absl::StatusOr<matching::Balance> b = balances_.Get(account, asset);
      out.BeginObject()
          .Str("a", asset)
          .Money("f", b.ok() ? b->free.raw() : 0)
          .Money("l", b.ok() ? b->locked.raw() : 0)
          .EndObject();
    }
    out.EndArray().EndObject();
    sink_->PublishUser(account, out.Take());
  }
  touched_accounts_.clear();

  for (InstrumentIndex i = 0; i < markets_.size(); ++i) {
    if (markets_[i]->dirty) PublishBook(i, now);
  }
}

}  // namespace tradeplane::venue_sim
