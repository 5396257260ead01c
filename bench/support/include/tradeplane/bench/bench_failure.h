// How the plain-program benchmarks (risk, signal, market data) fail: a
// BenchFailure is thrown to the top of main, so that the processes, the
// database and the temporary directory the run made are taken down on the
// way (by their destructors), and main prints the reason and exits 1.
#ifndef TRADEPLANE_BENCH_BENCH_FAILURE_H_
#define TRADEPLANE_BENCH_BENCH_FAILURE_H_

#include <functional>
#include <string>

namespace tradeplane::bench {

struct BenchFailure {
  std::string what;
};

[[noreturn]] void Fail(const std::string& what);

// Runs `run` with SIGPIPE ignored (a peer process that exits must not kill
// the bench) and returns its exit code; a BenchFailure (or any other
// exception, e.g. from the test support's file helpers) is printed as
// "<bench_name>: FAILED: <what>" on stderr and returns 1.
int RunReportingFailures(const char* bench_name, const std::function<int()>& run);

}  // namespace tradeplane::bench

#endif  // TRADEPLANE_BENCH_BENCH_FAILURE_H_
