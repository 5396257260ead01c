// The main() of the request/reply process benchmarks (signer, execution):
// the echo-peer role when asked for, Ctrl-C caught, `--requests N` and
// `--rounds N` parsed (bench_args.h), then the run, whose processes and
// files are gone by the time its result is printed.
#ifndef TRADEPLANE_BENCH_BENCH_MAIN_H_
#define TRADEPLANE_BENCH_BENCH_MAIN_H_

#include <functional>

#include "tradeplane/bench/bench_args.h"

#include "absl/status/status.h"

namespace tradeplane::bench {

struct BenchMain {
  const char* name;   // "signer_service_bench", for messages
  const char* usage;  // printed for --help: the flags and their defaults
  BenchArgs defaults;
};

// Exit codes: 0 done (or --help), 1 the run failed ("<name> FAILED: <status>"
// on stderr), 2 a bad command line. `run` builds the benchmark, runs it and
// lets it go before returning.
int RunBenchMain(int argc, char** argv, const BenchMain& main,
                 const std::function<absl::Status(const BenchArgs&)>& run);

}  // namespace tradeplane::bench

#endif  // TRADEPLANE_BENCH_BENCH_MAIN_H_
