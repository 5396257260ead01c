#include "tradeplane/strategy/strategy_context.h"

#include <algorithm>
#include <utility>

namespace tradeplane::strategy {

StrategyContext::StrategyContext(std::string strategy_id, const InstrumentTable& instruments,
                                 const Clock& clock, RandomSource& random)
    : strategy_id_(std::move(strategy_id)),
      instruments_(instruments),
      clock_(clock),
      ids_(clock, random),
      positions_(instruments.size()),
      orders_(instruments.size()) {}

Quantity StrategyContext::position(InstrumentIndex instrument) const {
  return instrument < positions_.size() ? positions_[instrument] : Quantity::Zero();
}

std::span<const OpenOrder> StrategyContext::open_orders(InstrumentIndex instrument) const {
  if (instrument >= orders_.size()) return {};
  return orders_[instrument];
}

const OpenOrder* StrategyContext::FindOpenOrder(InstrumentIndex instrument,
                                                std::string_view client_order_id) const {
  for (const OpenOrder& order : open_orders(instrument)) {
    if (order.client_order_id == client_order_id) return &order;
  }
  return nullptr;
}

std::vector<OpenOrder>* StrategyContext::OrdersOf(InstrumentIndex instrument) {
  if (instrument >= instruments_.size()) return nullptr;
  if (instrument >= orders_.size()) {
    // The table grew after this context was made.
    orders_.resize(instruments_.size());
    positions_.resize(instruments_.size());
  }
  return &orders_[instrument];
}

absl::Status StrategyContext::Submit(OrderIntent intent) {
  std::vector<OpenOrder>* orders = OrdersOf(intent.instrument);
  if (orders == nullptr) {
    return absl::InvalidArgumentError(
        StrCat("intent for instrument index ", intent.instrument, " which is not in the table"));
  }
  const InstrumentSpec& spec = instruments_.at(intent.instrument);
  if (intent.side != common::v1::SIDE_BUY && intent.side != common::v1::SIDE_SELL) {
    return absl::InvalidArgumentError(
        StrCat("intent on ", spec.id.ToString(), " has no side (BUY or SELL)"));
  }
  if (absl::Status s = spec.CheckQuantity(intent.qty); !s.ok()) {
    return absl::InvalidArgumentError(
        StrCat("intent on ", spec.id.ToString(), ": quantity: ", ToStd(s.message())));
  }
  if (intent.type == orders::v1::ORDER_TYPE_MARKET) {
    if (!intent.price.is_zero()) {
      return absl::InvalidArgumentError(StrCat("market intent on ", spec.id.ToString(),
                                               " carries a price ", intent.price.ToString()));
    }
  } else if (intent.type == orders::v1::ORDER_TYPE_LIMIT ||
             intent.type == orders::v1::ORDER_TYPE_LIMIT_MAKER) {
    if (absl::Status s = spec.CheckPrice(intent.price); !s.ok()) {
      return absl::InvalidArgumentError(
          StrCat("intent on ", spec.id.ToString(), ": price: ", ToStd(s.message())));
    }
  } else {
    return absl::InvalidArgumentError(
        StrCat("intent on ", spec.id.ToString(), " has no order type"));
  }
  intent.intent_id = ids_.Next();
  intent.client_order_id = ids_.Next();
  intent.strategy_id = strategy_id_;
  intent.created = clock_.Now();
  intent.cancel_client_order_id.clear();
  orders->push_back(OpenOrder{intent.client_order_id, intent.instrument, intent.side, intent.type,
                              intent.price, intent.qty, Quantity::Zero(), false, intent.created});
  intents_.push_back(std::move(intent));
  return absl::OkStatus();
}

absl::Status StrategyContext::Cancel(InstrumentIndex instrument, std::string_view client_order_id,
                                     std::string reason) {
  std::vector<OpenOrder>* orders = OrdersOf(instrument);
  OpenOrder* order = nullptr;
  if (orders != nullptr) {
    for (OpenOrder& o : *orders) {
      if (o.client_order_id == client_order_id) order = &o;
    }
  }
  if (order == nullptr) {
    return absl::NotFoundError(
        StrCat("cancel of ", client_order_id, ": not an open order of this strategy"));
  }
  OpenOrder* it = order;
  if (it->cancel_requested) {
    return absl::FailedPreconditionError(
        StrCat("cancel of ", client_order_id, ": already requested"));
  }
  it->cancel_requested = true;
  OrderIntent intent;
  intent.intent_id = ids_.Next();
  intent.strategy_id = strategy_id_;
  intent.instrument = instrument;
  intent.side = it->side;
  intent.type = it->type;
  intent.qty = it->remaining();
  intent.price = it->price;
  intent.reason = std::move(reason);
  intent.created = clock_.Now();
  intent.cancel_client_order_id = it->client_order_id;
  intents_.push_back(std::move(intent));
  return absl::OkStatus();
}

void StrategyContext::BeginEvent() {
  intents_.clear();
  note_count_ = 0;
}

NoActionNote& StrategyContext::NextNote(InstrumentIndex instrument) {
  if (note_count_ == notes_.size()) notes_.emplace_back();
  NoActionNote& note = notes_[note_count_++];
  note.instrument = instrument;
  note.reason.clear();  // keeps the capacity
  return note;
}

absl::Status StrategyContext::ApplyFill(const Fill& fill) {
  std::vector<OpenOrder>* orders = OrdersOf(fill.instrument);
  if (orders == nullptr) {
    return absl::InvalidArgumentError(StrCat("fill ", fill.fill_id, " for instrument index ",
                                             fill.instrument, " which is not in the table"));
  }
  const int sign = SideSign(fill.side);
  if (sign == 0) {
    return absl::InvalidArgumentError(StrCat("fill ", fill.fill_id, " has no side"));
  }
  if (!fill.qty.is_positive()) {
    return absl::InvalidArgumentError(
        StrCat("fill ", fill.fill_id, " has quantity ", fill.qty.ToString(), " (must be > 0)"));
  }
  Quantity& position = positions_[fill.instrument];
  absl::StatusOr<Quantity> moved = sign > 0 ? position.Add(fill.qty) : position.Sub(fill.qty);
  if (!moved.ok()) {
    return absl::OutOfRangeError(
        StrCat("fill ", fill.fill_id, ": position overflow: ", ToStd(moved.status().message())));
  }
  position = *moved;
  for (auto it = orders->begin(); it != orders->end(); ++it) {
    if (it->client_order_id != fill.client_order_id) continue;
    absl::StatusOr<Quantity> filled = it->filled.Add(fill.qty);
    it->filled = filled.ok() ? *filled : it->qty;
    if (it->filled >= it->qty) orders->erase(it);
    break;
  }
  return absl::OkStatus();
}

void StrategyContext::OrderDone(std::string_view client_order_id) {
  for (std::vector<OpenOrder>& orders : orders_) {
    auto it = std::find_if(orders.begin(), orders.end(), [&](const OpenOrder& o) {
      return o.client_order_id == client_order_id;
    });
    if (it != orders.end()) {
      orders.erase(it);
      return;
    }
  }
}

}  // namespace tradeplane::strategy
