// The execution service's journal (db/migrations/0003_execution.sql): orders
// and their append-only events, fills, anomalies and start-gate overrides.
//
// Every write that changes an order writes its current state (exec_orders)
// and the event that changed it (exec_order_events) in one transaction; a
// fill is written with the order it changed in the same transaction, so the
// journal never holds a fill its order does not count, or the reverse.
//
// Every write carries the writer's fencing epoch (set_fencing_epoch; 0, the
// default, for a single instance without leader election). The database
// refuses a write whose epoch is older than the execution role's current one
// (db/migrations/0008_leadership.sql): the write fails with a status for which
// IsFencedWrite (leader_election.h) is true, and nothing of it is kept.
//
// Thread-safe (the Database's pool); calls block on the database.
#ifndef TRADEPLANE_STORE_EXECUTION_STORE_H_
#define TRADEPLANE_STORE_EXECUTION_STORE_H_

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tradeplane/orders/v1/orders.pb.h"
#include "tradeplane/store/database.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace tradeplane::store {

// An order as the journal keeps it: the contract message plus what the order
// state machine needs to resume it.
struct JournaledOrder {
  orders::v1::Order order;
  std::string intent_id;
  std::string decision_id;
  orders::v1::OrderStatus status_before_cancel = orders::v1::ORDER_STATUS_UNSPECIFIED;
  bool sent = false;
  // Sum of price.raw() x qty.raw() over the fills, as a decimal integer.
  std::string filled_notional_e18 = "0";
  // Read only: the ids of the journaled fills of this order.
  std::vector<std::string> fill_ids;
};

// One row of exec_order_events.
struct OrderEventRecord {
  std::string event;   // "SUBMIT_SENT", "VENUE_ACK", "FILL", ... (the service's names)
  std::string detail;  // reason, venue order id, fill id: what a person needs
  int64_t event_ns = 0;
};

struct StoredOrderEvent {
  int64_t seq = 0;
  std::string event;
  std::string status;
  std::string detail;
  int64_t event_ns = 0;
};

struct Anomaly {
  int64_t id = 0;
  std::string kind;
  std::string client_order_id;
  std::string detail;
  int64_t at_ns = 0;
};

// Net filled quantity (buys minus sells, fixed point raw) of one instrument.
struct NetPosition {
  std::string venue;  // short enum name, e.g. "BINANCE"
  std::string symbol;
  int64_t net_qty = 0;
};

class ExecutionStore {
 public:
  explicit ExecutionStore(Database& db) : db_(db) {}

  // The epoch this instance won as the execution leader; stamped on every
  // later write of orders, events and fills.
  void set_fencing_epoch(int64_t epoch) { fencing_epoch_.store(epoch); }
  int64_t fencing_epoch() const { return fencing_epoch_.load(); }

  // Journals a new order and its first event in one transaction. When the
  // client order id is already journaled nothing is written and the stored
  // order comes back instead (`inserted` false): a duplicate request never
  // becomes a second order, whatever any reply cache remembers.
  struct InsertResult {
    bool inserted = false;
    JournaledOrder order;  // the stored order when !inserted
  };
  absl::StatusOr<InsertResult> InsertOrder(const JournaledOrder& order,
                                           const OrderEventRecord& event);

  // The order's new state and the events that led to it, in one transaction.
  // NOT_FOUND when the order is not journaled.
  absl::Status UpdateOrder(const JournaledOrder& order,
                           const std::vector<OrderEventRecord>& events);

  // The fill, the order's new state and the event, in one transaction.
  // Returns false (nothing written) when the fill id is already journaled.
  absl::StatusOr<bool> RecordFill(const orders::v1::Fill& fill, int64_t journaled_ns,
                                  const JournaledOrder& order, const OrderEventRecord& event);
  absl::Status MarkFillsPublished(const std::vector<std::string>& fill_ids);
  // Journaled fills not yet marked published, oldest first.
  absl::StatusOr<std::vector<orders::v1::Fill>> UnpublishedFills();

  absl::StatusOr<std::optional<JournaledOrder>> FindOrder(std::string_view client_order_id);
  // Orders not in a final state (PENDING_NEW, NEW, PARTIALLY_FILLED,
  // PENDING_CANCEL), with their fill ids.
  absl::StatusOr<std::vector<JournaledOrder>> OpenOrders();
  // Newest first; `limit` 0 = 1000.
  absl::StatusOr<std::vector<orders::v1::Order>> ListOrders(bool open_only, uint32_t limit);
  // Fills journaled at or after `since_ns`, oldest first; `limit` 0 = 1000.
  absl::StatusOr<std::vector<orders::v1::Fill>> ListFills(int64_t since_ns, uint32_t limit);
  absl::StatusOr<std::vector<orders::v1::Fill>> FillsOfOrder(std::string_view client_order_id);
  absl::StatusOr<std::vector<StoredOrderEvent>> EventsOf(std::string_view client_order_id);

  absl::Status AppendAnomaly(std::string_view kind, std::string_view client_order_id,
                             std::string_view detail, int64_t at_ns);
  // Newest first; `limit` 0 = 1000.
  absl::StatusOr<std::vector<Anomaly>> Anomalies(uint32_t limit);

  absl::Status RecordStartOverride(std::string_view actor, std::string_view reason, int64_t at_ns);

  // Net filled quantity per instrument over every journaled fill.
  absl::StatusOr<std::vector<NetPosition>> NetPositions();

 private:
  Database& db_;
  std::atomic<int64_t> fencing_epoch_{0};
};

}  // namespace tradeplane::store

#endif  // TRADEPLANE_STORE_EXECUTION_STORE_H_
