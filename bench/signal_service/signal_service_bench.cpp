// signal_service_bench: quote-to-intent time through tradeplane-signal as a
// real process, beside a bare ZeroMQ relay with the same hops and message
// sizes measured in the same run.
//
// The bench plays market data (a PUB of quotes whose mid alternates by 20 bps,
// so the quoting strategy replaces both of its quotes on every one: a cancel
// and a new order per side), risk (a REP that approves every intent at once)
// and execution (a PUB of CANCELED reports for the cancelled quotes, so the
// strategy's open orders stay bounded). Timed: the quote handed to the PUB
// socket -> the first intent received at the REP (and -> the last intent of
// that quote answered). The baseline replaces signal with a relay process
// (SUB in, REQ out) that sends, per quote, the very intents signal sent for
// one quote. Service and relay run in alternating blocks so that load from
// other processes on the machine hits both alike.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <zmq.hpp>

#include "tradeplane/bench/bench_failure.h"
#include "tradeplane/bench/bench_flags.h"
#include "tradeplane/bench/frame_file.h"
#include "tradeplane/bench/latency_samples.h"
#include "tradeplane/bench/paired_summary.h"
#include "tradeplane/bench/self_path.h"
#include "tradeplane/bus/context.h"
#include "tradeplane/bus/envelope.h"
#include "tradeplane/bus/publisher.h"
#include "tradeplane/core/clock.h"
#include "tradeplane/core/ids.h"
#include "tradeplane/marketdata/v1/marketdata.pb.h"
#include "tradeplane/orders/v1/orders.pb.h"
#include "tradeplane/risk/v1/risk.pb.h"
#include "tradeplane/signal/v1/signal.pb.h"
#include "tradeplane/testing/subprocess.h"
#include "tradeplane/testing/temp_dir.h"
#include "tradeplane/testing/wait.h"

#include "histogram_scrape.h"
#include "raw_relay.h"

namespace tradeplane::bench {
namespace {

namespace ov1 = orders::v1;
using testing::Subprocess;
using testing::TempDir;

constexpr int64_t kScale = 1'000'000'000;  // the suite's fixed point
constexpr int kReplyTimeoutMs = 5000;
constexpr char kQuoteTopic[] = "md.quote.NASDAQ.AMZN";

constexpr char kUsage[] =
    "usage: signal_service_bench [--quotes=N]\n"
    "  --quotes=N    quotes measured for the service and for the relay each, at least 100\n"
    "                (default 5000; also --quotes N)\n"
    "  --benchmark_* accepted and ignored (scripts/bench.sh passes them)\n";

struct Options {
  int quotes = 5000;  // measured per side
  int warmup = 200;
  int block = 100;
  bool help = false;
};

Options ParseOptions(int argc, char** argv) {
  Options o;
  std::string error;
  if (!ParseBenchFlags(argc, argv, {PositiveIntFlag("--quotes", &o.quotes)}, &o.help, &error)) {
    Fail(error + "\n" + kUsage);
  }
  if (o.quotes < 100) Fail("--quotes must be at least 100");
  return o;
}

common::v1::InstrumentId Amzn() {
  common::v1::InstrumentId id;
  id.set_venue(common::v1::VENUE_NASDAQ);
  id.set_symbol("AMZN");
  return id;
}

std::string SignalYaml(const TempDir& dir, int metrics_port) {
  return "common:\n"
         "  admin: {port: -1}\n"
         "  telemetry: {metrics_port: " +
         std::to_string(metrics_port) +
         ", metrics_bind_address: 127.0.0.1, log_file: signal.log, log_level: info}\n"
         "market_data: {endpoint: '" +
         dir.Ipc("md") +
         "'}\n"
         "executions: {endpoint: '" +
         dir.Ipc("exec") +
         "'}\n"
         "risk: {socket: {endpoint: '" +
         dir.Ipc("intents") +
         "'}, timeout_ms: 5000, retries: 1}\n"
         "publisher: {endpoint: '" +
         dir.Ipc("sig") +
         "'}\n"
         "instruments:\n"
         "  - {id: {venue: NASDAQ, symbol: AMZN}, kind: EQUITY, base_asset: AMZN, quote_asset: "
         "USD, "
         "tick_size: '0.01', lot_size: '1'}\n"
         "strategies:\n"
         "  - id: quoting-amzn\n"
         "    kind: QUOTING\n"
         "    enabled: true\n"
         "    instruments: [{venue: NASDAQ, symbol: AMZN}]\n"
         "    sizing: {kind: FIXED_QTY, qty: '1'}\n"
         "    params: {half_spread_bps: 10, skew_bps: 5, max_inventory: 500, requote_bps: 5, "
         "allow_short: 1}\n";
}

// Market data's side: quotes in bus envelopes on a plain PUB socket, with
// the per-topic sequence subscribers check.
class QuoteFeed {
 public:
  QuoteFeed(zmq::context_t& context, const std::string& endpoint)
      : socket_(context, zmq::socket_type::pub) {
    socket_.set(zmq::sockopt::linger, 0);
    socket_.bind(endpoint);
    header_.set_message_type(marketdata::v1::Quote::descriptor()->full_name());
    header_.set_schema_version(bus::kEnvelopeSchemaVersion);
    header_.set_source_service("market-data");
    header_.set_incarnation(SystemRandom().Next() | 1);
    header_.set_topic(kQuoteTopic);
    *quote_.mutable_instrument() = Amzn();
    quote_.set_bid_qty(100 * kScale);
    quote_.set_ask_qty(100 * kScale);
  }

  // Encodes the next quote (the mid alternates between 100.00 and 100.20);
  // Send hands it to the socket.
  void Prepare() {
    int64_t up = (++sequence_ % 2 == 0) ? 20 : 0;
    quote_.set_bid_price((9999 + up) * kScale / 100);
    quote_.set_ask_price((10001 + up) * kScale / 100);
    int64_t now = SystemClock::Instance().Now().nanos();
    quote_.set_exchange_time_ns(now);
    quote_.set_receive_time_ns(now);
    header_.set_sequence(sequence_);
    header_.set_event_time_ns(now);
    header_.set_publish_time_ns(now);
    bus::EncodeEnvelope(header_, quote_, &buffer_);
  }
  void Send() {
    socket_.send(zmq::const_buffer(kQuoteTopic, sizeof(kQuoteTopic) - 1), zmq::send_flags::sndmore);
    socket_.send(zmq::const_buffer(buffer_.data(), buffer_.size()), zmq::send_flags::none);
  }
  size_t size() const { return buffer_.size() + sizeof(kQuoteTopic) - 1; }

 private:
  zmq::socket_t socket_;
  bus::v1::Header header_;
  marketdata::v1::Quote quote_;
  std::string buffer_;
  uint64_t sequence_ = 0;
};

// Risk's side: approves every intent at once, with a decision shaped as
// risk's (ids, instrument, time).
class IntentApprover {
 public:
  IntentApprover() : ids_(SystemClock::Instance(), random_) {
    header_.set_message_type(risk::v1::RiskDecision::descriptor()->full_name());
    header_.set_schema_version(bus::kEnvelopeSchemaVersion);
    header_.set_source_service("risk");
    header_.set_incarnation(11);
  }

  void Answer(zmq::socket_t& rep) {
    if (!rep.recv(request_, zmq::recv_flags::none)) Fail("risk socket: receive failed");
    std::string_view bytes(static_cast<const char*>(request_.data()), request_.size());
    std::string_view payload;
    absl::Status decoded = bus::DecodeEnvelope(bytes, &request_header_, &payload);
    if (!decoded.ok()) Fail("risk socket: bad envelope: " + std::string(decoded.message()));
    if (!intent_.ParseFromArray(payload.data(), static_cast<int>(payload.size()))) {
      Fail("risk socket: the request is not an OrderIntent");
    }
    if (capture_ != nullptr) capture_->emplace_back(bytes);
    if (!intent_.cancel_client_order_id().empty()) {
      cancelled_.push_back(intent_.cancel_client_order_id());
    }
    decision_.Clear();
    decision_.set_decision_id(ids_.Next());
    decision_.set_intent_id(intent_.intent_id());
    decision_.set_client_order_id(intent_.client_order_id());
    decision_.set_strategy_id(intent_.strategy_id());
    *decision_.mutable_instrument() = intent_.instrument();
    decision_.set_approved(true);
    int64_t now = SystemClock::Instance().Now().nanos();
    decision_.set_decided_ns(now);
    header_.set_request_id(request_header_.request_id());
    header_.set_publish_time_ns(now);
    header_.set_event_time_ns(now);
    bus::EncodeEnvelope(header_, decision_, &buffer_);
    rep.send(zmq::const_buffer(buffer_.data(), buffer_.size()), zmq::send_flags::none);
  }

  // While set, the intents' bytes are appended here.
  void Capture(std::vector<std::string>* intents) { capture_ = intents; }
  // Orders the strategy asked to cancel since the last call.
  std::vector<std::string> TakeCancelled() { return std::move(cancelled_); }

 private:
  SystemRandom random_;
  UuidV7Generator ids_;
  zmq::message_t request_;
  bus::v1::Header request_header_;
  signal::v1::OrderIntent intent_;
  risk::v1::RiskDecision decision_;
  bus::v1::Header header_;
  std::string buffer_;
  std::vector<std::string>* capture_ = nullptr;
  std::vector<std::string> cancelled_;
};

struct QuoteTiming {
  int64_t first_intent_ns = 0;
  int64_t last_intent_ns = 0;  // the last intent of the quote answered
  int intents = 0;
};

// One quote: published, then `expected` intents answered (0: as many as
// come before 30 ms of silence, for learning the count).
QuoteTiming RunQuote(QuoteFeed& feed, zmq::socket_t& rep, IntentApprover& approver, int expected) {
  QuoteTiming t;
  feed.Prepare();
  int64_t start = MonotonicNanos();
  feed.Send();
  zmq::pollitem_t item{rep.handle(), 0, ZMQ_POLLIN, 0};
  while (expected == 0 || t.intents < expected) {
    int timeout_ms = expected == 0 ? 30 : kReplyTimeoutMs;
    if (zmq::poll(&item, 1, std::chrono::milliseconds(timeout_ms)) == 0) {
      if (expected == 0) break;
      Fail("only " + std::to_string(t.intents) + " of " + std::to_string(expected) +
           " intents within " + std::to_string(kReplyTimeoutMs) + " ms of a quote");
    }
    if (t.intents == 0) t.first_intent_ns = MonotonicNanos() - start;
    approver.Answer(rep);
    ++t.intents;
    t.last_intent_ns = MonotonicNanos() - start;
  }
  return t;
}

// Answers whatever is still coming (quotes queued while a subscription
// came up) until `quiet_ms` pass without a request.
void Drain(zmq::socket_t& rep, IntentApprover& approver, int quiet_ms) {
  zmq::pollitem_t item{rep.handle(), 0, ZMQ_POLLIN, 0};
  while (zmq::poll(&item, 1, std::chrono::milliseconds(quiet_ms)) > 0) approver.Answer(rep);
}

// Publishes quotes until the subscriber behind `rep` answers with an intent.
bool WaitForFirstIntent(QuoteFeed& feed, zmq::socket_t& rep, IntentApprover& approver) {
  bool live = testing::WaitUntil(
      [&] {
        feed.Prepare();
        feed.Send();
        zmq::pollitem_t item{rep.handle(), 0, ZMQ_POLLIN, 0};
        return zmq::poll(&item, 1, std::chrono::milliseconds(50)) > 0;
      },
      std::chrono::seconds(30));
  if (live) Drain(rep, approver, 200);
  return live;
}

void PrintPair(const char* what, LatencySamples& service, LatencySamples& raw) {
  std::printf("%s", PairedSummary(what, 26, "tradeplane-signal", service, raw).c_str());
}

int Run(const Options& options) {
  if (options.help) {
    std::printf("%s", kUsage);
    return 0;
  }
  TempDir dir;
  const int metrics_port = testing::FreeTcpPort();

  zmq::context_t zmq_context(1);
  QuoteFeed service_feed(zmq_context, dir.Ipc("md"));
  QuoteFeed relay_feed(zmq_context, dir.Ipc("relay-md"));
  zmq::socket_t service_risk(zmq_context, zmq::socket_type::rep);
  zmq::socket_t relay_risk(zmq_context, zmq::socket_type::rep);
  service_risk.set(zmq::sockopt::linger, 0);
  relay_risk.set(zmq::sockopt::linger, 0);
  service_risk.bind(dir.Ipc("intents"));
  relay_risk.bind(dir.Ipc("relay-intents"));

  // Execution reports, off the timed path.
  bus::BusContext bus({"execution", 0, 0}, {}, nullptr);
  config::v1::SocketConfig exec_config;
  exec_config.set_endpoint(dir.Ipc("exec"));
  auto exec = bus::Publisher::Create(bus, exec_config, "exec");
  if (!exec.ok()) Fail(std::string(exec.status().message()));
  ov1::ExecutionReport canceled;
  canceled.mutable_order()->set_strategy_id("quoting-amzn");
  *canceled.mutable_order()->mutable_instrument() = Amzn();
  canceled.mutable_order()->set_status(ov1::ORDER_STATUS_CANCELED);
  canceled.set_previous_status(ov1::ORDER_STATUS_NEW);
  IntentApprover approver;
  auto report_cancels = [&] {
    for (const std::string& id : approver.TakeCancelled()) {
      canceled.mutable_order()->set_client_order_id(id);
      (void)(*exec)->Publish("exec.order.CANCELED", canceled);
    }
  };

  testing::WriteFile(dir.File("signal.yaml"), SignalYaml(dir, metrics_port));
  Subprocess::Options signal_options;
  signal_options.output_file = dir.File("signal.out");
  auto signal_process = Subprocess::Start(
      {testing::BinaryPath("tradeplane-signal"), "--config", dir.File("signal.yaml")},
      signal_options);
  if (!signal_process.ok()) {
    Fail("cannot start tradeplane-signal: " + std::string(signal_process.status().message()));
  }
  auto signal_log = [&] {
    return (*signal_process)->Output() + testing::ReadFile(dir.File("signal.log"));
  };
  if (!WaitForFirstIntent(service_feed, service_risk, approver)) {
    Fail("tradeplane-signal sent no intent for 30 s of quotes; its output:\n" + signal_log());
  }
  report_cancels();

  // Learn how many intents one quote makes in the steady state (a cancel
  // and a new order per side: 4), then warm up with that count.
  int expected = 0;
  for (int i = 0; i < 10; ++i) {
    QuoteTiming t = RunQuote(service_feed, service_risk, approver, 0);
    report_cancels();
    if (t.intents == 0) Fail("a quote made no intent; signal's log:\n" + signal_log());
    expected = t.intents;
  }
  std::vector<std::string> one_quote_intents;
  for (int i = 0; i < options.warmup; ++i) {
    if (i == options.warmup - 1) approver.Capture(&one_quote_intents);
    RunQuote(service_feed, service_risk, approver, expected);
    report_cancels();
  }
  approver.Capture(nullptr);
  Drain(service_risk, approver, 50);  // nothing more may come: the count is exact
  if (static_cast<int>(one_quote_intents.size()) != expected) {
    Fail("the intents per quote changed during the warm-up");
  }
  if (!WriteFrames(dir.File("intents.bin"), one_quote_intents)) Fail("cannot write intents.bin");

  Subprocess::Options relay_options;
  relay_options.output_file = dir.File("relay.out");
  auto relay = Subprocess::Start({SelfPath(), "--raw-relay", dir.Ipc("relay-md"),
                                  dir.Ipc("relay-intents"), dir.File("intents.bin")},
                                 relay_options);
  if (!relay.ok()) Fail("cannot start the relay: " + std::string(relay.status().message()));
  IntentApprover relay_approver;
  if (!WaitForFirstIntent(relay_feed, relay_risk, relay_approver)) {
    Fail("the raw relay sent nothing: " + (*relay)->Output());
  }
  for (int i = 0; i < options.warmup; ++i)
    RunQuote(relay_feed, relay_risk, relay_approver, expected);
  relay_approver.TakeCancelled();

  absl::StatusOr<HistogramScrape> before =
      ScrapeHistogram(metrics_port, "tradeplane_signal_event_to_intent_seconds");
  LatencySamples service_first(static_cast<size_t>(options.quotes));
  LatencySamples service_all(static_cast<size_t>(options.quotes));
  LatencySamples raw_first(static_cast<size_t>(options.quotes));
  LatencySamples raw_all(static_cast<size_t>(options.quotes));
  for (int done = 0; done < options.quotes; done += options.block) {
    int n = std::min(options.block, options.quotes - done);
    for (int i = 0; i < n; ++i) {
      QuoteTiming t = RunQuote(service_feed, service_risk, approver, expected);
      service_first.Record(t.first_intent_ns);
      service_all.Record(t.last_intent_ns);
      report_cancels();
    }
    for (int i = 0; i < n; ++i) {
      QuoteTiming t = RunQuote(relay_feed, relay_risk, relay_approver, expected);
      raw_first.Record(t.first_intent_ns);
      raw_all.Record(t.last_intent_ns);
      relay_approver.TakeCancelled();
    }
  }
  absl::StatusOr<HistogramScrape> after =
      ScrapeHistogram(metrics_port, "tradeplane_signal_event_to_intent_seconds");

  std::printf(
      "signal_service_bench: tradeplane-signal (quoting strategy) between a PUB playing market "
      "data and a REP playing risk (approves at once); %d quotes each for the service and for a "
      "raw ZeroMQ relay process with the same hops, in alternating blocks of %d; %d intents per "
      "quote (cancel and new order per side); message sizes: quote %zu B, intents",
      options.quotes, options.block, expected, service_feed.size());
  for (const std::string& intent : one_quote_intents) std::printf(" %zu", intent.size());
  std::printf(" B\n");
  PrintPair("quote -> first intent", service_first, raw_first);
  PrintPair("quote -> last intent done", service_all, raw_all);
  if (before.ok() && after.ok()) {
    HistogramScrape h = after->Since(*before);
    std::printf(
        "signal's own histogram event_to_intent_seconds over the measured quotes: %.0f intents, "
        "mean %.1f us, p50 <= %.0f us, p99 <= %.0f us (bucket bounds; from event received to "
        "each intent sent, so the later intents of a quote include the earlier ones' round "
        "trips to risk)\n",
        h.count, h.count > 0 ? h.sum_seconds / h.count * 1e6 : 0.0,
        h.QuantileUpperBoundSeconds(0.5) * 1e6, h.QuantileUpperBoundSeconds(0.99) * 1e6);
  } else {
    std::printf("signal's own histogram: not read (%s)\n",
                std::string((before.ok() ? after.status() : before.status()).message()).c_str());
  }
  return 0;
}

}  // namespace
}  // namespace tradeplane::bench

int main(int argc, char** argv) {
  using namespace tradeplane::bench;
  if (argc == 5 && std::strcmp(argv[1], "--raw-relay") == 0) {
    return RunRawRelay({argv[2], argv[3], argv[4]});
  }
  return RunReportingFailures("signal_service_bench",
                              [&] { return Run(ParseOptions(argc, argv)); });
}
