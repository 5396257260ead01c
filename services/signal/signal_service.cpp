#include "signal_service.h"

#include "tradeplane/admin/admin_server.h"
#include "tradeplane/bus/topic.h"
#include "tradeplane/core/enum_names.h"
#include "tradeplane/core/order_mapping.h"
#include "tradeplane/core/port_plan.h"
#include "tradeplane/core/str_cat.h"
#include "tradeplane/risk/v1/risk.pb.h"
#include "tradeplane/strategy/strategy_factory.h"
#include "tradeplane/strategy/strategy_params.h"
#include "tradeplane/telemetry/log.h"

namespace tradeplane::signal_service {
namespace {

namespace ov1 = orders::v1;
namespace mdv1 = marketdata::v1;

bool IsFinal(ov1::OrderStatus s) {
  return s == ov1::ORDER_STATUS_FILLED || s == ov1::ORDER_STATUS_CANCELED ||
         s == ov1::ORDER_STATUS_REJECTED || s == ov1::ORDER_STATUS_EXPIRED;
}

}  // namespace

void ApplyDefaults(config::v1::SignalConfig* c) {
  int i = static_cast<int>(c->common().identity().instance());
  if (c->market_data().endpoint().empty()) {
    c->mutable_market_data()->set_endpoint(
        StrCat("tcp://127.0.0.1:", BusPort(ServiceId::kMarketData, 0)));
  }
  if (c->executions().endpoint().empty()) {
    c->mutable_executions()->set_endpoint(
        StrCat("tcp://127.0.0.1:", BusPort(ServiceId::kExecution, 1)));
  }
  if (c->risk().socket().endpoint().empty()) {
    c->mutable_risk()->mutable_socket()->set_endpoint(
        StrCat("tcp://127.0.0.1:", BusPort(ServiceId::kRisk, 0)));
  }
  if (c->risk().timeout_ms() == 0) c->mutable_risk()->set_timeout_ms(2000);
  if (c->risk().retries() == 0) c->mutable_risk()->set_retries(2);
  if (c->publisher().endpoint().empty()) {
    c->mutable_publisher()->set_endpoint(StrCat("tcp://*:", BusPort(ServiceId::kSignal, 0, i)));
  }
  if (c->max_pending_intents() == 0) c->set_max_pending_intents(1000);
}

SignalService::SignalService(const config::v1::SignalConfig& config,
                             service::ServiceRuntime& runtime)
    : config_(config), runtime_(runtime) {}

SignalService::~SignalService() = default;

absl::StatusOr<std::unique_ptr<SignalService>> SignalService::Create(
    const config::v1::SignalConfig& config, service::ServiceRuntime& runtime) {
  std::unique_ptr<SignalService> s(new SignalService(config, runtime));
  absl::Status started = s->Start();
  if (!started.ok()) return started;
  return s;
}

SignalService::Instance* SignalService::Find(std::string_view id) {
  for (auto& i : instances_) {
    if (i->config.id() == id) return i.get();
  }
  return nullptr;
}

absl::Status SignalService::Start() {
  telemetry::MetricsRegistry& m = runtime_.metrics();
  auto name = [](std::string_view what) { return service::MetricName(ServiceId::kSignal, what); };
  intents_total_ = &m.GetCounter(name("intents_total"), "Intents sent to risk.");
  approved_total_ =
      &m.GetCounter(name("risk_decisions_total"), "Risk's answers.", {{"outcome", "approved"}});
  refused_total_ =
      &m.GetCounter(name("risk_decisions_total"), "Risk's answers.", {{"outcome", "refused"}});
  risk_unanswered_ = &m.GetCounter(name("risk_unanswered_total"),
                                   "Intents risk did not answer in time (kept and sent again).");
  dropped_total_ = &m.GetCounter(
      name("dropped_intents_total"),
      "New orders dropped because risk did not answer and the queue of held intents was full.");
  no_actions_total_ = &m.GetCounter(
      name("no_actions_total"), "Events on which a strategy decided not to act, with a reason.");
  event_to_intent_seconds_ =
      &m.GetHistogram(name("event_to_intent_seconds"), "Market event received to intent sent.",
                      telemetry::LatencyBucketsSeconds());

  for (const mdv1::Instrument& p : config_.instruments()) {
    absl::StatusOr<InstrumentSpec> spec = InstrumentSpec::FromProto(p);
    if (!spec.ok())
      return absl::InvalidArgumentError(StrCat("instruments: ", ToStd(spec.status().message())));
    absl::StatusOr<InstrumentIndex> added = instruments_.Add(*spec);
    if (!added.ok())
      return absl::InvalidArgumentError(StrCat("instruments: ", ToStd(added.status().message())));
  }
  for (int k = 0; k < config_.strategies_size(); ++k) {
    const config::v1::StrategyConfig& sc = config_.strategies(k);
    if (Find(sc.id()) != nullptr) {
      return absl::InvalidArgumentError(
          StrCat("strategies[", k, "].id: '", sc.id(), "' is used twice"));
    }
    absl::StatusOr<std::unique_ptr<strategy::Strategy>> s =
        strategy::MakeStrategy(sc, instruments_);
    if (!s.ok()) {
      // The key's path when the strategy says which key is wrong.
      const std::string key = strategy::ConfigKeyOf(s.status());
      return absl::InvalidArgumentError(
          key.empty() ? StrCat("strategies[", k, "] (", sc.id(), "): ", ToStd(s.status().message()))
                      : StrCat("strategies[", k, "].", key, ": ", ToStd(s.status().message())));
    }
    auto instance = std::make_unique<Instance>();
    instance->config = sc;
    instance->strategy = std::move(*s);
    instance->context = std::make_unique<strategy::StrategyContext>(sc.id(), instruments_,
                                                                    runtime_.clock(), random_);
    instance->enabled = sc.enabled();
    instances_.push_back(std::move(instance));
  }
  books_ = std::make_unique<marketdata::BookMirror>(instruments_, 50);

  absl::StatusOr<std::unique_ptr<bus::RequestClient>> risk =
      bus::RequestClient::Create(runtime_.bus(), config_.risk(), "risk");
  if (!risk.ok()) return risk.status();
  risk_ = std::move(*risk);
  absl::StatusOr<std::unique_ptr<bus::Publisher>> pub =
      bus::Publisher::Create(runtime_.bus(), config_.publisher(), "sig-publisher");
  if (!pub.ok()) return pub.status();
  publisher_ = std::move(*pub);
  absl::StatusOr<std::unique_ptr<bus::Subscriber>> sub =
      bus::Subscriber::Create(runtime_.bus(), "signal-inputs");
  if (!sub.ok()) return sub.status();
  inputs_ = std::move(*sub);
  for (const config::v1::SocketConfig* ep : {&config_.market_data(), &config_.executions()}) {
    absl::Status s = inputs_->Connect(*ep);
    if (!s.ok()) return s;
  }
  for (const char* prefix : {"md.quote.", "md.trade.", "md.bar.", "md.book.", "exec."}) {
    absl::Status s = inputs_->SubscribePrefix(prefix);
    if (!s.ok()) return s;
  }
  auto each = [this](auto&& call, const bus::Delivery& d) {
    int64_t received = MonotonicNanos();
    for (auto& i : instances_) {
      if (!i->enabled) continue;
      call(*i);
      Drain(*i, d.trace, received, d.header.publish_time_ns());
    }
  };
  inputs_->On<mdv1::Quote>([this, each](const mdv1::Quote& q, const bus::Delivery& d) {
    absl::StatusOr<marketdata::Quote> quote = marketdata::QuoteFromProto(q, instruments_);
    if (!quote.ok()) return;
    each([&](Instance& i) { i.strategy->OnQuote(*quote, *i.context); }, d);
  });
  inputs_->On<mdv1::Trade>([this, each](const mdv1::Trade& t, const bus::Delivery& d) {
    absl::StatusOr<marketdata::Trade> trade = marketdata::TradeFromProto(t, instruments_);
    if (!trade.ok()) return;
    each([&](Instance& i) { i.strategy->OnTrade(*trade, *i.context); }, d);
  });
  inputs_->On<mdv1::Bar>([this, each](const mdv1::Bar& b, const bus::Delivery& d) {
    absl::StatusOr<marketdata::Bar> bar = marketdata::BarFromProto(b, instruments_);
    if (!bar.ok()) return;
    each([&](Instance& i) { i.strategy->OnBar(*bar, *i.context); }, d);
  });
  inputs_->On<mdv1::BookSnapshot>(
      [this, each](const mdv1::BookSnapshot& s, const bus::Delivery& d) {
        absl::StatusOr<InstrumentIndex> i = books_->OnSnapshot(s);
        if (!i.ok()) return;
        marketdata::BookView view = books_->View(*i, 20);
        each([&](Instance& in) { in.strategy->OnBook(view, *in.context); }, d);
      });
  inputs_->On<mdv1::BookDelta>([this, each](const mdv1::BookDelta& delta, const bus::Delivery& d) {
    absl::StatusOr<InstrumentIndex> i = books_->OnDelta(delta);
    if (!i.ok()) return;
    marketdata::BookView view = books_->View(*i, 20);
    each([&](Instance& in) { in.strategy->OnBook(view, *in.context); }, d);
  });
  inputs_->On<ov1::Fill>([this](const ov1::Fill& f, const bus::Delivery& d) {
    Instance* i = Find(f.strategy_id());
    if (i == nullptr) return;
    absl::StatusOr<Fill> fill = FillFromProto(f, instruments_);
    if (!fill.ok()) return;
    i->strategy->OnFill(*fill,
                        *i->context);  // books it in the context, then lets the strategy react
    Drain(*i, d.trace, MonotonicNanos());
  });
  inputs_->On<ov1::ExecutionReport>([this](const ov1::ExecutionReport& r, const bus::Delivery&) {
    if (!IsFinal(r.order().status())) return;
    Instance* i = Find(r.order().strategy_id());
    if (i != nullptr) i->context->OrderDone(r.order().client_order_id());
  });
  runtime_.poller().Add(*inputs_);
  runtime_.poller().AddTimer(std::chrono::milliseconds(100), [this] {
    Timestamp now = runtime_.clock().Now();
    for (auto& i : instances_) {
      if (!i->enabled) continue;
      i->strategy->OnTimer(now, *i->context);
      Drain(*i, telemetry::SpanContext(), MonotonicNanos());
    }
    RetryPending();
  });
  runtime_.SetReady(true);
  telemetry::LogInfo("signal ready", {{"strategies", static_cast<uint64_t>(instances_.size())},
                                      {"instruments", static_cast<uint64_t>(instruments_.size())}});
  return absl::OkStatus();
}

void SignalService::Drain(Instance& instance, const telemetry::SpanContext& cause,
                          int64_t event_received_ns, int64_t origin_ns) {
  strategy::StrategyContext& ctx = *instance.context;
  for (const strategy::NoActionNote& note : ctx.no_actions()) {
    no_actions_total_->Increment();
    if (note.reason == instance.last_no_action) continue;  // publish changes, not repeats
    instance.last_no_action = note.reason;
    signal::v1::SignalEvent ev;
    ev.set_strategy_id(instance.config.id());
    instruments_.at(note.instrument).id.ToProto(ev.mutable_instrument());
    ev.set_no_action_reason(note.reason);
    ev.set_time_ns(runtime_.clock().Now().nanos());
    (void)publisher_->Publish(
        StrCat("sig.", instance.config.id(), ".", instruments_.at(note.instrument).id.symbol), ev);
  }
  if (ctx.intents().empty()) return;
  // Copied: OrderDone (on a refusal) would invalidate the context's span.
  std::vector<OrderIntent> intents(ctx.intents().begin(), ctx.intents().end());
  for (const OrderIntent& intent : intents) {
    event_to_intent_seconds_->Observe(static_cast<double>(MonotonicNanos() - event_received_ns) *
                                      1e-9);
    SendIntent(instance, intent, cause, origin_ns);
  }
}

void SignalService::SendIntent(Instance& instance, const OrderIntent& intent,
                               const telemetry::SpanContext& cause, int64_t origin_ns) {
  // The root of the order's trace (or a child of the market event's, when
  // market-data traced it): risk, execution and the signer add theirs below.
  telemetry::ScopedSpan span(
      runtime_.StartSpan("signal.intent", cause, telemetry::SpanKind::kProducer), cause);
  const telemetry::SpanContext trace = telemetry::CurrentSpanContext();
  signal::v1::OrderIntent proto;
  IntentToProto(intent, instruments_, &proto);
  span->SetAttribute("strategy", instance.config.id());
  span->SetAttribute("intent_id", proto.intent_id());
  span->SetAttribute("client_order_id", proto.client_order_id());
  span->SetAttribute("instrument", proto.instrument().symbol());
  instance.last_intent = proto;
  ++instance.intents;
  intents_total_->Increment();
  signal::v1::SignalEvent ev;
  ev.set_strategy_id(instance.config.id());
  *ev.mutable_instrument() = proto.instrument();
  *ev.mutable_intent() = proto;
  ev.set_time_ns(runtime_.clock().Now().nanos());
  (void)publisher_->Publish(StrCat("sig.", instance.config.id(), ".", proto.instrument().symbol()),
                            ev, {.trace = trace, .correlation_id = proto.intent_id()});
  if (!pending_.empty()) {
    // Behind the intents risk has not answered yet, so that nothing overtakes
    // them (a cancel must not reach risk before the order it cancels).
    span->SetAttribute("held", true);
    Hold(instance, std::move(proto), trace);
    return;
  }
  risk::v1::RiskDecision decision;
  absl::Status s = risk_->Call(proto, &decision,
                               {.request_id = proto.intent_id(),
                                .trace = trace,
                                .correlation_id = proto.intent_id(),
                                .event_time_ns = origin_ns});
  if (!s.ok()) {
    // Never decided again: the same intent (same id) goes again later.
    risk_unanswered_->Increment();
    telemetry::LogWarn("risk did not answer; the intent will be sent again",
                       {{"intent_id", proto.intent_id()}, {"error", s}});
    span->SetError(StrCat("risk did not answer: ", ToStd(s.message())));
    Hold(instance, std::move(proto), trace);
    return;
  }
  span->SetAttribute("approved", decision.approved());
  OnDecision(instance, proto, decision);
}

void SignalService::Hold(Instance& instance, signal::v1::OrderIntent proto,
                         const telemetry::SpanContext& cause) {
  // While risk is away the queue would grow with every event; holding orders
  // decided on a market that has long moved helps nobody. New orders beyond
  // the bound are dropped (they never left, so the strategy is told they are
  // done); cancels are always held, and there are at most as many as orders.
  bool is_cancel = !proto.cancel_client_order_id().empty();
  if (!is_cancel && pending_.size() >= config_.max_pending_intents()) {
    dropped_total_->Increment();
    instance.context->OrderDone(proto.client_order_id());
    telemetry::LogWarn("risk is not answering and the queue of held intents is full: order dropped",
                       {{"strategy", instance.config.id()},
                        {"client_order_id", proto.client_order_id()},
                        {"held", static_cast<uint64_t>(pending_.size())}});
    return;
  }
  pending_.push_back({instance.config.id(), std::move(proto), cause});
}

void SignalService::OnDecision(Instance& instance, const signal::v1::OrderIntent& proto,
                               const risk::v1::RiskDecision& decision) {
  if (decision.approved()) {
    ++instance.approved;
    approved_total_->Increment();
    return;
  }
  ++instance.refused;
  refused_total_->Increment();
  // A refused cancel leaves its order as it was; a refused order never left.
  if (proto.cancel_client_order_id().empty()) {
    instance.context->OrderDone(proto.client_order_id());
  }
  telemetry::LogInfo("intent refused", {{"strategy", instance.config.id()},
                                        {"client_order_id", proto.client_order_id()},
                                        {"cancel_client_order_id", proto.cancel_client_order_id()},
                                        {"code", ShortEnumName(decision.code())},
                                        {"reason", decision.reason()}});
}

void SignalService::RetryPending() {
  // Oldest first; the first that risk still does not answer stops the round
  // (and stays first), so intents reach risk in the order they were decided.
  while (!pending_.empty()) {
    const PendingIntent& p = pending_.front();
    risk::v1::RiskDecision decision;
    absl::Status s = risk_->Call(p.proto, &decision,
                                 {.request_id = p.proto.intent_id(),
                                  .trace = p.cause,
                                  .correlation_id = p.proto.intent_id(),
                                  .retries = 0});
    if (!s.ok()) return;  // risk is still away: try again on the next timer tick
    PendingIntent answered = std::move(pending_.front());
    pending_.pop_front();
    Instance* i = Find(answered.strategy_id);
    if (i != nullptr) OnDecision(*i, answered.proto, decision);
  }
}

admin::v1::StrategyInfo SignalService::Info(const Instance& i) const {
  admin::v1::StrategyInfo info;
  info.set_id(i.config.id());
  info.set_kind(std::string(i.strategy->kind()));
  info.set_enabled(i.enabled);
  info.set_state(StrCat(i.enabled ? "running" : "disabled", "; intents ", i.intents, ", approved ",
                        i.approved, ", refused ", i.refused));
  for (InstrumentIndex idx : i.strategy->instruments()) {
    risk::v1::Position* p = info.add_positions();
    instruments_.at(idx).id.ToProto(p->mutable_instrument());
    p->set_strategy_id(i.config.id());
    p->set_qty(i.context->position(idx).raw());
  }
  *info.mutable_last_intent() = i.last_intent;
  info.set_last_no_action_reason(i.last_no_action);
  return info;
}

grpc::Status SignalService::ListStrategies(grpc::ServerContext*,
                                           const admin::v1::ListStrategiesRequest*,
                                           admin::v1::ListStrategiesResponse* out) {
  absl::StatusOr<admin::v1::ListStrategiesResponse> r =
      runtime_.executor().Call<admin::v1::ListStrategiesResponse>(
          [this]() -> absl::StatusOr<admin::v1::ListStrategiesResponse> {
            admin::v1::ListStrategiesResponse resp;
            for (const auto& i : instances_) *resp.add_strategies() = Info(*i);
            return resp;
          });
  if (!r.ok()) return admin::ToGrpc(r.status());
  *out = std::move(*r);
  return grpc::Status::OK;
}

grpc::Status SignalService::SetStrategyEnabled(grpc::ServerContext* context,
                                               const admin::v1::SetStrategyEnabledRequest* request,
                                               admin::v1::StrategyInfo* out) {
  std::string actor = admin::CallerName(*context);
  if (request->reason().empty())
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "a reason is required");
  absl::StatusOr<admin::v1::StrategyInfo> r = runtime_.executor().Call<admin::v1::StrategyInfo>(
      [&]() -> absl::StatusOr<admin::v1::StrategyInfo> {
        Instance* i = Find(request->id());
        if (i == nullptr) return absl::NotFoundError(StrCat("no strategy '", request->id(), "'"));
        i->enabled = request->enabled();
        return Info(*i);
      });
  runtime_.audit().Record(
      {.actor = actor,
       .action = "SignalAdmin.SetStrategyEnabled",
       .target = request->id(),
       .reason = request->reason(),
       .details_json = StrCat(R"({"enabled":)", request->enabled() ? "true" : "false", "}"),
       .outcome = r.ok() ? "ok" : std::string(ToStd(r.status().message()))});
  if (!r.ok()) return admin::ToGrpc(r.status());
  *out = std::move(*r);
  return grpc::Status::OK;
}

void SignalService::FillStatus(admin::v1::ServiceStatus* status) {
  auto add = [&](std::string name, double v) {
    admin::v1::Counter* c = status->add_counters();
    c->set_name(std::move(name));
    c->set_value(v);
  };
  add("intents", intents_total_->Value());
  add("approved", approved_total_->Value());
  add("refused", refused_total_->Value());
  add("unanswered", risk_unanswered_->Value());
  add("dropped", dropped_total_->Value());
}

}  // namespace tradeplane::signal_service
