// Order-to-acknowledgement through tradeplane-execution against the venue
// simulator, and what execution itself adds, beside baselines measured in
// the same run (in blocks of 100 taken in turn, so a burst of load from the
// machine's other users falls on all of them alike):
//
//   raw ZeroMQ     a bare REQ/REP round trip (libzmq only, no CURVE, as
//                  execution's order socket) with the sizes of an
//                  ExecutionRequest and its reply, to an echo peer in another
//                  process (this binary again, `--echo-peer DIR`)
//   bus echo       the same through the bus library's RequestClient and
//                  ReplyServer, answering a canned ExecutionReply
//   venue direct   a signed POST /api/v3/order (a resting limit order, FULL
//                  response) from the benchmark straight to the simulator,
//                  with keep-alive, as the Binance adapter sends it, signed
//                  before the clock starts
//   signer         the sign request execution makes for that order, sent by
//                  the benchmark (an allow-listed CURVE client) to the signer
//   execution      a NewOrder with risk's approval to execution's order
//                  socket, until execution's reply (which it sends once the
//                  venue acknowledged: journal, sign, POST, journal the ack)
//   exec.order NEW the same orders until execution published their NEW
//                  report (the envelope's publish time, by the same host's
//                  realtime clock, minus the send time)
//
// Execution's added latency is "execution - venue direct": journal writes,
// the signer round trip, the bus hop from risk. Limit orders rest (nothing
// trades on the simulator: no replay), and each round ends by cancelling them
// (a cancel-all through execution, an openOrders DELETE for the direct
// account), outside the timed spans.
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <unordered_map>

#include "tradeplane/bench/bench_args.h"
#include "tradeplane/bench/bench_main.h"
#include "tradeplane/bench/echo_baselines.h"
#include "tradeplane/bench/echo_peer.h"
#include "tradeplane/bench/interrupt.h"
#include "tradeplane/bench/latency_samples.h"
#include "tradeplane/bench/latency_table.h"
#include "tradeplane/bench/nanos_since.h"
#include "tradeplane/bench/sign_request.h"
#include "tradeplane/bench/signer_client.h"
#include "tradeplane/bench/status_context.h"
#include "tradeplane/bus/context.h"
#include "tradeplane/bus/request_client.h"
#include "tradeplane/bus/subscriber.h"
#include "tradeplane/core/approval.h"
#include "tradeplane/core/clock.h"
#include "tradeplane/core/fixed_point.h"
#include "tradeplane/net/http_client.h"
#include "tradeplane/orders/v1/orders.pb.h"
#include "tradeplane/signer/v1/signer.pb.h"
#include "tradeplane/signing/hex.h"
#include "tradeplane/signing/hmac_sha256.h"
#include "tradeplane/testing/temp_dir.h"
#include "tradeplane/testing/wait.h"

#include "absl/strings/str_cat.h"
#include "execution_suite.h"

namespace tradeplane::bench {
namespace {

constexpr int kDefaultRequests = 2000;
constexpr int kDefaultRounds = 20;
constexpr int kWarmupRequests = 50;
// Far below any BTC price: the order rests. Notional 10 USDT.
constexpr char kQty[] = "0.01";
constexpr char kPrice[] = "1000";

constexpr char kUsage[] =
    "usage: execution_service_bench [--requests N] [--rounds N]\n"
    "  --requests N  orders (and requests) per series (default 2000)\n"
    "  --rounds N    blocks each series is cut into, taken in turn; the resting orders are\n"
    "                cancelled after each (default 20)\n"
    "  --benchmark_* accepted and ignored (scripts/bench.sh passes them)\n";

int64_t Raw(const char* decimal) { return fixed_point::ParseRaw(decimal).value(); }

class ExecutionBench {
 public:
  explicit ExecutionBench(const BenchArgs& args)
      : args_(args),
        venue_(Capacity()),
        signer_(Capacity()),
        execution_(Capacity()),
        published_(Capacity()) {}

  absl::Status Run() {
    if (absl::Status s = suite_.Start(); !s.ok()) return s;
    if (absl::Status s = Connect(); !s.ok()) return s;
    if (absl::Status s = CheckInterrupted(); !s.ok()) return s;

    // Warm-up: connections, the journal's plans, the simulator's paths; the
    // reply whose size and content the baselines copy.
    orders::v1::ExecutionReply reply;
    for (int k = 0; k < kWarmupRequests; ++k) {
      if (absl::Status s = CheckInterrupted(); !s.ok()) return s;
      std::string id = absl::StrCat("warm-", k);
      if (absl::Status s = PlaceOrder(id, &reply); !s.ok()) return s;
      if (absl::Status s = PlaceDirect("warm-d-" + std::to_string(k)); !s.ok()) return s;
      if (absl::Status s = Sign("warm-s-" + std::to_string(k)); !s.ok()) return s;
    }
    if (absl::Status s = CancelRound(kWarmupRequests); !s.ok()) return s;
    if (absl::Status s = AwaitPublications(); !s.ok()) return s;
    sent_ns_.clear();
    new_published_ns_.clear();
    orders::v1::ExecutionRequest sized;
    *sized.mutable_new_order() = Order("bench-0-0");

    EchoPeerOptions peer_options;
    peer_options.dir = peer_dir_.path();
    peer_options.curve = false;
    peer_options.execution_reply = reply;
    absl::StatusOr<std::unique_ptr<EchoBaselines>> baselines =
        EchoBaselines::Start(*bus_, peer_options,
                             {.request = &sized,
                              .reply = &reply,
                              .request_bytes = EnvelopeBytes(sized, false),
                              .reply_bytes = EnvelopeBytes(reply, true)},
                             Capacity());
    if (!baselines.ok()) return baselines.status();
    baselines_ = std::move(*baselines);
    if (absl::Status s = baselines_->WarmUp(4 * kWarmupRequests); !s.ok()) return s;

    const int per_round = std::max(1, args_.requests / args_.rounds);
    for (int round = 0; round < args_.rounds; ++round) {
      if (absl::Status s = CheckInterrupted(); !s.ok()) return s;
      // Series in blocks of per_round, in turn: a burst of load from the
      // machine's other users falls on every series alike, while the work
      // a service does after replying (log writers, the database's
      // background writers, execution's user-data stream) stays out of the
      // baselines but at the blocks' edges.
      if (absl::Status s = baselines_->MeasureBlock(per_round); !s.ok()) return s;
      for (int k = 0; k < per_round; ++k) {
        if (absl::Status s = PlaceDirect(absl::StrCat("direct-", round, "-", k), &venue_);
            !s.ok()) {
          return s;
        }
      }
      for (int k = 0; k < per_round; ++k) {
        if (absl::Status s = Sign(absl::StrCat("sign-", round, "-", k), &signer_); !s.ok()) {
          return s;
        }
      }
      for (int k = 0; k < per_round; ++k) {
        std::string id = absl::StrCat("bench-", round, "-", k);
        if (absl::Status s = PlaceOrder(id, nullptr, &execution_); !s.ok()) return s;
      }
      if (absl::Status s = CancelRound(per_round); !s.ok()) return s;
    }
    if (absl::Status s = AwaitPublications(); !s.ok()) return s;
    for (const auto& [id, sent_ns] : sent_ns_) {
      if (!id.starts_with("bench-")) continue;
      published_.Record(new_published_ns_.at(id) - sent_ns);
    }
    Print(per_round);
    return absl::OkStatus();
  }

 private:
  size_t Capacity() const {
    return static_cast<size_t>(args_.requests) + static_cast<size_t>(args_.rounds);
  }

  absl::Status Connect() {
    absl::StatusOr<ApprovalKey> key = ApprovalKey::FromHex(kApprovalKeyHex);
    if (!key.ok()) return key.status();
    approval_ = std::make_unique<ApprovalKey>(std::move(*key));
    bus_ = std::make_unique<bus::BusContext>(bus::BusIdentity{"risk", 0, 0},
                                             config::v1::BusConfig(), nullptr);
    config::v1::ClientConfig orders;
    orders.mutable_socket()->set_endpoint(suite_.orders_endpoint());
    orders.set_timeout_ms(20'000);
    orders.set_retries(0);
    absl::StatusOr<std::unique_ptr<bus::RequestClient>> client =
        bus::RequestClient::Create(*bus_, orders, "execution");
    if (!client.ok()) return client.status();
    orders_ = std::move(*client);

    absl::StatusOr<std::unique_ptr<bus::RequestClient>> signer_client = ConnectSignerClient(
        *bus_, suite_.signer(), suite_.bench_signer_key(), suite_.dir().File("bench.curve"));
    if (!signer_client.ok()) return signer_client.status();
    signer_client_ = std::move(*signer_client);

    absl::StatusOr<std::unique_ptr<bus::Subscriber>> sub = bus::Subscriber::Create(*bus_, "exec");
    if (!sub.ok()) return sub.status();
    exec_ = std::move(*sub);
    config::v1::SocketConfig exec;
    exec.set_endpoint(suite_.exec_endpoint());
    if (absl::Status s = exec_->Connect(exec); !s.ok()) return s;
    if (absl::Status s = exec_->SubscribePrefix("exec.order."); !s.ok()) return s;
    exec_->On<orders::v1::ExecutionReport>(
        [this](const orders::v1::ExecutionReport& report, const bus::Delivery& delivery) {
          if (report.order().status() != orders::v1::ORDER_STATUS_NEW) return;
          // The first NEW report of the order: its acknowledgement.
          new_published_ns_.emplace(report.order().client_order_id(),
                                    delivery.header.publish_time_ns());
        });
    // The subscription reaches the publisher once the socket is touched.
    exec_->Poll();
    return absl::OkStatus();
  }

  orders::v1::NewOrder Order(const std::string& client_order_id) const {
    orders::v1::NewOrder o;
    o.set_client_order_id(client_order_id);
    o.set_strategy_id("bench");
    o.mutable_instrument()->set_venue(common::v1::VENUE_BINANCE);
    o.mutable_instrument()->set_symbol(kSymbol);
    o.set_side(common::v1::SIDE_BUY);
    o.set_order_type(orders::v1::ORDER_TYPE_LIMIT);
    o.set_time_in_force(orders::v1::TIME_IN_FORCE_GTC);
    o.set_qty(Raw(kQty));
    o.set_price(Raw(kPrice));
    o.set_intent_id("intent-" + client_order_id);
    o.mutable_approval()->set_decision_id("decision-" + client_order_id);
    o.mutable_approval()->set_approved_ns(SystemClock::Instance().Now().nanos());
    approval_->Sign(&o);
    return o;
  }

  // Risk's side of an order: approve, send, wait for execution's reply,
  // which must say the venue acknowledged it (status NEW).
  absl::Status PlaceOrder(const std::string& id, orders::v1::ExecutionReply* out,
                          LatencySamples* samples = nullptr) {
    orders::v1::ExecutionRequest request;
    *request.mutable_new_order() = Order(id);
    orders::v1::ExecutionReply reply;
    const int64_t sent_ns = SystemClock::Instance().Now().nanos();
    BenchClock::time_point start = BenchClock::now();
    absl::Status s = orders_->Call(request, &reply, {.request_id = "request-" + id});
    if (samples != nullptr) samples->Record(NanosSince(start));
    sent_ns_[id] = sent_ns;
    exec_->Poll();
    if (!s.ok()) {
      return Context("order " + id + ": execution did not answer; its output and log end with:\n" +
                         suite_.execution().Tail(),
                     s);
    }
    if (!reply.accepted() || reply.order().status() != orders::v1::ORDER_STATUS_NEW) {
      return absl::FailedPreconditionError(absl::StrCat(
          "order ", id, " was not acknowledged: accepted ", reply.accepted(), ", status ",
          orders::v1::OrderStatus_Name(reply.order().status()), ", refusal ",
          orders::v1::ExecutionRefusal_Name(reply.refusal()), ": ", reply.reason()));
    }
    if (out != nullptr) *out = reply;
    return absl::OkStatus();
  }

  absl::Status CancelRound(int expected) {
    orders::v1::ExecutionRequest request;
    orders::v1::CancelAll* all = request.mutable_cancel_all();
    all->mutable_instrument()->set_venue(common::v1::VENUE_BINANCE);
    all->mutable_instrument()->set_symbol(kSymbol);
    all->set_reason("benchmark round done");
    all->set_requested_by("bench");
    orders::v1::ExecutionReply reply;
    if (absl::Status s = orders_->Call(request, &reply); !s.ok()) return Context("cancel-all", s);
    if (!reply.accepted() || static_cast<int>(reply.orders_canceled()) != expected) {
      return absl::FailedPreconditionError(
          absl::StrCat("cancel-all through execution: accepted ", reply.accepted(), ", ",
                       reply.orders_canceled(), " of ", expected, " canceled: ", reply.reason()));
    }
    absl::StatusOr<net::HttpResponse> r = DirectSigned(
        "DELETE", "/api/v3/openOrders", absl::StrCat("symbol=", kSymbol, "&recvWindow=5000"));
    if (!r.ok() || r->status != 200) {
      return absl::UnavailableError(
          "DELETE /api/v3/openOrders: " +
          (r.ok() ? absl::StrCat("HTTP ", r->status, ": ", r->body) : r.status().ToString()));
    }
    return absl::OkStatus();
  }

  // Signs `query` + timestamp with the direct account's secret and sends it.
  absl::StatusOr<net::HttpResponse> DirectSigned(const char* method, const char* path,
                                                 const std::string& query,
                                                 LatencySamples* samples = nullptr) {
    std::string total = absl::StrCat(query, "&timestamp=", SystemClock::Instance().Now().millis());
    signing::HmacSha256Tag tag = signing::HmacSha256(
        std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(kDirectSecret),
                                 sizeof(kDirectSecret) - 1),
        total);
    std::string url =
        absl::StrCat(suite_.rest_url(), path, "?", total, "&signature=", signing::HexEncode(tag));
    BenchClock::time_point start = BenchClock::now();
    absl::StatusOr<net::HttpResponse> r =
        http_.Request(method, url, {{"X-MBX-APIKEY", kDirectApiKey}}, "", std::chrono::seconds(10));
    if (samples != nullptr) samples->Record(NanosSince(start));
    return r;
  }

  absl::Status PlaceDirect(const std::string& id, LatencySamples* samples = nullptr) {
    // The parameters the Binance adapter sends for the same order.
    absl::StatusOr<net::HttpResponse> r = DirectSigned(
        "POST", "/api/v3/order",
        absl::StrCat("symbol=", kSymbol, "&side=BUY&type=LIMIT&timeInForce=GTC&quantity=", kQty,
                     "&price=", kPrice, "&newClientOrderId=", id,
                     "&newOrderRespType=FULL&recvWindow=5000"),
        samples);
    if (!r.ok()) return Context("direct POST /api/v3/order " + id, r.status());
    if (r->status != 200 || r->body.find("\"status\":\"NEW\"") == std::string::npos) {
      return absl::FailedPreconditionError(absl::StrCat("direct POST /api/v3/order ", id, ": HTTP ",
                                                        r->status, ": ", r->body.substr(0, 300)));
    }
    return absl::OkStatus();
  }

  // The sign request execution's Binance adapter makes for the same order.
  absl::Status Sign(const std::string& id, LatencySamples* samples = nullptr) {
    signer::v1::SignRequest request = BinanceLimitBuySignRequest(
        kVenueKeyId, id,
        {.symbol = kSymbol, .qty = kQty, .price = kPrice, .notional_raw = Raw("10")});
    signer::v1::SignResponse response;
    BenchClock::time_point start = BenchClock::now();
    absl::Status s = signer_client_->Call(request, &response, {.request_id = id});
    if (samples != nullptr) samples->Record(NanosSince(start));
    if (!s.ok()) return Context("sign request " + id, s);
    if (!response.signed_()) {
      return absl::FailedPreconditionError(
          absl::StrCat("sign request ", id, " refused: ", response.reason()));
    }
    return absl::OkStatus();
  }

  // Every order sent has had its NEW report read off exec.*.
  absl::Status AwaitPublications() {
    auto all_seen = [&] {
      exec_->Poll();
      for (const auto& [id, sent] : sent_ns_) {
        if (!new_published_ns_.contains(id)) return false;
      }
      return true;
    };
    if (!testing::WaitUntil(all_seen, std::chrono::seconds(10))) {
      return absl::DeadlineExceededError(
          absl::StrCat("exec.order NEW reports: ", new_published_ns_.size(), " of ",
                       sent_ns_.size(), " orders seen in 10 s"));
    }
    return absl::OkStatus();
  }

  void Print(int per_round) {
    LatencySamples& raw = baselines_->raw();
    LatencySamples& bus_echo = baselines_->bus_echo();
    std::printf(
        "execution_service_bench: resting limit orders one at a time, risk -> "
        "tradeplane-execution (ipc) -> signer (ipc, CURVE) -> tradeplane-venue-sim (HTTP on "
        "loopback), PostgreSQL journal; %d per series in blocks of %d taken in turn (the resting "
        "orders cancelled after each), after %d warm-up orders; baselines in another process (this "
        "binary as an echo peer), the same message "
        "sizes: request %zu B, reply %zu B (envelopes)\n\n",
        per_round * args_.rounds, per_round, kWarmupRequests, baselines_->request_bytes(),
        baselines_->reply_bytes());
    LatencyTable table;
    table.Add("raw ZeroMQ REQ/REP (echo)", &raw);
    table.Add("bus RequestClient/ReplyServer (echo)", &bus_echo);
    table.Add("venue direct: signed POST /api/v3/order", &venue_);
    table.Add("signer: sign the order (CURVE)", &signer_);
    table.Add("execution: order -> reply (venue ack)", &execution_);
    table.Add("execution: order -> exec.order NEW published", &published_);
    std::printf("%s\n", table.Render().c_str());
    LatencyTable ratios;
    ratios.Add("execution order -> reply", &execution_);
    ratios.Add("execution order -> NEW published", &published_);
    ratios.Add("venue direct", &venue_);
    ratios.Add("bus echo", &bus_echo);
    std::printf("ratios:\n%s", ratios.Ratios(raw, "raw ZeroMQ").c_str());
    LatencyTable against_venue;
    against_venue.Add("execution order -> reply", &execution_);
    std::printf("%s", against_venue.Ratios(venue_, "venue direct").c_str());
    std::printf(
        "execution's added latency (order -> reply minus venue direct): p50 %s us, p99 %s us; "
        "of which the signer round trip p50 %s us; the rest (journal writes, risk's bus hop, "
        "the adapter) p50 %s us\n",
        Micros(execution_.Percentile(0.5) - venue_.Percentile(0.5)).c_str(),
        Micros(execution_.Percentile(0.99) - venue_.Percentile(0.99)).c_str(),
        Micros(signer_.Percentile(0.5)).c_str(),
        Micros(execution_.Percentile(0.5) - venue_.Percentile(0.5) - signer_.Percentile(0.5))
            .c_str());
  }

  BenchArgs args_;
  ExecutionSuite suite_;
  testing::TempDir peer_dir_;
  std::unique_ptr<ApprovalKey> approval_;
  std::unique_ptr<bus::BusContext> bus_;
  std::unique_ptr<bus::RequestClient> orders_;
  std::unique_ptr<bus::RequestClient> signer_client_;
  std::unique_ptr<bus::Subscriber> exec_;
  std::unique_ptr<EchoBaselines> baselines_;
  net::HttpClient http_;
  std::unordered_map<std::string, int64_t> sent_ns_;           // realtime clock
  std::unordered_map<std::string, int64_t> new_published_ns_;  // envelope publish time
  LatencySamples venue_, signer_, execution_, published_;
};

}  // namespace
}  // namespace tradeplane::bench

int main(int argc, char** argv) {
  using namespace tradeplane::bench;
  return RunBenchMain(argc, argv,
                      {.name = "execution_service_bench",
                       .usage = kUsage,
                       .defaults = {.requests = kDefaultRequests, .rounds = kDefaultRounds}},
                      [](const BenchArgs& args) {
                        ExecutionBench bench(args);  // its processes and files end with it
                        return bench.Run();
                      });
}
