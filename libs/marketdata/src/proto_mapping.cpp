#include "tradeplane/marketdata/proto_mapping.h"

#include <cstring>

#include "tradeplane/core/str_cat.h"

namespace tradeplane::marketdata {
namespace {

absl::StatusOr<InstrumentIndex> Resolve(const common::v1::InstrumentId& id,
                                        const InstrumentTable& instruments) {
  std::optional<InstrumentIndex> i = instruments.Find(id.venue(), id.symbol());
  if (!i)
    return absl::NotFoundError(
        StrCat("unknown instrument ", InstrumentId::FromProto(id).ToString()));
  return *i;
}

}  // namespace

absl::StatusOr<Quote> QuoteFromProto(const v1::Quote& p, const InstrumentTable& instruments) {
  absl::StatusOr<InstrumentIndex> i = Resolve(p.instrument(), instruments);
  if (!i.ok()) return i.status();
  return Quote{*i,
               Price::FromRaw(p.bid_price()),
               Quantity::FromRaw(p.bid_qty()),
               Price::FromRaw(p.ask_price()),
               Quantity::FromRaw(p.ask_qty()),
               Timestamp::FromNanos(p.exchange_time_ns()),
               Timestamp::FromNanos(p.receive_time_ns())};
}

absl::StatusOr<Trade> TradeFromProto(const v1::Trade& p, const InstrumentTable& instruments) {
  absl::StatusOr<InstrumentIndex> i = Resolve(p.instrument(), instruments);
  if (!i.ok()) return i.status();
  Trade t;
  t.instrument = *i;
  t.price = Price::FromRaw(p.price());
  t.qty = Quantity::FromRaw(p.qty());
  t.aggressor = p.aggressor_side();
  uint64_t id = 0;
  for (char c : p.trade_id()) {
    if (c < '0' || c > '9') break;
    id = id * 10 + static_cast<uint64_t>(c - '0');
  }
  t.trade_id = id;
  t.exchange_time = Timestamp::FromNanos(p.exchange_time_ns());
  t.receive_time = Timestamp::FromNanos(p.receive_time_ns());
  size_t n = std::min(p.participant().size(), sizeof(t.participant));
  std::memcpy(t.participant, p.participant().data(), n);
  return t;
}

absl::StatusOr<Bar> BarFromProto(const v1::Bar& p, const InstrumentTable& instruments) {
  absl::StatusOr<InstrumentIndex> i = Resolve(p.instrument(), instruments);
  if (!i.ok()) return i.status();
  Bar b;
  b.instrument = *i;
  b.interval = Duration(p.interval_ns());
  b.open_time = Timestamp::FromNanos(p.open_time_ns());
  b.open = Price::FromRaw(p.open());
  b.high = Price::FromRaw(p.high());
  b.low = Price::FromRaw(p.low());
  b.close = Price::FromRaw(p.close());
  b.volume = Quantity::FromRaw(p.volume());
  b.vwap = Price::FromRaw(p.vwap());
  b.trade_count = p.trade_count();
  return b;
}

BookMirror::BookMirror(const InstrumentTable& instruments, size_t depth)
    : instruments_(instruments) {
  for (InstrumentIndex i = 0; i < instruments.size(); ++i) {
    OrderBookOptions o;
    o.instrument = i;
    o.max_depth = depth;
    books_.push_back(std::make_unique<OrderBook>(o));
    synced_.push_back(false);
  }
}

absl::StatusOr<InstrumentIndex> BookMirror::Find(const common::v1::InstrumentId& id) const {
  return Resolve(id, instruments_);
}

void BookMirror::Levels(const google::protobuf::RepeatedPtrField<v1::BookLevel>& in,
                        std::vector<BookLevel>* out) {
  out->clear();
  for (const v1::BookLevel& l : in) {
    out->push_back(BookLevel{Price::FromRaw(l.price()), Quantity::FromRaw(l.qty())});
  }
}

absl::StatusOr<InstrumentIndex> BookMirror::OnSnapshot(const v1::BookSnapshot& s) {
  absl::StatusOr<InstrumentIndex> i = Find(s.instrument());
  if (!i.ok()) return i;
  Levels(s.bids(), &bids_);
  Levels(s.asks(), &asks_);
  absl::Status applied = books_[*i]->ApplySnapshot(s.book_sequence(), bids_, asks_,
                                                   Timestamp::FromNanos(s.exchange_time_ns()));
  synced_[*i] = applied.ok();
  if (!applied.ok()) return applied;
  return *i;
}

absl::StatusOr<InstrumentIndex> BookMirror::OnDelta(const v1::BookDelta& d) {
  absl::StatusOr<InstrumentIndex> i = Find(d.instrument());
  if (!i.ok()) return i;
  if (!synced_[*i]) return absl::DataLossError("waiting for a book snapshot");
  Levels(d.bids(), &bids_);
  Levels(d.asks(), &asks_);
  absl::Status applied = books_[*i]->ApplyDelta(
      BookUpdate{.previous_sequence = d.book_sequence() - 1,
                 .sequence = d.book_sequence(),
                 .bids = bids_,
                 .asks = asks_,
                 .exchange_time = Timestamp::FromNanos(d.exchange_time_ns())});
  if (applied.code() == absl::StatusCode::kAlreadyExists) return *i;  // a repeat
  if (!applied.ok()) {
    synced_[*i] = false;
    return absl::DataLossError(StrCat("book out of sync: ", ToStd(applied.message())));
  }
  return *i;
}

}  // namespace tradeplane::marketdata
