#include "tradeplane/bench/bench_failure.h"

#include <csignal>
#include <cstdio>
#include <exception>

namespace tradeplane::bench {

void Fail(const std::string& what) { throw BenchFailure{what}; }

int RunReportingFailures(const char* bench_name, const std::function<int()>& run) {
  std::signal(SIGPIPE, SIG_IGN);
  try {
    return run();
  } catch (const BenchFailure& failure) {
    std::fprintf(stderr, "%s: FAILED: %s\n", bench_name, failure.what.c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: FAILED: %s\n", bench_name, e.what());
  }
  return 1;
}

}  // namespace tradeplane::bench
