// Venue: what execution needs from a trading venue. Implementations adapt a
// real venue (Binance over REST and WebSocket) or simulate one in process
// (SimVenue). Every call returns absl::StatusOr; a failure carries a
// VenueError classification (venue_error.h) that says whether to retry,
// give up, or query before retrying.
//
// Orders are identified by our client order id (fixed at intent time), so a
// call whose outcome is unknown can be resolved with QueryOrder.
#ifndef TRADEPLANE_EXECUTION_VENUE_H_
#define TRADEPLANE_EXECUTION_VENUE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tradeplane/core/fixed_point.h"
#include "tradeplane/core/instrument.h"
#include "tradeplane/core/order.h"
#include "tradeplane/core/timestamp.h"
#include "tradeplane/execution/order_event.h"

#include "absl/status/statusor.h"

namespace tradeplane::execution {

struct VenueOrderRequest {
  std::string client_order_id;
  InstrumentIndex instrument = 0;
  Side side = common::v1::SIDE_UNSPECIFIED;
  OrderType type = orders::v1::ORDER_TYPE_LIMIT;
  TimeInForce time_in_force = orders::v1::TIME_IN_FORCE_GTC;
  Price price;  // zero for market orders
  Quantity qty;
};

// An order as the venue reports it.
struct VenueOrder {
  std::string client_order_id;
  std::string venue_order_id;
  InstrumentIndex instrument = 0;
  Side side = common::v1::SIDE_UNSPECIFIED;
  OrderType type = orders::v1::ORDER_TYPE_UNSPECIFIED;
  TimeInForce time_in_force = orders::v1::TIME_IN_FORCE_UNSPECIFIED;
  Price price;
  Quantity qty;
  Quantity filled_qty;
  Amount filled_quote;  // cumulative quote quantity
  // PENDING_NEW / PENDING_CANCEL when the venue took the request but has not
  // processed it yet (its answer comes later as updates).
  OrderStatus status = orders::v1::ORDER_STATUS_UNSPECIFIED;
  std::string reason;  // why rejected or expired, when it says
  Timestamp updated;
};

struct SubmitAck {
  VenueOrder order;
  std::vector<Fill> fills;  // what filled at once (Binance's FULL response)
};

// Where a FillsSince page starts: after this venue trade id (per instrument,
// as Binance's myTrades fromId). Zero starts from the beginning.
struct FillCheckpoint {
  uint64_t after_trade_id = 0;
};

struct FillPage {
  std::vector<Fill> fills;  // oldest first
  FillCheckpoint next;      // pass to the next call
  bool more = false;        // the page was cut at the limit
};

struct VenueBalance {
  std::string asset;
  Amount free;
  Amount locked;
};

// An execution report the venue pushed (Binance's user data stream).
enum class VenueUpdateKind : uint8_t {
  kAccepted,
  kRejected,
  kFill,
  kCanceled,
  kExpired,
  kCancelRejected,
};

struct VenueUpdate {
  VenueUpdateKind kind = VenueUpdateKind::kAccepted;
  VenueOrder order;  // the order after the update
  Fill fill;         // kFill only
  std::string reason;
  Timestamp time;
};

// The state machine's event for an update. The event views the update's
// strings: keep the update alive while applying it.
OrderEvent ToOrderEvent(const VenueUpdate& update);

class Venue {
 public:
  virtual ~Venue() = default;

  virtual absl::StatusOr<SubmitAck> Submit(const VenueOrderRequest& request) = 0;
  virtual absl::StatusOr<VenueOrder> Cancel(InstrumentIndex instrument,
                                            std::string_view client_order_id) = 0;
  // Every open order of the instrument, as canceled (or PENDING_CANCEL).
  virtual absl::StatusOr<std::vector<VenueOrder>> CancelAll(InstrumentIndex instrument) = 0;
  // Open or closed. Definitive kUnknownOrder when the venue never saw it.
  virtual absl::StatusOr<VenueOrder> QueryOrder(InstrumentIndex instrument,
                                                std::string_view client_order_id) = 0;
  // nullopt: every instrument.
  virtual absl::StatusOr<std::vector<VenueOrder>> OpenOrders(
      std::optional<InstrumentIndex> instrument) = 0;
  virtual absl::StatusOr<FillPage> FillsSince(InstrumentIndex instrument, FillCheckpoint since,
                                              size_t limit) = 0;
  virtual absl::StatusOr<std::vector<VenueBalance>> Balances() = 0;
  // The updates pushed since the last call, oldest first.
  virtual absl::StatusOr<std::vector<VenueUpdate>> PollUpdates() = 0;
};

}  // namespace tradeplane::execution

#endif  // TRADEPLANE_EXECUTION_VENUE_H_
