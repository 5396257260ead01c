// The figures of a service against its raw ZeroMQ stand-in measured in the
// same run (risk_service_bench, signal_service_bench): both summaries, then
// the ratios and what the service adds at p50 and p99.
#ifndef TRADEPLANE_BENCH_PAIRED_SUMMARY_H_
#define TRADEPLANE_BENCH_PAIRED_SUMMARY_H_

#include <string>

#include "tradeplane/bench/latency_samples.h"

namespace tradeplane::bench {

// Three lines, each led by `what` padded to `what_width`:
//   <what> <service>:  p50 ... (N samples)
//   <what> raw relay:  p50 ... (N samples)
//   <what> ratio p50 3.1x, p99 2.4x; added by the service: p50 +12.3 us, p99 +45.6 us
std::string PairedSummary(const std::string& what, int what_width, const std::string& service,
                          LatencySamples& service_samples, LatencySamples& raw_samples);

}  // namespace tradeplane::bench

#endif  // TRADEPLANE_BENCH_PAIRED_SUMMARY_H_
