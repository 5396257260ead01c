// OrderManager's recovery: the journal at start, the venue's answers to
// queries, missed fills, pushed updates and stream gaps.
#include "tradeplane/bus/topic.h"
#include "tradeplane/core/enum_names.h"
#include "tradeplane/core/str_cat.h"
#include "tradeplane/telemetry/log.h"

#include "order_manager.h"

namespace tradeplane::execution_service {
namespace {

namespace ov1 = orders::v1;
using execution::OrderEvent;
using execution::VenueErrorReason;

constexpr size_t kFillPageSize = 1000;
// A bound on pages read in one catch-up (a million fills), so a venue that
// keeps saying "more" cannot hold the loop forever.
constexpr int kMaxFillPages = 1000;

std::string_view UpdateName(execution::VenueUpdateKind kind) {
  switch (kind) {
    case execution::VenueUpdateKind::kAccepted:
      return "VENUE_ACK";
    case execution::VenueUpdateKind::kRejected:
      return "VENUE_REJECT";
    case execution::VenueUpdateKind::kFill:
      return "FILL";
    case execution::VenueUpdateKind::kCanceled:
      return "CANCEL_ACK";
    case execution::VenueUpdateKind::kExpired:
      return "EXPIRED";
    case execution::VenueUpdateKind::kCancelRejected:
      return "CANCEL_REJECTED";
  }
  return "UPDATE";
}

}  // namespace

absl::Status OrderManager::LoadJournal() {
  absl::StatusOr<std::vector<store::JournaledOrder>> open = store_.OpenOrders();
  if (!open.ok()) return open.status();
  for (const store::JournaledOrder& j : *open) {
    OrderMeta meta;
    absl::StatusOr<execution::Order> order = FromJournal(j, instruments_, &meta);
    if (!order.ok()) {
      Anomaly("unloadable_journaled_order", j.order.client_order_id(),
              ToStd(order.status().message()));
      continue;
    }
    Insert(std::move(*order), std::move(meta));
  }
  absl::StatusOr<std::vector<store::NetPosition>> positions = store_.NetPositions();
  if (!positions.ok()) return positions.status();
  for (const store::NetPosition& p : *positions) {
    common::v1::Venue venue;
    if (!ParseEnum(p.venue, &venue)) continue;
    if (std::optional<InstrumentIndex> i = instruments_.Find(venue, p.symbol)) {
      net_qty_[*i] = p.net_qty;
    }
  }
  absl::StatusOr<std::vector<ov1::Fill>> unpublished = store_.UnpublishedFills();
  if (!unpublished.ok()) return unpublished.status();
  std::vector<std::string> published;
  for (const ov1::Fill& f : *unpublished) {
    (void)publisher_.Publish(
        bus::InstrumentTopic("exec", "fill", f.instrument()), f,
        {.event_time_ns = f.exchange_time_ns(), .correlation_id = f.client_order_id()});
    if (Entry* e = Find(f.client_order_id()); e != nullptr) {
      Publish(*e, e->order.status, &f, "journaled before a restart, published after it");
    }
    published.push_back(f.fill_id());
  }
  if (!published.empty()) {
    telemetry::LogWarn("published fills journaled before a restart",
                       {{"fills", static_cast<uint64_t>(published.size())}});
  }
  CountOrders();
  return store_.MarkFillsPublished(published);
}

bool OrderManager::RecoverOpenOrders() {
  std::vector<std::string> open;
  for (const auto& [id, e] : orders_) {
    if (!e->order.is_terminal()) open.push_back(id);
  }
  bool all = true;
  for (const std::string& id : open) {
    Entry* e = Find(id);
    if (e != nullptr && !e->order.is_terminal()) all = Resync(*e, ov1::FILL_SOURCE_RECOVERY) && all;
  }
  telemetry::LogInfo("open orders recovered from the journal and the venue",
                     {{"orders", static_cast<uint64_t>(open.size())}, {"all_resolved", all}});
  return all;
}

bool OrderManager::Resync(Entry& e, ov1::FillSource source) {
  absl::StatusOr<execution::VenueOrder> v = Retrying<execution::VenueOrder>(
      "query", [&] { return venue_.QueryOrder(e.order.instrument, e.order.client_order_id); });
  if (!v.ok()) {
    std::optional<execution::VenueError> error = execution::GetVenueError(v.status());
    if (!error.has_value() || error->reason != VenueErrorReason::kUnknownOrder) {
      e.unresolved = true;
      telemetry::LogWarn("venue could not be asked about an order",
                         {{"client_order_id", e.order.client_order_id}, {"error", v.status()}});
      return false;
    }
    Timestamp now = clock_.Now();
    const bool never_acknowledged = e.order.status == ov1::ORDER_STATUS_PENDING_NEW ||
                                    (e.order.status == ov1::ORDER_STATUS_PENDING_CANCEL &&
                                     e.order.status_before_cancel == ov1::ORDER_STATUS_PENDING_NEW);
    if (never_acknowledged) {
      std::string reason = e.order.sent
                               ? "the venue has no such order: the send never reached it"
                               : "never sent: execution stopped between journaling and sending it";
      (void)Apply(e, OrderEvent::VenueReject(now, reason), "VENUE_REJECT", reason);
    } else {
      // Acknowledged once, unknown now (a paper venue that restarted): the
      // venue will not act on it again.
      Anomaly("order_missing_at_venue", e.order.client_order_id,
              StrCat("was ", ShortEnumName(e.order.status), "; the venue does not know it"));
      absl::StatusOr<Amount> quote = e.order.filled_notional();
      (void)Apply(e,
                  OrderEvent::Reconciled(now, ov1::ORDER_STATUS_CANCELED, e.order.filled_qty,
                                         quote.ok() ? *quote : Amount()),
                  "RECONCILED", "the venue does not know the order any more");
    }
    e.unresolved = false;
    return true;
  }
  if (v->filled_qty > e.order.filled_qty) {
    (void)CatchUpFills(e.order.instrument, source, false);
    if (v->filled_qty > e.order.filled_qty) (void)CatchUpFills(e.order.instrument, source, true);
  }
  ApplyVenueOrder(e, *v, source);
  if (v->filled_qty != e.order.filled_qty) {
    Anomaly("fills_missing", e.order.client_order_id,
            StrCat("the venue says filled ", v->filled_qty.ToString(), ", the journal has ",
                   e.order.filled_qty.ToString(), " (left for the reconciler)"));
  }
  e.unresolved = false;
  return true;
}

absl::Status OrderManager::CatchUpFills(InstrumentIndex instrument, ov1::FillSource source,
                                        bool from_start) {
  execution::FillCheckpoint checkpoint{from_start ? 0 : last_trade_id_[instrument]};
  for (int page_no = 0; page_no < kMaxFillPages; ++page_no) {
    absl::StatusOr<execution::FillPage> page = Retrying<execution::FillPage>(
        "fills", [&] { return venue_.FillsSince(instrument, checkpoint, kFillPageSize); });
    if (!page.ok()) return page.status();
    for (const Fill& f : page->fills) {
      Entry* e = Find(f.client_order_id);
      if (e == nullptr) e = FindByVenueId(f.venue_order_id);
      if (e == nullptr) {
        Anomaly("fill_for_unknown_order", f.client_order_id,
                StrCat("fill ", f.fill_id, " of venue order ", f.venue_order_id));
        continue;
      }
      if (!e->order.HasFill(f.fill_id)) (void)ApplyFill(*e, f, source);
    }
    checkpoint = page->next;
    if (!page->more) break;
  }
  return absl::OkStatus();
}

void OrderManager::DrainVenueUpdates() {
  absl::StatusOr<std::vector<execution::VenueUpdate>> updates = venue_.PollUpdates();
  if (!updates.ok()) {
    telemetry::LogWarn("venue updates not read", {{"error", updates.status()}});
    return;
  }
  for (const execution::VenueUpdate& u : *updates) ApplyUpdate(u);
}

void OrderManager::ApplyUpdate(const execution::VenueUpdate& u) {
  Entry* e = Find(u.order.client_order_id);
  if (e == nullptr) e = FindByVenueId(u.order.venue_order_id);
  if (e == nullptr) {
    // Not ours, or a journal we cannot read: record it with the venue's view.
    std::string detail = StrCat(UpdateName(u.kind), " for venue order ", u.order.venue_order_id,
                                " on ", instruments_.at(u.order.instrument).id.symbol);
    absl::StatusOr<execution::VenueOrder> truth =
        venue_.QueryOrder(u.order.instrument, u.order.client_order_id);
    if (truth.ok()) {
      StrAppend(&detail, "; the venue says ", ShortEnumName(truth->status), " filled ",
                truth->filled_qty.ToString(), " of ", truth->qty.ToString());
    }
    Anomaly("report_for_unknown_order", u.order.client_order_id, detail);
    return;
  }
  absl::Status applied;
  if (u.kind == execution::VenueUpdateKind::kFill) {
    applied = ApplyFill(*e, u.fill, ov1::FILL_SOURCE_LIVE).status();
  } else if (u.kind == execution::VenueUpdateKind::kAccepted && e->order.is_terminal()) {
    return;  // a late ack of an order already final
  } else {
    execution::OrderEvent event = execution::ToOrderEvent(u);
    applied = Apply(*e, event, UpdateName(u.kind), u.reason).status();
  }
  if (!applied.ok() && !absl::IsUnavailable(applied)) {
    // Refused by the state machine: what is the order's real state?
    Resync(*e, ov1::FILL_SOURCE_LIVE);
  }
}

void OrderManager::OnStreamGap() {
  telemetry::LogWarn("venue stream reconnected: filling the gap by query");
  std::vector<std::string> open;
  for (const auto& [id, e] : orders_) {
    if (!e->order.is_terminal()) open.push_back(id);
  }
  std::vector<bool> instrument_done(instruments_.size(), false);
  for (const std::string& id : open) {
    Entry* e = Find(id);
    if (e == nullptr || e->order.is_terminal()) continue;
    if (!instrument_done[e->order.instrument]) {
      instrument_done[e->order.instrument] = true;
      (void)CatchUpFills(e->order.instrument, ov1::FILL_SOURCE_LIVE, false);
    }
    if (!e->order.is_terminal()) Resync(*e, ov1::FILL_SOURCE_LIVE);
  }
}

void OrderManager::ResyncUnresolved() {
  std::vector<std::string> pending;
  for (const auto& [id, e] : orders_) {
    if (e->unresolved && !e->order.is_terminal()) pending.push_back(id);
  }
  for (const std::string& id : pending) {
    if (Entry* e = Find(id); e != nullptr) Resync(*e, ov1::FILL_SOURCE_LIVE);
  }
}

void OrderManager::OnUnreadableVenueMessage(std::string_view detail) {
  Anomaly("unreadable_venue_message", "", detail);
  for (auto& [id, e] : orders_) {
    if (!e->order.is_terminal()) e->unresolved = true;
  }
}

}  // namespace tradeplane::execution_service
