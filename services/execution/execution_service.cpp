#include "execution_service.h"

#include "tradeplane/admin/admin_server.h"
#include "tradeplane/core/clock.h"
#include "tradeplane/core/enum_names.h"
#include "tradeplane/core/port_plan.h"
#include "tradeplane/core/str_cat.h"
#include "tradeplane/telemetry/log.h"

#include "crash_hook.h"

namespace tradeplane::execution_service {
namespace {

namespace ov1 = orders::v1;

constexpr auto kVenueActivityPeriod = std::chrono::milliseconds(100);
constexpr auto kRecoveryRetryPeriod = std::chrono::milliseconds(200);

std::string Metric(std::string_view what) {
  return service::MetricName(ServiceId::kExecution, what);
}

}  // namespace

void ApplyDefaults(config::v1::ExecutionConfig* c) {
  int i = static_cast<int>(c->common().identity().instance());
  if (c->orders().endpoint().empty()) {
    c->mutable_orders()->set_endpoint(StrCat("tcp://*:", BusPort(ServiceId::kExecution, 0, i)));
  }
  if (c->publisher().endpoint().empty()) {
    c->mutable_publisher()->set_endpoint(StrCat("tcp://*:", BusPort(ServiceId::kExecution, 1, i)));
  }
  if (c->signer().socket().endpoint().empty()) {
    c->mutable_signer()->mutable_socket()->set_endpoint(
        StrCat("tcp://127.0.0.1:", BusPort(ServiceId::kSigner, 0)));
  }
  if (c->signer().timeout_ms() == 0) c->mutable_signer()->set_timeout_ms(2000);
  if (c->signer().retries() == 0) c->mutable_signer()->set_retries(1);
  if (c->market_data().endpoint().empty()) {
    c->mutable_market_data()->set_endpoint(
        StrCat("tcp://127.0.0.1:", BusPort(ServiceId::kMarketData, 0)));
  }
  config::v1::VenueConfig* v = c->mutable_venue();
  if (v->venue() == common::v1::VENUE_UNSPECIFIED) {
    v->set_venue(v->kind() == config::v1::VENUE_KIND_BINANCE ? common::v1::VENUE_BINANCE
                                                             : common::v1::VENUE_SIM);
  }
  if (v->rest_url().empty()) v->set_rest_url("https://api.binance.com");
  if (v->ws_url().empty()) v->set_ws_url("wss://stream.binance.com:9443");
  if (v->recv_window_ms() == 0) v->set_recv_window_ms(5000);
  if (v->timeout_ms() == 0) v->set_timeout_ms(5000);
  if (v->max_retries() == 0) v->set_max_retries(3);
  if (v->keepalive_interval_s() == 0) v->set_keepalive_interval_s(1800);
  if (v->reconnect_backoff_ms() == 0) v->set_reconnect_backoff_ms(250);
  if (v->max_reconnect_backoff_ms() == 0) v->set_max_reconnect_backoff_ms(30000);
  if (v->retry_backoff_ms() == 0) v->set_retry_backoff_ms(100);
  if (v->max_retry_wait_ms() == 0) v->set_max_retry_wait_ms(10000);
  if (c->approval_max_age_ms() == 0) c->set_approval_max_age_ms(5000);
  if (c->resync_interval_ms() == 0) c->set_resync_interval_ms(1000);
}

ExecutionService::ExecutionService(const config::v1::ExecutionConfig& config,
                                   service::ServiceRuntime& runtime)
    : config_(config), runtime_(runtime) {}

ExecutionService::~ExecutionService() {
  // The stream thread posts to the loop: stop it before anything it uses goes.
  if (binance_ != nullptr) binance_->StopUserStream();
}

absl::StatusOr<std::unique_ptr<ExecutionService>> ExecutionService::Create(
    const config::v1::ExecutionConfig& config, service::ServiceRuntime& runtime) {
  std::unique_ptr<ExecutionService> s(new ExecutionService(config, runtime));
  absl::Status started = s->Start();
  if (!started.ok()) return started;
  return s;
}

absl::Status ExecutionService::Start() {
  InitCrashHook();
  telemetry::MetricsRegistry& m = runtime_.metrics();
  refusals_not_approved_ =
      &m.GetCounter(Metric("approval_refusals_total"),
                    "New orders refused because their risk approval was missing, forged or old.");
  refusals_not_ready_ = &m.GetCounter(
      Metric("not_ready_refusals_total"),
      "New orders refused because execution was recovering or waiting for reconciliation.");
  tick_to_order_ = &m.GetHistogram(
      Metric("tick_to_order_seconds"),
      "From market-data's publish of the event that caused an order (the request's event "
      "time, carried by signal and risk) to the venue's acknowledgement; wall clock across "
      "processes.",
      telemetry::LatencyBucketsSeconds());
  if (config_.venue().kind() == config::v1::VENUE_KIND_UNSPECIFIED) {
    return absl::InvalidArgumentError("venue.kind is required: SIM (paper trading) or BINANCE");
  }
  if (config_.approval_key_file().empty()) {
    return absl::InvalidArgumentError("approval_key_file is required (shared with risk)");
  }
  absl::StatusOr<ApprovalKey> key = ApprovalKey::Load(config_.approval_key_file());
  if (!key.ok()) return key.status();
  approval_key_ = std::make_unique<ApprovalKey>(std::move(*key));
  if (runtime_.database() == nullptr) {
    return absl::InvalidArgumentError(
        "common.store.conninfo is required: every order is journaled before it is sent");
  }
  store_ = std::make_unique<store::ExecutionStore>(*runtime_.database());
  // Leading with an epoch: every journal write carries it, and the database
  // refuses it once a successor has won a newer one.
  store_->set_fencing_epoch(runtime_.leader_epoch());
  if (absl::Status s = LoadInstruments(); !s.ok()) return s;
  absl::StatusOr<std::unique_ptr<bus::Publisher>> pub =
      bus::Publisher::Create(runtime_.bus(), config_.publisher(), "exec-publisher");
  if (!pub.ok()) return pub.status();
  publisher_ = std::move(*pub);
  if (absl::Status s = CreateVenue(); !s.ok()) return s;
  const config::v1::VenueConfig& v = config_.venue();
  manager_ = std::make_unique<OrderManager>(
      instruments_, *venue_, *store_, *publisher_, runtime_.clock(), m,
      RetryPolicy{static_cast<int>(v.max_retries()),
                  std::chrono::milliseconds(v.retry_backoff_ms()),
                  std::chrono::milliseconds(v.max_retry_wait_ms())},
      runtime_.tracer());

  absl::StatusOr<std::unique_ptr<bus::ReplyServer>> server =
      bus::ReplyServer::Create(runtime_.bus(), config_.orders(), "orders");
  if (!server.ok()) return server.status();
  orders_socket_ = std::move(*server);
  orders_socket_->Handle<ov1::ExecutionRequest, ov1::ExecutionReply>(
      [this](const ov1::ExecutionRequest& r, const bus::RequestContext& ctx,
             ov1::ExecutionReply* reply) { return TracedRequest(r, ctx, reply); });
  runtime_.poller().Add(*orders_socket_);
  if (sim_ != nullptr) {
    if (absl::Status s = SubscribeMarketData(); !s.ok()) return s;
  }
  runtime_.poller().AddTimer(kVenueActivityPeriod, [this] { OnVenueActivity(); });
  runtime_.poller().AddTimer(kRecoveryRetryPeriod, [this] {
    if (!recovered_) TryRecover();
  });
  runtime_.poller().AddTimer(std::chrono::milliseconds(config_.resync_interval_ms()), [this] {
    if (recovered_) manager_->ResyncUnresolved();
    UpdateGate();
  });
  runtime_.OnDatabaseChange([this](bool) { UpdateGate(); });
  if (binance_ != nullptr) {
    // Before recovery, so nothing the venue reports meanwhile is missed.
    binance_->SetNotifier([this] {
      if (!notify_pending_.exchange(true)) {
        runtime_.executor().Post([this] {
          notify_pending_.store(false);
          OnVenueActivity();
        });
      }
    });
    binance_->StartUserStream();
  }
  // Recovery starts on the first timer tick: by then subscribers that were
  // connected to a previous incarnation have reconnected to the publisher, so
  // fills published during recovery reach them.
  UpdateGate();
  telemetry::LogInfo("execution serving",
                     {{"orders", orders_socket_->endpoint()},
                      {"publisher", publisher_->endpoint()},
                      {"venue", ShortEnumName(config_.venue().kind())},
                      {"instruments", static_cast<uint64_t>(instruments_.size())},
                      {"require_clean_reconciliation", config_.require_clean_reconciliation()}});
  return absl::OkStatus();
}

absl::Status ExecutionService::LoadInstruments() {
  if (config_.instruments().empty()) {
    return absl::InvalidArgumentError("instruments: execution trades nothing it is not given");
  }
  std::vector<InstrumentSpec> reference;
  if (config_.venue().kind() == config::v1::VENUE_KIND_BINANCE) {
    // The venue's own tick, lot and notional rules win over the config's.
    binance_venue::BinanceVenueOptions options;
    options.venue = config_.venue().venue();
    options.rest_url = config_.venue().rest_url();
    options.timeout = std::chrono::milliseconds(config_.venue().timeout_ms());
    options.tls.ca_file = config_.venue().ca_file();
    std::vector<std::string> symbols;
    for (const marketdata::v1::Instrument& i : config_.instruments()) {
      symbols.push_back(i.id().symbol());
    }
    absl::StatusOr<std::vector<InstrumentSpec>> fetched =
        binance_venue::BinanceVenue::FetchInstruments(options, symbols);
    if (!fetched.ok()) {
      return absl::UnavailableError(
          StrCat("instrument reference data (exchangeInfo): ", ToStd(fetched.status().message())));
    }
    reference = std::move(*fetched);
  }
  for (int n = 0; n < config_.instruments_size(); ++n) {
    const marketdata::v1::Instrument& proto = config_.instruments(n);
    std::string where = StrCat("instruments[", n, "]");
    if (config_.venue().kind() == config::v1::VENUE_KIND_BINANCE) {
      auto it = std::find_if(reference.begin(), reference.end(), [&](const InstrumentSpec& s) {
        return s.id.symbol == proto.id().symbol();
      });
      if (it == reference.end()) {
        return absl::InvalidArgumentError(
            StrCat(where, ": ", proto.id().symbol(), " is not listed by the venue's exchangeInfo"));
      }
      it->id.venue = proto.id().venue();
      absl::StatusOr<InstrumentIndex> added = instruments_.Add(*it);
      if (!added.ok())
        return absl::InvalidArgumentError(StrCat(where, ": ", ToStd(added.status().message())));
      continue;
    }
    absl::StatusOr<InstrumentSpec> spec = InstrumentSpec::FromProto(proto);
    if (!spec.ok())
      return absl::InvalidArgumentError(StrCat(where, ": ", ToStd(spec.status().message())));
    absl::StatusOr<InstrumentIndex> added = instruments_.Add(*spec);
    if (!added.ok())
      return absl::InvalidArgumentError(StrCat(where, ": ", ToStd(added.status().message())));
  }
  return absl::OkStatus();
}

absl::Status ExecutionService::CreateVenue() {
  const config::v1::VenueConfig& v = config_.venue();
  if (v.kind() == config::v1::VENUE_KIND_SIM) {
    execution::SimVenueConfig sim;
    sim.check_balances = v.sim_check_balances();
    for (const auto& [asset, amount] : v.sim_balances()) {
      sim.balances.emplace_back(asset, Amount::FromRaw(amount));
    }
    sim.fill_id_prefix = std::string(ShortEnumName(instruments_.at(0).id.venue));
    absl::StatusOr<std::unique_ptr<execution::SimVenue>> venue =
        execution::SimVenue::Create(instruments_, std::move(sim));
    if (!venue.ok()) return venue.status();
    sim_ = std::move(*venue);
    venue_ = sim_.get();
    return absl::OkStatus();
  }
  absl::StatusOr<std::unique_ptr<binance_venue::BusRequestSigner>> signer =
      binance_venue::BusRequestSigner::Create(runtime_.bus(), config_.signer(), v.key_id());
  if (!signer.ok()) return signer.status();
  signer_ = std::move(*signer);
  binance_venue::BinanceVenueOptions options;
  options.venue = v.venue();
  options.rest_url = v.rest_url();
  options.ws_url = v.ws_url();
  options.recv_window_ms = v.recv_window_ms();
  options.timeout = std::chrono::milliseconds(v.timeout_ms());
  options.keepalive_interval = std::chrono::seconds(v.keepalive_interval_s());
  options.reconnect_backoff = std::chrono::milliseconds(v.reconnect_backoff_ms());
  options.max_reconnect_backoff = std::chrono::milliseconds(v.max_reconnect_backoff_ms());
  options.tls.ca_file = v.ca_file();
  binance_ = std::make_unique<binance_venue::BinanceVenue>(instruments_, *signer_, runtime_.clock(),
                                                           std::move(options));
  venue_ = binance_.get();
  return absl::OkStatus();
}

absl::Status ExecutionService::SubscribeMarketData() {
  books_ = std::make_unique<marketdata::BookMirror>(instruments_, 32);
  absl::StatusOr<std::unique_ptr<bus::Subscriber>> sub =
      bus::Subscriber::Create(runtime_.bus(), "exec-market-data");
  if (!sub.ok()) return sub.status();
  market_data_ = std::move(*sub);
  bus::Subscriber& s = *market_data_;
  if (absl::Status c = s.Connect(config_.market_data()); !c.ok()) return c;
  for (const char* prefix : {"md.quote.", "md.trade.", "md.book."}) {
    if (absl::Status p = s.SubscribePrefix(prefix); !p.ok()) return p;
  }
  // Paper trading: the sim venue matches our orders against the market, and
  // what it fills comes back as updates.
  s.On<marketdata::v1::Quote>([this](const marketdata::v1::Quote& q, const bus::Delivery&) {
    absl::StatusOr<marketdata::Quote> quote = marketdata::QuoteFromProto(q, instruments_);
    if (quote.ok() && sim_->OnQuote(*quote).ok()) manager_->DrainVenueUpdates();
  });
  s.On<marketdata::v1::Trade>([this](const marketdata::v1::Trade& t, const bus::Delivery&) {
    absl::StatusOr<marketdata::Trade> trade = marketdata::TradeFromProto(t, instruments_);
    if (trade.ok() && sim_->OnTrade(*trade).ok()) manager_->DrainVenueUpdates();
  });
  s.On<marketdata::v1::BookSnapshot>([this](const marketdata::v1::BookSnapshot& b,
                                            const bus::Delivery&) {
    absl::StatusOr<InstrumentIndex> i = books_->OnSnapshot(b);
    if (i.ok() && sim_->OnBook(books_->View(*i, 32), matching::SnapshotDepth::kTruncated).ok()) {
      manager_->DrainVenueUpdates();
    }
  });
  s.On<marketdata::v1::BookDelta>([this](const marketdata::v1::BookDelta& d, const bus::Delivery&) {
    absl::StatusOr<InstrumentIndex> i = books_->OnDelta(d);
    if (i.ok() && sim_->OnBook(books_->View(*i, 32), matching::SnapshotDepth::kTruncated).ok()) {
      manager_->DrainVenueUpdates();
    }
  });
  runtime_.poller().Add(s);
  return absl::OkStatus();
}

void ExecutionService::TryRecover() {
  if (recovered_) return;
  if (!runtime_.database_ready()) {
    UpdateGate();
    return;
  }
  if (!journal_loaded_) {
    absl::Status loaded = manager_->LoadJournal();
    if (!loaded.ok()) {
      telemetry::LogError("cannot read the journal; retrying", {{"error", loaded}});
      UpdateGate();
      return;
    }
    journal_loaded_ = true;
  }
  recovered_ = manager_->RecoverOpenOrders();
  UpdateGate();
}

void ExecutionService::OnVenueActivity() {
  if (!journal_loaded_) return;  // recovery reads the venue first
  if (binance_ != nullptr) {
    for (const std::string& error : binance_->TakeStreamErrors()) {
      manager_->OnUnreadableVenueMessage(error);
    }
    if (binance_->TakeStreamGap()) manager_->OnStreamGap();
  }
  manager_->DrainVenueUpdates();
  UpdateGate();
}

void ExecutionService::UpdateGate() {
  std::string reason;
  if (!runtime_.database_ready()) {
    reason = "waiting for the database (the journal)";
  } else if (!recovered_) {
    reason = journal_loaded_ ? StrCat("recovering: ", manager_->unresolved_count(),
                                      " open orders not yet resolved with the venue")
                             : "recovering: reading the journal";
  } else if (config_.require_clean_reconciliation() && !reconciled_ && !overridden_) {
    reason =
        "waiting for a clean reconciliation run since this start (or "
        "ExecutionAdmin.OverrideStartGate)";
  }
  bool ready = reason.empty();
  if (ready != runtime_.ready() || !ready) runtime_.SetReady(ready, reason);
  std::lock_guard<std::mutex> lock(status_mu_);
  gate_ = ready ? "accepting orders" : reason;
  open_orders_ = manager_->open_order_count();
  unresolved_ = manager_->unresolved_count();
  anomalies_ = manager_->anomaly_count();
  if (binance_ != nullptr) {
    binance_venue::StreamStats stats = binance_->stream_stats();
    stream_connected_ = stats.connected;
    stream_connects_ = stats.connects;
  }
}

void ExecutionService::Refuse(ov1::ExecutionReply* reply, ov1::ExecutionRefusal code,
                              std::string reason) {
  reply->set_accepted(false);
  reply->set_refusal(code);
  reply->set_reason(std::move(reason));
}

absl::Status ExecutionService::TracedRequest(const ov1::ExecutionRequest& request,
                                             const bus::RequestContext& context,
                                             ov1::ExecutionReply* reply) {
  // The venue call (and so the signer's span) happens inside this span.
  const google::protobuf::FieldDescriptor* kind =
      ov1::ExecutionRequest::descriptor()->FindFieldByNumber(request.request_case());
  telemetry::ScopedSpan span(
      runtime_.StartSpan(StrCat("execution.", kind == nullptr ? "empty" : kind->name()),
                         context.trace, telemetry::SpanKind::kServer),
      context.trace);
  if (request.has_new_order()) {
    span->SetAttribute("client_order_id", request.new_order().client_order_id());
    span->SetAttribute("strategy", request.new_order().strategy_id());
  } else if (request.has_cancel()) {
    span->SetAttribute("client_order_id", request.cancel().client_order_id());
  }
  absl::Status s = OnRequest(request, context, reply);
  if (!s.ok()) {
    span->SetError(ToStd(s.message()));
  } else {
    span->SetAttribute("accepted", reply->accepted());
    span->SetAttribute("duplicate", reply->duplicate());
    if (!reply->order().venue_order_id().empty()) {
      span->SetAttribute("venue_order_id", reply->order().venue_order_id());
    }
    // A refusal is exported even when the trace is not sampled.
    if (!reply->accepted()) {
      span->SetError(StrCat(ShortEnumName(reply->refusal()), ": ", reply->reason()));
    }
  }
  return s;
}

absl::Status ExecutionService::OnRequest(const ov1::ExecutionRequest& request,
                                         const bus::RequestContext& context,
                                         ov1::ExecutionReply* reply) {
  switch (request.request_case()) {
    case ov1::ExecutionRequest::kNewOrder:
      OnNewOrder(request.new_order(), reply);
      if (reply->accepted() && !reply->duplicate() && context.header.event_time_ns() > 0) {
        int64_t now = SystemClock::Instance().Now().nanos();
        tick_to_order_->Observe(static_cast<double>(now - context.header.event_time_ns()) * 1e-9);
      }
      break;
    case ov1::ExecutionRequest::kCancel:
      manager_->Cancel(request.cancel(), reply);
      break;
    case ov1::ExecutionRequest::kCancelAll:
      manager_->CancelAll(request.cancel_all(), reply);
      break;
    case ov1::ExecutionRequest::kIngestFill:
    case ov1::ExecutionRequest::kCorrectStatus:
    case ov1::ExecutionRequest::kAdoptVenueOrderId:
      if (!journal_loaded_) {
        Refuse(reply, ov1::EXECUTION_REFUSAL_NOT_READY, "the journal is not loaded yet");
      } else if (request.has_ingest_fill()) {
        manager_->IngestFill(request.ingest_fill(), reply);
      } else if (request.has_correct_status()) {
        manager_->CorrectStatus(request.correct_status(), reply);
      } else {
        manager_->AdoptVenueOrder(request.adopt_venue_order_id(), reply);
      }
      break;
    case ov1::ExecutionRequest::kReconciliationClean:
      reconciled_ = true;
      telemetry::LogInfo("clean reconciliation run",
                         {{"run_id", request.reconciliation_clean().run_id()}});
      UpdateGate();
      reply->set_accepted(true);
      break;
    case ov1::ExecutionRequest::REQUEST_NOT_SET:
      Refuse(reply, ov1::EXECUTION_REFUSAL_INVALID_ORDER, "empty request");
      break;
  }
  UpdateGate();
  return absl::OkStatus();
}

void ExecutionService::OnNewOrder(const ov1::NewOrder& order, ov1::ExecutionReply* reply) {
  Timestamp now = runtime_.clock().Now();
  // The token first (any age): nothing but risk may place or even probe orders.
  if (absl::Status s = approval_key_->Verify(order, now, Duration::max()); !s.ok()) {
    refusals_not_approved_->Increment();
    telemetry::LogWarn("order without a valid risk approval refused",
                       {{"client_order_id", order.client_order_id()}, {"error", s}});
    (void)store_->AppendAnomaly("approval_refused", order.client_order_id(), ToStd(s.message()),
                                now.nanos());
    return Refuse(reply, ov1::EXECUTION_REFUSAL_NOT_APPROVED, std::string(ToStd(s.message())));
  }
  // A repeated request is answered from the journal, whatever the gate says.
  absl::StatusOr<std::optional<ov1::Order>> existing = manager_->Existing(order.client_order_id());
  if (!existing.ok()) {
    return Refuse(reply, ov1::EXECUTION_REFUSAL_STORE_UNAVAILABLE,
                  StrCat("the journal cannot be read: ", ToStd(existing.status().message())));
  }
  if (existing->has_value()) {
    reply->set_accepted(true);
    reply->set_duplicate(true);
    reply->set_reason("this client order id is already journaled: the existing order");
    *reply->mutable_order() = **existing;
    return;
  }
  UpdateGate();
  if (!runtime_.ready()) {
    refusals_not_ready_->Increment();
    std::lock_guard<std::mutex> lock(status_mu_);
    return Refuse(reply, ov1::EXECUTION_REFUSAL_NOT_READY, gate_);
  }
  if (absl::Status s = approval_key_->Verify(
          order, now, std::chrono::milliseconds(config_.approval_max_age_ms()));
      !s.ok()) {
    refusals_not_approved_->Increment();
    return Refuse(reply, ov1::EXECUTION_REFUSAL_NOT_APPROVED, std::string(ToStd(s.message())));
  }
  manager_->NewOrder(order, reply);
}

template <typename T>
static grpc::Status OnLoop(service::ServiceRuntime& runtime, std::function<absl::StatusOr<T>()> fn,
                           T* out) {
  absl::StatusOr<T> r = runtime.executor().Call<T>(std::move(fn), std::chrono::seconds(30));
  if (!r.ok()) return admin::ToGrpc(r.status());
  *out = std::move(*r);
  return grpc::Status::OK;
}

grpc::Status ExecutionService::ListOrders(grpc::ServerContext*,
                                          const admin::v1::ListOrdersRequest* request,
                                          admin::v1::ListOrdersResponse* out) {
  absl::StatusOr<std::vector<ov1::Order>> orders =
      store_->ListOrders(request->open_only(), request->limit());
  if (!orders.ok()) return admin::ToGrpc(orders.status());
  for (ov1::Order& o : *orders) *out->add_orders() = std::move(o);
  return grpc::Status::OK;
}

grpc::Status ExecutionService::Cancel(grpc::ServerContext* context,
                                      const admin::v1::CancelRequest* request,
                                      admin::v1::CancelResponse* out) {
  std::string actor = admin::CallerName(*context);
  if (request->reason().empty()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "a reason is required");
  }
  if (request->all() == !request->client_order_id().empty()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "name one client_order_id, or set all (not both)");
  }
  grpc::Status s = OnLoop<admin::v1::CancelResponse>(
      runtime_,
      [&]() -> absl::StatusOr<admin::v1::CancelResponse> {
        ov1::ExecutionReply reply;
        if (request->all()) {
          ov1::CancelAll all;
          all.set_reason(request->reason());
          all.set_requested_by(StrCat("admin:", actor));
          manager_->CancelAll(all, &reply);
        } else {
          ov1::CancelOrder one;
          one.set_client_order_id(request->client_order_id());
          one.set_reason(request->reason());
          one.set_requested_by(StrCat("admin:", actor));
          manager_->Cancel(one, &reply);
        }
        UpdateGate();
        if (!reply.accepted()) return absl::FailedPreconditionError(reply.reason());
        admin::v1::CancelResponse r;
        r.set_orders_canceled(reply.orders_canceled());
        return r;
      },
      out);
  runtime_.audit().Record({.actor = actor,
                           .action = "ExecutionAdmin.Cancel",
                           .target = request->all() ? "all" : request->client_order_id(),
                           .reason = request->reason(),
                           .outcome = s.ok() ? "ok" : s.error_message()});
  return s;
}

grpc::Status ExecutionService::ListFills(grpc::ServerContext*,
                                         const admin::v1::ListFillsRequest* request,
                                         admin::v1::ListFillsResponse* out) {
  absl::StatusOr<std::vector<ov1::Fill>> fills =
      store_->ListFills(request->since_ns(), request->limit());
  if (!fills.ok()) return admin::ToGrpc(fills.status());
  for (ov1::Fill& f : *fills) *out->add_fills() = std::move(f);
  return grpc::Status::OK;
}

grpc::Status ExecutionService::OverrideStartGate(grpc::ServerContext* context,
                                                 const admin::v1::OverrideRequest* request,
                                                 admin::v1::OverrideResponse* out) {
  std::string actor = admin::CallerName(*context);
  if (request->reason().empty()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "a reason is required");
  }
  grpc::Status s = OnLoop<admin::v1::OverrideResponse>(
      runtime_,
      [&]() -> absl::StatusOr<admin::v1::OverrideResponse> {
        // Recorded first: an override nobody can find afterwards is not allowed.
        absl::Status recorded =
            store_->RecordStartOverride(actor, request->reason(), runtime_.clock().Now().nanos());
        if (!recorded.ok()) return recorded;
        overridden_ = true;
        telemetry::LogWarn("start gate overridden",
                           {{"actor", actor}, {"reason", request->reason()}});
        UpdateGate();
        admin::v1::OverrideResponse r;
        r.set_accepting_orders(runtime_.ready());
        return r;
      },
      out);
  runtime_.audit().Record({.actor = actor,
                           .action = "ExecutionAdmin.OverrideStartGate",
                           .target = "start gate",
                           .reason = request->reason(),
                           .outcome = s.ok() ? "ok" : s.error_message()});
  return s;
}

void ExecutionService::FillStatus(admin::v1::ServiceStatus* status) {
  std::lock_guard<std::mutex> lock(status_mu_);
  auto add = [&](std::string name, double v) {
    admin::v1::Counter* c = status->add_counters();
    c->set_name(std::move(name));
    c->set_value(v);
  };
  add("open_orders", static_cast<double>(open_orders_));
  add("unresolved_orders", static_cast<double>(unresolved_));
  add("anomalies", static_cast<double>(anomalies_));
  (*status->mutable_details())["gate"] = gate_;
  (*status->mutable_details())["venue"] = std::string(ShortEnumName(config_.venue().kind()));
  if (binance_ != nullptr) {
    (*status->mutable_details())["user_stream"] = StrCat(
        stream_connected_ ? "connected" : "disconnected", ", ", stream_connects_, " connects");
  }
}

}  // namespace tradeplane::execution_service
