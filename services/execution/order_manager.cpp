#include "order_manager.h"

#include <algorithm>
#include <charconv>
#include <thread>

#include "tradeplane/bus/topic.h"
#include "tradeplane/core/enum_names.h"
#include "tradeplane/core/order_mapping.h"
#include "tradeplane/core/port_plan.h"
#include "tradeplane/core/str_cat.h"
#include "tradeplane/service/service_runtime.h"
#include "tradeplane/telemetry/log.h"

#include "crash_hook.h"

namespace tradeplane::execution_service {
namespace {

namespace ov1 = orders::v1;
using execution::OrderEvent;
using execution::VenueError;
using execution::VenueErrorReason;

// Final orders kept in memory for late venue events; older ones are read
// back from the journal when something names them.
constexpr size_t kFinishedOrdersKept = 10'000;

std::string Metric(std::string_view what) {
  return service::MetricName(ServiceId::kExecution, what);
}

}  // namespace

OrderManager::OrderManager(const InstrumentTable& instruments, execution::Venue& venue,
                           store::ExecutionStore& store, bus::Publisher& publisher,
                           const Clock& clock, telemetry::MetricsRegistry& metrics,
                           RetryPolicy retry, telemetry::Tracer* tracer)
    : instruments_(instruments),
      venue_(venue),
      store_(store),
      publisher_(publisher),
      clock_(clock),
      retry_(retry),
      ids_(clock, random_),
      last_trade_id_(instruments.size(), 0),
      net_qty_(instruments.size(), 0),
      metrics_(metrics),
      tracer_(tracer) {
  retries_ = &metrics.GetCounter(Metric("venue_retries_total"),
                                 "Venue calls sent again after a transient error or an unknown "
                                 "outcome the venue then did not know.");
  unknown_outcomes_ = &metrics.GetCounter(
      Metric("unknown_outcome_orders_total"),
      "Orders whose submit was sent with no answer (resolved by querying the venue).");
  illegal_transitions_ = &metrics.GetCounter(
      Metric("illegal_transitions_total"),
      "Events the order state machine refused (counted, logged, journaled, never applied).");
  for (int s = 1; s < ov1::OrderStatus_descriptor()->value_count(); ++s) {
    std::string name(ShortEnumName(static_cast<ov1::OrderStatus>(s)));
    orders_by_state_[name] = &metrics.GetGauge(
        Metric("orders"), "Orders execution holds in memory, by state.", {{"state", name}});
  }
}

OrderManager::~OrderManager() = default;

// --- Lookup -------------------------------------------------------------------------------

OrderManager::Entry* OrderManager::Find(std::string_view client_order_id) {
  if (client_order_id.empty()) return nullptr;
  auto it = orders_.find(std::string(client_order_id));
  if (it != orders_.end()) return it->second.get();
  absl::StatusOr<std::optional<store::JournaledOrder>> stored = store_.FindOrder(client_order_id);
  if (!stored.ok() || !stored->has_value()) return nullptr;
  OrderMeta meta;
  absl::StatusOr<execution::Order> order = FromJournal(**stored, instruments_, &meta);
  if (!order.ok()) return nullptr;
  return Insert(std::move(*order), std::move(meta));
}

OrderManager::Entry* OrderManager::FindByVenueId(std::string_view venue_order_id) {
  if (venue_order_id.empty()) return nullptr;
  auto it = by_venue_id_.find(std::string(venue_order_id));
  return it == by_venue_id_.end() ? nullptr : Find(it->second);
}

OrderManager::Entry* OrderManager::Insert(execution::Order order, OrderMeta meta) {
  auto entry = std::make_unique<Entry>();
  entry->order = std::move(order);
  entry->meta = std::move(meta);
  Entry* raw = entry.get();
  orders_[raw->order.client_order_id] = std::move(entry);
  Remember(*raw);
  return raw;
}

void OrderManager::Remember(Entry& e) {
  if (!e.order.venue_order_id.empty())
    by_venue_id_[e.order.venue_order_id] = e.order.client_order_id;
  if (!e.order.is_terminal()) return;
  finished_.push_back(e.order.client_order_id);
  while (finished_.size() > kFinishedOrdersKept) {
    auto it = orders_.find(finished_.front());
    if (it != orders_.end() && it->second->order.is_terminal()) {
      by_venue_id_.erase(it->second->order.venue_order_id);
      orders_.erase(it);
    }
    finished_.pop_front();
  }
}

absl::StatusOr<std::optional<ov1::Order>> OrderManager::Existing(std::string_view client_order_id) {
  auto it = orders_.find(std::string(client_order_id));
  if (it != orders_.end()) {
    ov1::Order out;
    OrderToProto(it->second->order, it->second->meta, instruments_, &out);
    return out;
  }
  absl::StatusOr<std::optional<store::JournaledOrder>> stored = store_.FindOrder(client_order_id);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return std::optional<ov1::Order>();
  return std::optional<ov1::Order>((*stored)->order);
}

// --- Applying events ------------------------------------------------------------------------

absl::StatusOr<execution::Transition> OrderManager::Apply(Entry& e, const OrderEvent& event,
                                                          std::string_view name,
                                                          std::string detail) {
  execution::Order next = e.order;
  absl::StatusOr<execution::Transition> t = execution::ApplyOrderEvent(next, event);
  if (!t.ok()) {
    if (t.status().code() == absl::StatusCode::kFailedPrecondition)
      illegal_transitions_->Increment();
    Anomaly(t.status().code() == absl::StatusCode::kFailedPrecondition ? "illegal_transition"
                                                                       : "invalid_event",
            e.order.client_order_id, StrCat(name, ": ", ToStd(t.status().message())));
    return t.status();
  }
  if (!t->changed) return t;
  Timestamp now = clock_.Now();
  next.updated = now;
  absl::Status journaled = store_.UpdateOrder(ToJournal(next, e.meta, instruments_),
                                              {{std::string(name), detail, now.nanos()}});
  if (!journaled.ok()) {
    // Not applied: the venue stays the truth, and the order is asked again
    // once the journal can take it.
    e.unresolved = true;
    telemetry::LogError(
        "order change not journaled; will resync from the venue",
        {{"client_order_id", e.order.client_order_id}, {"event", name}, {"error", journaled}});
    return absl::UnavailableError(StrCat("journal: ", ToStd(journaled.message())));
  }
  OrderStatus previous = e.order.status;
  bool new_venue_id = next.venue_order_id != e.order.venue_order_id;
  e.order = std::move(next);
  Remember(e);
  if (previous != e.order.status || new_venue_id) Publish(e, previous, nullptr, detail);
  CountOrders();
  return t;
}

absl::StatusOr<execution::Transition> OrderManager::ApplyFill(Entry& e, Fill fill,
                                                              ov1::FillSource source) {
  fill.client_order_id = e.order.client_order_id;
  fill.strategy_id = e.order.strategy_id;
  fill.instrument = e.order.instrument;
  if (fill.side == common::v1::SIDE_UNSPECIFIED) fill.side = e.order.side;
  if (fill.venue_order_id.empty()) fill.venue_order_id = e.order.venue_order_id;
  if (e.order.HasFill(fill.fill_id)) {
    execution::Transition t;
    t.from = t.to = e.order.status;
    t.event = execution::TableEvent::kPartialFill;
    t.action = execution::CellAction::kIgnore;
    t.duplicate_fill = true;
    return t;
  }
  if (fill.side != e.order.side) {
    Anomaly("fill_side_mismatch", e.order.client_order_id,
            StrCat("fill ", fill.fill_id, " is ", ShortEnumName(fill.side), ", the order ",
                   ShortEnumName(e.order.side)));
    return absl::InvalidArgumentError(
        StrCat("fill ", fill.fill_id, ": side differs from the order"));
  }
  execution::Order next = e.order;
  OrderEvent event = OrderEvent::Fill(fill.time, fill.fill_id, fill.qty, fill.price);
  event.venue_order_id = fill.venue_order_id;
  absl::StatusOr<execution::Transition> t = execution::ApplyOrderEvent(next, event);
  if (!t.ok()) {
    if (t.status().code() == absl::StatusCode::kFailedPrecondition)
      illegal_transitions_->Increment();
    Anomaly(t.status().code() == absl::StatusCode::kOutOfRange ? "overfill" : "illegal_transition",
            e.order.client_order_id, ToStd(t.status().message()));
    return t.status();
  }
  if (t->duplicate_fill) return t;
  Timestamp now = clock_.Now();
  next.updated = now;
  ov1::Fill proto;
  FillToProto(fill, instruments_, &proto);
  proto.set_source(source);
  absl::StatusOr<bool> journaled =
      store_.RecordFill(proto, now.nanos(), ToJournal(next, e.meta, instruments_),
                        {"FILL",
                         StrCat(fill.fill_id, " ", fill.qty.ToString(), " @ ",
                                fill.price.ToString(), " (", ShortEnumName(source), ")"),
                         now.nanos()});
  if (!journaled.ok()) {
    e.unresolved = true;
    telemetry::LogError("fill not journaled; will resync from the venue",
                        {{"fill_id", fill.fill_id}, {"error", journaled.status()}});
    return absl::UnavailableError(StrCat("journal: ", ToStd(journaled.status().message())));
  }
  if (!*journaled) {  // the journal had it already
    t->duplicate_fill = true;
    return t;
  }
  OrderStatus previous = e.order.status;
  e.order = std::move(next);
  Remember(e);
  int64_t signed_qty = fill.side == common::v1::SIDE_BUY ? fill.qty.raw() : -fill.qty.raw();
  net_qty_[fill.instrument] += signed_qty;
  uint64_t trade_id = 0;
  if (std::from_chars(fill.venue_trade_id.data(),
                      fill.venue_trade_id.data() + fill.venue_trade_id.size(), trade_id)
          .ec == std::errc()) {
    last_trade_id_[fill.instrument] = std::max(last_trade_id_[fill.instrument], trade_id);
  }
  metrics_
      .GetCounter(Metric("fills_total"), "Fills journaled and published, by source.",
                  {{"source", std::string(ShortEnumName(source))}})
      .Increment();
  CrashPoint("before_fill_publish");
  (void)publisher_.Publish(
      bus::InstrumentTopic("exec", "fill", proto.instrument()), proto,
      {.event_time_ns = proto.exchange_time_ns(), .correlation_id = fill.client_order_id});
  if (absl::Status s = store_.MarkFillsPublished({fill.fill_id}); !s.ok()) {
    telemetry::LogWarn("fill published but not marked; it is published again at the next start",
                       {{"fill_id", fill.fill_id}, {"error", s}});
  }
  Publish(e, previous, &proto, "");
  CountOrders();
  return t;
}

void OrderManager::ApplyVenueOrder(Entry& e, const execution::VenueOrder& v,
                                   ov1::FillSource /*source*/) {
  Timestamp at = v.updated.nanos() != 0 ? v.updated : clock_.Now();
  const OrderStatus s = v.status;
  const bool awaiting_ack = e.order.status == ov1::ORDER_STATUS_PENDING_NEW ||
                            (e.order.status == ov1::ORDER_STATUS_PENDING_CANCEL &&
                             e.order.status_before_cancel == ov1::ORDER_STATUS_PENDING_NEW);
  const bool live = s == ov1::ORDER_STATUS_NEW || s == ov1::ORDER_STATUS_PARTIALLY_FILLED ||
                    s == ov1::ORDER_STATUS_FILLED || s == ov1::ORDER_STATUS_PENDING_CANCEL ||
                    s == ov1::ORDER_STATUS_CANCELED || s == ov1::ORDER_STATUS_EXPIRED;
  if (live && (awaiting_ack || e.order.venue_order_id.empty()) && !e.order.is_terminal()) {
    (void)Apply(e, OrderEvent::VenueAck(at, v.venue_order_id), "VENUE_ACK",
                StrCat("venue order ", v.venue_order_id));
  }
  switch (s) {
    case ov1::ORDER_STATUS_CANCELED:
      if (!e.order.is_terminal()) {
        (void)Apply(e, OrderEvent::CancelAck(at), "CANCEL_ACK", v.reason);
      }
      break;
    case ov1::ORDER_STATUS_EXPIRED:
      if (!e.order.is_terminal()) {
        (void)Apply(e, OrderEvent::Expired(at, v.reason), "EXPIRED", v.reason);
      }
      break;
    case ov1::ORDER_STATUS_REJECTED:
      if (awaiting_ack) {
        (void)Apply(e, OrderEvent::VenueReject(at, v.reason), "VENUE_REJECT", v.reason);
      }
      break;
    default:
      break;  // NEW, PARTIALLY_FILLED, FILLED: the ack above and the fills say it
  }
}

void OrderManager::Publish(const Entry& e, OrderStatus previous, const ov1::Fill* fill,
                           std::string_view reason) {
  ov1::ExecutionReport report;
  OrderToProto(e.order, e.meta, instruments_, report.mutable_order());
  report.set_previous_status(previous);
  if (fill != nullptr) *report.mutable_fill() = *fill;
  report.set_reason(std::string(reason));
  (void)publisher_.Publish(StrCat("exec.order.", ShortEnumName(e.order.status)), report,
                           {.correlation_id = e.order.client_order_id});
}

void OrderManager::Anomaly(std::string_view kind, std::string_view client_order_id,
                           std::string_view detail) {
  ++anomalies_total_;
  metrics_
      .GetCounter(Metric("anomalies_total"),
                  "Bad input and surprises (unknown orders, unreadable venue answers, illegal "
                  "transitions), each journaled in exec_anomalies.",
                  {{"kind", std::string(kind)}})
      .Increment();
  telemetry::LogWarn("execution anomaly",
                     {{"kind", kind}, {"client_order_id", client_order_id}, {"detail", detail}});
  if (absl::Status s = store_.AppendAnomaly(kind, client_order_id, detail, clock_.Now().nanos());
      !s.ok()) {
    telemetry::LogError("anomaly not journaled", {{"kind", kind}, {"error", s}});
  }
}

void OrderManager::Refuse(ov1::ExecutionReply* reply, ov1::ExecutionRefusal code,
                          std::string reason) {
  reply->set_accepted(false);
  reply->set_refusal(code);
  reply->set_reason(std::move(reason));
  metrics_
      .GetCounter(Metric("rejects_total"),
                  "Requests refused and orders rejected, by reason (refusal code, or the venue's "
                  "reason for a venue rejection).",
                  {{"reason", std::string(ShortEnumName(code))}})
      .Increment();
}

void OrderManager::CountOrders() {
  std::map<std::string_view, int> counts;
  for (const auto& [id, e] : orders_) ++counts[ShortEnumName(e->order.status)];
  for (auto& [name, gauge] : orders_by_state_) {
    auto it = counts.find(name);
    gauge->Set(it == counts.end() ? 0 : it->second);
  }
}

std::vector<ov1::Order> OrderManager::OpenOrders() const {
  std::vector<ov1::Order> out;
  for (const auto& [id, e] : orders_) {
    if (e->order.is_terminal()) continue;
    OrderToProto(e->order, e->meta, instruments_, &out.emplace_back());
  }
  return out;
}

size_t OrderManager::open_order_count() const {
  return static_cast<size_t>(std::count_if(orders_.begin(), orders_.end(), [](const auto& kv) {
    return !kv.second->order.is_terminal();
  }));
}

size_t OrderManager::unresolved_count() const {
  return static_cast<size_t>(std::count_if(orders_.begin(), orders_.end(), [](const auto& kv) {
    return kv.second->unresolved && !kv.second->order.is_terminal();
  }));
}

// --- Venue calls ------------------------------------------------------------------------------

telemetry::Histogram* OrderManager::Latency(std::string_view call) {
  auto it = latency_by_call_.find(call);
  if (it == latency_by_call_.end()) {
    it = latency_by_call_
             .emplace(std::string(call),
                      &metrics_.GetHistogram(Metric("venue_round_trip_seconds"),
                                             "Venue calls, from request to answer, by call.",
                                             telemetry::LatencyBucketsSeconds(),
                                             {{"call", std::string(call)}}))
             .first;
  }
  return it->second;
}

bool OrderManager::WaitBeforeRetry(int attempt, const VenueError& error,
                                   std::chrono::milliseconds* waited) {
  std::chrono::milliseconds delay = retry_.backoff * (1 << std::min(attempt, 10));
  delay = std::max(delay, std::chrono::milliseconds(error.retry_after_ms));
  if (*waited + delay > retry_.max_total_wait) return false;
  std::this_thread::sleep_for(delay);
  *waited += delay;
  return true;
}

template <typename T>
absl::StatusOr<T> OrderManager::Retrying(std::string_view call,
                                         const std::function<absl::StatusOr<T>()>& fn) {
  telemetry::Histogram* latency = Latency(call);
  std::chrono::milliseconds waited{0};
  for (int attempt = 0;; ++attempt) {
    int64_t start = MonotonicNanos();
    absl::StatusOr<T> r = fn();
    latency->Observe(static_cast<double>(MonotonicNanos() - start) * 1e-9);
    if (r.ok()) return r;
    VenueError error = execution::ClassifyVenueError(r.status());
    if (error.http_status >= 200 && error.http_status < 300) {
      Anomaly("unreadable_venue_answer", "", ToStd(r.status().message()));
    }
    if (!error.is_transient() || attempt >= retry_.max_retries ||
        !WaitBeforeRetry(attempt, error, &waited)) {
      return r;
    }
    retries_->Increment();
    telemetry::LogWarn("venue call retried", {{"call", call}, {"error", r.status()}});
  }
}

template absl::StatusOr<execution::VenueOrder> OrderManager::Retrying(
    std::string_view, const std::function<absl::StatusOr<execution::VenueOrder>()>&);
template absl::StatusOr<std::vector<execution::VenueOrder>> OrderManager::Retrying(
    std::string_view, const std::function<absl::StatusOr<std::vector<execution::VenueOrder>>()>&);
template absl::StatusOr<execution::FillPage> OrderManager::Retrying(
    std::string_view, const std::function<absl::StatusOr<execution::FillPage>()>&);

absl::StatusOr<execution::SubmitAck> OrderManager::SubmitTraced(
    const execution::VenueOrderRequest& request, int attempt) {
  // The venue's round trip (with the signature it asks the signer for) in a
  // span of its own, apart from the journal writes around it.
  const telemetry::SpanContext parent = telemetry::CurrentSpanContext();
  telemetry::ScopedSpan span(
      tracer_ == nullptr ? telemetry::Span()
                         : tracer_->StartSpan("venue.submit", parent, telemetry::SpanKind::kClient),
      parent);
  span->SetAttribute("client_order_id", request.client_order_id);
  span->SetAttribute("attempt", static_cast<int64_t>(attempt + 1));
  absl::StatusOr<execution::SubmitAck> ack = venue_.Submit(request);
  if (!ack.ok()) span->SetError(ToStd(ack.status().message()));
  return ack;
}

OrderManager::SendOutcome OrderManager::Send(Entry& e) {
  execution::VenueOrderRequest request{.client_order_id = e.order.client_order_id,
                                       .instrument = e.order.instrument,
                                       .side = e.order.side,
                                       .type = e.order.type,
                                       .time_in_force = e.order.time_in_force,
                                       .price = e.order.price,
                                       .qty = e.order.qty};
  std::chrono::milliseconds waited{0};
  for (int attempt = 0;; ++attempt) {
    if (!Apply(e, OrderEvent::SubmitSent(clock_.Now()), "SUBMIT_SENT",
               attempt == 0 ? "" : StrCat("attempt ", attempt + 1))
             .ok()) {
      return {false, ov1::EXECUTION_REFUSAL_STORE_UNAVAILABLE,
              "the journal did not take the send: not sent"};
    }
    // Not through Retrying: a submit is sent again only as decided below.
    int64_t start = MonotonicNanos();
    absl::StatusOr<execution::SubmitAck> ack = SubmitTraced(request, attempt);
    Latency("submit")->Observe(static_cast<double>(MonotonicNanos() - start) * 1e-9);
    if (ack.ok()) {
      CrashPoint("after_send");
      // Fills first (they name the venue order), then what the answer says
      // of the rest (resting, expired, canceled).
      for (const Fill& f : ack->fills) (void)ApplyFill(e, f, ov1::FILL_SOURCE_LIVE);
      ApplyVenueOrder(e, ack->order, ov1::FILL_SOURCE_LIVE);
      if (ack->order.status == ov1::ORDER_STATUS_REJECTED) {
        return {false, ov1::EXECUTION_REFUSAL_VENUE_REJECTED, ack->order.reason};
      }
      return {};
    }
    VenueError error = execution::ClassifyVenueError(ack.status());
    std::string message(ToStd(ack.status().message()));
    if (error.is_transient()) {
      if (attempt < retry_.max_retries && WaitBeforeRetry(attempt, error, &waited)) {
        retries_->Increment();
        continue;
      }
      std::string reason = StrCat("not placed: the venue did not take it after ", attempt + 1,
                                  " attempts: ", message);
      (void)Apply(e, OrderEvent::VenueReject(clock_.Now(), reason), "VENUE_REJECT", reason);
      return {false, ov1::EXECUTION_REFUSAL_VENUE_REJECTED, reason};
    }
    if (error.is_definitive()) {
      if (error.reason == VenueErrorReason::kDuplicateOrder) {
        // The venue has this client order id already: its state is ours.
        Resync(e, ov1::FILL_SOURCE_LIVE);
        return {};
      }
      metrics_
          .GetCounter(Metric("venue_rejects_total"), "Orders the venue rejected, by reason.",
                      {{"reason", std::string(execution::VenueErrorReasonName(error.reason))}})
          .Increment();
      (void)Apply(e, OrderEvent::VenueReject(clock_.Now(), message), "VENUE_REJECT", message);
      return {false, ov1::EXECUTION_REFUSAL_VENUE_REJECTED, message};
    }
    // Unknown outcome: ask before anything else.
    unknown_outcomes_->Increment();
    if (error.http_status >= 200 && error.http_status < 300) {
      Anomaly("unreadable_venue_answer", e.order.client_order_id, message);
    }
    telemetry::LogWarn("submit outcome unknown; querying the venue",
                       {{"client_order_id", e.order.client_order_id}, {"error", ack.status()}});
    absl::StatusOr<execution::VenueOrder> known = Retrying<execution::VenueOrder>(
        "query", [&] { return venue_.QueryOrder(e.order.instrument, e.order.client_order_id); });
    if (known.ok()) {
      ApplyVenueOrder(e, *known, ov1::FILL_SOURCE_LIVE);
      if (known->filled_qty > e.order.filled_qty) {
        (void)CatchUpFills(e.order.instrument, ov1::FILL_SOURCE_LIVE, false);
      }
      return {};
    }
    std::optional<VenueError> query_error = execution::GetVenueError(known.status());
    if (query_error.has_value() && query_error->reason == VenueErrorReason::kUnknownOrder) {
      if (attempt < retry_.max_retries && WaitBeforeRetry(attempt, error, &waited)) {
        retries_->Increment();
        continue;  // not there: sending again cannot make a second order
      }
      std::string reason =
          StrCat("not placed: no answer after ", attempt + 1, " attempts: ", message);
      (void)Apply(e, OrderEvent::VenueReject(clock_.Now(), reason), "VENUE_REJECT", reason);
      return {false, ov1::EXECUTION_REFUSAL_VENUE_REJECTED, reason};
    }
    e.unresolved = true;
    return {true, ov1::EXECUTION_REFUSAL_UNSPECIFIED,
            StrCat("outcome unknown (", message, "); resolving by query")};
  }
}

}  // namespace tradeplane::execution_service
