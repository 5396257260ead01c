// The command-line flags of the plain-program benchmarks: `--name VALUE` or
// `--name=VALUE`, `--help` (or `-h`), and Google Benchmark's own flags
// (`--benchmark_*`) accepted and ignored, because scripts/bench.sh passes
// `--benchmark_min_time` to every *_bench.
#ifndef TRADEPLANE_BENCH_BENCH_FLAGS_H_
#define TRADEPLANE_BENCH_BENCH_FLAGS_H_

#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>

namespace tradeplane::bench {

struct BenchFlag {
  std::string_view name;  // "--requests"
  // Takes the flag's value; on a bad one returns false with `problem` set to
  // what was expected ("needs a positive integer").
  std::function<bool(std::string_view value, std::string* problem)> set;
};

// Applies every flag of the command line; false with `error` set on an
// unknown argument, a missing value or one a flag refuses ("--requests needs
// a positive integer, got 'x'"). `help` is set when --help or -h is given.
bool ParseBenchFlags(int argc, char** argv, std::initializer_list<BenchFlag> flags, bool* help,
                     std::string* error);

// A flag whose value is a positive integer (at most 9 digits) stored in `target`.
BenchFlag PositiveIntFlag(std::string_view name, int* target);

// True with `out` set when `text` is a positive decimal integer of at most 9 digits.
bool ParsePositiveInt(std::string_view text, int* out);

}  // namespace tradeplane::bench

#endif  // TRADEPLANE_BENCH_BENCH_FLAGS_H_
