// tradeplane-backtest: the demo's strategies, risk checks and simulated venue
// in one process, driven by the same replays, as fast as the machine goes.
//
//   tradeplane-backtest                         the demo's replay (deploy/demo/backtest.yaml)
//   tradeplane-backtest --config FILE           another BacktestConfig
//   tradeplane-backtest --digest                also print the event log's SHA-256
//   tradeplane-backtest --events FILE           write the event log
//   tradeplane-backtest --summary FILE          write summary.json
//
// Exit codes: 0 ran, 1 the run failed, 2 bad arguments or config.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tradeplane/backtest/backtest.h"
#include "tradeplane/core/command_line.h"
#include "tradeplane/core/config_loader.h"
#include "tradeplane/core/str_cat.h"

#include <unistd.h>

namespace {

namespace tp = tradeplane;

constexpr char kDefaultConfig[] = "deploy/demo/backtest.yaml";

const std::vector<tp::FlagDef>& Flags() {
  static const std::vector<tp::FlagDef> flags = {
      {.name = "config",
       .value_name = "FILE",
       .help = "BacktestConfig YAML (default: the demo's, " + std::string(kDefaultConfig) + ")"},
      {.name = "digest", .takes_value = false, .help = "print the SHA-256 of the event log"},
      {.name = "events", .value_name = "FILE", .help = "write the event log (one record per line)"},
      {.name = "summary",
       .value_name = "FILE",
       .help = "write the summary as JSON (the demo's summary.json keys)"},
      {.name = "latency-sample",
       .value_name = "N",
       .help = "time one event in N per stage (default 64, 0 = off)"},
      {.name = "quiet",
       .short_name = "q",
       .takes_value = false,
       .help = "no progress line, no summary (errors only)"},
      {.name = "help", .short_name = "h", .takes_value = false, .help = "this text"},
  };
  return flags;
}

int Fail(int code, std::string_view message) {
  std::fprintf(stderr, "tradeplane-backtest: %.*s\n", static_cast<int>(message.size()),
               message.data());
  return code;
}

// The demo's config from the project root or any directory below it (a build
// directory), so the command needs no arguments where a person runs it.
std::string FindDefaultConfig() {
  std::error_code ec;
  for (std::filesystem::path dir = std::filesystem::current_path(ec); !ec && !dir.empty();
       dir = dir.parent_path()) {
    std::filesystem::path candidate = dir / kDefaultConfig;
    if (std::filesystem::exists(candidate, ec)) return candidate.string();
    if (dir == dir.root_path()) break;
  }
  return "";
}

absl::Status WriteFile(const std::string& path, std::string_view content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return absl::InvalidArgumentError(tp::StrCat(path, ": cannot open for writing"));
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  if (!out) return absl::InternalError(tp::StrCat(path, ": write failed"));
  return absl::OkStatus();
}

// One status line on a terminal, rewritten in place at most ten times a
// second; nothing when stderr is a file (CI logs stay readable).
class ProgressLine {
 public:
  explicit ProgressLine(bool enabled) : enabled_(enabled && isatty(STDERR_FILENO) == 1) {}
  ~ProgressLine() { Clear(); }

  void Update(const tp::backtest::BacktestProgress& p) {
    if (!enabled_) return;
    auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    std::fprintf(stderr, "\r\033[Kreplay %d/%d %.*s  %llu events", p.replay, p.replays,
                 static_cast<int>(p.feed.size()), p.feed.data(),
                 static_cast<unsigned long long>(p.events));
    shown_ = true;
  }

  void Clear() {
    if (shown_) std::fprintf(stderr, "\r\033[K");
    shown_ = false;
  }

 private:
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace

int main(int argc, char** argv) {
  absl::StatusOr<tp::CommandLine> cl = tp::CommandLine::Parse(argc, argv, 1, Flags());
  if (!cl.ok()) return Fail(2, tp::ToStd(cl.status().message()));
  if (cl->Has("help")) {
    std::printf("usage: tradeplane-backtest [flags]\n%s", tp::FlagHelp(Flags()).c_str());
    return 0;
  }
  if (!cl->positional().empty())
    return Fail(2, tp::StrCat("unexpected argument '", cl->positional()[0], "' (see --help)"));
  absl::StatusOr<int64_t> sample = cl->GetInt("latency-sample", 64);
  if (!sample.ok()) return Fail(2, tp::ToStd(sample.status().message()));
  if (*sample < 0 || *sample > 1'000'000) return Fail(2, "--latency-sample: must be 0..1000000");

  std::string config_path = cl->Get("config");
  if (config_path.empty()) {
    config_path = FindDefaultConfig();
    if (config_path.empty()) {
      return Fail(
          2, tp::StrCat("no --config given and ", kDefaultConfig,
                        " not found here or in a parent directory; run from the project root"));
    }
  }
  tp::config::v1::BacktestConfig config;
  if (absl::Status s = tp::LoadYamlConfigFile(config_path, &config); !s.ok())
    return Fail(2, tp::ToStd(s.message()));

  absl::StatusOr<std::unique_ptr<tp::backtest::Backtest>> backtest =
      tp::backtest::Backtest::Create(config);
  if (!backtest.ok())
    return Fail(2, tp::StrCat(config_path, ": ", tp::ToStd(backtest.status().message())));
  std::string events;
  if (cl->Has("events")) (*backtest)->set_event_log(&events);
  (*backtest)->set_latency_sample(static_cast<uint32_t>(*sample));

  bool quiet = cl->Has("quiet");
  absl::Status run;
  {
    ProgressLine progress(!quiet);
    run = (*backtest)->Run([&](const tp::backtest::BacktestProgress& p) { progress.Update(p); });
  }
  if (!run.ok()) return Fail(1, tp::ToStd(run.message()));

  const tp::backtest::BacktestSummary& summary = (*backtest)->summary();
  if (cl->Has("events")) {
    if (absl::Status s = WriteFile(cl->Get("events"), events); !s.ok())
      return Fail(1, tp::ToStd(s.message()));
  }
  if (cl->Has("summary")) {
    if (absl::Status s = WriteFile(cl->Get("summary"), tp::backtest::SummaryJson(summary));
        !s.ok()) {
      return Fail(1, tp::ToStd(s.message()));
    }
  }
  if (!quiet) std::fputs(tp::backtest::SummaryText(summary).c_str(), stdout);
  // Quiet: the bare digest, for scripts comparing runs.
  if (cl->Has("digest"))
    std::printf("%s%s\n", quiet ? "" : "digest     ", (*backtest)->Digest().c_str());
  return 0;
}
