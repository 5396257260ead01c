// Backtest throughput in market events per second on the AMZN LOBSTER file,
// looped: the file is replayed again and again, each pass as the next
// trading day (a link to the file under the next date's name, since the
// replay takes the day from the file name), so time only moves forward and
// every pass is a full, fresh replay: text parsing, the order-level book,
// the L2 book, quotes, trades and bars, risk's market state and the
// simulated venue's book.
//
// Three runs, one after the other in this process, on the same passes:
//   parse+book  the floor: parse each line and apply it to the LOBSTER book,
//               nothing else (what any replay must do);
//   streaming   the backtest with no strategy: the data path end to end;
//   trading     the backtest with the demo's AMZN strategy, risk limits and
//               surveillance detectors.
// Each prints events/s on the wall clock and on the process's CPU clock (the
// CPU figure is the one to compare on a shared machine), and its ratio to the
// floor.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tradeplane/backtest/backtest.h"
#include "tradeplane/bench/bench_failure.h"
#include "tradeplane/bench/bench_flags.h"
#include "tradeplane/core/config_loader.h"
#include "tradeplane/core/str_cat.h"
#include "tradeplane/marketdata/lobster_book.h"
#include "tradeplane/marketdata/lobster_format.h"

#include <time.h>

namespace tradeplane::bench {
namespace {

constexpr char kUsage[] =
    "usage: backtest_streaming_bench [--passes=N]\n"
    "  --passes=N    times the AMZN file is replayed per run (default 100: a few seconds)\n"
    "  --benchmark_* accepted and ignored (scripts/bench.sh passes them)\n";

constexpr char kAmznFile[] = "AMZN_2021-04-12_34200000_57600000_message_10.csv";

struct Clocks {
  double wall_s = 0;
  double cpu_s = 0;
};

double Now(clockid_t clock) {
  timespec t{};
  clock_gettime(clock, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

template <typename F>
Clocks Time(F&& f) {
  double wall = Now(CLOCK_MONOTONIC);
  double cpu = Now(CLOCK_PROCESS_CPUTIME_ID);
  f();
  return {Now(CLOCK_MONOTONIC) - wall, Now(CLOCK_PROCESS_CPUTIME_ID) - cpu};
}

// One link to the AMZN file per pass, each named for the next calendar day.
std::vector<std::string> LinkPasses(const std::filesystem::path& dir, int passes) {
  const std::filesystem::path source =
      std::filesystem::path(TRADEPLANE_SOURCE_DIR) / "data/lobster" / kAmznFile;
  if (!std::filesystem::exists(source)) Fail(StrCat(source.string(), " is missing"));
  std::vector<std::string> files;
  int year = 2021, month = 4, day = 12;
  for (int i = 0; i < passes; ++i) {
    char name[96];
    std::snprintf(name, sizeof(name), "AMZN_%04d-%02d-%02d_34200000_57600000_message_10.csv", year,
                  month, day);
    std::filesystem::path link = dir / name;
    std::filesystem::create_symlink(source, link);
    files.push_back(link.string());
    if (++day > 28) {  // every month has a 28th: no calendar needed
      day = 1;
      if (++month > 12) month = 1, ++year;
    }
  }
  return files;
}

uint64_t ParseAndBook(const std::vector<std::string>& files) {
  uint64_t events = 0;
  std::string line;
  for (const std::string& file : files) {
    absl::StatusOr<marketdata::LobsterFileName> name =
        marketdata::ParseLobsterFileName(std::filesystem::path(file).filename().string());
    if (!name.ok()) Fail(StrCat(file, ": ", ToStd(name.status().message())));
    marketdata::LobsterBook book({.date = name->date, .file_levels = name->levels});
    std::ifstream in(file);
    while (std::getline(in, line)) {
      absl::StatusOr<marketdata::LobsterMessage> m = marketdata::ParseLobsterMessage(line);
      if (!m.ok()) continue;
      if (book.Apply(*m).ok()) ++events;
    }
  }
  return events;
}

config::v1::BacktestConfig Config(const std::vector<std::string>& files, bool trading) {
  config::v1::BacktestConfig config;
  const std::string demo = std::string(TRADEPLANE_SOURCE_DIR) + "/deploy/demo/backtest.yaml";
  if (absl::Status s = LoadYamlConfigFile(demo, &config); !s.ok()) {
    Fail(StrCat(demo, ": ", ToStd(s.message())));
  }
  config::v1::ReplayFeedConfig amzn;
  for (const config::v1::ReplayFeedConfig& r : config.replays()) {
    if (r.format() == config::v1::REPLAY_FORMAT_LOBSTER) amzn = r;
  }
  if (amzn.file().empty()) Fail(StrCat(demo, " has no LOBSTER replay"));
  config.clear_replays();
  for (const std::string& file : files) {
    config::v1::ReplayFeedConfig* r = config.add_replays();
    *r = amzn;
    r->set_file(file);
  }
  // Only the strategies on AMZN can act on this data.
  auto* strategies = config.mutable_strategies();
  for (int i = strategies->size() - 1; i >= 0; --i) {
    bool on_amzn = false;
    for (const auto& id : strategies->Get(i).instruments()) on_amzn |= id.symbol() == "AMZN";
    if (!trading || !on_amzn) strategies->DeleteSubrange(i, 1);
  }
  if (!trading) config.clear_detectors();
  return config;
}

backtest::BacktestSummary RunBacktest(const config::v1::BacktestConfig& config) {
  absl::StatusOr<std::unique_ptr<backtest::Backtest>> bt = backtest::Backtest::Create(config);
  if (!bt.ok()) Fail(StrCat("backtest: ", ToStd(bt.status().message())));
  (*bt)->set_latency_sample(0);
  if (absl::Status s = (*bt)->Run(); !s.ok()) Fail(StrCat("backtest: ", ToStd(s.message())));
  return (*bt)->summary();
}

void PrintRow(const char* name, uint64_t events, const Clocks& c, double floor_cpu_rate) {
  double wall_rate = static_cast<double>(events) / c.wall_s;
  double cpu_rate = static_cast<double>(events) / c.cpu_s;
  std::printf("%-12s %12llu %8.2f %8.2f %14.0f %14.0f %9.3f\n", name,
              static_cast<unsigned long long>(events), c.wall_s, c.cpu_s, wall_rate, cpu_rate,
              floor_cpu_rate > 0 ? cpu_rate / floor_cpu_rate : 1.0);
}

int Main(int argc, char** argv) {
  int passes = 100;
  bool help = false;
  std::string error;
  if (!ParseBenchFlags(argc, argv, {PositiveIntFlag("--passes", &passes)}, &help, &error)) {
    std::fprintf(stderr, "%s\n%s", error.c_str(), kUsage);
    return 2;
  }
  if (help) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              StrCat("backtest-bench-", static_cast<long long>(getpid()));
  std::filesystem::create_directories(dir);
  struct RemoveDir {
    std::filesystem::path dir;
    ~RemoveDir() {
      std::error_code ignored;
      std::filesystem::remove_all(dir, ignored);
    }
  } remove_dir{dir};
  std::vector<std::string> files = LinkPasses(dir, passes);

  uint64_t floor_events = 0;
  Clocks floor = Time([&] { floor_events = ParseAndBook(files); });
  backtest::BacktestSummary streaming;
  Clocks streaming_time = Time([&] { streaming = RunBacktest(Config(files, false)); });
  backtest::BacktestSummary trading;
  Clocks trading_time = Time([&] { trading = RunBacktest(Config(files, true)); });

  std::printf("AMZN 2021-04-12 09:30-10:00 (LOBSTER), %d passes, one thread\n", passes);
  std::printf("%-12s %12s %8s %8s %14s %14s %9s\n", "run", "events", "wall s", "cpu s",
              "events/s wall", "events/s cpu", "vs floor");
  double floor_cpu_rate = static_cast<double>(floor_events) / floor.cpu_s;
  PrintRow("parse+book", floor_events, floor, 0);
  PrintRow("streaming", streaming.events_replayed, streaming_time, floor_cpu_rate);
  PrintRow("trading", trading.events_replayed, trading_time, floor_cpu_rate);
  std::printf("trading: %llu intents, %llu orders, %llu fills\n",
              static_cast<unsigned long long>(trading.intents),
              static_cast<unsigned long long>(trading.orders_sent),
              static_cast<unsigned long long>(trading.fills));
  if (streaming.events_replayed != floor_events) {
    std::printf("note: the backtest replayed %llu events, the floor %llu\n",
                static_cast<unsigned long long>(streaming.events_replayed),
                static_cast<unsigned long long>(floor_events));
  }
  return 0;
}

}  // namespace
}  // namespace tradeplane::bench

int main(int argc, char** argv) {
  return tradeplane::bench::RunReportingFailures(
      "backtest_streaming_bench", [&] { return tradeplane::bench::Main(argc, argv); });
}
