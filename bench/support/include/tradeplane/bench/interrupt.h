// Ctrl-C (SIGINT) and SIGTERM in the process-level benchmarks: the signal is
// only noted, so the run stops at its next check and tears down what it
// started (PostgreSQL, the services, the echo peer, their files) instead of
// leaving them running: they are in process groups of their own and would
// not see the signal.
#ifndef TRADEPLANE_BENCH_INTERRUPT_H_
#define TRADEPLANE_BENCH_INTERRUPT_H_

#include "absl/status/status.h"

namespace tradeplane::bench {

// Installs the handlers; call once, first thing in main.
void CatchInterrupts();
// CANCELLED once a signal came, else OK.
absl::Status CheckInterrupted();

}  // namespace tradeplane::bench

#endif  // TRADEPLANE_BENCH_INTERRUPT_H_
