#include "venue_sim_service.h"

#include <algorithm>
#include <filesystem>
#include <map>

#include "tradeplane/core/port_plan.h"
#include "tradeplane/core/str_cat.h"
#include "tradeplane/telemetry/log.h"

#include "api_credential.h"
#include "replay_source.h"

namespace tradeplane::venue_sim {
namespace {

bool IsSymbolText(std::string_view s) {
  if (s.empty() || s.size() > 20) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_' || c == '.';
  });
}

// Counters the exchange keeps are copied into Prometheus counters by delta.
struct CounterMirror {
  telemetry::Counter* counter = nullptr;
  uint64_t seen = 0;
  void Update(uint64_t now) {
    if (now > seen) counter->Increment(static_cast<double>(now - seen));
    seen = now;
  }
};

CounterMirror g_accepted, g_rejected, g_fills, g_events, g_cancels;

}  // namespace

void ApplyDefaults(config::v1::VenueSimConfig* c) {
  int instance = static_cast<int>(c->common().identity().instance());
  // REST 7800, WebSocket 7801, control 7802 (+10 per instance), docs/ports.md.
  if (c->rest_port() == 0) c->set_rest_port(BusPort(ServiceId::kVenueSim, 0, instance));
  if (c->ws_port() == 0) c->set_ws_port(BusPort(ServiceId::kVenueSim, 1, instance));
  if (c->control_port() == 0) c->set_control_port(BusPort(ServiceId::kVenueSim, 2, instance));
  if (c->request_weight_per_minute() == 0) c->set_request_weight_per_minute(6000);
  if (c->listen_key_ttl_s() == 0) c->set_listen_key_ttl_s(3600);
  if (c->backend_timeout_ms() == 0) c->set_backend_timeout_ms(10'000);
  if (c->bind_address().empty()) c->set_bind_address("127.0.0.1");
}

VenueSimService::VenueSimService(const config::v1::VenueSimConfig& config,
                                 service::ServiceRuntime& runtime)
    : config_(config), runtime_(runtime) {}

VenueSimService::~VenueSimService() {
  if (control_server_ != nullptr) control_server_->Stop();
  if (rest_ != nullptr) rest_->set_stopping(true);
  if (sim_ != nullptr) {
    std::lock_guard<std::mutex> lock(sim_->mu());
    sim_->Interrupt();  // requests waiting on a freeze or a latency return
  }
  {
    std::lock_guard<std::mutex> lock(servers_mu_);
    if (rest_server_ != nullptr) rest_server_->Stop();
  }
  if (hub_ != nullptr) hub_->Stop();
}

absl::StatusOr<std::unique_ptr<VenueSimService>> VenueSimService::Create(
    const config::v1::VenueSimConfig& config, service::ServiceRuntime& runtime) {
  std::unique_ptr<VenueSimService> s(new VenueSimService(config, runtime));
  absl::Status started = s->Start();
  if (!started.ok()) return started;
  return s;
}

void VenueSimService::BadReplayInput(std::string_view where, std::string_view why) {
  bad_replay_input_->Increment();
  telemetry::LogWarn("replay input skipped", {{"where", where}, {"reason", why}});
}

absl::Status VenueSimService::Start() {
  telemetry::MetricsRegistry& m = runtime_.metrics();
  auto name = [](std::string_view what) { return service::MetricName(ServiceId::kVenueSim, what); };
  std::string bad_input = name("bad_input_total");
  bad_replay_input_ =
      &m.GetCounter(bad_input, "Input refused, by class (never a crash).", {{"kind", "replay"}});
  g_accepted.counter =
      &m.GetCounter(name("orders_total"), "Orders by outcome.", {{"result", "accepted"}});
  g_rejected.counter =
      &m.GetCounter(name("orders_total"), "Orders by outcome.", {{"result", "rejected"}});
  g_cancels.counter = &m.GetCounter(name("cancels_total"), "Orders canceled on request.");
  g_fills.counter = &m.GetCounter(name("fills_total"), "Executions of our orders.");
  g_events.counter = &m.GetCounter(name("replay_events_total"), "Market events replayed.");
  sim_time_ = &m.GetGauge(name("sim_time_seconds"), "The simulation's time (epoch seconds).");
  listen_keys_ = &m.GetGauge(name("listen_keys"), "Active user-data listen keys.");
  restarts_ = &m.GetCounter(name("restarts_total"), "Restarts injected on the control port.");

  // Instruments: symbols of this venue, whatever venue their id names.
  for (const marketdata::v1::Instrument& p : config_.instruments()) {
    marketdata::v1::Instrument copy = p;
    if (copy.id().venue() == common::v1::VENUE_UNSPECIFIED) {
      copy.mutable_id()->set_venue(common::v1::VENUE_SIM);
    }
    if (!IsSymbolText(copy.id().symbol())) {
      return absl::InvalidArgumentError(
          StrCat("instruments: symbol '", copy.id().symbol(),
                 "' is not a Binance symbol (1-20 of A-Z 0-9 - _ .)"));
    }
    if (FindSymbol(instruments_, copy.id().symbol())) {
      return absl::InvalidArgumentError(
          StrCat("instruments: symbol ", copy.id().symbol(), " is listed twice"));
    }
    absl::StatusOr<InstrumentSpec> spec = InstrumentSpec::FromProto(copy);
    if (!spec.ok()) {
      return absl::InvalidArgumentError(StrCat("instruments: ", ToStd(spec.status().message())));
    }
    if (spec->base_asset.empty() || spec->quote_asset.empty()) {
      return absl::InvalidArgumentError(
          StrCat("instruments: ", spec->id.symbol, " needs base_asset and quote_asset"));
    }
    absl::StatusOr<InstrumentIndex> added = instruments_.Add(*spec);
    if (!added.ok()) {
      return absl::InvalidArgumentError(StrCat("instruments: ", ToStd(added.status().message())));
    }
  }
  if (instruments_.size() == 0) return absl::InvalidArgumentError("instruments: none configured");

  Exchange::Options options;
  absl::StatusOr<matching::FeeBps> maker = matching::FeeBps::FromUnits(config_.maker_fee_bps());
  absl::StatusOr<matching::FeeBps> taker = matching::FeeBps::FromUnits(config_.taker_fee_bps());
  if (!maker.ok() || !taker.ok()) return absl::InvalidArgumentError("fees: out of range");
  options.fees = matching::FeeSchedule{*maker, *taker};
  if (absl::Status f = options.fees.Validate(); !f.ok()) {
    return absl::InvalidArgumentError(StrCat("maker_fee_bps/taker_fee_bps: ", ToStd(f.message())));
  }
  // Sorted: a protobuf map has no order, and account creation must be the same every run.
  std::map<std::string, int64_t> balances(config_.initial_balances().begin(),
                                          config_.initial_balances().end());
  for (const auto& [asset, raw] : balances) {
    if (raw < 0) {
      return absl::InvalidArgumentError(StrCat("initial_balances.", asset, ": negative"));
    }
    options.initial_balances.emplace_back(asset, Amount::FromRaw(raw));
  }

  std::vector<std::string> symbols;
  for (const InstrumentSpec& s : instruments_.specs()) symbols.push_back(s.id.symbol);
  StreamHub::Metrics hub_metrics;
  hub_metrics.frames = &m.GetCounter(name("stream_frames_total"), "Frames queued to clients.");
  hub_metrics.bad_messages =
      &m.GetCounter(bad_input, "Input refused, by class (never a crash).", {{"kind", "websocket"}});
  hub_metrics.refused = &m.GetCounter(bad_input, "Input refused, by class (never a crash).",
                                      {{"kind", "stream_path"}});
  hub_metrics.connections = &m.GetGauge(name("stream_connections"), "WebSocket connections open.");
  hub_ = std::make_unique<StreamHub>(std::move(symbols),
                                     std::chrono::seconds(config_.listen_key_ttl_s()), hub_metrics);

  absl::StatusOr<std::unique_ptr<Exchange>> exchange =
      Exchange::Create(instruments_, std::move(options), hub_.get());
  if (!exchange.ok()) return exchange.status();
  exchange_ = std::move(*exchange);

  // API keys, sorted so that account ids are the same every run.
  absl::flat_hash_map<std::string, ApiKeyEntry> keys;
  std::map<std::string, std::string> key_files(config_.api_keys().begin(),
                                               config_.api_keys().end());
  for (const auto& [key, file] : key_files) {
    std::filesystem::path path(file);
    if (path.is_relative() && !config_.api_key_dir().empty()) {
      path = std::filesystem::path(config_.api_key_dir()) / path;
    }
    absl::StatusOr<ApiCredential> credential = ApiCredential::Load(path.string());
    if (!credential.ok()) {
      return absl::InvalidArgumentError(
          StrCat("api_keys.", key.substr(0, 8), "...: ", ToStd(credential.status().message())));
    }
    keys[key] = ApiKeyEntry{std::make_shared<const ApiCredential>(std::move(*credential)),
                            exchange_->Account(key)};
  }

  // Replays: one pace for all of them (they share one timeline).
  std::vector<std::unique_ptr<ReplaySource>> sources;
  SimulationOptions sim_options;
  for (int k = 0; k < config_.replays_size(); ++k) {
    const config::v1::ReplayFeedConfig& r = config_.replays(k);
    double speed = r.speed() == config::v1::REPLAY_SPEED_REAL_TIME
                       ? (r.speed_multiplier() > 0 ? r.speed_multiplier() : 1.0)
                       : 0.0;
    if (k > 0 && speed != sim_options.speed) {
      return absl::InvalidArgumentError(
          StrCat("replays[", k,
                 "]: every replay must have the same speed (they share one "
                 "timeline)"));
    }
    sim_options.speed = speed;
    absl::StatusOr<std::unique_ptr<ReplaySource>> source = OpenReplaySource(r, instruments_);
    if (!source.ok()) {
      return absl::InvalidArgumentError(
          StrCat("replays[", k, "]: ", ToStd(source.status().message())));
    }
    sources.push_back(std::move(*source));
  }
  sim_options.latency = std::chrono::microseconds(config_.latency_us());
  sim_options.start_running = !config_.lockstep();
  sim_options.loop = config_.loop();
  sim_options.backend_timeout = std::chrono::milliseconds(config_.backend_timeout_ms());
  if (config_.sim_start_time_ns() != 0) {
    sim_options.origin = Timestamp::FromNanos(config_.sim_start_time_ns());
  } else if (!config_.lockstep()) {
    // Free-running: the timeline starts now, so event times look current.
    sim_options.origin = Timestamp::FromMillis(runtime_.clock().Now().millis());
  }
  sim_ = std::make_unique<Simulation>(
      *exchange_, sim_options,
      [this](std::string_view where, std::string_view why) { BadReplayInput(where, why); });
  sim_->Start(std::move(sources));

  RestOptions rest_options;
  rest_options.weight_limit_per_minute = static_cast<int>(config_.request_weight_per_minute());
  rest_options.fixed_server_time_ms = config_.fixed_server_time_ms();
  rest_ = std::make_unique<RestApi>(*sim_, *hub_, faults_, std::move(keys), rest_options, m);
  ControlApi::Hooks hooks;
  hooks.restart = [this] { return Restart(); };
  hooks.lockstep = config_.lockstep();
  control_ = std::make_unique<ControlApi>(*sim_, *hub_, faults_, std::move(hooks));

  net::WebSocketServerOptions ws;
  ws.bind_address = config_.bind_address();
  ws.port = static_cast<uint16_t>(config_.ws_port());
  absl::Status s = hub_->Start(ws);
  if (!s.ok()) return s;
  s = StartRest();
  if (!s.ok()) return s;
  net::HttpServerOptions control;
  control.bind_address = config_.bind_address();
  control.port = static_cast<uint16_t>(config_.control_port());
  absl::StatusOr<std::unique_ptr<net::HttpServer>> control_server = net::HttpServer::Start(
      control, [this](const net::HttpRequest& r) { return control_->Handle(r); });
  if (!control_server.ok()) return control_server.status();
  control_server_ = std::move(*control_server);

  runtime_.poller().AddWork([this] { return sim_->RunSlice(); });
  runtime_.poller().AddTimer(std::chrono::seconds(1), [this] {
    hub_->ExpireListenKeys(/*all=*/false);
    RefreshGauges();
  });
  telemetry::LogInfo("venue simulator serving",
                     {{"rest_port", static_cast<int>(config_.rest_port())},
                      {"ws_port", static_cast<int>(hub_->port())},
                      {"control_port", static_cast<int>(control_server_->port())},
                      {"instruments", static_cast<int>(instruments_.size())},
                      {"replays", config_.replays_size()},
                      {"lockstep", config_.lockstep()}});
  runtime_.SetReady(true);
  return absl::OkStatus();
}

absl::Status VenueSimService::StartRest() {
  net::HttpServerOptions rest;
  rest.bind_address = config_.bind_address();
  rest.port = static_cast<uint16_t>(config_.rest_port());
  // Binance refuses large bodies; ours are a few parameters.
  rest.max_body_bytes = 64 * 1024;
  absl::StatusOr<std::unique_ptr<net::HttpServer>> server =
      net::HttpServer::Start(rest, [this](const net::HttpRequest& r) { return rest_->Handle(r); });
  if (!server.ok()) return server.status();
  std::lock_guard<std::mutex> lock(servers_mu_);
  rest_server_ = std::move(*server);
  return absl::OkStatus();
}

absl::Status VenueSimService::Restart() {
  restarts_->Increment();
  telemetry::LogInfo("restart injected: dropping every connection and listen key");
  rest_->set_stopping(true);
  {
    std::lock_guard<std::mutex> lock(sim_->mu());
    sim_->Interrupt();
  }
  std::unique_ptr<net::HttpServer> old;
  {
    std::lock_guard<std::mutex> lock(servers_mu_);
    old = std::move(rest_server_);
  }
  if (old != nullptr) old->Stop();
  old.reset();
  hub_->Stop();
  hub_->ForgetListenKeys();
  rest_->set_stopping(false);
  net::WebSocketServerOptions ws;
  ws.bind_address = config_.bind_address();
  ws.port = static_cast<uint16_t>(config_.ws_port());
  absl::Status s = hub_->Start(ws);
  if (!s.ok()) return s;
  return StartRest();
}

void VenueSimService::RefreshGauges() {
  std::lock_guard<std::mutex> lock(sim_->mu());
  const ExchangeCounters& c = exchange_->counters();
  g_accepted.Update(c.orders_accepted);
  g_rejected.Update(c.orders_rejected);
  g_cancels.Update(c.cancels);
  g_fills.Update(c.fills);
  ReplayPosition p = sim_->Position();
  g_events.Update(p.delivered);
  sim_time_->Set(static_cast<double>(p.now.nanos()) / 1e9);
  listen_keys_->Set(static_cast<double>(hub_->stats().listen_keys));
}

void VenueSimService::FillStatus(admin::v1::ServiceStatus* status) {
  std::lock_guard<std::mutex> lock(sim_->mu());
  ReplayPosition p = sim_->Position();
  const ExchangeCounters& c = exchange_->counters();
  StreamHub::Stats st = hub_->stats();
  auto& d = *status->mutable_details();
  d["replay"] = StrCat(p.delivered, " events, pass ", p.pass,
                       p.finished  ? " (finished)"
                       : p.running ? " (running)"
                                   : " (paused)",
                       p.frozen ? ", frozen" : "");
  d["sim_time"] = FormatRfc3339(p.now);
  d["orders"] = StrCat(c.orders_accepted, " accepted, ", c.orders_rejected, " rejected, ",
                       c.cancels, " canceled");
  d["fills"] = StrCat(c.fills);
  d["streams"] = StrCat(st.connections, " connections, ", st.market_subscriptions, " market and ",
                        st.user_subscriptions, " user-data subscriptions");
  d["ports"] = StrCat("rest ", config_.rest_port(), ", ws ", config_.ws_port(), ", control ",
                      config_.control_port());
  auto add = [&](std::string_view n, double v) {
    admin::v1::Counter* counter = status->add_counters();
    counter->set_name(std::string(n));
    counter->set_value(v);
  };
  add("orders_accepted", static_cast<double>(c.orders_accepted));
  add("fills", static_cast<double>(c.fills));
  add("replay_events", static_cast<double>(p.delivered));
  add("stream_connections", static_cast<double>(st.connections));
}

}  // namespace tradeplane::venue_sim
