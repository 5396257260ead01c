// market_data_service_bench: fan-out of tradeplane-market-data to K
// subscriber processes, beside a raw ZeroMQ PUB with the same messages
// measured in the same run.
//
// The service replays the AMZN half hour (data/lobster, 40,674 order events)
// as fast as possible: each subscriber (a process of its own, one ZeroMQ I/O
// thread, blocking receives) counts md.* messages, their rate from its first
// to its last, and the latency from the envelope's publish time to receipt.
// The baseline is a raw PUB process that publishes exactly the messages a
// subscriber received from the service (same topics, same bytes, re-stamped
// with the publish time), as fast as it can, to the same K subscribers. Under
// as-fast-as-possible load the latency is mostly queueing (how far the
// subscribers fall behind the publisher), so read it together with the rate.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "tradeplane/admin/admin_client.h"
#include "tradeplane/admin/v1/services.grpc.pb.h"
#include "tradeplane/bench/bench_failure.h"
#include "tradeplane/bench/bench_flags.h"
#include "tradeplane/bench/latency_samples.h"
#include "tradeplane/bench/self_path.h"
#include "tradeplane/testing/subprocess.h"
#include "tradeplane/testing/temp_dir.h"
#include "tradeplane/testing/wait.h"

#include "fanout_roles.h"
#include <unistd.h>

namespace tradeplane::bench {
namespace {

using testing::Subprocess;
using testing::TempDir;

constexpr char kAdminToken[] = "bench:0123456789abcdef0123";
const std::string kAmzn =
    TRADEPLANE_SOURCE_DIR "/data/lobster/AMZN_2021-04-12_34200000_57600000_message_10.csv";

constexpr char kUsage[] =
    "usage: market_data_service_bench [--subscribers=K,K...] [--paced-speed=X]\n"
    "  --subscribers=K,K...  the subscriber counts to run, each 1..16 (default 1,4)\n"
    "  --paced-speed=X       the paced phase's multiple of real time, 0 to skip it\n"
    "                        (default 1000)\n"
    "  --benchmark_*         accepted and ignored (scripts/bench.sh passes them)\n"
    "  (each flag also as --flag VALUE)\n";

struct Options {
  std::vector<int> subscriber_counts = {1, 4};
  // The paced phase replays at this multiple of real time (0: skipped).
  double paced_speed = 1000;
  bool help = false;
};

bool ParseSubscriberCounts(std::string_view list, std::vector<int>* counts, std::string* problem) {
  counts->clear();
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    if (comma == std::string_view::npos) comma = list.size();
    int k = 0;
    if (!ParsePositiveInt(list.substr(start, comma - start), &k) || k > 16) {
      *problem = "needs counts of 1..16 separated by commas";
      return false;
    }
    counts->push_back(k);
    start = comma + 1;
  }
  return true;
}

Options ParseOptions(int argc, char** argv) {
  Options o;
  std::string error;
  BenchFlag subscribers{"--subscribers", [&](std::string_view value, std::string* problem) {
                          return ParseSubscriberCounts(value, &o.subscriber_counts, problem);
                        }};
  BenchFlag paced_speed{"--paced-speed", [&](std::string_view value, std::string* problem) {
                          char* end = nullptr;
                          std::string text(value);
                          o.paced_speed = std::strtod(text.c_str(), &end);
                          if (text.empty() || *end != '\0' || !(o.paced_speed >= 0)) {
                            *problem = "needs 0 (skip) or a positive multiple of real time";
                            return false;
                          }
                          return true;
                        }};
  if (!ParseBenchFlags(argc, argv, {subscribers, paced_speed}, &o.help, &error)) {
    Fail(error + "\n" + kUsage);
  }
  return o;
}

// K subscriber processes on one endpoint.
class Subscribers {
 public:
  Subscribers(const TempDir& dir, const std::string& run, const std::string& endpoint, int count,
              const std::string& capture_file = "")
      : dir_(dir), run_(run) {
    for (int i = 0; i < count; ++i) {
      std::string name = run + "-sub" + std::to_string(i);
      Subprocess::Options options;
      options.output_file = dir.File(name + ".out");
      auto p = Subprocess::Start({SelfPath(), "--subscriber", endpoint, dir.File(name + ".ready"),
                                  dir.File(name + ".result"), i == 0 ? capture_file : ""},
                                 options);
      if (!p.ok()) Fail("cannot start a subscriber: " + std::string(p.status().message()));
      processes_.push_back(std::move(*p));
      names_.push_back(name);
    }
  }

  void WaitReady() {
    bool ready = testing::WaitUntil(
        [&] {
          for (const std::string& n : names_) {
            if (access(dir_.File(n + ".ready").c_str(), F_OK) != 0) return false;
          }
          return true;
        },
        std::chrono::seconds(30));
    if (!ready) Fail(run_ + ": the subscribers saw no heartbeat within 30 s");
  }

  // Waits for every subscriber to finish and reads what each saw.
  std::vector<SubscriberResult> Results() {
    std::vector<SubscriberResult> results;
    for (size_t i = 0; i < processes_.size(); ++i) {
      std::optional<int> code = processes_[i]->Wait(std::chrono::seconds(60));
      if (!code || *code != 0) {
        Fail(run_ + ": subscriber " + std::to_string(i) + " failed: " + processes_[i]->Output());
      }
      SubscriberResult r;
      if (!ReadResult(dir_.File(names_[i] + ".result"), &r)) Fail(run_ + ": no result file");
      results.push_back(std::move(r));
    }
    return results;
  }

 private:
  const TempDir& dir_;
  std::string run_;
  std::vector<std::unique_ptr<Subprocess>> processes_;
  std::vector<std::string> names_;
};

class MarketDataProcess {
 public:
  // `speed`: 0 as fast as possible, else a multiple of real time.
  MarketDataProcess(const TempDir& dir, const std::string& run, double speed) : dir_(dir) {
    std::string pace = speed > 0 ? "speed: REAL_TIME, speed_multiplier: " + std::to_string(speed)
                                 : std::string("speed: AS_FAST_AS_POSSIBLE");
    admin_port_ = testing::FreeTcpPort();
    endpoint_ = dir.Ipc(run + "-md");
    testing::WriteFile(dir.File("tokens"), std::string(kAdminToken) + "\n");
    testing::WriteFile(
        dir.File(run + ".yaml"),
        "common:\n"
        "  admin: {port: " +
            std::to_string(admin_port_) +
            ", token_file: tokens}\n"
            "  telemetry: {metrics_port: -1, log_file: " +
            run +
            ".log, log_level: info}\n"
            "publisher: {endpoint: '" +
            endpoint_ +
            "', send_hwm: 1000000}\n"
            "snapshot_server: {endpoint: '" +
            dir.Ipc(run + "-snap") +
            "'}\n"
            "heartbeat_interval_ms: 20\n"
            "hold_feeds: true\n"
            "instruments:\n"
            "  - {id: {venue: NASDAQ, symbol: AMZN}, tick_size: '0.01', lot_size: '1'}\n"
            "feeds:\n"
            "  - replay: {format: LOBSTER, file: '" +
            kAmzn + "', instrument: {venue: NASDAQ, symbol: AMZN}, " + pace + "}\n");
    Subprocess::Options options;
    options.output_file = dir.File(run + ".out");
    auto p = Subprocess::Start(
        {testing::BinaryPath("tradeplane-market-data"), "--config", dir.File(run + ".yaml")},
        options);
    if (!p.ok()) Fail("cannot start tradeplane-market-data: " + std::string(p.status().message()));
    process_ = std::move(*p);
  }

  const std::string& endpoint() const { return endpoint_; }

  void Release() {
    admin::AdminClientOptions admin{.target = "127.0.0.1:" + std::to_string(admin_port_),
                                    .token = kAdminToken,
                                    .timeout_ms = 5000};
    auto channel = admin::MakeAdminChannel(admin);
    if (!channel.ok()) Fail("admin channel: " + std::string(channel.status().message()));
    grpc::ClientContext ctx;
    admin::PrepareContext(&ctx, admin);
    admin::v1::ReleaseFeedsRequest req;
    req.set_reason("benchmark");
    admin::v1::ReleaseFeedsResponse resp;
    grpc::Status s = admin::v1::MarketDataAdmin::NewStub(*channel)->ReleaseFeeds(&ctx, req, &resp);
    if (!s.ok()) Fail("ReleaseFeeds: " + s.error_message() + "\n" + process_->Output());
  }

 private:
  const TempDir& dir_;
  int admin_port_ = 0;
  std::string endpoint_;
  std::unique_ptr<Subprocess> process_;
};

struct Figures {
  int64_t messages_min = 0;        // the fewest any subscriber received
  double rate_per_subscriber = 0;  // messages/s, the mean over subscribers
  double rate_aggregate = 0;       // messages/s delivered, all subscribers together
  std::unique_ptr<LatencySamples> latency;
};

Figures Summarize(const std::vector<SubscriberResult>& results) {
  Figures f;
  size_t total = 0;
  for (const SubscriberResult& r : results) total += r.latencies_ns.size();
  f.latency = std::make_unique<LatencySamples>(total);
  f.messages_min = results.empty() ? 0 : results[0].messages;
  for (const SubscriberResult& r : results) {
    f.messages_min = std::min(f.messages_min, r.messages);
    double seconds = static_cast<double>(r.last_receive_ns - r.first_receive_ns) * 1e-9;
    double rate = seconds > 0 ? static_cast<double>(r.messages - 1) / seconds : 0;
    f.rate_per_subscriber += rate / static_cast<double>(results.size());
    f.rate_aggregate += rate;
    for (int64_t ns : r.latencies_ns) f.latency->Record(ns);
  }
  return f;
}

Figures RunService(const TempDir& dir, const std::string& run, int k, double speed,
                   const std::string& capture = "") {
  MarketDataProcess md(dir, run, speed);
  Subscribers subs(dir, run, md.endpoint(), k, capture);
  subs.WaitReady();
  md.Release();
  return Summarize(subs.Results());
}

Figures RunRaw(const TempDir& dir, const std::string& run, int k, const std::string& capture,
               bool paced) {
  std::string endpoint = dir.Ipc(run + "-raw");
  std::string start = dir.File(run + ".start");
  Subprocess::Options options;
  options.output_file = dir.File(run + "-pub.out");
  auto publisher = Subprocess::Start(
      {SelfPath(), "--raw-publisher", endpoint, capture, start, paced ? "paced" : "fast"}, options);
  if (!publisher.ok()) Fail("cannot start the raw publisher");
  Subscribers subs(dir, run, endpoint, k);
  subs.WaitReady();
  testing::WriteFile(start, "go\n");
  return Summarize(subs.Results());
}

void Print(int k, Figures& service, Figures& raw) {
  std::printf("K=%d subscribers (separate processes):\n", k);
  std::printf(
      "  tradeplane-market-data: %lld msgs per subscriber, %.0f msgs/s per subscriber, %.0f msgs/s "
      "delivered in all; publish->receive %s\n",
      static_cast<long long>(service.messages_min), service.rate_per_subscriber,
      service.rate_aggregate, service.latency->Summary().c_str());
  std::printf(
      "  raw ZeroMQ PUB:         %lld msgs per subscriber, %.0f msgs/s per subscriber, %.0f msgs/s "
      "delivered in all; publish->receive %s\n",
      static_cast<long long>(raw.messages_min), raw.rate_per_subscriber, raw.rate_aggregate,
      raw.latency->Summary().c_str());
  std::printf(
      "  service/raw: throughput %.2fx, latency p50 %s, p99 %s\n",
      raw.rate_per_subscriber > 0 ? service.rate_per_subscriber / raw.rate_per_subscriber : 0.0,
      RatioText(*service.latency, *raw.latency, 0.5).c_str(),
      RatioText(*service.latency, *raw.latency, 0.99).c_str());
}

int Run(const Options& options) {
  if (options.help) {
    std::printf("%s", kUsage);
    return 0;
  }
  TempDir dir;
  // Each phase starts with a replay that is not measured: it captures the
  // messages (and, paced, their schedule) the raw publisher then sends, and
  // warms the page cache for the replay file.
  const std::string capture = dir.File("capture.bin");
  Figures first = RunService(dir, "capture", 1, 0, capture);
  if (first.messages_min < 1000) Fail("the replay published too little to measure");
  std::printf(
      "market_data_service_bench: tradeplane-market-data replaying the AMZN LOBSTER half hour "
      "(%lld md.* messages) to K subscriber processes, against a raw ZeroMQ PUB process "
      "publishing the same messages (same topics and bytes, re-stamped) to K subscribers, in "
      "the same run; latency = envelope publish time -> received\n",
      static_cast<long long>(first.messages_min));
  std::printf(
      "-- as fast as possible (throughput; the latency is queueing behind the faster "
      "publisher, so compare the rates)\n");
  for (int k : options.subscriber_counts) {
    std::string name = "k" + std::to_string(k);
    Figures service = RunService(dir, name + "-service", k, 0);
    Figures raw = RunRaw(dir, name + "-raw", k, capture, false);
    Print(k, service, raw);
  }
  if (options.paced_speed <= 0) return 0;
  const std::string paced_capture = dir.File("capture-paced.bin");
  RunService(dir, "capture-paced", 1, options.paced_speed, paced_capture);
  std::printf(
      "-- paced at %.0fx real time (latency; the raw publisher follows the schedule the "
      "service published at)\n",
      options.paced_speed);
  for (int k : options.subscriber_counts) {
    std::string name = "paced-k" + std::to_string(k);
    Figures service = RunService(dir, name + "-service", k, options.paced_speed);
    Figures raw = RunRaw(dir, name + "-raw", k, paced_capture, true);
    Print(k, service, raw);
  }
  return 0;
}

}  // namespace
}  // namespace tradeplane::bench

int main(int argc, char** argv) {
  using namespace tradeplane::bench;
  if (argc == 6 && std::strcmp(argv[1], "--subscriber") == 0) {
    return RunSubscriber({argv[2], argv[3], argv[4], argv[5]});
  }
  if (argc == 6 && std::strcmp(argv[1], "--raw-publisher") == 0) {
    return RunRawPublisher({argv[2], argv[3], argv[4], std::strcmp(argv[5], "paced") == 0});
  }
  return RunReportingFailures("market_data_service_bench",
                              [&] { return Run(ParseOptions(argc, argv)); });
}
