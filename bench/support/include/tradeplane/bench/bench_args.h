// The command line of the process-level benchmarks (plain programs, not
// Google Benchmark): `--requests N` and `--rounds N` (also `--flag=N`).
// Google Benchmark's own flags (`--benchmark_*`) are accepted and ignored,
// because scripts/bench.sh passes `--benchmark_min_time` to every *_bench.
#ifndef TRADEPLANE_BENCH_BENCH_ARGS_H_
#define TRADEPLANE_BENCH_BENCH_ARGS_H_

#include <string>

namespace tradeplane::bench {

struct BenchArgs {
  int requests = 0;  // per measured series
  // The run is cut into this many rounds; between two, the benchmark checks
  // for Ctrl-C and tidies up (e.g. cancels the orders left resting).
  int rounds = 0;
  bool help = false;
};

// Fills `args` (its values are the defaults); false with `error` set on an
// unknown flag or a value that is not a positive integer.
bool ParseBenchArgs(int argc, char** argv, BenchArgs* args, std::string* error);

}  // namespace tradeplane::bench

#endif  // TRADEPLANE_BENCH_BENCH_ARGS_H_
