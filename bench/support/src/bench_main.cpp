#include "tradeplane/bench/bench_main.h"

#include <cstdio>
#include <optional>
#include <string>

#include "tradeplane/bench/echo_peer.h"
#include "tradeplane/bench/interrupt.h"

namespace tradeplane::bench {

int RunBenchMain(int argc, char** argv, const BenchMain& main,
                 const std::function<absl::Status(const BenchArgs&)>& run) {
  if (std::optional<int> code = RunEchoPeerIfAsked(argc, argv)) return *code;
  CatchInterrupts();
  BenchArgs args = main.defaults;
  std::string error;
  if (!ParseBenchArgs(argc, argv, &args, &error)) {
    std::fprintf(stderr, "%s: %s\n%s", main.name, error.c_str(), main.usage);
    return 2;
  }
  if (args.help) {
    std::printf("%s", main.usage);
    return 0;
  }
  if (absl::Status s = run(args); !s.ok()) {
    std::fprintf(stderr, "%s FAILED: %s\n", main.name, s.ToString().c_str());
    return 1;
  }
  return 0;
}

}  // namespace tradeplane::bench
