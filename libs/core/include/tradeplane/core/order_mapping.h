// The contract messages for intents and fills, to and from the pure
// libraries' structs. Every service edge uses these, so a field is read the
// same way everywhere (and refused the same way when it is wrong).
#ifndef TRADEPLANE_CORE_ORDER_MAPPING_H_
#define TRADEPLANE_CORE_ORDER_MAPPING_H_

#include "tradeplane/core/instrument.h"
#include "tradeplane/core/order.h"
#include "tradeplane/orders/v1/orders.pb.h"
#include "tradeplane/signal/v1/signal.pb.h"

#include "absl/status/statusor.h"

namespace tradeplane {

// Refuses (INVALID_ARGUMENT, naming the field) a missing intent or client
// order id, an unknown instrument (NOT_FOUND), an unspecified side, a
// non-positive quantity, a limit order without a positive price, a bad
// client order id. A cancel intent needs only ids and the instrument.
absl::StatusOr<OrderIntent> IntentFromProto(const signal::v1::OrderIntent& proto,
                                            const InstrumentTable& instruments);
void IntentToProto(const OrderIntent& intent, const InstrumentTable& instruments,
                   signal::v1::OrderIntent* out);

absl::StatusOr<Fill> FillFromProto(const orders::v1::Fill& proto,
                                   const InstrumentTable& instruments);
void FillToProto(const Fill& fill, const InstrumentTable& instruments, orders::v1::Fill* out);

}  // namespace tradeplane

#endif  // TRADEPLANE_CORE_ORDER_MAPPING_H_
