#include "signal_harness.h"

#include <csignal>
#include <utility>

#include <catch2/catch.hpp>

#include "tradeplane/admin/admin_client.h"
#include "tradeplane/admin/v1/admin.grpc.pb.h"
#include "tradeplane/core/fixed_point.h"
#include "tradeplane/marketdata/v1/marketdata.pb.h"
#include "tradeplane/orders/v1/orders.pb.h"
#include "tradeplane/testing/wait.h"

namespace tradeplane::testing {
namespace {

constexpr char kAdminToken[] = "ops:0123456789abcdef0123";

int64_t Raw(const std::string& decimal) {
  absl::StatusOr<int64_t> raw = fixed_point::ParseRaw(decimal);
  REQUIRE(raw.ok());
  return *raw;
}

common::v1::InstrumentId Instrument() {
  common::v1::InstrumentId id;
  id.set_venue(common::v1::VENUE_SIM);
  id.set_symbol(kSymbol);
  return id;
}

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::unique_ptr<bus::BusContext> Bus(const std::string& service) {
  return std::make_unique<bus::BusContext>(bus::BusIdentity{service, 0, 0}, config::v1::BusConfig(),
                                           nullptr);
}

}  // namespace

SignalHarness::SignalHarness(std::string strategies_yaml, int risk_timeout_ms)
    : strategies_yaml_(std::move(strategies_yaml)),
      risk_timeout_ms_(risk_timeout_ms),
      admin_port_(FreeTcpPort()),
      config_file_(dir_.File("signal.yaml")) {
  WriteFile(dir_.File("tokens"), std::string(kAdminToken) + "\n");
  md_bus_ = Bus("market-data");
  exec_bus_ = Bus("execution");
  risk_bus_ = Bus("risk");

  config::v1::SocketConfig md;
  md.set_endpoint(dir_.Ipc("md"));
  auto md_pub = bus::Publisher::Create(*md_bus_, md, "md");
  REQUIRE(md_pub.ok());
  md_ = std::move(*md_pub);
  config::v1::SocketConfig exec;
  exec.set_endpoint(dir_.Ipc("exec"));
  auto exec_pub = bus::Publisher::Create(*exec_bus_, exec, "exec");
  REQUIRE(exec_pub.ok());
  exec_ = std::move(*exec_pub);
  config::v1::SocketConfig risk;
  risk.set_endpoint(dir_.Ipc("risk"));
  auto server = bus::ReplyServer::Create(*risk_bus_, risk, "intents");
  REQUIRE(server.ok());
  risk_ = std::move(*server);
  risk_->Handle<signal::v1::OrderIntent, risk::v1::RiskDecision>(
      [this](const signal::v1::OrderIntent& intent, const bus::RequestContext& context,
             risk::v1::RiskDecision* decision) { return AnswerIntent(intent, context, decision); });

  // The service binds sig.*; ipc connects succeed before the path exists.
  auto sub = bus::Subscriber::Create(*md_bus_, "sig");
  REQUIRE(sub.ok());
  sig_ = std::move(*sub);
  config::v1::SocketConfig sig;
  sig.set_endpoint(dir_.Ipc("sig"));
  REQUIRE(sig_->Connect(sig).ok());
  REQUIRE(sig_->SubscribePrefix("sig.").ok());
  sig_->On<signal::v1::SignalEvent>(
      [this](const signal::v1::SignalEvent& event, const bus::Delivery& delivery) {
        signals_.push_back({std::string(delivery.topic), event});
      });

  auto channel = admin::MakeAdminChannel(
      {.target = "127.0.0.1:" + std::to_string(admin_port_), .token = kAdminToken});
  REQUIRE(channel.ok());
  channel_ = *channel;
  risk_thread_ = std::thread([this] { RunRisk(); });
}

SignalHarness::~SignalHarness() {
  if (process_ != nullptr) {
    process_->Signal(SIGKILL);
    process_->Wait(std::chrono::seconds(10));
  }
  {
    std::lock_guard<std::mutex> lock(risk_mu_);
    risk_stop_ = true;
  }
  risk_cv_.notify_all();
  risk_thread_.join();
  sig_.reset();
  risk_.reset();
  exec_.reset();
  md_.reset();
}

void SignalHarness::Start() {
  std::string yaml =
      "common:\n"
      "  admin: {port: " +
      std::to_string(admin_port_) +
      ", token_file: tokens}\n"
      "  telemetry: {metrics_port: -1, log_file: signal.log}\n"
      "market_data: {endpoint: '" +
      dir_.Ipc("md") +
      "'}\n"
      "executions: {endpoint: '" +
      dir_.Ipc("exec") +
      "'}\n"
      "risk: {socket: {endpoint: '" +
      dir_.Ipc("risk") + "'}, timeout_ms: " + std::to_string(risk_timeout_ms_) +
      ", retries: 1}\n"
      "publisher: {endpoint: '" +
      dir_.Ipc("sig") +
      "'}\n"
      "instruments:\n"
      "  - {id: {venue: SIM, symbol: NKNUSDT}, base_asset: NKN, quote_asset: USDT,\n"
      "     tick_size: '0.00001', lot_size: '0.1', min_notional: '5'}\n" +
      strategies_yaml_;
  WriteFile(config_file_, yaml);
  Subprocess::Options options;
  options.output_file = dir_.File("stderr.txt");
  auto p = Subprocess::Start({BinaryPath("tradeplane-signal"), "--config", config_file_}, options);
  REQUIRE(p.ok());
  process_ = std::move(*p);
}

void SignalHarness::StartAndWaitLive() {
  Start();
  bool ready = WaitFor(
      [&] {
        REQUIRE(process_->Running());
        return admin::ServiceSaysReady({.target = "127.0.0.1:" + std::to_string(admin_port_),
                                        .token = kAdminToken,
                                        .timeout_ms = 2000});
      },
      std::chrono::seconds(30));
  INFO(Log());
  REQUIRE(ready);
  WaitLive();
}

void SignalHarness::WaitLive() {
  size_t before = signals_.size();
  int step = 0;
  bool live = WaitFor(
      [&] {
        // bid above ask by a growing amount: a new "crossed book" note each time.
        std::string bid = "0.35" + std::to_string(200 + step++ % 700);
        PublishQuote(bid, "0.35100");
        for (size_t k = before; k < signals_.size(); ++k) {
          if (signals_[k].event.no_action_reason().find("crossed book") != std::string::npos) {
            return true;
          }
        }
        return false;
      },
      std::chrono::seconds(30));
  INFO(Log());
  REQUIRE(live);
}

std::string SignalHarness::Log() const {
  return ReadFile(dir_.File("stderr.txt")) + ReadFile(dir_.File("signal.log"));
}

telemetry::SpanContext SignalHarness::PublishQuote(const std::string& bid, const std::string& ask,
                                                   const std::string& qty,
                                                   std::chrono::nanoseconds age) {
  marketdata::v1::Quote q;
  *q.mutable_instrument() = Instrument();
  q.set_bid_price(Raw(bid));
  q.set_bid_qty(Raw(qty));
  q.set_ask_price(Raw(ask));
  q.set_ask_qty(Raw(qty));
  int64_t now = NowNs();
  q.set_exchange_time_ns(now - age.count());
  q.set_receive_time_ns(now);
  telemetry::SpanContext trace;
  ++trace_counter_;
  trace.trace_id[0] = 0x5e;
  trace.trace_id[15] = static_cast<uint8_t>(trace_counter_);
  trace.trace_id[14] = static_cast<uint8_t>(trace_counter_ >> 8);
  trace.span_id[0] = 0x11;
  trace.span_id[7] = static_cast<uint8_t>(trace_counter_);
  trace.flags = 1;
  REQUIRE(md_->Publish(std::string("md.quote.SIM.") + kSymbol, q,
                       {.event_time_ns = q.exchange_time_ns(), .trace = trace})
              .ok());
  return trace;
}

void SignalHarness::PublishBook(const std::string& bid, const std::string& ask,
                                const std::string& qty, std::chrono::nanoseconds age) {
  marketdata::v1::BookSnapshot s;
  *s.mutable_instrument() = Instrument();
  marketdata::v1::BookLevel* b = s.add_bids();
  b->set_price(Raw(bid));
  b->set_qty(Raw(qty));
  marketdata::v1::BookLevel* a = s.add_asks();
  a->set_price(Raw(ask));
  a->set_qty(Raw(qty));
  s.set_book_sequence(++book_sequence_);
  s.set_exchange_time_ns(NowNs() - age.count());
  REQUIRE(md_->Publish(std::string("md.book.SIM.") + kSymbol, s).ok());
}

void SignalHarness::PublishFill(const std::string& fill_id, const std::string& strategy_id,
                                const std::string& client_order_id, common::v1::Side side,
                                const std::string& price, const std::string& qty) {
  orders::v1::Fill f;
  f.set_fill_id(fill_id);
  f.set_client_order_id(client_order_id);
  f.set_strategy_id(strategy_id);
  *f.mutable_instrument() = Instrument();
  f.set_side(side);
  f.set_price(Raw(price));
  f.set_qty(Raw(qty));
  f.set_liquidity(orders::v1::LIQUIDITY_MAKER);
  f.set_exchange_time_ns(NowNs());
  REQUIRE(exec_->Publish(std::string("exec.fill.SIM.") + kSymbol, f).ok());
}

absl::Status SignalHarness::AnswerIntent(const signal::v1::OrderIntent& intent,
                                         const bus::RequestContext& context,
                                         risk::v1::RiskDecision* decision) {
  risk_intents_.push_back({intent, std::string(context.request_id), context.trace});
  decision->set_decision_id("decision-" + std::to_string(risk_intents_.size()));
  decision->set_intent_id(intent.intent_id());
  decision->set_client_order_id(intent.client_order_id());
  decision->set_strategy_id(intent.strategy_id());
  *decision->mutable_instrument() = intent.instrument();
  decision->set_decided_ns(NowNs());
  if (risk_mode_ == RiskMode::kRefuse) {
    decision->set_approved(false);
    decision->set_code(risk::v1::REFUSAL_CODE_MAX_POSITION);
    decision->set_reason("the position would exceed the test's limit");
  } else {
    decision->set_approved(true);
  }
  return absl::OkStatus();
}

void SignalHarness::RunRisk() {
  std::unique_lock<std::mutex> lock(risk_mu_);
  while (!risk_stop_) {
    if (risk_mode_ == RiskMode::kSilent) {
      // Requests stay queued in the socket until risk speaks again.
      risk_cv_.wait_for(lock, std::chrono::milliseconds(20));
      continue;
    }
    risk_->Poll();
    lock.unlock();
    risk_->WaitReadable(std::chrono::milliseconds(20));
    lock.lock();
  }
}

void SignalHarness::set_risk_mode(RiskMode mode) {
  {
    std::lock_guard<std::mutex> lock(risk_mu_);
    risk_mode_ = mode;
  }
  risk_cv_.notify_all();
}

std::vector<SignalHarness::SeenIntent> SignalHarness::risk_intents() const {
  std::lock_guard<std::mutex> lock(risk_mu_);
  return risk_intents_;
}

std::vector<SignalHarness::SeenIntent> SignalHarness::RiskIntentsOf(
    const std::string& strategy_id) const {
  std::vector<SeenIntent> out;
  for (const SeenIntent& seen : risk_intents()) {
    if (seen.intent.strategy_id() == strategy_id) out.push_back(seen);
  }
  return out;
}

uint64_t SignalHarness::risk_duplicates() const {
  std::lock_guard<std::mutex> lock(risk_mu_);
  return risk_->stats().duplicate_requests();
}

void SignalHarness::Pump() { sig_->Poll(); }

bool SignalHarness::WaitFor(const std::function<bool()>& condition,
                            std::chrono::milliseconds timeout) {
  return WaitUntil(
      [&] {
        Pump();
        return condition();
      },
      timeout);
}

void SignalHarness::PrepareContext(grpc::ClientContext* context) const {
  admin::PrepareContext(context, {.target = "127.0.0.1:" + std::to_string(admin_port_),
                                  .token = kAdminToken,
                                  .timeout_ms = 10000});
}

admin::v1::ListStrategiesResponse SignalHarness::ListStrategies() {
  grpc::ClientContext context;
  PrepareContext(&context);
  admin::v1::ListStrategiesResponse out;
  grpc::Status s = admin::v1::SignalAdmin::NewStub(channel_)->ListStrategies(
      &context, admin::v1::ListStrategiesRequest(), &out);
  INFO(s.error_message());
  REQUIRE(s.ok());
  return out;
}

const admin::v1::StrategyInfo* SignalHarness::FindStrategy(
    const admin::v1::ListStrategiesResponse& list, const std::string& id) const {
  for (const admin::v1::StrategyInfo& info : list.strategies()) {
    if (info.id() == id) return &info;
  }
  return nullptr;
}

grpc::Status SignalHarness::SetEnabled(const std::string& id, bool enabled,
                                       const std::string& reason, admin::v1::StrategyInfo* out) {
  grpc::ClientContext context;
  PrepareContext(&context);
  admin::v1::SetStrategyEnabledRequest request;
  request.set_id(id);
  request.set_enabled(enabled);
  request.set_reason(reason);
  admin::v1::StrategyInfo info;
  grpc::Status s =
      admin::v1::SignalAdmin::NewStub(channel_)->SetStrategyEnabled(&context, request, &info);
  if (out != nullptr) *out = info;
  return s;
}

double SignalHarness::StatusCounter(const std::string& name) {
  grpc::ClientContext context;
  PrepareContext(&context);
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
  admin::v1::ServiceStatus status;
  if (!admin::v1::Admin::NewStub(channel_)
           ->GetStatus(&context, admin::v1::GetStatusRequest(), &status)
           .ok()) {
    return -1;
  }
  for (const admin::v1::Counter& c : status.counters()) {
    if (c.name() == name) return c.value();
  }
  return -1;
}

}  // namespace tradeplane::testing
