#include "journal_reader.h"

#include "tradeplane/core/enum_names.h"
#include "tradeplane/core/str_cat.h"

namespace tradeplane::reconciler {
namespace {

namespace rc = reconciliation;
namespace ov1 = orders::v1;

// Bounds on one read. A periodic run, not a hot path; a journal larger than
// this needs trade-window bounded reads (see docs/reference/reconciler.md).
constexpr uint32_t kMaxOrders = 100'000;
constexpr uint32_t kMaxFills = 1'000'000;

}  // namespace

absl::StatusOr<std::set<InstrumentIndex>> JournalReader::ActiveInstruments() {
  std::set<InstrumentIndex> out;
  absl::StatusOr<std::vector<store::JournaledOrder>> open = journal_.OpenOrders();
  if (!open.ok()) return open.status();
  for (const store::JournaledOrder& j : *open) {
    if (auto i = instruments_.Find(InstrumentId::FromProto(j.order.instrument()))) out.insert(*i);
  }
  absl::StatusOr<std::vector<store::NetPosition>> positions = journal_.NetPositions();
  if (!positions.ok()) return positions.status();
  for (const store::NetPosition& p : *positions) {
    Venue venue;
    if (!ParseEnum(p.venue, &venue)) continue;
    if (auto i = instruments_.Find(venue, p.symbol)) out.insert(*i);
  }
  return out;
}

absl::StatusOr<JournalBook> JournalReader::Read() {
  JournalBook out;
  absl::StatusOr<std::vector<ov1::Order>> orders = journal_.ListOrders(false, kMaxOrders);
  if (!orders.ok()) return orders.status();
  for (const ov1::Order& o : *orders) {
    std::optional<InstrumentIndex> i = instruments_.Find(InstrumentId::FromProto(o.instrument()));
    if (!i) {
      out.not_comparable.push_back(StrCat("order ", o.client_order_id(), " on ",
                                          InstrumentId::FromProto(o.instrument()).ToString()));
      continue;
    }
    rc::OurOrder ours;
    ours.client_order_id = o.client_order_id();
    ours.venue_order_id = o.venue_order_id();
    ours.strategy_id = o.strategy_id();
    ours.instrument = *i;
    ours.side = o.side();
    ours.status = o.status();
    ours.qty = Quantity::FromRaw(o.qty());
    ours.filled_qty = Quantity::FromRaw(o.filled_qty());
    ours.price = Price::FromRaw(o.price());
    ours.updated = Timestamp::FromNanos(o.updated_ns());
    out.book.orders.push_back(std::move(ours));
  }
  absl::StatusOr<std::vector<ov1::Fill>> fills = journal_.ListFills(0, kMaxFills);
  if (!fills.ok()) return fills.status();
  for (const ov1::Fill& f : *fills) {
    std::optional<InstrumentIndex> i = instruments_.Find(InstrumentId::FromProto(f.instrument()));
    if (!i) {
      out.not_comparable.push_back(StrCat("fill ", f.fill_id()));
      continue;
    }
    rc::OurFill ours;
    ours.fill_id = f.fill_id();
    ours.venue_trade_id = f.venue_trade_id();
    ours.client_order_id = f.client_order_id();
    ours.venue_order_id = f.venue_order_id();
    ours.instrument = *i;
    ours.side = f.side();
    ours.price = Price::FromRaw(f.price());
    ours.qty = Quantity::FromRaw(f.qty());
    ours.fee = Amount::FromRaw(f.fee());
    ours.fee_asset = f.fee_asset();
    ours.time = Timestamp::FromNanos(f.exchange_time_ns());
    out.book.fills.push_back(std::move(ours));
  }
  absl::StatusOr<std::vector<store::NetPosition>> positions = journal_.NetPositions();
  if (!positions.ok()) return positions.status();
  for (const store::NetPosition& p : *positions) {
    Venue venue;
    std::optional<InstrumentIndex> i;
    if (ParseEnum(p.venue, &venue)) i = instruments_.Find(venue, p.symbol);
    if (!i) {
      out.not_comparable.push_back(StrCat("position ", p.venue, ".", p.symbol));
      continue;
    }
    out.book.positions.push_back({.instrument = *i, .qty = Quantity::FromRaw(p.net_qty)});
  }
  return out;
}

}  // namespace tradeplane::reconciler
