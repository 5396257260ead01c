// OrderManager's requests: new orders, cancels, the kill switch's cancel-all
// and flatten, and the reconciler's corrections.
#include <set>

#include "tradeplane/core/enum_names.h"
#include "tradeplane/core/order_mapping.h"
#include "tradeplane/core/str_cat.h"
#include "tradeplane/telemetry/log.h"

#include "crash_hook.h"
#include "order_manager.h"

namespace tradeplane::execution_service {
namespace {

namespace ov1 = orders::v1;
using execution::OrderEvent;
using execution::VenueErrorReason;

constexpr char kFlattenStrategy[] = "kill-switch";
constexpr char kAdoptedStrategy[] = "adopted";

}  // namespace

void OrderManager::NewOrder(const ov1::NewOrder& request, ov1::ExecutionReply* reply) {
  const std::string& id = request.client_order_id();
  auto malformed = [&](ov1::ExecutionRefusal code, std::string why) {
    Anomaly(code == ov1::EXECUTION_REFUSAL_UNKNOWN_INSTRUMENT ? "unknown_instrument"
                                                              : "malformed_order",
            id, why);
    Refuse(reply, code, std::move(why));
  };
  if (absl::Status s = ValidateClientOrderId(id); !s.ok()) {
    return malformed(ov1::EXECUTION_REFUSAL_INVALID_ORDER,
                     StrCat("client_order_id: ", ToStd(s.message())));
  }
  std::optional<InstrumentIndex> instrument =
      instruments_.Find(request.instrument().venue(), request.instrument().symbol());
  if (!instrument.has_value()) {
    return malformed(ov1::EXECUTION_REFUSAL_UNKNOWN_INSTRUMENT,
                     StrCat("instrument ", ShortEnumName(request.instrument().venue()), ".",
                            request.instrument().symbol(), " is not traded here"));
  }
  const InstrumentSpec& spec = instruments_.at(*instrument);
  OrderIntent intent;
  intent.intent_id = request.intent_id();
  intent.client_order_id = id;
  intent.strategy_id = request.strategy_id();
  intent.instrument = *instrument;
  intent.side = request.side();
  intent.type = request.order_type();
  intent.time_in_force = request.time_in_force() == ov1::TIME_IN_FORCE_UNSPECIFIED
                             ? ov1::TIME_IN_FORCE_GTC
                             : request.time_in_force();
  intent.qty = Quantity::FromRaw(request.qty());
  intent.price = Price::FromRaw(request.price());
  intent.reduce_only = request.reduce_only();
  if (intent.side != common::v1::SIDE_BUY && intent.side != common::v1::SIDE_SELL) {
    return malformed(ov1::EXECUTION_REFUSAL_INVALID_ORDER, "side must be BUY or SELL");
  }
  if (intent.type == ov1::ORDER_TYPE_UNSPECIFIED) {
    return malformed(ov1::EXECUTION_REFUSAL_INVALID_ORDER, "order_type is required");
  }
  if (absl::Status s = spec.CheckQuantity(intent.qty); !s.ok()) {
    return malformed(ov1::EXECUTION_REFUSAL_INVALID_ORDER, StrCat("qty: ", ToStd(s.message())));
  }
  if (intent.type != ov1::ORDER_TYPE_MARKET) {
    if (absl::Status s = spec.CheckPrice(intent.price); !s.ok()) {
      return malformed(ov1::EXECUTION_REFUSAL_INVALID_ORDER, StrCat("price: ", ToStd(s.message())));
    }
  }
  if (intent.reduce_only) {
    int64_t net = net_qty_[*instrument];
    bool reduces = intent.side == common::v1::SIDE_BUY ? net < 0 && intent.qty.raw() <= -net
                                                       : net > 0 && intent.qty.raw() <= net;
    if (!reduces) {
      return Refuse(
          reply, ov1::EXECUTION_REFUSAL_INVALID_ORDER,
          StrCat("reduce-only order of ", intent.qty.ToString(),
                 " would not reduce the position of ", Quantity::FromRaw(net).ToString()));
    }
  }
  Timestamp now = clock_.Now();
  execution::Order order = execution::Order::FromIntent(intent, now);
  OrderMeta meta{request.intent_id(), request.approval().decision_id(), request.reduce_only()};
  absl::StatusOr<store::ExecutionStore::InsertResult> journaled =
      store_.InsertOrder(ToJournal(order, meta, instruments_),
                         {"NEW_ORDER",
                          StrCat(ShortEnumName(intent.side), " ", intent.qty.ToString(), " ",
                                 spec.id.symbol, " ", ShortEnumName(intent.type), " @ ",
                                 intent.price.ToString(), " for ", intent.strategy_id),
                          now.nanos()});
  if (!journaled.ok()) {
    return Refuse(reply, ov1::EXECUTION_REFUSAL_STORE_UNAVAILABLE,
                  StrCat("not journaled, so not sent: ", ToStd(journaled.status().message())));
  }
  if (!journaled->inserted) {
    reply->set_accepted(true);
    reply->set_duplicate(true);
    reply->set_reason("this client order id is already journaled: the existing order");
    *reply->mutable_order() = journaled->order.order;
    return;
  }
  Entry* e = Insert(std::move(order), std::move(meta));
  Publish(*e, ov1::ORDER_STATUS_UNSPECIFIED, nullptr, "journaled");
  CountOrders();
  CrashPoint("after_journal");
  SendOutcome outcome = Send(*e);
  if (outcome.accepted) {
    reply->set_accepted(true);
    reply->set_reason(outcome.reason);
  } else {
    Refuse(reply, outcome.refusal, outcome.reason);
  }
  OrderToProto(e->order, e->meta, instruments_, reply->mutable_order());
}

void OrderManager::Cancel(const ov1::CancelOrder& request, ov1::ExecutionReply* reply) {
  Entry* e = Find(request.client_order_id());
  if (e == nullptr) e = FindByVenueId(request.venue_order_id());
  if (e == nullptr) {
    // Not ours (the reconciler cancelling an order found at the venue): find
    // it there by either id, then cancel it by its client order id.
    absl::StatusOr<std::vector<execution::VenueOrder>> open =
        Retrying<std::vector<execution::VenueOrder>>("open_orders", [&] {
          std::optional<InstrumentIndex> only;
          if (request.has_instrument()) {
            only = instruments_.Find(request.instrument().venue(), request.instrument().symbol());
          }
          return venue_.OpenOrders(only);
        });
    if (!open.ok()) {
      return Refuse(
          reply, ov1::EXECUTION_REFUSAL_VENUE_REJECTED,
          StrCat("cannot look the order up at the venue: ", ToStd(open.status().message())));
    }
    for (const execution::VenueOrder& v : *open) {
      bool match =
          (!request.client_order_id().empty() && v.client_order_id == request.client_order_id()) ||
          (!request.venue_order_id().empty() && v.venue_order_id == request.venue_order_id());
      if (!match) continue;
      absl::StatusOr<execution::VenueOrder> canceled = Retrying<execution::VenueOrder>(
          "cancel", [&] { return venue_.Cancel(v.instrument, v.client_order_id); });
      if (!canceled.ok()) {
        return Refuse(reply, ov1::EXECUTION_REFUSAL_VENUE_REJECTED,
                      std::string(ToStd(canceled.status().message())));
      }
      Anomaly("canceled_unknown_venue_order", v.client_order_id,
              StrCat("venue order ", v.venue_order_id, " canceled at the request of ",
                     request.requested_by(), ": ", request.reason()));
      reply->set_accepted(true);
      reply->set_orders_canceled(1);
      return;
    }
    return Refuse(reply, ov1::EXECUTION_REFUSAL_UNKNOWN_ORDER,
                  StrCat("no order ", request.client_order_id(), request.venue_order_id(),
                         " here or open at the venue"));
  }
  if (e->order.is_terminal()) {
    OrderToProto(e->order, e->meta, instruments_, reply->mutable_order());
    return Refuse(reply, ov1::EXECUTION_REFUSAL_ILLEGAL_TRANSITION,
                  StrCat("order is ", ShortEnumName(e->order.status), ": nothing to cancel"));
  }
  absl::StatusOr<execution::Transition> requested =
      Apply(*e, OrderEvent::CancelRequested(clock_.Now()), "CANCEL_REQUESTED",
            StrCat(request.requested_by(), ": ", request.reason()));
  if (!requested.ok()) {
    OrderToProto(e->order, e->meta, instruments_, reply->mutable_order());
    return Refuse(reply,
                  absl::IsUnavailable(requested.status())
                      ? ov1::EXECUTION_REFUSAL_STORE_UNAVAILABLE
                      : ov1::EXECUTION_REFUSAL_ILLEGAL_TRANSITION,
                  std::string(ToStd(requested.status().message())));
  }
  absl::StatusOr<execution::VenueOrder> canceled = Retrying<execution::VenueOrder>(
      "cancel", [&] { return venue_.Cancel(e->order.instrument, e->order.client_order_id); });
  bool accepted = true;
  std::string reason;
  if (canceled.ok()) {
    if (canceled->filled_qty > e->order.filled_qty) {
      (void)CatchUpFills(e->order.instrument, ov1::FILL_SOURCE_LIVE, false);
    }
    ApplyVenueOrder(*e, *canceled, ov1::FILL_SOURCE_LIVE);
  } else {
    execution::VenueError error = execution::ClassifyVenueError(canceled.status());
    reason = std::string(ToStd(canceled.status().message()));
    if (error.is_unknown_outcome()) {
      Resync(*e, ov1::FILL_SOURCE_LIVE);
    } else {
      // Refused (it filled meanwhile, or the venue does not know it) or
      // unreachable: the cancel is over; the venue says where the order is.
      (void)Apply(*e, OrderEvent::CancelRejected(clock_.Now(), reason), "CANCEL_REJECTED", reason);
      Resync(*e, ov1::FILL_SOURCE_LIVE);
      accepted = false;
    }
  }
  if (accepted) {
    reply->set_accepted(true);
    reply->set_reason(reason);
    if (e->order.status == ov1::ORDER_STATUS_CANCELED) reply->set_orders_canceled(1);
  } else {
    Refuse(reply, ov1::EXECUTION_REFUSAL_VENUE_REJECTED, reason);
  }
  OrderToProto(e->order, e->meta, instruments_, reply->mutable_order());
}

void OrderManager::CancelAll(const ov1::CancelAll& request, ov1::ExecutionReply* reply) {
  std::set<InstrumentIndex> targets;
  if (request.has_instrument() && !request.instrument().symbol().empty()) {
    std::optional<InstrumentIndex> i =
        instruments_.Find(request.instrument().venue(), request.instrument().symbol());
    if (!i.has_value()) {
      return Refuse(reply, ov1::EXECUTION_REFUSAL_UNKNOWN_INSTRUMENT,
                    StrCat("instrument ", request.instrument().symbol(), " is not traded here"));
    }
    targets.insert(*i);
  } else {
    for (InstrumentIndex i = 0; i < instruments_.size(); ++i) targets.insert(i);
  }
  std::string why = StrCat(request.requested_by(), ": ", request.reason());
  std::vector<std::string> ours;
  for (const auto& [id, e] : orders_) {
    if (!e->order.is_terminal() && targets.contains(e->order.instrument)) ours.push_back(id);
  }
  for (const std::string& id : ours) {
    Entry* e = Find(id);
    if (e != nullptr && e->order.status != ov1::ORDER_STATUS_PENDING_CANCEL) {
      (void)Apply(*e, OrderEvent::CancelRequested(clock_.Now()), "CANCEL_REQUESTED", why);
    }
  }
  uint32_t canceled_count = 0;
  std::vector<std::string> failures;
  for (InstrumentIndex i : targets) {
    absl::StatusOr<std::vector<execution::VenueOrder>> canceled =
        Retrying<std::vector<execution::VenueOrder>>("cancel_all",
                                                     [&] { return venue_.CancelAll(i); });
    if (!canceled.ok()) {
      failures.push_back(
          StrCat(instruments_.at(i).id.symbol, ": ", ToStd(canceled.status().message())));
      continue;
    }
    for (const execution::VenueOrder& v : *canceled) {
      ++canceled_count;
      Entry* e = Find(v.client_order_id);
      if (e == nullptr) e = FindByVenueId(v.venue_order_id);
      if (e == nullptr) {
        Anomaly("canceled_unknown_venue_order", v.client_order_id,
                StrCat("venue order ", v.venue_order_id, " canceled by cancel-all (", why, ")"));
        continue;
      }
      if (v.filled_qty > e->order.filled_qty) {
        (void)CatchUpFills(e->order.instrument, ov1::FILL_SOURCE_LIVE, false);
      }
      ApplyVenueOrder(*e, v, ov1::FILL_SOURCE_LIVE);
    }
  }
  // Ours that the venue did not list: filled, or gone before the cancel.
  for (const std::string& id : ours) {
    Entry* e = Find(id);
    if (e != nullptr && !e->order.is_terminal()) Resync(*e, ov1::FILL_SOURCE_LIVE);
  }
  reply->set_orders_canceled(canceled_count);
  telemetry::LogWarn("cancel-all", {{"requested_by", request.requested_by()},
                                    {"reason", request.reason()},
                                    {"orders_canceled", static_cast<uint64_t>(canceled_count)},
                                    {"flatten", request.flatten()}});
  if (request.flatten()) Flatten(why, reply);
  if (failures.empty()) {
    reply->set_accepted(true);
    return;
  }
  std::string reason = "the venue did not acknowledge every cancel:";
  for (const std::string& f : failures) StrAppend(&reason, " ", f, ";");
  Refuse(reply, ov1::EXECUTION_REFUSAL_VENUE_REJECTED, std::move(reason));
}

void OrderManager::Flatten(const std::string& why, ov1::ExecutionReply* reply) {
  std::string summary;
  for (InstrumentIndex i = 0; i < instruments_.size(); ++i) {
    if (net_qty_[i] == 0) continue;
    const InstrumentSpec& spec = instruments_.at(i);
    absl::StatusOr<Quantity> qty = Quantity::FromRaw(net_qty_[i] < 0 ? -net_qty_[i] : net_qty_[i])
                                       .RoundToMultiple(spec.lot_size, Rounding::kTowardZero);
    if (!qty.ok() || qty->is_zero() || (spec.min_qty.is_positive() && *qty < spec.min_qty)) {
      StrAppend(&summary, " ", spec.id.symbol, ": position below one lot, left;");
      continue;
    }
    OrderIntent intent;
    std::string uuid = ids_.Next();
    intent.client_order_id = "F";
    for (char c : uuid) {
      if (c != '-') intent.client_order_id.push_back(c);
    }
    intent.strategy_id = kFlattenStrategy;
    intent.instrument = i;
    intent.side = net_qty_[i] > 0 ? common::v1::SIDE_SELL : common::v1::SIDE_BUY;
    intent.type = ov1::ORDER_TYPE_MARKET;
    intent.time_in_force = ov1::TIME_IN_FORCE_IOC;
    intent.qty = *qty;
    intent.reduce_only = true;
    Timestamp now = clock_.Now();
    execution::Order order = execution::Order::FromIntent(intent, now);
    OrderMeta meta{"", "", true};
    absl::StatusOr<store::ExecutionStore::InsertResult> journaled = store_.InsertOrder(
        ToJournal(order, meta, instruments_),
        {"NEW_ORDER",
         StrCat("flatten ", ShortEnumName(intent.side), " ", qty->ToString(), " (", why, ")"),
         now.nanos()});
    if (!journaled.ok() || !journaled->inserted) {
      StrAppend(&summary, " ", spec.id.symbol, ": flatten order not journaled;");
      continue;
    }
    Entry* e = Insert(std::move(order), std::move(meta));
    Publish(*e, ov1::ORDER_STATUS_UNSPECIFIED, nullptr, "flatten");
    SendOutcome outcome = Send(*e);
    StrAppend(&summary, " ", spec.id.symbol, ": ", ShortEnumName(intent.side), " ", qty->ToString(),
              " ", outcome.accepted ? "placed" : outcome.reason, ";");
  }
  if (!summary.empty()) reply->set_reason(StrCat("flatten:", summary));
}

void OrderManager::IngestFill(const ov1::Fill& proto, ov1::ExecutionReply* reply) {
  absl::StatusOr<Fill> fill = FillFromProto(proto, instruments_);
  if (!fill.ok()) {
    Anomaly("malformed_fill", proto.client_order_id(), ToStd(fill.status().message()));
    return Refuse(reply, ov1::EXECUTION_REFUSAL_INVALID_ORDER,
                  std::string(ToStd(fill.status().message())));
  }
  Entry* e = Find(fill->client_order_id);
  if (e == nullptr) e = FindByVenueId(fill->venue_order_id);
  if (e == nullptr) {
    Anomaly("fill_for_unknown_order", proto.client_order_id(),
            StrCat("fill ", proto.fill_id(), " from the reconciler"));
    return Refuse(reply, ov1::EXECUTION_REFUSAL_UNKNOWN_ORDER,
                  StrCat("fill ", proto.fill_id(), ": no order ", proto.client_order_id()));
  }
  absl::StatusOr<execution::Transition> t = ApplyFill(*e, *fill, ov1::FILL_SOURCE_RECONCILIATION);
  OrderToProto(e->order, e->meta, instruments_, reply->mutable_order());
  if (!t.ok()) {
    return Refuse(reply,
                  absl::IsUnavailable(t.status()) ? ov1::EXECUTION_REFUSAL_STORE_UNAVAILABLE
                                                  : ov1::EXECUTION_REFUSAL_ILLEGAL_TRANSITION,
                  std::string(ToStd(t.status().message())));
  }
  reply->set_accepted(true);
  reply->set_duplicate(t->duplicate_fill);
}

void OrderManager::CorrectStatus(const ov1::Order& proto, ov1::ExecutionReply* reply) {
  Entry* e = Find(proto.client_order_id());
  if (e == nullptr) {
    Anomaly("correction_for_unknown_order", proto.client_order_id(), "correct_status");
    return Refuse(reply, ov1::EXECUTION_REFUSAL_UNKNOWN_ORDER,
                  StrCat("no order ", proto.client_order_id()));
  }
  Quantity filled = Quantity::FromRaw(proto.filled_qty());
  absl::StatusOr<Amount> quote =
      Notional(Price::FromRaw(proto.avg_fill_price()), filled, Rounding::kHalfEven);
  if (!quote.ok()) {
    return Refuse(reply, ov1::EXECUTION_REFUSAL_INVALID_ORDER,
                  StrCat("filled_qty x avg_fill_price: ", ToStd(quote.status().message())));
  }
  OrderEvent event = OrderEvent::Reconciled(clock_.Now(), proto.status(), filled, *quote);
  event.reason = proto.reject_reason();
  event.venue_order_id = proto.venue_order_id();
  absl::StatusOr<execution::Transition> t =
      Apply(*e, event, "RECONCILED",
            StrCat("reconciler: ", ShortEnumName(proto.status()), " filled ", filled.ToString()));
  OrderToProto(e->order, e->meta, instruments_, reply->mutable_order());
  if (!t.ok()) {
    return Refuse(reply,
                  absl::IsUnavailable(t.status()) ? ov1::EXECUTION_REFUSAL_STORE_UNAVAILABLE
                                                  : ov1::EXECUTION_REFUSAL_ILLEGAL_TRANSITION,
                  std::string(ToStd(t.status().message())));
  }
  reply->set_accepted(true);
}

void OrderManager::AdoptVenueOrder(std::string_view venue_order_id, ov1::ExecutionReply* reply) {
  if (Entry* known = FindByVenueId(venue_order_id); known != nullptr) {
    reply->set_accepted(true);
    reply->set_duplicate(true);
    OrderToProto(known->order, known->meta, instruments_, reply->mutable_order());
    return;
  }
  absl::StatusOr<std::vector<execution::VenueOrder>> open =
      Retrying<std::vector<execution::VenueOrder>>("open_orders",
                                                   [&] { return venue_.OpenOrders(std::nullopt); });
  if (!open.ok()) {
    return Refuse(reply, ov1::EXECUTION_REFUSAL_VENUE_REJECTED,
                  StrCat("cannot read the venue's open orders: ", ToStd(open.status().message())));
  }
  auto v = std::find_if(open->begin(), open->end(), [&](const execution::VenueOrder& o) {
    return o.venue_order_id == venue_order_id;
  });
  if (v == open->end()) {
    return Refuse(reply, ov1::EXECUTION_REFUSAL_UNKNOWN_ORDER,
                  StrCat("venue order ", venue_order_id, " is not open at the venue"));
  }
  if (!v->filled_qty.is_zero()) {
    return Refuse(reply, ov1::EXECUTION_REFUSAL_INVALID_ORDER,
                  StrCat("venue order ", venue_order_id,
                         " has fills already: adopting it would need fills we never saw"));
  }
  if (Entry* same = Find(v->client_order_id); same != nullptr) {
    reply->set_accepted(true);
    reply->set_duplicate(true);
    OrderToProto(same->order, same->meta, instruments_, reply->mutable_order());
    return;
  }
  OrderIntent intent;
  intent.client_order_id = v->client_order_id;
  intent.strategy_id = kAdoptedStrategy;
  intent.instrument = v->instrument;
  intent.side = v->side;
  intent.type = v->type;
  intent.time_in_force = v->time_in_force;
  intent.qty = v->qty;
  intent.price = v->price;
  Timestamp now = clock_.Now();
  execution::Order order = execution::Order::FromIntent(intent, now);
  order.sent = true;
  OrderMeta meta;
  absl::StatusOr<store::ExecutionStore::InsertResult> journaled = store_.InsertOrder(
      ToJournal(order, meta, instruments_),
      {"ADOPTED", StrCat("venue order ", venue_order_id, " adopted from the venue"), now.nanos()});
  if (!journaled.ok() || !journaled->inserted) {
    return Refuse(reply, ov1::EXECUTION_REFUSAL_STORE_UNAVAILABLE,
                  journaled.ok() ? "its client order id is journaled already"
                                 : std::string(ToStd(journaled.status().message())));
  }
  Entry* e = Insert(std::move(order), std::move(meta));
  Publish(*e, ov1::ORDER_STATUS_UNSPECIFIED, nullptr, "adopted");
  ApplyVenueOrder(*e, *v, ov1::FILL_SOURCE_RECONCILIATION);
  reply->set_accepted(true);
  OrderToProto(e->order, e->meta, instruments_, reply->mutable_order());
}

}  // namespace tradeplane::execution_service
