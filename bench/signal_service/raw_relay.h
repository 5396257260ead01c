// The baseline of signal_service_bench: a bare ZeroMQ process with the same
// hops as tradeplane-signal (SUB of the bench's quotes, REQ to the bench's
// "risk") that sends, for every quote received, the intents the service sent
// for one quote (captured bytes, same sizes and count), one round trip each.
#ifndef TRADEPLANE_BENCH_SIGNAL_SERVICE_RAW_RELAY_H_
#define TRADEPLANE_BENCH_SIGNAL_SERVICE_RAW_RELAY_H_

#include <string>

namespace tradeplane::bench {

struct RawRelayArgs {
  std::string market_data_endpoint;  // connected (SUB, "md.")
  std::string risk_endpoint;         // connected (REQ)
  std::string intents_file;          // the intents to send per quote (frame_file.h)
};

// Runs until killed; non-zero with a message on stderr when it cannot start.
int RunRawRelay(const RawRelayArgs& args);

}  // namespace tradeplane::bench

#endif  // TRADEPLANE_BENCH_SIGNAL_SERVICE_RAW_RELAY_H_
