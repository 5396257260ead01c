#include "tradeplane/execution/sim_venue.h"

#include <algorithm>
#include <string>

#include "tradeplane/core/str_cat.h"
#include "tradeplane/matching/order_reason.h"

namespace tradeplane::execution {
namespace {

using matching::OrderReason;

VenueErrorReason VenueReasonFor(OrderReason reason) {
  switch (reason) {
    case OrderReason::kInsufficientBalance:
      return VenueErrorReason::kInsufficientBalance;
    case OrderReason::kWouldTakeLiquidity:
      return VenueErrorReason::kWouldTakeLiquidity;
    case OrderReason::kDuplicateClientOrderId:
      return VenueErrorReason::kDuplicateOrder;
    default:
      return VenueErrorReason::kInvalidOrder;
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<SimVenue>> SimVenue::Create(const InstrumentTable& instruments,
                                                           SimVenueConfig config) {
  if (config.latency.count() < 0) {
    return absl::InvalidArgumentError("sim venue: latency must not be negative");
  }
  std::vector<InstrumentIndex> traded = config.instruments;
  if (traded.empty()) {
    for (InstrumentIndex i = 0; i < instruments.size(); ++i) traded.push_back(i);
  }
  std::unique_ptr<SimVenue> venue(new SimVenue(std::move(config)));
  venue->instruments_.resize(instruments.size());
  for (const auto& [asset, amount] : venue->config_.balances) {
    if (absl::Status s = venue->balances_.SetFree(kAccount, asset, amount); !s.ok()) {
      return absl::InvalidArgumentError(StrCat("sim venue: ", ToStd(s.message())));
    }
  }
  for (InstrumentIndex index : traded) {
    if (index >= instruments.size()) {
      return absl::InvalidArgumentError(
          StrCat("sim venue: instrument index ", index, " is not in the table"));
    }
    Instrument& slot = venue->instruments_[index];
    slot.sink = std::make_unique<EngineSink>(venue.get(), index);
    matching::MatchingConfig engine_config;
    engine_config.instrument = instruments.at(index);
    engine_config.fees = venue->config_.fees;
    engine_config.balances = &venue->balances_;
    engine_config.check_balances = venue->config_.check_balances;
    absl::StatusOr<std::unique_ptr<matching::MatchingEngine>> engine =
        matching::MatchingEngine::Create(engine_config, slot.sink.get());
    if (!engine.ok()) {
      return absl::InvalidArgumentError(StrCat("sim venue: ", ToStd(engine.status().message())));
    }
    slot.engine = std::move(*engine);
  }
  return venue;
}

SimVenue::~SimVenue() = default;

// --- Time, market, faults --------------------------------------------------------

void SimVenue::AdvanceTo(Timestamp now) {
  if (now > now_) now_ = now;
  while (!pending_.empty() && pending_.front().arrival <= now_) {
    PendingRequest request = std::move(pending_.front());
    pending_.pop_front();
    switch (request.kind) {
      case RequestKind::kSubmit:
        ProcessSubmit(request.order, request.arrival, /*synchronous=*/false).IgnoreError();
        break;
      case RequestKind::kCancel:
        ProcessCancel(request.order.instrument, request.order.client_order_id, request.arrival,
                      /*synchronous=*/false)
            .IgnoreError();
        break;
      case RequestKind::kCancelAll:
        ProcessCancelAll(request.order.instrument, request.arrival);
        break;
    }
  }
}

absl::Status SimVenue::OnQuote(const marketdata::Quote& quote) {
  absl::StatusOr<Instrument*> slot = Find(quote.instrument);
  if (!slot.ok()) return slot.status();
  AdvanceTo(quote.exchange_time);
  return (*slot)->engine->ApplyQuote(quote);
}

absl::Status SimVenue::OnTrade(const marketdata::Trade& trade) {
  absl::StatusOr<Instrument*> slot = Find(trade.instrument);
  if (!slot.ok()) return slot.status();
  AdvanceTo(trade.exchange_time);
  return (*slot)->engine->ApplyTrade(trade);
}

absl::Status SimVenue::OnBook(const marketdata::BookView& book, matching::SnapshotDepth depth) {
  absl::StatusOr<Instrument*> slot = Find(book.instrument);
  if (!slot.ok()) return slot.status();
  AdvanceTo(book.exchange_time);
  return (*slot)->engine->ApplyBook(book, depth);
}

absl::Status SimVenue::OnBookLevel(InstrumentIndex instrument, Side side, Price price, Quantity qty,
                                   Timestamp time) {
  absl::StatusOr<Instrument*> slot = Find(instrument);
  if (!slot.ok()) return slot.status();
  AdvanceTo(time);
  return (*slot)->engine->ApplyBookLevel(side, price, qty, now_);
}

void SimVenue::InjectFault(VenueCall call, VenueError error, int times) {
  if (times > 0) faults_[static_cast<size_t>(call)].emplace_back(error, times);
}

std::optional<VenueError> SimVenue::TakeFault(VenueCall call) {
  auto& queue = faults_[static_cast<size_t>(call)];
  if (queue.empty()) return std::nullopt;
  VenueError error = queue.front().first;
  if (--queue.front().second == 0) queue.pop_front();
  return error;
}

const matching::MatchingEngine* SimVenue::engine(InstrumentIndex instrument) const {
  return instrument < instruments_.size() ? instruments_[instrument].engine.get() : nullptr;
}

absl::StatusOr<SimVenue::Instrument*> SimVenue::Find(InstrumentIndex instrument) {
  if (instrument >= instruments_.size() || instruments_[instrument].engine == nullptr) {
    return DefinitiveVenueError(VenueErrorReason::kUnknownSymbol,
                                StrCat("instrument index ", instrument, " is not traded here"));
  }
  return &instruments_[instrument];
}

// --- Engine events -> updates and fills ---------------------------------------------

VenueOrder SimVenue::ToVenueOrder(InstrumentIndex instrument,
                                  const matching::EngineOrder& o) const {
  VenueOrder v;
  v.client_order_id = o.client_order_id.ToString();
  v.venue_order_id = std::to_string(o.id);
  v.instrument = instrument;
  v.side = o.side;
  v.type = o.type;
  v.time_in_force = o.time_in_force;
  v.price = o.price;
  v.qty = o.qty;
  v.filled_qty = o.filled_qty;
  v.filled_quote = o.filled_quote;
  v.status = o.status;
  if (o.reason != OrderReason::kNone) v.reason = std::string(OrderReasonText(o.reason));
  v.updated = o.updated;
  return v;
}

VenueOrder SimVenue::FromRequest(const VenueOrderRequest& request, OrderStatus status) {
  VenueOrder v;
  v.client_order_id = request.client_order_id;
  v.instrument = request.instrument;
  v.side = request.side;
  v.type = request.type;
  v.time_in_force = request.time_in_force;
  v.price = request.price;
  v.qty = request.qty;
  v.status = status;
  return v;
}

void SimVenue::OnMatchEvent(InstrumentIndex instrument, const matching::MatchEvent& event) {
  Instrument& slot = instruments_[instrument];
  VenueUpdate update;
  update.time = event.time;
  update.reason = event.reason == OrderReason::kNone ? std::string()
                                                     : std::string(OrderReasonText(event.reason));
  if (event.kind == matching::MatchEventKind::kRejected) {
    // A synchronous submit answers its rejection itself (as a REST error).
    if (deferred_submit_ == nullptr) return;
    update.kind = VenueUpdateKind::kRejected;
    update.order = FromRequest(*deferred_submit_, orders::v1::ORDER_STATUS_REJECTED);
    update.order.reason = update.reason;
    updates_.push_back(std::move(update));
    return;
  }
  update.order = ToVenueOrder(instrument, *slot.engine->Find(event.order_id));
  update.order.status = event.status;  // as of this event, not the end of the call
  update.order.filled_qty = event.filled_qty;
  switch (event.kind) {
    case matching::MatchEventKind::kAccepted:
      update.kind = VenueUpdateKind::kAccepted;
      break;
    case matching::MatchEventKind::kFill: {
      update.kind = VenueUpdateKind::kFill;
      const InstrumentSpec& spec = slot.engine->instrument();
      Fill& fill = update.fill;
      fill.fill_id = StrCat(config_.fill_id_prefix, ":", spec.id.symbol, ":", event.trade_id);
      fill.client_order_id = update.order.client_order_id;
      fill.venue_order_id = update.order.venue_order_id;
      fill.instrument = instrument;
      fill.side = event.side;
      fill.price = event.price;
      fill.qty = event.qty;
      fill.fee = event.fee;
      fill.fee_asset = spec.quote_asset;
      fill.liquidity = event.liquidity;
      fill.time = event.time;
      slot.fills.emplace_back(event.trade_id, fill);
      break;
    }
    case matching::MatchEventKind::kCanceled:
      update.kind = VenueUpdateKind::kCanceled;
      break;
    case matching::MatchEventKind::kExpired:
      update.kind = VenueUpdateKind::kExpired;
      break;
    case matching::MatchEventKind::kRejected:
      break;  // handled above
  }
  updates_.push_back(std::move(update));
}

// --- Carrying requests out ------------------------------------------------------------

absl::StatusOr<SubmitAck> SimVenue::ProcessSubmit(const VenueOrderRequest& request, Timestamp time,
                                                  bool synchronous) {
  absl::StatusOr<Instrument*> slot = Find(request.instrument);
  if (!slot.ok()) return slot.status();
  matching::OrderRequest order;
  order.account = kAccount;
  order.client_order_id = request.client_order_id;
  order.side = request.side;
  order.type = request.type;
  order.time_in_force = request.time_in_force;
  order.price = request.price;
  order.qty = request.qty;
  const size_t fills_before = (*slot)->fills.size();
  deferred_submit_ = synchronous ? nullptr : &request;
  matching::SubmitResult result = (*slot)->engine->Submit(order, time);
  deferred_submit_ = nullptr;
  if (!result.accepted()) {
    return DefinitiveVenueError(
        VenueReasonFor(result.reject_reason),
        StrCat("order ", request.client_order_id, ": ", OrderReasonText(result.reject_reason)));
  }
  SubmitAck ack;
  ack.order = ToVenueOrder(request.instrument, *(*slot)->engine->Find(result.order_id));
  for (size_t i = fills_before; i < (*slot)->fills.size(); ++i) {
    if ((*slot)->fills[i].second.client_order_id == request.client_order_id) {
      ack.fills.push_back((*slot)->fills[i].second);
    }
  }
  return ack;
}

absl::StatusOr<VenueOrder> SimVenue::ProcessCancel(InstrumentIndex instrument,
                                                   std::string_view client_order_id, Timestamp time,
                                                   bool synchronous) {
  absl::StatusOr<Instrument*> slot = Find(instrument);
  if (!slot.ok()) return slot.status();
  matching::MatchingEngine& engine = *(*slot)->engine;
  absl::Status canceled = engine.CancelByClientId(kAccount, client_order_id, time);
  if (canceled.ok())
    return ToVenueOrder(instrument, *engine.FindByClientId(kAccount, client_order_id));
  absl::Status error = DefinitiveVenueError(
      VenueErrorReason::kUnknownOrder,
      StrCat("cancel ", client_order_id, ": no open order with this client order id"));
  if (!synchronous) {
    VenueUpdate update;
    update.kind = VenueUpdateKind::kCancelRejected;
    update.time = time;
    update.reason = "unknown order: not open";
    const matching::EngineOrder* known = engine.FindByClientId(kAccount, client_order_id);
    if (known != nullptr) {
      update.order = ToVenueOrder(instrument, *known);
    } else {
      update.order.client_order_id = std::string(client_order_id);
      update.order.instrument = instrument;
    }
    updates_.push_back(std::move(update));
  }
  return error;
}

std::vector<VenueOrder> SimVenue::ProcessCancelAll(InstrumentIndex instrument, Timestamp time) {
  std::vector<VenueOrder> out;
  absl::StatusOr<Instrument*> slot = Find(instrument);
  if (!slot.ok()) return out;
  matching::MatchingEngine& engine = *(*slot)->engine;
  std::vector<matching::OrderId> ids;
  for (const matching::EngineOrder* o : engine.OpenOrders(kAccount)) ids.push_back(o->id);
  engine.CancelAll(kAccount, time);
  for (matching::OrderId id : ids) out.push_back(ToVenueOrder(instrument, *engine.Find(id)));
  return out;
}

bool SimVenue::IsPendingSubmit(InstrumentIndex instrument, std::string_view client_order_id) const {
  return std::any_of(pending_.begin(), pending_.end(), [&](const PendingRequest& p) {
    return p.kind == RequestKind::kSubmit && p.order.instrument == instrument &&
           p.order.client_order_id == client_order_id;
  });
}

// --- Venue ---------------------------------------------------------------------------

absl::StatusOr<SubmitAck> SimVenue::Submit(const VenueOrderRequest& request) {
  std::optional<VenueError> fault = TakeFault(VenueCall::kSubmit);
  if (fault.has_value() && !fault->is_unknown_outcome()) {
    return MakeVenueError(*fault, StrCat("injected fault on submit ", request.client_order_id));
  }
  if (absl::StatusOr<Instrument*> slot = Find(request.instrument); !slot.ok()) {
    return slot.status();
  }
  absl::StatusOr<SubmitAck> answer;
  if (config_.latency.count() == 0) {
    answer = ProcessSubmit(request, now_, /*synchronous=*/true);
  } else {
    pending_.push_back(PendingRequest{now_ + config_.latency, RequestKind::kSubmit, request});
    answer = SubmitAck{FromRequest(request, orders::v1::ORDER_STATUS_PENDING_NEW), {}};
  }
  if (fault.has_value()) {
    return MakeVenueError(
        *fault, StrCat("injected: submit ", request.client_order_id, " was sent, its answer lost"));
  }
  return answer;
}

absl::StatusOr<VenueOrder> SimVenue::Cancel(InstrumentIndex instrument,
                                            std::string_view client_order_id) {
  std::optional<VenueError> fault = TakeFault(VenueCall::kCancel);
  if (fault.has_value() && !fault->is_unknown_outcome()) {
    return MakeVenueError(*fault, StrCat("injected fault on cancel ", client_order_id));
  }
  absl::StatusOr<Instrument*> slot = Find(instrument);
  if (!slot.ok()) return slot.status();
  absl::StatusOr<VenueOrder> answer;
  if (config_.latency.count() == 0) {
    answer = ProcessCancel(instrument, client_order_id, now_, /*synchronous=*/true);
  } else {
    const matching::EngineOrder* known = (*slot)->engine->FindByClientId(kAccount, client_order_id);
    if (known == nullptr && !IsPendingSubmit(instrument, client_order_id)) {
      answer = DefinitiveVenueError(VenueErrorReason::kUnknownOrder,
                                    StrCat("cancel ", client_order_id, ": unknown order"));
    } else {
      PendingRequest request{now_ + config_.latency, RequestKind::kCancel, {}};
      request.order.instrument = instrument;
      request.order.client_order_id = std::string(client_order_id);
      pending_.push_back(std::move(request));
      VenueOrder order;
      if (known != nullptr) {
        order = ToVenueOrder(instrument, *known);
      } else {
        order.client_order_id = std::string(client_order_id);
        order.instrument = instrument;
      }
      order.status = orders::v1::ORDER_STATUS_PENDING_CANCEL;
      answer = std::move(order);
    }
  }
  if (fault.has_value()) {
    return MakeVenueError(
        *fault, StrCat("injected: cancel ", client_order_id, " was sent, its answer lost"));
  }
  return answer;
}

absl::StatusOr<std::vector<VenueOrder>> SimVenue::CancelAll(InstrumentIndex instrument) {
  std::optional<VenueError> fault = TakeFault(VenueCall::kCancelAll);
  if (fault.has_value() && !fault->is_unknown_outcome()) {
    return MakeVenueError(*fault, "injected fault on cancel-all");
  }
  absl::StatusOr<Instrument*> slot = Find(instrument);
  if (!slot.ok()) return slot.status();
  std::vector<VenueOrder> answer;
  if (config_.latency.count() == 0) {
    answer = ProcessCancelAll(instrument, now_);
  } else {
    PendingRequest request{now_ + config_.latency, RequestKind::kCancelAll, {}};
    request.order.instrument = instrument;
    pending_.push_back(std::move(request));
    for (const matching::EngineOrder* o : (*slot)->engine->OpenOrders(kAccount)) {
      answer.push_back(ToVenueOrder(instrument, *o));
      answer.back().status = orders::v1::ORDER_STATUS_PENDING_CANCEL;
    }
  }
  if (fault.has_value()) {
    return MakeVenueError(*fault, "injected: cancel-all was sent, its answer lost");
  }
  return answer;
}

absl::StatusOr<VenueOrder> SimVenue::QueryOrder(InstrumentIndex instrument,
                                                std::string_view client_order_id) {
  if (std::optional<VenueError> fault = TakeFault(VenueCall::kQueryOrder)) {
    return MakeVenueError(*fault, StrCat("injected fault on query ", client_order_id));
  }
  absl::StatusOr<Instrument*> slot = Find(instrument);
  if (!slot.ok()) return slot.status();
  const matching::EngineOrder* o = (*slot)->engine->FindByClientId(kAccount, client_order_id);
  if (o == nullptr) {
    return DefinitiveVenueError(VenueErrorReason::kUnknownOrder,
                                StrCat("query ", client_order_id, ": order does not exist"));
  }
  return ToVenueOrder(instrument, *o);
}

absl::StatusOr<std::vector<VenueOrder>> SimVenue::OpenOrders(
    std::optional<InstrumentIndex> instrument) {
  if (std::optional<VenueError> fault = TakeFault(VenueCall::kOpenOrders)) {
    return MakeVenueError(*fault, "injected fault on open orders");
  }
  std::vector<VenueOrder> out;
  if (instrument.has_value()) {
    absl::StatusOr<Instrument*> slot = Find(*instrument);
    if (!slot.ok()) return slot.status();
  }
  for (InstrumentIndex i = 0; i < instruments_.size(); ++i) {
    if (instruments_[i].engine == nullptr || (instrument.has_value() && *instrument != i)) continue;
    for (const matching::EngineOrder* o : instruments_[i].engine->OpenOrders(kAccount)) {
      out.push_back(ToVenueOrder(i, *o));
    }
  }
  return out;
}

absl::StatusOr<FillPage> SimVenue::FillsSince(InstrumentIndex instrument, FillCheckpoint since,
                                              size_t limit) {
  if (std::optional<VenueError> fault = TakeFault(VenueCall::kFillsSince)) {
    return MakeVenueError(*fault, "injected fault on fills");
  }
  if (limit == 0) {
    return DefinitiveVenueError(VenueErrorReason::kRejected, "fills: limit must be positive");
  }
  absl::StatusOr<Instrument*> slot = Find(instrument);
  if (!slot.ok()) return slot.status();
  const auto& fills = (*slot)->fills;
  auto it = std::upper_bound(
      fills.begin(), fills.end(), since.after_trade_id,
      [](uint64_t id, const std::pair<uint64_t, Fill>& entry) { return id < entry.first; });
  FillPage page;
  page.next = since;
  for (; it != fills.end() && page.fills.size() < limit; ++it) {
    page.fills.push_back(it->second);
    page.next.after_trade_id = it->first;
  }
  page.more = it != fills.end();
  return page;
}

absl::StatusOr<std::vector<VenueBalance>> SimVenue::Balances() {
  if (std::optional<VenueError> fault = TakeFault(VenueCall::kBalances)) {
    return MakeVenueError(*fault, "injected fault on balances");
  }
  absl::StatusOr<std::vector<matching::AssetBalance>> all = balances_.All(kAccount);
  if (!all.ok()) return all.status();
  std::vector<VenueBalance> out;
  for (matching::AssetBalance& b : *all) out.push_back({std::move(b.asset), b.free, b.locked});
  return out;
}

absl::StatusOr<std::vector<VenueUpdate>> SimVenue::PollUpdates() {
  if (std::optional<VenueError> fault = TakeFault(VenueCall::kPollUpdates)) {
    return MakeVenueError(*fault, "injected fault on updates");
  }
  std::vector<VenueUpdate> out;
  out.swap(updates_);
  return out;
}

}  // namespace tradeplane::execution
