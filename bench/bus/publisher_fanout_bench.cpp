// Publisher fan-out throughput: bus::Publisher against raw ZeroMQ.
//
// Each round runs two series, one after the other: A publishes N md.quote
// messages with bus::Publisher (an mdv1::Quote filled and reused as the
// market-data service does), B sends exactly the same frames with a raw
// ZeroMQ PUB (the last quote A delivered, captured by a subscriber: same
// topic, same envelope bytes). The subscribers are this program started again
// as processes (`--role=subscriber`), connected over ipc://, counting with
// the same raw SUB in both series. Rounds alternate A and B so that machine
// noise hits both. Every subscriber must receive every quote (high-water
// marks are set far above N): a series with a lost message is a failure, not
// a figure.
//
// Figures: "publish q/s" is N over the publishing loop alone; "delivered q/s"
// is N over the time from the first publish to the end marker's arrival at
// the slowest subscriber, the throughput the issue asks for. The target is
// median(A) >= 0.8 x median(B) on delivered q/s.
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <zmq.hpp>

#include "tradeplane/bus/context.h"
#include "tradeplane/bus/publisher.h"

#include "bench_quote.h"
#include "fanout_subscriber.h"
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace tradeplane::bench {
namespace {

// The largest high-water mark the bus config accepts; N must stay below it
// so that the PUB never drops.
constexpr int kSendHwm = 10'000'000;
constexpr int64_t kMaxMessages = 9'000'000;
constexpr int64_t kWarmupMessages = 10'000;
// Fixed, so that every round's envelopes have the same size (a random one
// takes 9 or 10 bytes); top bit set, as half of the random ones.
constexpr uint64_t kIncarnation = 0x9e3779b97f4a7c15;
constexpr auto kReadyTimeout = std::chrono::seconds(10);
constexpr auto kFinishTimeout = std::chrono::seconds(120);

struct Options {
  int64_t messages = 1'000'000;
  int rounds = 3;
  int subscribers = 1;
  bool enforce_target = false;
};

constexpr double kTargetRatio = 0.8;

// One of the two series: the loop is inside, so no virtual call per message.
class SeriesPublisher {
 public:
  virtual ~SeriesPublisher() = default;
  virtual std::string_view name() const = 0;
  virtual bool Start(const std::string& endpoint) = 0;
  virtual bool PublishQuotes(int64_t first, int64_t count) = 0;
  virtual bool Send(const char* topic) = 0;  // a probe or the end marker
  const std::string& error() const { return error_; }

 protected:
  std::string error_;
};

class BusSeries : public SeriesPublisher {
 public:
  explicit BusSeries(BenchQuotes& quotes) : quotes_(quotes) {}
  ~BusSeries() override {
    publisher_.reset();  // before its context
    context_.reset();
  }
  std::string_view name() const override { return "bus::Publisher"; }

  bool Start(const std::string& endpoint) override {
    config::v1::BusConfig bus_config;
    context_ = std::make_unique<bus::BusContext>(bus::BusIdentity{"md-bench", 0, kIncarnation},
                                                 bus_config, nullptr);
    config::v1::SocketConfig socket;
    socket.set_endpoint(endpoint);
    socket.set_send_hwm(kSendHwm);
    absl::StatusOr<std::unique_ptr<bus::Publisher>> publisher =
        bus::Publisher::Create(*context_, socket, "bench-publisher");
    if (!publisher.ok()) {
      error_ = publisher.status().ToString();
      return false;
    }
    publisher_ = std::move(*publisher);
    return true;
  }

  bool PublishQuotes(int64_t first, int64_t count) override {
    const std::string& topic = quotes_.topic();
    for (int64_t i = first; i < first + count; ++i) {
      const marketdata::v1::Quote& quote = quotes_.Fill(i);
      absl::Status s =
          publisher_->Publish(topic, quote, {.event_time_ns = quotes_.exchange_time_ns()});
      if (!s.ok()) {
        error_ = s.ToString();
        return false;
      }
    }
    return true;
  }

  bool Send(const char* topic) override {
    absl::Status s = publisher_->Publish(topic, quotes_.Fill(0));
    if (!s.ok()) error_ = s.ToString();
    return s.ok();
  }

 private:
  BenchQuotes& quotes_;
  std::unique_ptr<bus::BusContext> context_;
  std::unique_ptr<bus::Publisher> publisher_;
};

// Raw ZeroMQ, configured as bus::BusContext and bus::Publisher configure theirs.
class RawSeries : public SeriesPublisher {
 public:
  RawSeries(const std::string& topic, const std::string& envelope)
      : topic_(topic), envelope_(envelope), context_(1) {
    context_.set(zmq::ctxopt::blocky, false);
  }
  std::string_view name() const override { return "raw ZeroMQ PUB"; }

  bool Start(const std::string& endpoint) override {
    try {
      socket_ = zmq::socket_t(context_, zmq::socket_type::pub);
      socket_.set(zmq::sockopt::sndhwm, kSendHwm);
      socket_.set(zmq::sockopt::linger, 200);
      socket_.bind(endpoint);
    } catch (const zmq::error_t& e) {
      error_ = e.what();
      return false;
    }
    return true;
  }

  bool PublishQuotes(int64_t, int64_t count) override {
    try {
      for (int64_t i = 0; i < count; ++i) {
        (void)socket_.send(zmq::const_buffer(topic_.data(), topic_.size()),
                           zmq::send_flags::sndmore | zmq::send_flags::dontwait);
        (void)socket_.send(zmq::const_buffer(envelope_.data(), envelope_.size()),
                           zmq::send_flags::dontwait);
      }
    } catch (const zmq::error_t& e) {
      error_ = e.what();
      return false;
    }
    return true;
  }

  bool Send(const char* topic) override {
    try {
      std::string_view t(topic);
      (void)socket_.send(zmq::const_buffer(t.data(), t.size()),
                         zmq::send_flags::sndmore | zmq::send_flags::dontwait);
      (void)socket_.send(zmq::const_buffer(envelope_.data(), envelope_.size()),
                         zmq::send_flags::dontwait);
    } catch (const zmq::error_t& e) {
      error_ = e.what();
      return false;
    }
    return true;
  }

 private:
  std::string topic_;
  std::string envelope_;
  zmq::context_t context_;
  zmq::socket_t socket_;
};

struct SeriesResult {
  std::string name;
  int64_t lost = 0;  // summed over the subscribers
  double bytes_per_message = 0;
  double publish_per_s = 0;
  double delivered_per_s = 0;
};

bool Exists(const std::string& path) { return access(path.c_str(), F_OK) == 0; }

pid_t Spawn(const std::string& exe, const std::vector<std::string>& args) {
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(exe.c_str()));
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  if (posix_spawn(&pid, exe.c_str(), nullptr, nullptr, argv.data(), environ) != 0) return -1;
  return pid;
}

// Reaps the children that have exited; false (with `error`) if one failed.
bool Reap(std::vector<pid_t>& pids, std::string* error) {
  for (pid_t& pid : pids) {
    if (pid <= 0) continue;
    int status = 0;
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == 0) continue;
    pid = 0;
    if (r < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      *error = "a subscriber process failed (see its message above)";
      return false;
    }
  }
  return true;
}

void KillAll(std::vector<pid_t>& pids) {
  for (pid_t& pid : pids) {
    if (pid <= 0) continue;
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    pid = 0;
  }
}

bool AllDone(const std::vector<pid_t>& pids) {
  return std::all_of(pids.begin(), pids.end(), [](pid_t p) { return p == 0; });
}

// Runs one series; false with `error` set on any failure.
bool RunSeries(SeriesPublisher& publisher, const Options& options, const std::string& exe,
               const std::string& dir, const std::string& label, const std::string& quote_topic,
               const std::string& capture_file, SeriesResult* result, std::string* error) {
  result->name = std::string(publisher.name());
  std::string endpoint = "ipc://" + dir + "/" + label + ".ipc";
  if (!publisher.Start(endpoint)) {
    *error = "cannot start the publisher: " + publisher.error();
    return false;
  }
  // Warm-up before anyone is connected: the PUB discards these, our code
  // and libzmq's send path get their buffers and caches.
  if (!publisher.PublishQuotes(0, kWarmupMessages)) {
    *error = "warm-up: " + publisher.error();
    return false;
  }

  std::vector<pid_t> pids;
  std::vector<std::string> ready_files, result_files;
  for (int k = 0; k < options.subscribers; ++k) {
    std::string base = dir + "/" + label + "-" + std::to_string(k);
    ready_files.push_back(base + ".ready");
    result_files.push_back(base + ".result");
    std::vector<std::string> args = {"--role=subscriber", "--endpoint=" + endpoint,
                                     "--topic=" + quote_topic, "--ready=" + ready_files.back(),
                                     "--result=" + result_files.back()};
    if (k == 0 && !capture_file.empty()) args.push_back("--capture=" + capture_file);
    pid_t pid = Spawn(exe, args);
    if (pid <= 0) {
      KillAll(pids);
      *error = "cannot start a subscriber process";
      return false;
    }
    pids.push_back(pid);
  }

  // Probes until every subscription is live (ZeroMQ's slow joiner).
  auto deadline = std::chrono::steady_clock::now() + kReadyTimeout;
  while (!std::all_of(ready_files.begin(), ready_files.end(), Exists)) {
    if (!publisher.Send(kProbeTopic) || !Reap(pids, error) ||
        std::chrono::steady_clock::now() > deadline) {
      if (error->empty()) {
        *error =
            publisher.error().empty() ? "subscribers not ready within 10 s" : publisher.error();
      }
      KillAll(pids);
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }

  int64_t start_ns = MonotonicNs();
  bool published = publisher.PublishQuotes(kWarmupMessages, options.messages);
  int64_t published_ns = MonotonicNs();
  if (!published || !publisher.Send(kEndTopic)) {
    *error = "publishing: " + publisher.error();
    KillAll(pids);
    return false;
  }

  deadline = std::chrono::steady_clock::now() + kFinishTimeout;
  while (!AllDone(pids)) {
    if (!Reap(pids, error)) {
      KillAll(pids);
      return false;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      KillAll(pids);
      *error = "subscribers did not finish within 120 s";
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }

  int64_t last_end_ns = 0, bytes = 0, received = 0;
  for (const std::string& file : result_files) {
    FanoutResult r;
    if (!ReadFanoutResult(file, &r)) {
      *error = "cannot read " + file;
      return false;
    }
    last_end_ns = std::max(last_end_ns, r.end_ns);
    bytes += r.quote_bytes;
    received += r.quotes;
    result->lost += options.messages - r.quotes;
  }
  result->bytes_per_message =
      received > 0 ? static_cast<double>(bytes) / static_cast<double>(received) : 0;
  result->publish_per_s =
      static_cast<double>(options.messages) * 1e9 / static_cast<double>(published_ns - start_ns);
  result->delivered_per_s =
      static_cast<double>(options.messages) * 1e9 / static_cast<double>(last_end_ns - start_ns);
  return true;
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// `--name=value` or `--name value`; true when `arg` is the flag.
bool FlagValue(std::string_view name, int argc, char** argv, int* i, std::string_view* value) {
  std::string_view arg = argv[*i];
  if (!arg.starts_with(name)) return false;
  if (arg.size() == name.size()) {
    *value = *i + 1 < argc ? std::string_view(argv[++*i]) : std::string_view();
    return true;
  }
  if (arg[name.size()] != '=') return false;
  *value = arg.substr(name.size() + 1);
  return true;
}

bool PositiveInt(std::string_view text, int64_t max, int64_t* out) {
  if (text.empty() || text.size() > 10) return false;
  int64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  if (v <= 0 || v > max) return false;
  *out = v;
  return true;
}

constexpr char kUsage[] =
    "usage: publisher_fanout_bench [--messages N] [--rounds N] [--subscribers K] "
    "[--enforce_target]\n"
    "  --messages N     md.quote messages per series (default 1000000, at most 9000000)\n"
    "  --rounds N       rounds of (bus::Publisher, raw ZeroMQ) (default 3)\n"
    "  --subscribers K  subscriber processes, each receiving every message (default 1)\n"
    "  --enforce_target exit 3 when bus::Publisher is below 0.8 x raw ZeroMQ\n"
    "Google Benchmark flags (--benchmark_*) are accepted and ignored.\n";

int RunSubscriberRole(int argc, char** argv) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive the bench
  FanoutSubscriberArgs args;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i], value;
    if (arg == "--role=subscriber") continue;
    if (FlagValue("--endpoint", argc, argv, &i, &value)) {
      args.endpoint = std::string(value);
    } else if (FlagValue("--topic", argc, argv, &i, &value)) {
      args.quote_topic = std::string(value);
    } else if (FlagValue("--ready", argc, argv, &i, &value)) {
      args.ready_file = std::string(value);
    } else if (FlagValue("--result", argc, argv, &i, &value)) {
      args.result_file = std::string(value);
    } else if (FlagValue("--capture", argc, argv, &i, &value)) {
      args.capture_file = std::string(value);
    } else {
      std::fprintf(stderr, "fanout subscriber: unknown argument '%s'\n", argv[i]);
      return 2;
    }
  }
  if (args.endpoint.empty() || args.quote_topic.empty() || args.ready_file.empty() ||
      args.result_file.empty()) {
    std::fprintf(stderr, "fanout subscriber: --endpoint, --topic, --ready, --result required\n");
    return 2;
  }
  return RunFanoutSubscriber(args);
}

int Main(int argc, char** argv) {
  if (argc > 1 && std::string_view(argv[1]) == "--role=subscriber") {
    return RunSubscriberRole(argc, argv);
  }
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i], value;
    int64_t n = 0;
    if (arg.starts_with("--benchmark_")) continue;
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (arg == "--enforce_target") {
      options.enforce_target = true;
    } else if (FlagValue("--messages", argc, argv, &i, &value)) {
      if (!PositiveInt(value, kMaxMessages, &options.messages)) {
        std::fprintf(stderr, "publisher_fanout_bench: --messages: 1 to %lld\n",
                     static_cast<long long>(kMaxMessages));
        return 1;
      }
    } else if (FlagValue("--rounds", argc, argv, &i, &value)) {
      if (!PositiveInt(value, 100, &n)) {
        std::fputs("publisher_fanout_bench: --rounds: 1 to 100\n", stderr);
        return 1;
      }
      options.rounds = static_cast<int>(n);
    } else if (FlagValue("--subscribers", argc, argv, &i, &value)) {
      if (!PositiveInt(value, 64, &n)) {
        std::fputs("publisher_fanout_bench: --subscribers: 1 to 64\n", stderr);
        return 1;
      }
      options.subscribers = static_cast<int>(n);
    } else {
      std::fprintf(stderr, "publisher_fanout_bench: unknown argument '%s'\n%s", argv[i], kUsage);
      return 1;
    }
  }

  std::error_code ec;
  std::string exe = std::filesystem::read_symlink("/proc/self/exe", ec).string();
  if (ec) {
    std::fprintf(stderr, "publisher_fanout_bench: cannot find its own binary: %s\n",
                 ec.message().c_str());
    return 1;
  }
  std::string dir_template = (std::filesystem::temp_directory_path() / "fanout-XXXXXX").string();
  if (mkdtemp(dir_template.data()) == nullptr) {
    std::perror("publisher_fanout_bench: mkdtemp");
    return 1;
  }
  const std::string dir = dir_template;

  BenchQuotes quotes;
  std::string capture_file = dir + "/capture";
  std::printf(
      "publisher_fanout_bench: %lld md.quote messages per series, %d subscriber process(es) over "
      "ipc://, %d rounds\n",
      static_cast<long long>(options.messages), options.subscribers, options.rounds);
  std::printf("%-5s %-16s %9s %14s %16s %6s\n", "round", "series", "bytes/msg", "publish q/s",
              "delivered q/s", "lost");

  std::vector<double> bus_rates, raw_rates;
  std::string raw_topic, raw_envelope;
  std::string error;
  bool ok = true;
  for (int round = 1; round <= options.rounds && ok; ++round) {
    for (int series = 0; series < 2 && ok; ++series) {
      SeriesResult result;
      std::string label = "r" + std::to_string(round) + (series == 0 ? "-bus" : "-raw");
      if (series == 0) {
        BusSeries bus_series(quotes);
        ok = RunSeries(bus_series, options, exe, dir, label, quotes.topic(),
                       round == 1 ? capture_file : "", &result, &error);
        // Series B sends what A's subscriber received last: same frames, same sizes.
        if (ok && round == 1 && !ReadCapture(capture_file, &raw_topic, &raw_envelope)) {
          ok = false;
          error = "cannot read the captured quote";
        }
      } else {
        RawSeries raw_series(raw_topic, raw_envelope);
        ok = RunSeries(raw_series, options, exe, dir, label, quotes.topic(), "", &result, &error);
      }
      if (!ok) break;
      std::printf("%-5d %-16s %9.2f %14.0f %16.0f %6lld\n", round, result.name.c_str(),
                  result.bytes_per_message, result.publish_per_s, result.delivered_per_s,
                  static_cast<long long>(result.lost));
      std::fflush(stdout);
      if (result.lost != 0) {
        ok = false;
        error = "messages were lost: this series is not a throughput figure";
        break;
      }
      (series == 0 ? bus_rates : raw_rates).push_back(result.delivered_per_s);
    }
  }
  std::filesystem::remove_all(dir, ec);
  if (!ok) {
    std::fprintf(stderr, "publisher_fanout_bench: FAILED: %s\n", error.c_str());
    return 1;
  }

  double bus = Median(bus_rates), raw = Median(raw_rates);
  double ratio = bus / raw;
  std::printf("per-round ratios bus/raw:");
  for (size_t i = 0; i < bus_rates.size(); ++i) std::printf(" %.2f", bus_rates[i] / raw_rates[i]);
  std::printf(
      "\nmedian delivered: bus::Publisher %.0f q/s, raw ZeroMQ %.0f q/s (per subscriber, "
      "%d subscriber(s))\n",
      bus, raw, options.subscribers);
  bool met = ratio >= kTargetRatio;
  std::printf("ratio bus/raw = %.2f (target >= %.2f): %s\n", ratio, kTargetRatio,
              met ? "met" : "NOT MET");
  return !met && options.enforce_target ? 3 : 0;
}

}  // namespace
}  // namespace tradeplane::bench

int main(int argc, char** argv) { return tradeplane::bench::Main(argc, argv); }
