#include "order_journal_mapping.h"

#include <algorithm>

#include "tradeplane/core/str_cat.h"

namespace tradeplane::execution_service {

void OrderToProto(const execution::Order& o, const OrderMeta& meta,
                  const InstrumentTable& instruments, orders::v1::Order* out) {
  out->Clear();
  out->set_client_order_id(o.client_order_id);
  out->set_venue_order_id(o.venue_order_id);
  out->set_strategy_id(o.strategy_id);
  instruments.at(o.instrument).id.ToProto(out->mutable_instrument());
  out->set_side(o.side);
  out->set_order_type(o.type);
  out->set_time_in_force(o.time_in_force);
  out->set_qty(o.qty.raw());
  out->set_price(o.price.raw());
  out->set_filled_qty(o.filled_qty.raw());
  absl::StatusOr<Price> avg = o.average_fill_price();
  out->set_avg_fill_price(avg.ok() ? avg->raw() : 0);
  out->set_status(o.status);
  out->set_reduce_only(meta.reduce_only);
  out->set_reject_reason(o.reject_reason);
  out->set_created_ns(o.created.nanos());
  out->set_updated_ns(o.updated.nanos());
}

store::JournaledOrder ToJournal(const execution::Order& o, const OrderMeta& meta,
                                const InstrumentTable& instruments) {
  store::JournaledOrder j;
  OrderToProto(o, meta, instruments, &j.order);
  j.intent_id = meta.intent_id;
  j.decision_id = meta.decision_id;
  j.status_before_cancel = o.status_before_cancel;
  j.sent = o.sent;
  j.filled_notional_e18 = Int128ToDecimal(o.filled_notional_e18);
  j.fill_ids = o.fill_ids;
  return j;
}

absl::StatusOr<execution::Order> FromJournal(const store::JournaledOrder& j,
                                             const InstrumentTable& instruments, OrderMeta* meta) {
  const orders::v1::Order& p = j.order;
  std::optional<InstrumentIndex> instrument =
      instruments.Find(p.instrument().venue(), p.instrument().symbol());
  if (!instrument.has_value()) {
    return absl::NotFoundError(StrCat("journaled order ", p.client_order_id(), " is on ",
                                      p.instrument().symbol(), ", which is not configured"));
  }
  absl::StatusOr<fixed_point::Int128> notional = DecimalToInt128(j.filled_notional_e18);
  if (!notional.ok()) {
    return absl::DataLossError(
        StrCat("journaled order ", p.client_order_id(),
               ": filled_notional_e18: ", ToStd(notional.status().message())));
  }
  execution::Order o;
  o.client_order_id = p.client_order_id();
  o.venue_order_id = p.venue_order_id();
  o.strategy_id = p.strategy_id();
  o.instrument = *instrument;
  o.side = p.side();
  o.type = p.order_type();
  o.time_in_force = p.time_in_force();
  o.qty = Quantity::FromRaw(p.qty());
  o.price = Price::FromRaw(p.price());
  o.status = p.status();
  o.status_before_cancel = j.status_before_cancel;
  o.sent = j.sent;
  o.filled_qty = Quantity::FromRaw(p.filled_qty());
  o.filled_notional_e18 = *notional;
  o.fill_ids = j.fill_ids;
  o.reject_reason = p.reject_reason();
  o.created = Timestamp::FromNanos(p.created_ns());
  o.updated = Timestamp::FromNanos(p.updated_ns());
  if (meta != nullptr) {
    meta->intent_id = j.intent_id;
    meta->decision_id = j.decision_id;
    meta->reduce_only = p.reduce_only();
  }
  return o;
}

std::string Int128ToDecimal(fixed_point::Int128 value) {
  if (value == 0) return "0";
  bool negative = value < 0;
  fixed_point::UInt128 magnitude = negative ? static_cast<fixed_point::UInt128>(-(value + 1)) + 1
                                            : static_cast<fixed_point::UInt128>(value);
  std::string digits;
  while (magnitude != 0) {
    digits.push_back(static_cast<char>('0' + static_cast<int>(magnitude % 10)));
    magnitude /= 10;
  }
  if (negative) digits.push_back('-');
  std::reverse(digits.begin(), digits.end());
  return digits;
}

absl::StatusOr<fixed_point::Int128> DecimalToInt128(std::string_view text) {
  bool negative = !text.empty() && text[0] == '-';
  if (negative) text.remove_prefix(1);
  if (text.empty() || text.size() > 38) {
    return absl::InvalidArgumentError("not a decimal integer of at most 38 digits");
  }
  fixed_point::Int128 value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return absl::InvalidArgumentError("not a decimal integer");
    value = value * 10 + (c - '0');
  }
  return negative ? -value : value;
}

}  // namespace tradeplane::execution_service
