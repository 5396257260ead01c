#include "event_mapper.h"

#include "tradeplane/core/str_cat.h"

namespace tradeplane::sentinel {
namespace {

namespace sv = surveillance;
namespace ov1 = orders::v1;

// Levels summed into the displayed depth the spoofing detector compares with.
constexpr size_t kDepthLevels = 5;

}  // namespace

EventMapper::EventMapper(const InstrumentTable* instruments, sv::ParticipantTable* participants)
    : instruments_(instruments),
      participants_(participants),
      books_(std::make_unique<marketdata::BookMirror>(*instruments, kDepthLevels * 4)) {}

uint64_t EventMapper::Intern(const std::string& name,
                             std::unordered_map<std::string, uint64_t>* ids,
                             std::vector<std::string>* names) {
  auto [it, added] = ids->emplace(name, names->size());
  if (added) names->push_back(name);
  return it->second;
}

std::optional<sv::Event> EventMapper::FromTrade(const marketdata::v1::Trade& t) {
  absl::StatusOr<marketdata::Trade> trade = marketdata::TradeFromProto(t, *instruments_);
  if (!trade.ok()) return std::nullopt;
  return sv::PublicTrade(trade->exchange_time, trade->instrument, trade->trade_id, trade->aggressor,
                         trade->price, trade->qty);
}

std::optional<sv::Event> EventMapper::Top(absl::StatusOr<InstrumentIndex> i, Timestamp time) {
  if (!i.ok()) return std::nullopt;
  const marketdata::OrderBook& b = books_->book(*i);
  sv::BookTop top;
  if (auto bid = b.BestBid()) top.bid_price = bid->price, top.bid_qty = bid->qty;
  if (auto ask = b.BestAsk()) top.ask_price = ask->price, top.ask_qty = ask->qty;
  int64_t bid_depth = 0, ask_depth = 0;
  for (size_t k = 0; k < kDepthLevels && k < b.Depth(marketdata::BookSide::kBid); ++k) {
    bid_depth += b.Level(marketdata::BookSide::kBid, k).qty.raw();
  }
  for (size_t k = 0; k < kDepthLevels && k < b.Depth(marketdata::BookSide::kAsk); ++k) {
    ask_depth += b.Level(marketdata::BookSide::kAsk, k).qty.raw();
  }
  top.bid_depth_qty = Quantity::FromRaw(bid_depth);
  top.ask_depth_qty = Quantity::FromRaw(ask_depth);
  return sv::BookUpdate(time, *i, top);
}

std::optional<sv::Event> EventMapper::FromBook(const marketdata::v1::BookSnapshot& s) {
  return Top(books_->OnSnapshot(s), Timestamp::FromNanos(s.exchange_time_ns()));
}

std::optional<sv::Event> EventMapper::FromBook(const marketdata::v1::BookDelta& d) {
  return Top(books_->OnDelta(d), Timestamp::FromNanos(d.exchange_time_ns()));
}

std::optional<sv::Event> EventMapper::FromReport(const ov1::ExecutionReport& r) {
  const ov1::Order& o = r.order();
  std::optional<InstrumentIndex> i = instruments_->Find(InstrumentId::FromProto(o.instrument()));
  if (!i) return std::nullopt;
  sv::ParticipantId who = participants_->Intern(o.strategy_id());
  Timestamp t = Timestamp::FromNanos(o.updated_ns());
  Price px = Price::FromRaw(o.price());
  uint64_t id = Intern(o.client_order_id(), &order_ids_, &order_names_);
  if (o.status() == ov1::ORDER_STATUS_NEW && r.previous_status() == ov1::ORDER_STATUS_PENDING_NEW) {
    sv::Aggression a = o.order_type() == ov1::ORDER_TYPE_MARKET        ? sv::Aggression::kAggressive
                       : o.order_type() == ov1::ORDER_TYPE_LIMIT_MAKER ? sv::Aggression::kPassive
                                                                       : sv::Aggression::kUnknown;
    return sv::OrderSubmitted(t, *i, who, id, o.side(), px, Quantity::FromRaw(o.qty()), a);
  }
  if (o.status() == ov1::ORDER_STATUS_CANCELED || o.status() == ov1::ORDER_STATUS_EXPIRED) {
    return sv::OrderCancelled(t, *i, who, id, o.side(), px,
                              Quantity::FromRaw(o.qty() - o.filled_qty()), Quantity::Zero());
  }
  return std::nullopt;
}

std::optional<sv::Event> EventMapper::FromFill(const ov1::Fill& f) {
  std::optional<InstrumentIndex> i = instruments_->Find(InstrumentId::FromProto(f.instrument()));
  if (!i) return std::nullopt;
  sv::Aggression a = f.liquidity() == ov1::LIQUIDITY_TAKER   ? sv::Aggression::kAggressive
                     : f.liquidity() == ov1::LIQUIDITY_MAKER ? sv::Aggression::kPassive
                                                             : sv::Aggression::kUnknown;
  return sv::OrderExecuted(Timestamp::FromNanos(f.exchange_time_ns()), *i,
                           participants_->Intern(f.strategy_id()),
                           Intern(f.client_order_id(), &order_ids_, &order_names_),
                           Intern(f.fill_id(), &fill_ids_, &fill_names_), f.side(),
                           Price::FromRaw(f.price()), Quantity::FromRaw(f.qty()), a);
}

sv::AlertNaming EventMapper::Naming() const {
  sv::AlertNaming naming;
  naming.instruments = instruments_;
  naming.participants = participants_;
  naming.order_id_name = [this](uint64_t id) {
    return id < order_names_.size() ? order_names_[id] : StrCat(id);
  };
  naming.fill_id_name = [this](uint64_t id) {
    return id < fill_names_.size() ? fill_names_[id] : StrCat(id);
  };
  return naming;
}

}  // namespace tradeplane::sentinel
