// OrderManager: execution's orders between the journal and the venue.
//
// Every change of an order goes through the order state machine
// (libs/execution), is journaled (PostgreSQL, one transaction per change) and
// only then published (exec.order.<STATUS>, exec.fill.<VENUE>.<SYMBOL>). An
// event the state machine refuses is counted, logged and journaled as an
// anomaly, never applied. Venue calls are retried by their error's class:
// transient with backoff (the venue's Retry-After wins), definitive not at
// all, unknown outcome only after a query by client order id says the venue
// does not have the order.
//
// Runs on the service's main loop only (venue calls block it; they are
// bounded by the venue's timeout and the retry policy).
#ifndef TRADEPLANE_SERVICES_EXECUTION_ORDER_MANAGER_H_
#define TRADEPLANE_SERVICES_EXECUTION_ORDER_MANAGER_H_

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tradeplane/bus/publisher.h"
#include "tradeplane/core/clock.h"
#include "tradeplane/core/ids.h"
#include "tradeplane/core/instrument.h"
#include "tradeplane/execution/order_state_machine.h"
#include "tradeplane/execution/venue.h"
#include "tradeplane/execution/venue_error.h"
#include "tradeplane/orders/v1/orders.pb.h"
#include "tradeplane/store/execution_store.h"
#include "tradeplane/telemetry/metrics.h"
#include "tradeplane/telemetry/tracer.h"

#include "absl/status/statusor.h"
#include "order_journal_mapping.h"

namespace tradeplane::execution_service {

struct RetryPolicy {
  int max_retries = 3;
  std::chrono::milliseconds backoff{100};
  std::chrono::milliseconds max_total_wait{10000};
};

class OrderManager {
 public:
  OrderManager(const InstrumentTable& instruments, execution::Venue& venue,
               store::ExecutionStore& store, bus::Publisher& publisher, const Clock& clock,
               telemetry::MetricsRegistry& metrics, RetryPolicy retry,
               telemetry::Tracer* tracer = nullptr);
  ~OrderManager();

  // --- Start ---------------------------------------------------------------------
  // Loads the journal's open orders and publishes the fills journaled but
  // never published (the process died between the two).
  absl::Status LoadJournal();
  // Asks the venue for every open order's status and the fills it missed
  // (journaled as RECOVERY fills, then published). True when every open
  // order is resolved; unresolved ones are retried by ResyncUnresolved.
  bool RecoverOpenOrders();

  // --- Requests (each fills the reply) -------------------------------------------------
  // The order as journaled under this client order id, if any (memory, then
  // the journal).
  absl::StatusOr<std::optional<orders::v1::Order>> Existing(std::string_view client_order_id);
  // Validates, journals, sends (retrying as the error class says) and
  // answers with the order as it stands after the venue's answer.
  void NewOrder(const orders::v1::NewOrder& request, orders::v1::ExecutionReply* reply);
  void Cancel(const orders::v1::CancelOrder& request, orders::v1::ExecutionReply* reply);
  // Returns once the venue acknowledged the cancels (and placed the flatten
  // orders, when asked).
  void CancelAll(const orders::v1::CancelAll& request, orders::v1::ExecutionReply* reply);
  void IngestFill(const orders::v1::Fill& fill, orders::v1::ExecutionReply* reply);
  void CorrectStatus(const orders::v1::Order& order, orders::v1::ExecutionReply* reply);
  void AdoptVenueOrder(std::string_view venue_order_id, orders::v1::ExecutionReply* reply);

  // --- Venue events ------------------------------------------------------------------
  // Applies the updates the venue pushed (user-data stream, sim updates).
  void DrainVenueUpdates();
  // Events may have been missed (stream reconnect): query every open order
  // and fetch fills from the last trade seen.
  void OnStreamGap();
  // Retries what is unresolved (unknown outcomes, unjournaled changes).
  void ResyncUnresolved();
  // A venue message that could not be read: journaled as an anomaly, and
  // every open order is fetched again (its true state comes from the venue).
  void OnUnreadableVenueMessage(std::string_view detail);

  // --- Inspection ----------------------------------------------------------------------
  std::vector<orders::v1::Order> OpenOrders() const;
  size_t open_order_count() const;
  size_t unresolved_count() const;
  uint64_t anomaly_count() const { return anomalies_total_; }

 private:
  struct Entry {
    execution::Order order;
    OrderMeta meta;
    // Its venue state is unknown (an answer lost, a change not journaled):
    // query the venue before acting on it again.
    bool unresolved = false;
  };
  struct SendOutcome {
    bool accepted = true;
    orders::v1::ExecutionRefusal refusal = orders::v1::EXECUTION_REFUSAL_UNSPECIFIED;
    std::string reason;
  };

  Entry* Find(std::string_view client_order_id);
  Entry* FindByVenueId(std::string_view venue_order_id);
  Entry* Insert(execution::Order order, OrderMeta meta);
  void Remember(Entry& e);  // venue id index, eviction of final orders

  // The state machine on a copy, the journal, then memory and the bus.
  absl::StatusOr<execution::Transition> Apply(Entry& e, const execution::OrderEvent& event,
                                              std::string_view name, std::string detail);
  absl::StatusOr<execution::Transition> ApplyFill(Entry& e, Fill fill,
                                                  orders::v1::FillSource source);
  // Brings the order to the status a venue answer reports (ack, cancel,
  // expiry, rejection); fills come separately.
  void ApplyVenueOrder(Entry& e, const execution::VenueOrder& v, orders::v1::FillSource source);
  void ApplyUpdate(const execution::VenueUpdate& update);
  void Publish(const Entry& e, OrderStatus previous, const orders::v1::Fill* fill,
               std::string_view reason);

  SendOutcome Send(Entry& e);
  // venue_.Submit in a venue.submit span (when tracing).
  absl::StatusOr<execution::SubmitAck> SubmitTraced(const execution::VenueOrderRequest& request,
                                                    int attempt);
  // Queries the venue for one order and applies what it says (fills first).
  // False when the venue could not be asked.
  bool Resync(Entry& e, orders::v1::FillSource source);
  // Pages the instrument's fills from the checkpoint (or the start) and
  // applies those of our orders.
  absl::Status CatchUpFills(InstrumentIndex instrument, orders::v1::FillSource source,
                            bool from_start);
  void Flatten(const std::string& reason, orders::v1::ExecutionReply* reply);

  // Runs a venue call, retrying transient errors as the policy says.
  template <typename T>
  absl::StatusOr<T> Retrying(std::string_view call, const std::function<absl::StatusOr<T>()>& fn);
  // Sleeps before retry `attempt` (0-based); false when the policy's total
  // wait would be exceeded.
  bool WaitBeforeRetry(int attempt, const execution::VenueError& error,
                       std::chrono::milliseconds* waited);
  telemetry::Histogram* Latency(std::string_view call);
  void Anomaly(std::string_view kind, std::string_view client_order_id, std::string_view detail);
  void Refuse(orders::v1::ExecutionReply* reply, orders::v1::ExecutionRefusal code,
              std::string reason);
  void CountOrders();

  const InstrumentTable& instruments_;
  execution::Venue& venue_;
  store::ExecutionStore& store_;
  bus::Publisher& publisher_;
  const Clock& clock_;
  RetryPolicy retry_;
  SystemRandom random_;
  UuidV7Generator ids_;

  std::unordered_map<std::string, std::unique_ptr<Entry>> orders_;
  std::unordered_map<std::string, std::string> by_venue_id_;
  std::deque<std::string> finished_;     // final orders, oldest first, evicted past a bound
  std::vector<uint64_t> last_trade_id_;  // by instrument: the newest venue trade seen
  std::vector<int64_t> net_qty_;         // by instrument: buys minus sells (raw)
  uint64_t anomalies_total_ = 0;

  telemetry::Counter* retries_;
  telemetry::Counter* unknown_outcomes_;
  telemetry::Counter* illegal_transitions_;
  telemetry::MetricsRegistry& metrics_;
  telemetry::Tracer* tracer_;  // null: venue calls are not traced
  std::map<std::string, telemetry::Gauge*, std::less<>> orders_by_state_;
  std::map<std::string, telemetry::Histogram*, std::less<>> latency_by_call_;
};

}  // namespace tradeplane::execution_service

#endif  // TRADEPLANE_SERVICES_EXECUTION_ORDER_MANAGER_H_
