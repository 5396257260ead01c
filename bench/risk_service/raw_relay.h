// The baseline of risk_service_bench: a bare ZeroMQ process with the same
// hops as tradeplane-risk (REP from the bench's "signal", REQ to the bench's
// "execution", the reply back) that forwards captured messages of the same
// sizes and does nothing else.
#ifndef TRADEPLANE_BENCH_RISK_SERVICE_RAW_RELAY_H_
#define TRADEPLANE_BENCH_RISK_SERVICE_RAW_RELAY_H_

#include <string>

namespace tradeplane::bench {

struct RawRelayArgs {
  std::string intents_endpoint;  // bound (REP)
  std::string orders_endpoint;   // connected (REQ)
  std::string order_file;        // the bytes sent for each intent received
  std::string decision_file;     // the bytes replied once execution answered
};

// Runs until killed; returns non-zero with a message on stderr when it
// cannot start.
int RunRawRelay(const RawRelayArgs& args);

}  // namespace tradeplane::bench

#endif  // TRADEPLANE_BENCH_RISK_SERVICE_RAW_RELAY_H_
