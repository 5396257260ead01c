// risk_service_bench: the latency tradeplane-risk adds between an order
// intent received and the order forwarded (and the decision returned), as a
// real process on a real PostgreSQL, beside a bare ZeroMQ relay with the same
// hops and message sizes measured in the same run.
//
// The bench plays the three neighbours of risk: signal (a REQ sending
// intents), execution (a REP that acknowledges every order at once) and
// market data (a PUB of fresh quotes, so intents are approvable, and of
// CANCELED reports, so open orders never pile up against the limits). The
// baseline replaces risk with a relay process (REP in, REQ out) forwarding
// the very bytes risk produced. Service and relay run in alternating blocks
// so that load from other processes on the machine hits both alike.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>
#include <zmq.hpp>

#include "tradeplane/admin/admin_client.h"
#include "tradeplane/admin/v1/services.grpc.pb.h"
#include "tradeplane/bench/bench_failure.h"
#include "tradeplane/bench/bench_flags.h"
#include "tradeplane/bench/latency_samples.h"
#include "tradeplane/bench/paired_summary.h"
#include "tradeplane/bench/self_path.h"
#include "tradeplane/bus/context.h"
#include "tradeplane/bus/envelope.h"
#include "tradeplane/bus/publisher.h"
#include "tradeplane/core/approval.h"
#include "tradeplane/core/clock.h"
#include "tradeplane/core/ids.h"
#include "tradeplane/marketdata/v1/marketdata.pb.h"
#include "tradeplane/orders/v1/orders.pb.h"
#include "tradeplane/risk/v1/risk.pb.h"
#include "tradeplane/signal/v1/signal.pb.h"
#include "tradeplane/testing/pg_cluster.h"
#include "tradeplane/testing/subprocess.h"
#include "tradeplane/testing/temp_dir.h"
#include "tradeplane/testing/wait.h"

#include "raw_relay.h"

namespace tradeplane::bench {
namespace {

namespace ov1 = orders::v1;
using testing::Subprocess;
using testing::TempDir;

constexpr char kAdminToken[] = "bench:0123456789abcdef0123";
constexpr char kApprovalKeyHex[] =
    "5d1c0b9a8f7e6d5c4b3a29180f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c";
constexpr int64_t kScale = 1'000'000'000;  // the suite's fixed point
constexpr int kReplyTimeoutMs = 5000;

constexpr char kUsage[] =
    "usage: risk_service_bench [--intents=N]\n"
    "  --intents=N   intents measured for the service and for the relay each, at least 100\n"
    "                (default 10000; also --intents N)\n"
    "  --benchmark_* accepted and ignored (scripts/bench.sh passes them)\n";

struct Options {
  int intents = 10000;  // measured per side
  int warmup = 300;
  int block = 250;
  bool help = false;
};

Options ParseOptions(int argc, char** argv) {
  Options o;
  std::string error;
  if (!ParseBenchFlags(argc, argv, {PositiveIntFlag("--intents", &o.intents)}, &o.help, &error)) {
    Fail(error + "\n" + kUsage);
  }
  if (o.intents < 100) Fail("--intents must be at least 100");
  return o;
}

common::v1::InstrumentId Amzn() {
  common::v1::InstrumentId id;
  id.set_venue(common::v1::VENUE_NASDAQ);
  id.set_symbol("AMZN");
  return id;
}

std::string RiskYaml(const TempDir& dir, const std::string& conninfo, int admin_port) {
  return "common:\n"
         "  admin: {port: " +
         std::to_string(admin_port) +
         ", token_file: tokens}\n"
         "  telemetry: {metrics_port: -1, log_file: risk.log, log_level: info}\n"
         "  store: {conninfo: '" +
         conninfo +
         "', pool_size: 2}\n"
         "intents: {endpoint: '" +
         dir.Ipc("intents") +
         "'}\n"
         "publisher: {endpoint: '" +
         dir.Ipc("risk-pub") +
         "'}\n"
         "execution: {socket: {endpoint: '" +
         dir.Ipc("orders") +
         "'}, timeout_ms: 5000, retries: 1}\n"
         "subscriptions:\n"
         "  - {endpoint: '" +
         dir.Ipc("md") +
         "'}\n"
         "approval_key_file: approval.key\n"
         // Limits wide enough that every intent of the bench is approved
         // after the full check (collar, sizes, rates, exposure).
         "limits:\n"
         "  valuation_currency: USD\n"
         "  conversion_rates: {USD: '1'}\n"
         "  starting_equity: '100000000'\n"
         "  max_gross_exposure: '50000000'\n"
         "  max_net_exposure: '50000000'\n"
         "  max_open_orders: 100000\n"
         "  breakers: {daily_loss_limit: '1000000', max_drawdown: '1000000', "
         "max_reject_ratio: 0.9, reject_window_s: 60}\n"
         "  instruments:\n"
         "    - {instrument: {venue: NASDAQ, symbol: AMZN}, enabled: true, tick_size: '0.01', "
         "lot_size: '1', min_qty: '1', max_qty: '1000', max_notional: '1000000', collar_bps: 100, "
         "reference_price: MID, max_position: '100000', max_concentration: 1, "
         "max_orders_per_second: 1000000, order_burst: 1000000, max_cancels_per_second: 1000000, "
         "stale_after_ms: 5000, quote_currency: USD}\n"
         "  strategies:\n"
         "    - {strategy_id: bench, enabled: true, max_open_orders: 100000, "
         "max_orders_per_second: 1000000, order_burst: 1000000}\n";
}

// The intents, encoded once before any timing: each has its own intent id
// and client order id (risk remembers decisions by intent id).
std::vector<std::string> MakeIntents(int count, std::vector<std::string>* client_order_ids) {
  SystemRandom random;
  UuidV7Generator ids(SystemClock::Instance(), random);
  std::vector<std::string> out;
  out.reserve(static_cast<size_t>(count));
  bus::v1::Header header;
  header.set_message_type(signal::v1::OrderIntent::descriptor()->full_name());
  header.set_schema_version(bus::kEnvelopeSchemaVersion);
  header.set_source_service("signal");
  header.set_incarnation(random.Next() | 1);
  for (int i = 0; i < count; ++i) {
    signal::v1::OrderIntent intent;
    intent.set_intent_id(ids.Next());
    intent.set_client_order_id(ids.Next());
    intent.set_strategy_id("bench");
    *intent.mutable_instrument() = Amzn();
    bool buy = i % 2 == 0;
    intent.set_side(buy ? common::v1::SIDE_BUY : common::v1::SIDE_SELL);
    intent.set_order_type(ov1::ORDER_TYPE_LIMIT);
    intent.set_time_in_force(ov1::TIME_IN_FORCE_GTC);
    intent.set_qty(1 * kScale);
    intent.set_price(buy ? 9999 * kScale / 100 : 10001 * kScale / 100);
    intent.set_reason(buy ? "quote bid 99.99 x 1 (mid 100.000, inventory 0 of max 10)"
                          : "quote ask 100.01 x 1 (mid 100.000, inventory 0 of max 10)");
    intent.set_confidence(0.5);
    int64_t now = SystemClock::Instance().Now().nanos();
    intent.set_created_ns(now);
    header.set_request_id(intent.intent_id());
    header.set_correlation_id(intent.intent_id());
    header.set_event_time_ns(now);
    header.set_publish_time_ns(now);
    std::string bytes;
    bus::EncodeEnvelope(header, intent, &bytes);
    out.push_back(std::move(bytes));
    client_order_ids->push_back(intent.client_order_id());
  }
  return out;
}

// Execution's side: acknowledges each order at once, with the order as it
// stands, as the execution service does.
class OrderAcker {
 public:
  OrderAcker() {
    header_.set_message_type(ov1::ExecutionReply::descriptor()->full_name());
    header_.set_schema_version(bus::kEnvelopeSchemaVersion);
    header_.set_source_service("execution");
    header_.set_incarnation(7);
  }

  // Receives one request on `rep` and answers it.
  void Answer(zmq::socket_t& rep) {
    if (!rep.recv(request_, zmq::recv_flags::none)) Fail("execution socket: receive failed");
    std::string_view bytes(static_cast<const char*>(request_.data()), request_.size());
    std::string_view payload;
    absl::Status decoded = bus::DecodeEnvelope(bytes, &request_header_, &payload);
    if (!decoded.ok()) Fail("execution socket: bad envelope: " + std::string(decoded.message()));
    if (!req_.ParseFromArray(payload.data(), static_cast<int>(payload.size())) ||
        !req_.has_new_order()) {
      Fail("execution socket: expected a NewOrder request");
    }
    if (capture_ != nullptr) {
      capture_->assign(bytes);
      last_order_ = req_.new_order();
    }
    const ov1::NewOrder& o = req_.new_order();
    reply_.Clear();
    reply_.set_accepted(true);
    ov1::Order* order = reply_.mutable_order();
    order->set_client_order_id(o.client_order_id());
    order->set_strategy_id(o.strategy_id());
    *order->mutable_instrument() = o.instrument();
    order->set_side(o.side());
    order->set_order_type(o.order_type());
    order->set_time_in_force(o.time_in_force());
    order->set_qty(o.qty());
    order->set_price(o.price());
    order->set_status(ov1::ORDER_STATUS_PENDING_NEW);
    int64_t now = SystemClock::Instance().Now().nanos();
    order->set_created_ns(now);
    order->set_updated_ns(now);
    header_.set_request_id(request_header_.request_id());
    header_.set_publish_time_ns(now);
    header_.set_event_time_ns(now);
    bus::EncodeEnvelope(header_, reply_, &buffer_);
    rep.send(zmq::const_buffer(buffer_.data(), buffer_.size()), zmq::send_flags::none);
  }

  // While set, the next requests' bytes are copied here (warm-up only).
  void Capture(std::string* bytes) { capture_ = bytes; }
  const ov1::NewOrder& last_order() const { return last_order_; }

 private:
  zmq::message_t request_;
  bus::v1::Header request_header_;
  ov1::ExecutionRequest req_;
  ov1::ExecutionReply reply_;
  bus::v1::Header header_;
  std::string buffer_;
  std::string* capture_ = nullptr;
  ov1::NewOrder last_order_;
};

struct Timing {
  int64_t decision_ns = 0;
  int64_t order_ns = 0;  // 0: no order reached execution
};

// One intent: sent on `req`, orders answered on `rep` meanwhile, the
// decision received, decoded and checked. `decision_bytes` (optional) gets
// the decision as received.
Timing SendIntent(const std::string& intent, zmq::socket_t& req, zmq::socket_t& rep,
                  OrderAcker& acker, std::string* decision_bytes = nullptr,
                  std::string* refusal = nullptr) {
  static zmq::message_t reply;
  static bus::v1::Header header;
  static risk::v1::RiskDecision decision;
  Timing t;
  int64_t start = MonotonicNanos();
  req.send(zmq::const_buffer(intent.data(), intent.size()), zmq::send_flags::none);
  zmq::pollitem_t items[] = {{req.handle(), 0, ZMQ_POLLIN, 0}, {rep.handle(), 0, ZMQ_POLLIN, 0}};
  while (true) {
    if (zmq::poll(items, 2, std::chrono::milliseconds(kReplyTimeoutMs)) == 0) {
      Fail("no decision within " + std::to_string(kReplyTimeoutMs) + " ms");
    }
    if ((items[1].revents & ZMQ_POLLIN) != 0) {
      if (t.order_ns == 0) t.order_ns = MonotonicNanos() - start;
      acker.Answer(rep);
    }
    if ((items[0].revents & ZMQ_POLLIN) != 0) {
      if (!req.recv(reply, zmq::recv_flags::none)) Fail("intent socket: receive failed");
      t.decision_ns = MonotonicNanos() - start;
      break;
    }
  }
  std::string_view bytes(static_cast<const char*>(reply.data()), reply.size());
  std::string_view payload;
  absl::Status decoded = bus::DecodeEnvelope(bytes, &header, &payload);
  if (!decoded.ok()) Fail("decision: bad envelope: " + std::string(decoded.message()));
  if (header.reply_status().code() != 0)
    Fail("risk answered an error: " + header.reply_status().message());
  if (!decision.ParseFromArray(payload.data(), static_cast<int>(payload.size()))) {
    Fail("decision does not parse as a RiskDecision");
  }
  if (!decision.approved()) {
    if (refusal == nullptr) Fail("intent refused: " + decision.reason());
    *refusal = decision.reason();
  }
  if (decision_bytes != nullptr) decision_bytes->assign(bytes);
  return t;
}

class RiskProcess {
 public:
  RiskProcess(TempDir& dir, const std::string& conninfo) : dir_(dir) {
    admin_port_ = testing::FreeTcpPort();
    testing::WriteFile(dir.File("approval.key"), std::string(kApprovalKeyHex) + "\n");
    testing::WriteFile(dir.File("tokens"), std::string(kAdminToken) + "\n");
    testing::WriteFile(dir.File("risk.yaml"), RiskYaml(dir, conninfo, admin_port_));
    Subprocess::Options options;
    options.output_file = dir.File("risk.out");
    auto p = Subprocess::Start(
        {testing::BinaryPath("tradeplane-risk"), "--config", dir.File("risk.yaml")}, options);
    if (!p.ok()) Fail("cannot start tradeplane-risk: " + std::string(p.status().message()));
    process_ = std::move(*p);
  }

  // Risk starts PAUSED on a fresh database; an operator makes it ACTIVE.
  void Activate() {
    admin::AdminClientOptions admin{.target = "127.0.0.1:" + std::to_string(admin_port_),
                                    .token = kAdminToken,
                                    .timeout_ms = 2000};
    std::string last_error = "no answer";
    bool active = testing::WaitUntil(
        [&] {
          if (!process_->Running()) {
            last_error = "the process exited";
            return true;  // no point waiting longer
          }
          auto channel = admin::MakeAdminChannel(admin);
          if (!channel.ok()) return false;
          grpc::ClientContext ctx;
          admin::PrepareContext(&ctx, admin);
          admin::v1::SetModeRequest req;
          req.set_mode(risk::v1::TRADING_MODE_ACTIVE);
          req.set_reason("benchmark");
          admin::v1::ModeState state;
          grpc::Status s = admin::v1::RiskAdmin::NewStub(*channel)->SetMode(&ctx, req, &state);
          if (!s.ok()) last_error = s.error_message();
          return s.ok();
        },
        std::chrono::seconds(30));
    if (!active || !process_->Running()) {
      Fail("tradeplane-risk did not become ACTIVE (" + last_error + "); its output:\n" +
           process_->Output() + testing::ReadFile(dir_.File("risk.log")));
    }
  }

  std::string Log() const { return testing::ReadFile(dir_.File("risk.log")); }

 private:
  TempDir& dir_;
  int admin_port_ = 0;
  std::unique_ptr<Subprocess> process_;
};

void PrintPair(const char* what, LatencySamples& service, LatencySamples& raw) {
  std::printf("%s", PairedSummary(what, 20, "tradeplane-risk", service, raw).c_str());
}

int Run(const Options& options) {
  if (options.help) {
    std::printf("%s", kUsage);
    return 0;
  }
  TempDir dir;
  absl::StatusOr<std::unique_ptr<testing::PgCluster>> pg = testing::PgCluster::Start();
  if (!pg.ok()) Fail("cannot start PostgreSQL: " + std::string(pg.status().message()));
  absl::StatusOr<std::string> conninfo = (*pg)->CreateDatabase();
  if (!conninfo.ok()) Fail("cannot create a database: " + std::string(conninfo.status().message()));

  // Market data and execution reports, off the timed path.
  bus::BusContext bus({"market-data", 0, 0}, {}, nullptr);
  config::v1::SocketConfig md_config;
  md_config.set_endpoint(dir.Ipc("md"));
  auto md = bus::Publisher::Create(bus, md_config, "md");
  if (!md.ok()) Fail(std::string(md.status().message()));
  marketdata::v1::Quote quote;
  *quote.mutable_instrument() = Amzn();
  quote.set_bid_price(9999 * kScale / 100);
  quote.set_ask_price(10001 * kScale / 100);
  quote.set_bid_qty(100 * kScale);
  quote.set_ask_qty(100 * kScale);
  auto publish_quote = [&] {
    int64_t now = SystemClock::Instance().Now().nanos();
    quote.set_exchange_time_ns(now);
    quote.set_receive_time_ns(now);
    (void)(*md)->Publish("md.quote.NASDAQ.AMZN", quote);
  };
  ov1::ExecutionReport canceled;
  canceled.mutable_order()->set_strategy_id("bench");
  *canceled.mutable_order()->mutable_instrument() = Amzn();
  canceled.mutable_order()->set_status(ov1::ORDER_STATUS_CANCELED);
  canceled.set_previous_status(ov1::ORDER_STATUS_NEW);
  auto publish_canceled = [&](const std::string& client_order_id) {
    canceled.mutable_order()->set_client_order_id(client_order_id);
    (void)(*md)->Publish("exec.order.CANCELED", canceled);
  };

  // The timed sockets: plain ZeroMQ, the same code for service and relay.
  zmq::context_t zmq_context(1);
  zmq::socket_t service_orders(zmq_context, zmq::socket_type::rep);
  zmq::socket_t relay_orders(zmq_context, zmq::socket_type::rep);
  zmq::socket_t service_intents(zmq_context, zmq::socket_type::req);
  zmq::socket_t relay_intents(zmq_context, zmq::socket_type::req);
  for (zmq::socket_t* s : {&service_orders, &relay_orders, &service_intents, &relay_intents}) {
    s->set(zmq::sockopt::linger, 0);
  }
  service_orders.bind(dir.Ipc("orders"));
  relay_orders.bind(dir.Ipc("relay-orders"));

  RiskProcess risk(dir, *conninfo);
  risk.Activate();
  service_intents.connect(dir.Ipc("intents"));
  relay_intents.connect(dir.Ipc("relay-intents"));

  const int per_side = options.warmup + options.intents;
  std::vector<std::string> client_order_ids;
  std::vector<std::string> intents = MakeIntents(per_side + 2000, &client_order_ids);
  size_t next_intent = 0;
  OrderAcker acker;

  // Until risk has a fresh quote, intents are refused for stale market data.
  std::string refusal;
  bool approvable = testing::WaitUntil(
      [&] {
        publish_quote();
        refusal.clear();
        if (next_intent + per_side >= intents.size()) return false;
        SendIntent(intents[next_intent], service_intents, service_orders, acker, nullptr, &refusal);
        publish_canceled(client_order_ids[next_intent]);
        ++next_intent;
        return refusal.empty();
      },
      std::chrono::seconds(20));
  if (!approvable) Fail("risk refuses the bench's intents: " + refusal + "\n" + risk.Log());

  // Warm-up through the service; the last order and decision become the
  // relay's messages (same sizes as the service's).
  std::string order_bytes;
  std::string decision_bytes;
  acker.Capture(&order_bytes);
  for (int i = 0; i < options.warmup; ++i, ++next_intent) {
    if (i % 50 == 0) publish_quote();
    SendIntent(intents[next_intent], service_intents, service_orders, acker, &decision_bytes);
    publish_canceled(client_order_ids[next_intent]);
  }
  acker.Capture(nullptr);
  absl::StatusOr<ApprovalKey> key = ApprovalKey::FromHex(kApprovalKeyHex);
  absl::Status approval =
      key->Verify(acker.last_order(), SystemClock::Instance().Now(), std::chrono::seconds(60));
  if (!approval.ok()) Fail("risk's approval does not verify: " + std::string(approval.message()));
  testing::WriteFile(dir.File("order.bin"), order_bytes);
  testing::WriteFile(dir.File("decision.bin"), decision_bytes);

  Subprocess::Options relay_options;
  relay_options.output_file = dir.File("relay.out");
  auto relay =
      Subprocess::Start({SelfPath(), "--raw-relay", dir.Ipc("relay-intents"),
                         dir.Ipc("relay-orders"), dir.File("order.bin"), dir.File("decision.bin")},
                        relay_options);
  if (!relay.ok()) Fail("cannot start the relay: " + std::string(relay.status().message()));
  const size_t relay_first = next_intent;  // the relay forwards any bytes: reuse the same intents
  for (int i = 0; i < options.warmup; ++i) {
    SendIntent(intents[relay_first + static_cast<size_t>(i)], relay_intents, relay_orders, acker);
  }

  LatencySamples service_decision(static_cast<size_t>(options.intents));
  LatencySamples service_order(static_cast<size_t>(options.intents));
  LatencySamples raw_decision(static_cast<size_t>(options.intents));
  LatencySamples raw_order(static_cast<size_t>(options.intents));
  size_t raw_next = relay_first;
  for (int done = 0; done < options.intents; done += options.block) {
    int n = std::min(options.block, options.intents - done);
    for (int i = 0; i < n; ++i, ++next_intent) {
      if (i % 50 == 0) publish_quote();
      Timing t = SendIntent(intents[next_intent], service_intents, service_orders, acker);
      service_decision.Record(t.decision_ns);
      service_order.Record(t.order_ns);
      publish_canceled(client_order_ids[next_intent]);
    }
    for (int i = 0; i < n; ++i, ++raw_next) {
      Timing t = SendIntent(intents[raw_next], relay_intents, relay_orders, acker);
      raw_decision.Record(t.decision_ns);
      raw_order.Record(t.order_ns);
    }
  }

  std::printf(
      "risk_service_bench: tradeplane-risk (PostgreSQL store, limits checked, approval signed) "
      "between a REQ playing signal and a REP playing execution; %d intents each for the "
      "service and for a raw ZeroMQ relay process with the same hops, in alternating blocks of "
      "%d; message sizes: intent %zu B, order %zu B, decision %zu B\n",
      options.intents, options.block, intents[0].size(), order_bytes.size(), decision_bytes.size());
  PrintPair("intent -> decision", service_decision, raw_decision);
  PrintPair("intent -> order", service_order, raw_order);
  return 0;
}

}  // namespace
}  // namespace tradeplane::bench

int main(int argc, char** argv) {
  using namespace tradeplane::bench;
  if (argc == 6 && std::strcmp(argv[1], "--raw-relay") == 0) {
    return RunRawRelay({argv[2], argv[3], argv[4], argv[5]});
  }
  return RunReportingFailures("risk_service_bench", [&] { return Run(ParseOptions(argc, argv)); });
}
