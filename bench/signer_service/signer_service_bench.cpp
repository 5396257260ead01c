// The signer as a process: request/reply latency of signing requests sent
// one at a time by an allow-listed CURVE client, per algorithm (HMAC-SHA256,
// Ed25519), beside two baselines measured in the same run with messages of
// the same size, in another process:
//
//   raw ZeroMQ  a bare REQ/REP round trip with CURVE (libzmq only)
//   bus echo    the bus library's RequestClient/ReplyServer with CURVE and
//               the allow-list, answering a canned SignResponse
//
// so "signer / raw ZeroMQ" is what the service and the bus add to the
// transport, and "signer / bus echo" what the signer's own work adds (policy,
// signature, the request journal and audit in PostgreSQL).
//
// The run: a throwaway PostgreSQL, a keystore made with `tradeplane-signer
// keys` (an HMAC and an Ed25519 venue key with a permissive policy),
// `tradeplane-signer` serving ipc with CURVE, the echo peer (this binary
// again, `--echo-peer DIR`); then warm-up, then the four series in blocks of
// 100 taken in turn, so a burst of load from the machine's other users falls
// on all of them alike. Figures go to stdout; any
// failure ends the run with a message and exit code 1.
#include <cstdio>
#include <memory>
#include <string>

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
#include "tradeplane/bench/signer_process.h"
#include "tradeplane/bench/status_context.h"
#include "tradeplane/bus/context.h"
#include "tradeplane/bus/curve.h"
#include "tradeplane/bus/request_client.h"
#include "tradeplane/signer/v1/signer.pb.h"
#include "tradeplane/testing/pg_cluster.h"
#include "tradeplane/testing/temp_dir.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace tradeplane::bench {
namespace {

constexpr int kDefaultRequests = 3000;
constexpr int kDefaultRounds = 30;
constexpr int kWarmupRequests = 200;

// Binance's documented HMAC example key (public): benchmark-only.
constexpr char kHmacSecret[] = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
constexpr char kHmacApiKey[] = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
constexpr char kEd25519ApiKey[] = "BenchEd25519ApiKey";

constexpr char kUsage[] =
    "usage: signer_service_bench [--requests N] [--rounds N]\n"
    "  --requests N  sign requests per series (default 3000)\n"
    "  --rounds N    blocks each series is cut into, taken in turn (default 30)\n"
    "  --benchmark_* accepted and ignored (scripts/bench.sh passes them)\n";

// A Binance limit order as execution asks for it (the order's parameters,
// a fresh timestamp, the notional for the policy).
signer::v1::SignRequest Order(const std::string& key_id, const std::string& request_id) {
  return BinanceLimitBuySignRequest(
      key_id, request_id,
      {.symbol = "BTCUSDT",
       .qty = "0.0015",
       .price = "64123.45",
       .notional_raw = 96'185'175'000});  // 96.185175 USDT at the 1e-9 scale
}

class SignerBench {
 public:
  explicit SignerBench(const BenchArgs& args)
      : args_(args), hmac_(Capacity()), ed25519_(Capacity()) {}

  absl::Status Run() {
    absl::StatusOr<std::unique_ptr<testing::PgCluster>> pg = testing::PgCluster::Start();
    if (!pg.ok()) return Context("PostgreSQL", pg.status());
    pg_ = std::move(*pg);
    absl::StatusOr<std::string> conninfo = pg_->CreateDatabase();
    if (!conninfo.ok()) return Context("PostgreSQL", conninfo.status());

    absl::StatusOr<bus::CurveKeyPair> client = bus::GenerateCurveKeyPair();
    if (!client.ok()) return client.status();
    client_key_ = *client;
    SignerSetup setup;
    setup.dir = signer_dir_.path();
    setup.conninfo = *conninfo;
    setup.keys = {{"hmac", "hmac-sha256", kHmacSecret, kHmacApiKey, PermissiveVenuePolicyYaml()},
                  {"ed25519", "ed25519", "", kEd25519ApiKey, PermissiveVenuePolicyYaml()}};
    setup.clients = {{"execution", client_key_.public_key}};
    absl::StatusOr<std::unique_ptr<SignerProcess>> signer = SignerProcess::Start(setup);
    if (!signer.ok()) return Context("tradeplane-signer", signer.status());
    signer_ = std::move(*signer);

    bus_ = std::make_unique<bus::BusContext>(bus::BusIdentity{"execution", 0, 0},
                                             config::v1::BusConfig(), nullptr);
    if (absl::Status s = ConnectToSigner(); !s.ok()) return s;
    if (absl::Status s = CheckInterrupted(); !s.ok()) return s;

    // Warm-up (connections, caches, the database's plans); also the reply
    // whose size and content the baselines copy.
    signer::v1::SignResponse reply;
    for (int k = 0; k < kWarmupRequests; ++k) {
      if (absl::Status s = CheckInterrupted(); !s.ok()) return s;
      if (absl::Status s = Sign("hmac", "warm-h-" + std::to_string(k), &reply); !s.ok()) return s;
      if (absl::Status s = Sign("ed25519", "warm-e-" + std::to_string(k), nullptr); !s.ok()) {
        return s;
      }
    }
    const signer::v1::SignRequest canned_request = Order("hmac", "canned");
    EchoPeerOptions peer_options;
    peer_options.dir = peer_dir_.path();
    peer_options.curve = true;
    peer_options.sign_reply = reply;
    absl::StatusOr<std::unique_ptr<EchoBaselines>> baselines =
        EchoBaselines::Start(*bus_, peer_options,
                             {.request = &canned_request,
                              .reply = &reply,
                              .request_bytes = EnvelopeBytes(
                                  Order("hmac", "0190a3b2-7c41-7d3e-8f00-2b9d3c4e5f60"), false),
                              .reply_bytes = EnvelopeBytes(reply, true)},
                             Capacity());
    if (!baselines.ok()) return baselines.status();
    baselines_ = std::move(*baselines);
    if (absl::Status s = baselines_->WarmUp(kWarmupRequests); !s.ok()) return s;

    const int per_round = std::max(1, args_.requests / args_.rounds);
    for (int round = 0; round < args_.rounds; ++round) {
      if (absl::Status s = CheckInterrupted(); !s.ok()) return s;
      // Series in blocks of per_round, in turn: a burst of load from the
      // machine's other users falls on every series alike, while the work
      // a service does after replying (its log writer, the database's
      // background writers) stays out of the baselines but at the blocks'
      // edges. (Interleaving request by request put it on the next raw
      // round trip and tripled the raw p50.)
      if (absl::Status s = baselines_->MeasureBlock(per_round); !s.ok()) return s;
      for (auto [key, samples] : {std::pair{"hmac", &hmac_}, {"ed25519", &ed25519_}}) {
        for (int k = 0; k < per_round; ++k) {
          // The request is built outside the timed span, as execution builds
          // it before calling.
          std::string id = absl::StrCat("bench-", key, "-", round, "-", k);
          signer::v1::SignRequest request = Order(key, id);
          signer::v1::SignResponse response;
          BenchClock::time_point start = BenchClock::now();
          absl::Status s = client_->Call(request, &response, {.request_id = id});
          samples->Record(NanosSince(start));
          if (absl::Status checked = Check(s, response, id); !checked.ok()) return checked;
        }
      }
    }
    Print(per_round);
    return absl::OkStatus();
  }

 private:
  size_t Capacity() const { return static_cast<size_t>(args_.requests) + args_.rounds; }

  absl::Status ConnectToSigner() {
    absl::StatusOr<std::unique_ptr<bus::RequestClient>> client =
        ConnectSignerClient(*bus_, *signer_, client_key_, signer_dir_.File("execution.curve"));
    if (!client.ok()) return client.status();
    client_ = std::move(*client);
    return absl::OkStatus();
  }

  absl::Status Check(const absl::Status& call, const signer::v1::SignResponse& response,
                     const std::string& id) {
    if (!call.ok()) {
      return Context("sign request " + id + " failed; the signer's output and log end with:\n" +
                         signer_->process().Tail(),
                     call);
    }
    if (!response.signed_()) {
      return absl::FailedPreconditionError(
          absl::StrCat("sign request ", id, " was refused (",
                       signer::v1::SignRefusal_Name(response.refusal()), "): ", response.reason()));
    }
    return absl::OkStatus();
  }

  absl::Status Sign(const std::string& key, const std::string& id, signer::v1::SignResponse* out) {
    signer::v1::SignResponse response;
    absl::Status s = client_->Call(Order(key, id), &response, {.request_id = id});
    if (absl::Status checked = Check(s, response, id); !checked.ok()) return checked;
    if (out != nullptr) *out = response;
    return absl::OkStatus();
  }

  void Print(int per_round) {
    LatencySamples& raw = baselines_->raw();
    LatencySamples& bus_echo = baselines_->bus_echo();
    std::printf(
        "signer_service_bench: sign requests one at a time through tradeplane-signer (ipc, "
        "CURVE), %d per series in blocks of %d taken in turn, after %d warm-up requests each;\n"
        "baselines in another process (this binary as an echo peer), CURVE on, the same message "
        "sizes: request %zu B, reply %zu B (envelopes)\n\n",
        per_round * args_.rounds, per_round, kWarmupRequests, baselines_->request_bytes(),
        baselines_->reply_bytes());
    LatencyTable table;
    table.Add("raw ZeroMQ REQ/REP + CURVE (echo)", &raw);
    table.Add("bus RequestClient/ReplyServer + CURVE (echo)", &bus_echo);
    table.Add("signer, HMAC-SHA256 order", &hmac_);
    table.Add("signer, Ed25519 order", &ed25519_);
    std::printf("%s\n", table.Render().c_str());
    LatencyTable services;
    services.Add("signer, HMAC-SHA256 order", &hmac_);
    services.Add("signer, Ed25519 order", &ed25519_);
    services.Add("bus echo", &bus_echo);
    std::printf("ratios:\n%s", services.Ratios(raw, "raw ZeroMQ").c_str());
    LatencyTable own;
    own.Add("signer, HMAC-SHA256 order", &hmac_);
    own.Add("signer, Ed25519 order", &ed25519_);
    std::printf("%s", own.Ratios(bus_echo, "bus echo").c_str());
    std::printf("signer's own work at p50 (signer - bus echo): HMAC %s us, Ed25519 %s us\n",
                Micros(hmac_.Percentile(0.5) - bus_echo.Percentile(0.5)).c_str(),
                Micros(ed25519_.Percentile(0.5) - bus_echo.Percentile(0.5)).c_str());
  }

  BenchArgs args_;
  testing::TempDir signer_dir_;
  testing::TempDir peer_dir_;
  std::unique_ptr<testing::PgCluster> pg_;
  bus::CurveKeyPair client_key_;
  std::unique_ptr<SignerProcess> signer_;
  std::unique_ptr<bus::BusContext> bus_;
  std::unique_ptr<bus::RequestClient> client_;
  std::unique_ptr<EchoBaselines> baselines_;
  LatencySamples hmac_, ed25519_;
};

}  // namespace
}  // namespace tradeplane::bench

int main(int argc, char** argv) {
  using namespace tradeplane::bench;
  return RunBenchMain(argc, argv,
                      {.name = "signer_service_bench",
                       .usage = kUsage,
                       .defaults = {.requests = kDefaultRequests, .rounds = kDefaultRounds}},
                      [](const BenchArgs& args) {
                        SignerBench bench(args);  // its processes and files end with it
                        return bench.Run();
                      });
}
