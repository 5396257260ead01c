#include "tradeplane/bench/bench_args.h"

#include "tradeplane/bench/bench_flags.h"

namespace tradeplane::bench {

bool ParseBenchArgs(int argc, char** argv, BenchArgs* args, std::string* error) {
  return ParseBenchFlags(
      argc, argv,
      {PositiveIntFlag("--requests", &args->requests), PositiveIntFlag("--rounds", &args->rounds)},
      &args->help, error);
}

}  // namespace tradeplane::bench
