// The order as the state machine holds it (execution::Order) to and from the
// contract message (orders::v1::Order) and the journal's row
// (store::JournaledOrder).
#ifndef TRADEPLANE_SERVICES_EXECUTION_ORDER_JOURNAL_MAPPING_H_
#define TRADEPLANE_SERVICES_EXECUTION_ORDER_JOURNAL_MAPPING_H_

#include <string>

#include "tradeplane/core/instrument.h"
#include "tradeplane/execution/order.h"
#include "tradeplane/orders/v1/orders.pb.h"
#include "tradeplane/store/execution_store.h"

#include "absl/status/statusor.h"

namespace tradeplane::execution_service {

// What execution keeps about an order beyond the state machine's Order.
struct OrderMeta {
  std::string intent_id;
  std::string decision_id;
  bool reduce_only = false;
};

void OrderToProto(const execution::Order& order, const OrderMeta& meta,
                  const InstrumentTable& instruments, orders::v1::Order* out);
store::JournaledOrder ToJournal(const execution::Order& order, const OrderMeta& meta,
                                const InstrumentTable& instruments);
// NOT_FOUND when the order's instrument is not configured any more.
absl::StatusOr<execution::Order> FromJournal(const store::JournaledOrder& journaled,
                                             const InstrumentTable& instruments, OrderMeta* meta);

std::string Int128ToDecimal(fixed_point::Int128 value);
absl::StatusOr<fixed_point::Int128> DecimalToInt128(std::string_view text);

}  // namespace tradeplane::execution_service

#endif  // TRADEPLANE_SERVICES_EXECUTION_ORDER_JOURNAL_MAPPING_H_
