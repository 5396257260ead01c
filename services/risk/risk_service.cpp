#include "risk_service.h"

#include <chrono>

#include "tradeplane/admin/admin_server.h"
#include "tradeplane/bus/topic.h"
#include "tradeplane/core/config_loader.h"
#include "tradeplane/core/enum_names.h"
#include "tradeplane/core/json_format.h"
#include "tradeplane/core/order_mapping.h"
#include "tradeplane/core/port_plan.h"
#include "tradeplane/core/str_cat.h"
#include "tradeplane/reconciliation/v1/reconciliation.pb.h"
#include "tradeplane/risk/end_of_day_report.h"
#include "tradeplane/risk/pre_trade_check.h"
#include "tradeplane/surveillance/v1/surveillance.pb.h"
#include "tradeplane/telemetry/log.h"

namespace tradeplane::risk_service {
namespace {

namespace rv1 = risk::v1;
namespace ov1 = orders::v1;

}  // namespace

void ApplyDefaults(config::v1::RiskConfig* c) {
  int i = static_cast<int>(c->common().identity().instance());
  if (c->intents().endpoint().empty()) {
    c->mutable_intents()->set_endpoint(StrCat("tcp://*:", BusPort(ServiceId::kRisk, 0, i)));
  }
  if (c->publisher().endpoint().empty()) {
    c->mutable_publisher()->set_endpoint(StrCat("tcp://*:", BusPort(ServiceId::kRisk, 1, i)));
  }
  if (c->execution().socket().endpoint().empty()) {
    c->mutable_execution()->mutable_socket()->set_endpoint(
        StrCat("tcp://127.0.0.1:", BusPort(ServiceId::kExecution, 0)));
  }
  if (c->execution().timeout_ms() == 0) c->mutable_execution()->set_timeout_ms(1000);
  if (c->execution().retries() == 0) c->mutable_execution()->set_retries(2);
  if (c->subscriptions().empty()) {
    for (auto [id, port] : {std::pair{ServiceId::kMarketData, 0},
                            {ServiceId::kExecution, 1},
                            {ServiceId::kSentinel, 0},
                            {ServiceId::kReconciler, 0}}) {
      c->add_subscriptions()->set_endpoint(StrCat("tcp://127.0.0.1:", BusPort(id, port)));
    }
  }
  if (c->four_eyes_window_s() == 0) c->set_four_eyes_window_s(900);
  if (c->decision_memory_hours() == 0) c->set_decision_memory_hours(24);
}

RiskService::RiskService(const config::v1::RiskConfig& config, service::ServiceRuntime& runtime)
    : config_(config), runtime_(runtime) {}

RiskService::~RiskService() { writer_.reset(); }

absl::StatusOr<std::unique_ptr<RiskService>> RiskService::Create(
    const config::v1::RiskConfig& config, service::ServiceRuntime& runtime) {
  std::unique_ptr<RiskService> s(new RiskService(config, runtime));
  absl::Status started = s->Start();
  if (!started.ok()) return started;
  return s;
}

absl::Status RiskService::Start() {
  telemetry::MetricsRegistry& m = runtime_.metrics();
  auto name = [](std::string_view what) { return service::MetricName(ServiceId::kRisk, what); };
  approved_ =
      &m.GetCounter(name("decisions_total"), "Decisions on intents.", {{"outcome", "approved"}});
  refused_ =
      &m.GetCounter(name("decisions_total"), "Decisions on intents.", {{"outcome", "refused"}});
  check_seconds_ =
      &m.GetHistogram(name("check_duration_seconds"), "The pre-trade check, in process.",
                      telemetry::LatencyBucketsSeconds());
  forward_seconds_ = &m.GetHistogram(name("intent_to_forward_seconds"),
                                     "Intent received to order forwarded to execution.",
                                     telemetry::LatencyBucketsSeconds());
  mode_gauge_ = &m.GetGauge(name("trading_mode"),
                            "The trading mode: 1 ACTIVE, 2 REDUCING, 3 PAUSED, 4 HALTED.");
  open_orders_gauge_ = &m.GetGauge(name("open_orders"), "Orders risk counts as open.");
  equity_gauge_ = &m.GetGauge(name("equity"), "Equity in the valuation currency.");
  realized_gauge_ = &m.GetGauge(name("realized_pnl"), "Realized PnL in the valuation currency.");
  unrealized_gauge_ =
      &m.GetGauge(name("unrealized_pnl"), "Unrealized PnL in the valuation currency.");
  breaker_trips_ = &m.GetCounter(name("breaker_trips_total"), "Breakers that changed the mode.");
  for (int code = 1; code < rv1::RefusalCode_descriptor()->value_count(); ++code) {
    const auto* v = rv1::RefusalCode_descriptor()->FindValueByNumber(code);
    if (v == nullptr) continue;
    refusals_by_code_[code] = &m.GetCounter(name("refusals_total"), "Refusals by reason code.",
                                            {{"code", std::string(ShortEnumName(*v))}});
  }

  // Instruments come from the limits: risk trades nothing it has no limits for.
  for (const rv1::InstrumentLimits& l : config_.limits().instruments()) {
    InstrumentSpec spec;
    spec.id = InstrumentId::FromProto(l.instrument());
    spec.tick_size = Price::FromRaw(l.tick_size());
    spec.lot_size = Quantity::FromRaw(l.lot_size());
    spec.min_qty = Quantity::FromRaw(l.min_qty());
    spec.max_qty = Quantity::FromRaw(l.max_qty());
    spec.min_notional = Amount::FromRaw(l.min_notional());
    spec.quote_asset = l.quote_currency();
    marketdata::v1::Instrument p;
    spec.ToProto(&p);
    absl::StatusOr<InstrumentSpec> checked = InstrumentSpec::FromProto(p);
    if (!checked.ok())
      return absl::InvalidArgumentError(
          StrCat("limits.instruments: ", ToStd(checked.status().message())));
    checked->quote_asset = l.quote_currency();
    absl::StatusOr<InstrumentIndex> added = instruments_.Add(*checked);
    if (!added.ok())
      return absl::InvalidArgumentError(
          StrCat("limits.instruments: ", ToStd(added.status().message())));
  }
  if (config_.approval_key_file().empty()) {
    return absl::InvalidArgumentError("approval_key_file is required (shared with execution)");
  }
  absl::StatusOr<ApprovalKey> key = ApprovalKey::Load(config_.approval_key_file());
  if (!key.ok()) return key.status();
  approval_key_ = std::make_unique<ApprovalKey>(std::move(*key));
  ids_ = std::make_unique<UuidV7Generator>(runtime_.clock(), random_);
  books_ = std::make_unique<marketdata::BookMirror>(instruments_, 32);

  absl::Status restored = Restore();
  if (!restored.ok()) return restored;

  absl::StatusOr<std::unique_ptr<bus::ReplyServer>> intents =
      bus::ReplyServer::Create(runtime_.bus(), config_.intents(), "intents");
  if (!intents.ok()) return intents.status();
  intents_ = std::move(*intents);
  intents_->Handle<signal::v1::OrderIntent, rv1::RiskDecision>(
      [this](const signal::v1::OrderIntent& i, const bus::RequestContext& ctx,
             rv1::RiskDecision* d) { return OnIntent(i, ctx, d); });
  runtime_.poller().Add(*intents_);
  absl::StatusOr<std::unique_ptr<bus::Publisher>> pub =
      bus::Publisher::Create(runtime_.bus(), config_.publisher(), "risk-publisher");
  if (!pub.ok()) return pub.status();
  publisher_ = std::move(*pub);
  absl::StatusOr<std::unique_ptr<bus::RequestClient>> exec =
      bus::RequestClient::Create(runtime_.bus(), config_.execution(), "execution");
  if (!exec.ok()) return exec.status();
  execution_ = std::move(*exec);

  absl::StatusOr<std::unique_ptr<bus::Subscriber>> sub =
      bus::Subscriber::Create(runtime_.bus(), "risk-inputs");
  if (!sub.ok()) return sub.status();
  bus::Subscriber& s = **sub;
  for (const config::v1::SocketConfig& endpoint : config_.subscriptions()) {
    absl::Status connected = s.Connect(endpoint);
    if (!connected.ok()) return connected;
  }
  for (const char* prefix :
       {"md.quote.", "md.book.", "md.status.", "md.trade.", "exec.", "alert.", "recon.break"}) {
    absl::Status subscribed = s.SubscribePrefix(prefix);
    if (!subscribed.ok()) return subscribed;
  }
  s.On<marketdata::v1::Quote>([this](const marketdata::v1::Quote& q, const bus::Delivery&) {
    absl::StatusOr<marketdata::Quote> quote = marketdata::QuoteFromProto(q, instruments_);
    if (quote.ok()) state_->OnQuote(*quote, runtime_.clock().Now());
  });
  s.On<marketdata::v1::Trade>([this](const marketdata::v1::Trade& t, const bus::Delivery&) {
    absl::StatusOr<marketdata::Trade> trade = marketdata::TradeFromProto(t, instruments_);
    if (trade.ok()) state_->OnTrade(*trade, runtime_.clock().Now());
  });
  s.On<marketdata::v1::BookSnapshot>(
      [this](const marketdata::v1::BookSnapshot& b, const bus::Delivery&) {
        absl::StatusOr<InstrumentIndex> i = books_->OnSnapshot(b);
        if (i.ok()) state_->OnBook(books_->View(*i, 32), runtime_.clock().Now());
      });
  s.On<marketdata::v1::BookDelta>([this](const marketdata::v1::BookDelta& d, const bus::Delivery&) {
    absl::StatusOr<InstrumentIndex> i = books_->OnDelta(d);
    if (i.ok()) state_->OnBook(books_->View(*i, 32), runtime_.clock().Now());
  });
  s.On<marketdata::v1::MarketStatus>([this](const marketdata::v1::MarketStatus& st,
                                            const bus::Delivery&) {
    std::optional<InstrumentIndex> i = instruments_.Find(InstrumentId::FromProto(st.instrument()));
    if (!i) return;
    if (st.status() == marketdata::v1::FEED_STATUS_STALE ||
        st.status() == marketdata::v1::FEED_STATUS_DISCONNECTED ||
        st.status() == marketdata::v1::FEED_STATUS_RESYNCING ||
        st.status() == marketdata::v1::FEED_STATUS_HALTED) {
      state_->OnFeedDown(*i);
    }
  });
  s.On<ov1::ExecutionReport>([this](const ov1::ExecutionReport& r, const bus::Delivery&) {
    state_->OnOrderStatus(r.order().client_order_id(), r.order().status());
    unconfirmed_.erase(r.order().client_order_id());
  });
  s.On<ov1::Fill>([this](const ov1::Fill& f, const bus::Delivery&) { OnFill(f); });
  s.On<surveillance::v1::MarketAbuseAlert>(
      [this](const surveillance::v1::MarketAbuseAlert& a, const bus::Delivery&) {
        std::optional<risk::BreakerTrip> trip = breakers_->OnMarketAbuseAlert(a);
        if (trip) {
          for (const rv1::ModeChange& c :
               risk::ApplyTrips({*trip}, &state_->modes(), runtime_.clock().Now())) {
            breaker_trips_->Increment();
            ApplyModeChange(c);
          }
        }
      });
  s.On<reconciliation::v1::Break>([this](const reconciliation::v1::Break& b, const bus::Delivery&) {
    std::optional<risk::BreakerTrip> trip = breakers_->OnReconciliationBreak(b);
    if (trip) {
      for (const rv1::ModeChange& c :
           risk::ApplyTrips({*trip}, &state_->modes(), runtime_.clock().Now())) {
        breaker_trips_->Increment();
        ApplyModeChange(c);
      }
    }
  });
  runtime_.poller().Add(s);
  subscribers_.push_back(std::move(*sub));

  runtime_.OnDatabaseChange([this](bool up) { OnDatabase(up); });
  runtime_.poller().AddTimer(std::chrono::milliseconds(100), [this] { EvaluateBreakers(); });
  runtime_.poller().AddTimer(std::chrono::seconds(1), [this] { RefreshStatus(); });
  // Publish the mode we start in; store it only when it is new (a mode
  // restored from the store is already its newest row).
  ApplyModeChange(state_->modes().last_change(),
                  /*persist=*/state_->modes().start_change().has_value());
  RefreshStatus();
  runtime_.SetReady(true);
  telemetry::LogInfo("risk ready", {{"mode", ShortEnumName(state_->modes().mode())},
                                    {"instruments", static_cast<uint64_t>(instruments_.size())},
                                    {"intents", intents_->endpoint()}});
  return absl::OkStatus();
}

absl::Status RiskService::Restore() {
  Timestamp now = runtime_.clock().Now();
  risk::ModeOptions mode_options;
  mode_options.four_eyes = config_.four_eyes();
  mode_options.confirmation_window = std::chrono::seconds(config_.four_eyes_window_s());
  rv1::Limits limits = config_.limits();
  std::optional<rv1::ModeChange> stored_mode;
  std::vector<rv1::Block> blocks;
  std::vector<ov1::Fill> fills;
  std::vector<ov1::Order> open_orders;
  bool from_store = false;
  if (runtime_.database() != nullptr) {
    // The runtime migrates the database on its own thread as the process
    // starts: on a fresh database the tables read below may not exist yet.
    runtime_.WaitForFirstDatabaseCheck(std::chrono::seconds(30));
    store_ = std::make_unique<store::RiskStore>(*runtime_.database());
    store_->set_fencing_epoch(runtime_.leader_epoch());
    writer_ = std::make_unique<AsyncWriter>(store_.get());
    absl::StatusOr<std::optional<rv1::ModeChange>> mode = store_->LatestMode();
    if (mode.ok()) {
      from_store = true;
      stored_mode = *mode;
      absl::StatusOr<std::optional<rv1::Limits>> stored_limits = store_->LatestLimits();
      if (stored_limits.ok() && stored_limits->has_value()) limits = **stored_limits;
      absl::StatusOr<std::vector<rv1::Block>> b = store_->Blocks();
      if (b.ok()) blocks = std::move(*b);
      absl::StatusOr<std::vector<ov1::Fill>> applied = store_->AppliedFills();
      absl::StatusOr<std::vector<ov1::Fill>> journaled = store_->ExecutionFills();
      if (applied.ok()) fills = std::move(*applied);
      // Execution's journal is the truth: fills risk missed while it was down
      // are applied now (the ledger ignores fill ids it has seen).
      if (journaled.ok()) fills.insert(fills.end(), journaled->begin(), journaled->end());
      absl::StatusOr<std::vector<ov1::Order>> open = store_->OpenExecutionOrders();
      if (open.ok()) open_orders = std::move(*open);
      int64_t since =
          now.nanos() - static_cast<int64_t>(config_.decision_memory_hours()) * 3'600'000'000'000;
      absl::StatusOr<std::vector<rv1::RiskDecision>> decisions = store_->DecisionsSince(since);
      if (decisions.ok()) {
        for (rv1::RiskDecision& d : *decisions) decisions_[d.intent_id()] = std::move(d);
      }
    } else {
      telemetry::LogError("risk starts without its database: PAUSED", {{"error", mode.status()}});
    }
  }
  absl::StatusOr<risk::RiskLimits> checked = risk::RiskLimits::FromProto(limits, instruments_);
  if (!checked.ok())
    return absl::InvalidArgumentError(StrCat("limits:\n", ToStd(checked.status().message())));
  auto shared = std::make_shared<const risk::RiskLimits>(std::move(*checked));
  risk::TradingModeController modes =
      from_store ? risk::TradingModeController::FromStore(stored_mode, mode_options, now)
                 : risk::TradingModeController::WithoutStore(mode_options, now);
  risk::LedgerOptions ledger;
  ledger.day_start_offset = std::chrono::minutes(config_.day_start_offset_minutes());
  state_ = std::make_unique<risk::RiskState>(&instruments_, shared, std::move(modes), ledger);
  if (limits.starting_equity() != 0)
    state_->SetStartingEquity(Amount::FromRaw(limits.starting_equity()));
  breakers_ = std::make_unique<risk::Breakers>(shared->breakers(), risk::BreakerOptions{}, now);
  for (const rv1::Block& b : blocks) (void)state_->blocks().Restore(b);
  for (const ov1::Fill& f : fills) {
    absl::StatusOr<Fill> fill = FillFromProto(f, instruments_);
    if (!fill.ok()) continue;
    absl::StatusOr<risk::FillOutcome> applied = state_->OnFill(*fill);
    if (applied.ok()) fills_.push_back(*fill);
  }
  for (const ov1::Order& o : open_orders) {
    std::optional<InstrumentIndex> i = instruments_.Find(InstrumentId::FromProto(o.instrument()));
    if (!i) continue;
    (void)state_->RestoreOpenOrder(o.client_order_id(), o.strategy_id(), *i, o.side(),
                                   o.order_type(), Price::FromRaw(o.price()),
                                   Quantity::FromRaw(o.qty() - o.filled_qty()), o.reduce_only(),
                                   Timestamp::FromNanos(o.created_ns()));
  }
  if (!from_store && runtime_.database() != nullptr) {
    (void)breakers_->OnStoreAvailability(false, now);
  }
  telemetry::LogInfo("risk state restored",
                     {{"from_store", from_store},
                      {"fills", static_cast<uint64_t>(fills_.size())},
                      {"open_orders", static_cast<uint64_t>(open_orders.size())},
                      {"decisions", static_cast<uint64_t>(decisions_.size())}});
  return absl::OkStatus();
}

rv1::RiskDecision RiskService::Refuse(const signal::v1::OrderIntent& intent, rv1::RefusalCode code,
                                      std::string reason) {
  rv1::RiskDecision d;
  d.set_decision_id(ids_->Next());
  d.set_intent_id(intent.intent_id());
  d.set_client_order_id(intent.client_order_id());
  d.set_strategy_id(intent.strategy_id());
  *d.mutable_instrument() = intent.instrument();
  d.set_approved(false);
  d.set_code(code);
  d.set_reason(std::move(reason));
  d.set_decided_ns(runtime_.clock().Now().nanos());
  return d;
}

absl::Status RiskService::OnIntent(const signal::v1::OrderIntent& proto,
                                   const bus::RequestContext& ctx, rv1::RiskDecision* reply) {
  // The forward to execution happens inside this span, so execution's and the
  // signer's spans are its children.
  telemetry::ScopedSpan span(
      runtime_.StartSpan("risk.check", ctx.trace, telemetry::SpanKind::kServer), ctx.trace);
  span->SetAttribute("intent_id", proto.intent_id());
  span->SetAttribute("strategy", proto.strategy_id());
  span->SetAttribute("client_order_id", proto.client_order_id());
  absl::Status s = Decide(proto, ctx, reply);
  if (!s.ok()) {
    span->SetError(ToStd(s.message()));
  } else {
    span->SetAttribute("approved", reply->approved());
    // A refusal is exported even when the trace is not sampled.
    if (!reply->approved())
      span->SetError(StrCat(ShortEnumName(reply->code()), ": ", reply->reason()));
  }
  return s;
}

absl::Status RiskService::Decide(const signal::v1::OrderIntent& proto,
                                 const bus::RequestContext& ctx, rv1::RiskDecision* reply) {
  int64_t received = MonotonicNanos();
  // A repeated intent id (a retry across a restart) gets the first answer.
  if (!proto.intent_id().empty()) {
    auto seen = decisions_.find(proto.intent_id());
    if (seen != decisions_.end()) {
      *reply = seen->second;
      return absl::OkStatus();
    }
    auto pending = unconfirmed_.find(proto.client_order_id());
    if (pending != unconfirmed_.end()) {
      // Approved before, with no answer from execution: send the same order again.
      rv1::RiskDecision d;
      ov1::ExecutionRequest req;
      *req.mutable_new_order() = pending->second;
      ov1::ExecutionReply rep;
      absl::Status s =
          execution_->Call(req, &rep, {.request_id = pending->second.client_order_id()});
      if (!s.ok())
        return absl::UnavailableError(StrCat("execution did not answer: ", ToStd(s.message())));
      unconfirmed_.erase(pending);
      d = Refuse(proto, rv1::REFUSAL_CODE_UNSPECIFIED, "");
      d.set_approved(rep.accepted() || rep.duplicate());
      if (!d.approved()) {
        d.set_code(rv1::REFUSAL_CODE_EXECUTION_REFUSED);
        d.set_reason(rep.reason());
      }
      *d.mutable_execution() = rep;
      Conclude(d);
      *reply = d;
      return absl::OkStatus();
    }
  }
  absl::StatusOr<OrderIntent> intent = IntentFromProto(proto, instruments_);
  if (!intent.ok()) {
    rv1::RefusalCode code = intent.status().code() == absl::StatusCode::kNotFound
                                ? rv1::REFUSAL_CODE_UNKNOWN_INSTRUMENT
                                : rv1::REFUSAL_CODE_INVALID_FIELD;
    *reply = Refuse(proto, code, std::string(ToStd(intent.status().message())));
    Conclude(*reply);
    return absl::OkStatus();
  }
  Timestamp now = runtime_.clock().Now();
  int64_t check_start = MonotonicNanos();
  risk::Decision decision = risk::EvaluateAndRecord(*intent, state_.get(), now);
  check_seconds_->Observe(static_cast<double>(MonotonicNanos() - check_start) * 1e-9);
  if (std::optional<risk::BreakerTrip> trip = breakers_->RecordDecision(decision.code, now)) {
    for (const rv1::ModeChange& c : risk::ApplyTrips({*trip}, &state_->modes(), now)) {
      breaker_trips_->Increment();
      ApplyModeChange(c);
    }
  }
  if (!decision.approved) {
    *reply = Refuse(proto, decision.code, decision.reason);
    Conclude(*reply);
    return absl::OkStatus();
  }
  rv1::RiskDecision d = Refuse(proto, rv1::REFUSAL_CODE_UNSPECIFIED, "");
  d.set_approved(true);
  absl::Status forwarded = Forward(*intent, &d, ctx.header.event_time_ns());
  forward_seconds_->Observe(static_cast<double>(MonotonicNanos() - received) * 1e-9);
  if (!forwarded.ok()) return forwarded;  // not remembered: the retry tries again
  Conclude(d);
  *reply = d;
  return absl::OkStatus();
}

absl::Status RiskService::Forward(const OrderIntent& intent, rv1::RiskDecision* decision,
                                  int64_t origin_ns) {
  ov1::ExecutionRequest req;
  if (intent.is_cancel()) {
    ov1::CancelOrder* c = req.mutable_cancel();
    c->set_client_order_id(intent.cancel_client_order_id);
    c->set_reason(intent.reason);
    c->set_requested_by(StrCat("strategy:", intent.strategy_id));
  } else {
    ov1::NewOrder* o = req.mutable_new_order();
    o->set_client_order_id(intent.client_order_id);
    o->set_strategy_id(intent.strategy_id);
    instruments_.at(intent.instrument).id.ToProto(o->mutable_instrument());
    o->set_side(intent.side);
    o->set_order_type(intent.type);
    o->set_time_in_force(intent.time_in_force);
    o->set_qty(intent.qty.raw());
    o->set_price(intent.price.raw());
    o->set_reduce_only(intent.reduce_only);
    o->set_intent_id(intent.intent_id);
    o->mutable_approval()->set_decision_id(decision->decision_id());
    o->mutable_approval()->set_approved_ns(decision->decided_ns());
    approval_key_->Sign(o);
  }
  ov1::ExecutionReply rep;
  // The request id is what execution remembers, so a retry is answered
  // without acting twice: an order's client order id (a retry never places a
  // second order), a cancel's intent id (a cancel has no client order id of
  // its own, and two cancels of one order are two requests).
  absl::Status s =
      execution_->Call(req, &rep,
                       {.request_id = intent.is_cancel() ? StrCat("cancel:", intent.intent_id)
                                                         : intent.client_order_id,
                        .event_time_ns = origin_ns});
  if (!s.ok()) {
    if (!intent.is_cancel()) unconfirmed_[intent.client_order_id] = req.new_order();
    telemetry::LogError("execution did not answer; the order may or may not be placed",
                        {{"client_order_id", intent.client_order_id}, {"error", s}});
    return absl::UnavailableError(StrCat("execution did not answer: ", ToStd(s.message())));
  }
  *decision->mutable_execution() = rep;
  if (!rep.accepted() && !rep.duplicate()) {
    decision->set_approved(false);
    decision->set_code(rv1::REFUSAL_CODE_EXECUTION_REFUSED);
    decision->set_reason(StrCat("execution refused: ", rep.reason()));
    if (!intent.is_cancel())
      state_->OnOrderStatus(intent.client_order_id, ov1::ORDER_STATUS_REJECTED);
  }
  return absl::OkStatus();
}

void RiskService::Conclude(const rv1::RiskDecision& d) {
  decisions_[d.intent_id()] = d;
  if (d.approved()) {
    approved_->Increment();
  } else {
    refused_->Increment();
    auto c = refusals_by_code_.find(d.code());
    if (c != refusals_by_code_.end()) c->second->Increment();
  }
  (void)publisher_->Publish(
      StrCat("risk.decision.", d.strategy_id().empty() ? "unknown" : d.strategy_id()), d,
      {.correlation_id = d.intent_id()});
  if (writer_ != nullptr) writer_->Decision(d);
  std::lock_guard<std::mutex> lock(status_mu_);
  ++decisions_total_;
  if (d.approved()) ++approvals_total_;
}

void RiskService::OnFill(const ov1::Fill& proto) {
  absl::StatusOr<Fill> fill = FillFromProto(proto, instruments_);
  if (!fill.ok()) return;
  absl::StatusOr<risk::FillOutcome> applied = state_->OnFill(*fill);
  if (!applied.ok()) {
    telemetry::LogWarn("fill not applied",
                       {{"fill_id", proto.fill_id()}, {"error", applied.status()}});
    return;
  }
  fills_.push_back(*fill);
  if (writer_ != nullptr) writer_->Fill(proto, runtime_.clock().Now().nanos());
}

void RiskService::ApplyModeChange(const rv1::ModeChange& change, bool persist) {
  (void)publisher_->Publish("risk.mode", change);
  mode_gauge_->Set(static_cast<double>(change.mode()));
  {
    std::lock_guard<std::mutex> lock(status_mu_);
    mode_name_ = std::string(ShortEnumName(change.mode()));
  }
  telemetry::LogWarn("trading mode", {{"mode", ShortEnumName(change.mode())},
                                      {"previous", ShortEnumName(change.previous())},
                                      {"actor", change.actor()},
                                      {"reason", change.reason()}});
  if (store_ == nullptr || change.changed_ns() == 0) return;
  if (persist) unsaved_mode_changes_.push_back(change);
  while (!unsaved_mode_changes_.empty()) {
    absl::Status s = store_->AppendModeChange(unsaved_mode_changes_.front());
    if (!s.ok()) {
      telemetry::LogError("mode change kept in memory until the database is back", {{"error", s}});
      break;
    }
    unsaved_mode_changes_.erase(unsaved_mode_changes_.begin());
  }
  if (change.mode() == rv1::TRADING_MODE_HALTED &&
      change.actor().starts_with(risk::kBreakerActorPrefix)) {
    (void)CancelAllAtExecution(config_.flatten_on_halt(), change.actor(), change.reason());
  }
}

absl::StatusOr<uint32_t> RiskService::CancelAllAtExecution(bool flatten, const std::string& actor,
                                                           const std::string& reason) {
  ov1::ExecutionRequest req;
  req.mutable_cancel_all()->set_reason(reason);
  req.mutable_cancel_all()->set_requested_by(actor);
  req.mutable_cancel_all()->set_flatten(flatten);
  ov1::ExecutionReply rep;
  absl::Status s = execution_->Call(req, &rep, {.request_id = ids_->Next()});
  if (!s.ok()) {
    telemetry::LogError("kill switch: execution did not acknowledge the cancel-all",
                        {{"error", s}});
    return absl::UnavailableError(
        StrCat("HALTED, but execution did not acknowledge the cancel-all: ", ToStd(s.message())));
  }
  if (!rep.accepted())
    return absl::FailedPreconditionError(
        StrCat("execution refused the cancel-all: ", rep.reason()));
  return rep.orders_canceled();
}

void RiskService::EvaluateBreakers() {
  Timestamp now = runtime_.clock().Now();
  absl::StatusOr<rv1::PnlSummary> pnl = state_->RevaluePnl(now);
  risk::BreakerInputs in;
  if (pnl.ok()) {
    in.pnl = &*pnl;
    equity_gauge_->Set(Amount::FromRaw(pnl->equity()).ToDouble());
    realized_gauge_->Set(Amount::FromRaw(pnl->realized()).ToDouble());
    unrealized_gauge_->Set(Amount::FromRaw(pnl->unrealized()).ToDouble());
  }
  std::string pnl_error = pnl.ok() ? "" : std::string(ToStd(pnl.status().message()));
  in.pnl_error = pnl_error;
  std::string stalest;
  if (auto s = state_->StalestMarketData()) {
    stalest = instruments_.at(s->first).id.ToString();
    in.stalest_instrument = stalest;
    in.stalest_update = s->second;
  }
  std::vector<risk::BreakerTrip> trips = breakers_->Evaluate(in, now);
  for (const rv1::ModeChange& c : risk::ApplyTrips(trips, &state_->modes(), now)) {
    breaker_trips_->Increment();
    ApplyModeChange(c);
  }
  open_orders_gauge_->Set(static_cast<double>(state_->open_orders().size()));
}

void RiskService::OnDatabase(bool up) {
  Timestamp now = runtime_.clock().Now();
  if (std::optional<risk::BreakerTrip> trip = breakers_->OnStoreAvailability(up, now)) {
    for (const rv1::ModeChange& c : risk::ApplyTrips({*trip}, &state_->modes(), now)) {
      breaker_trips_->Increment();
      ApplyModeChange(c);
    }
  }
  if (up && store_ != nullptr) {
    // Held mode changes first, so the history stays in order.
    while (!unsaved_mode_changes_.empty() &&
           store_->AppendModeChange(unsaved_mode_changes_.front()).ok()) {
      unsaved_mode_changes_.erase(unsaved_mode_changes_.begin());
    }
  }
}

void RiskService::RefreshStatus() {
  std::lock_guard<std::mutex> lock(status_mu_);
  mode_name_ = std::string(ShortEnumName(state_->modes().mode()));
  open_orders_ = state_->open_orders().size();
}

void RiskService::FillStatus(admin::v1::ServiceStatus* status) {
  std::lock_guard<std::mutex> lock(status_mu_);
  status->set_trading_mode(mode_name_);
  auto add = [&](std::string name, double v) {
    admin::v1::Counter* c = status->add_counters();
    c->set_name(std::move(name));
    c->set_value(v);
  };
  add("decisions", static_cast<double>(decisions_total_));
  add("approvals", static_cast<double>(approvals_total_));
  add("open_orders", static_cast<double>(open_orders_));
  if (writer_ != nullptr) add("unsaved_records", static_cast<double>(writer_->pending()));
}

}  // namespace tradeplane::risk_service
