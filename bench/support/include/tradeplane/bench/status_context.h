// Says which step of a benchmark run failed: the status with its code and
// "<what>: " before its message.
#ifndef TRADEPLANE_BENCH_STATUS_CONTEXT_H_
#define TRADEPLANE_BENCH_STATUS_CONTEXT_H_

#include <string>

#include "absl/status/status.h"

namespace tradeplane::bench {

inline absl::Status Context(const std::string& what, const absl::Status& s) {
  return absl::Status(s.code(), what + ": " + std::string(s.message()));
}

}  // namespace tradeplane::bench

#endif  // TRADEPLANE_BENCH_STATUS_CONTEXT_H_
