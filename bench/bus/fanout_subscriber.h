// The subscriber process of publisher_fanout_bench: the bench binary started
// again with `--role=subscriber`. The same raw ZeroMQ SUB counts both series
// (bus::Publisher and raw PUB), so the difference between the two is the
// publishing side's alone.
#ifndef TRADEPLANE_BENCH_BUS_FANOUT_SUBSCRIBER_H_
#define TRADEPLANE_BENCH_BUS_FANOUT_SUBSCRIBER_H_

#include <cstdint>
#include <string>

namespace tradeplane::bench {

// Topics besides the quotes: the publisher sends probes until every
// subscriber has seen one (the subscription is live), then the quotes, then
// one end marker.
inline constexpr char kProbeTopic[] = "bench.probe";
inline constexpr char kEndTopic[] = "bench.end";

struct FanoutSubscriberArgs {
  std::string endpoint;
  std::string quote_topic;
  std::string ready_file;    // created at the first probe
  std::string result_file;   // FanoutResult, written at the end marker
  std::string capture_file;  // optional: the last quote's two frames
  int timeout_ms = 30'000;   // longest wait for any message
};

// What one subscriber saw.
struct FanoutResult {
  int64_t quotes = 0;
  int64_t quote_bytes = 0;     // topic + envelope frames of the quotes
  int64_t first_quote_ns = 0;  // CLOCK_MONOTONIC, shared by the processes of the machine
  int64_t end_ns = 0;          // the end marker's arrival
};

// Receives until the end marker. Exit code 0, or non-zero with a message on stderr.
int RunFanoutSubscriber(const FanoutSubscriberArgs& args);

bool ReadFanoutResult(const std::string& path, FanoutResult* result);
// The captured [topic][envelope] of the last quote.
bool ReadCapture(const std::string& path, std::string* topic, std::string* envelope);

int64_t MonotonicNs();

}  // namespace tradeplane::bench

#endif  // TRADEPLANE_BENCH_BUS_FANOUT_SUBSCRIBER_H_
