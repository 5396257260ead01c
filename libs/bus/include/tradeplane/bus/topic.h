// Topics: <area>.<kind>.<venue>.<symbol>, e.g. md.trade.BINANCE.SUSHIUSDT.
//
// Segments taken from an enum use the enum's short name (exec.order.FILLED).
// The symbol is always the last segment and is everything after the venue,
// so a symbol may itself contain dots. ZeroMQ matches subscriptions by
// prefix: md.trade.BINANCE.SUSHI also matches SUSHIUSDT, which is why
// subscribers that want one instrument filter the topic exactly.
#ifndef TRADEPLANE_BUS_TOPIC_H_
#define TRADEPLANE_BUS_TOPIC_H_

#include <string>
#include <string_view>

#include "tradeplane/common/v1/common.pb.h"

#include "absl/status/status.h"

namespace tradeplane::bus {

// "<area>.<kind>.<VENUE>.<symbol>"
std::string InstrumentTopic(std::string_view area, std::string_view kind,
                            const common::v1::InstrumentId& instrument);
// "<area>.<kind>.<qualifier>.<VENUE>.<symbol>", e.g. md.bar.1m.BINANCE.NKNUSDT.
std::string QualifiedInstrumentTopic(std::string_view area, std::string_view kind,
                                     std::string_view qualifier,
                                     const common::v1::InstrumentId& instrument);

// A topic is printable ASCII without spaces, at most 255 bytes, with no empty
// segment.
absl::Status ValidateTopic(std::string_view topic);

}  // namespace tradeplane::bus

#endif  // TRADEPLANE_BUS_TOPIC_H_
