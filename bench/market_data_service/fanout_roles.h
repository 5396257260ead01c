// The processes of market_data_service_bench besides the bench itself: a
// subscriber (one of K) and the raw publisher of the baseline. Both are the
// bench binary started again with a role argument.
#ifndef TRADEPLANE_BENCH_MARKET_DATA_SERVICE_FANOUT_ROLES_H_
#define TRADEPLANE_BENCH_MARKET_DATA_SERVICE_FANOUT_ROLES_H_

#include <cstdint>
#include <string>
#include <vector>

namespace tradeplane::bench {

// What one subscriber saw, as it writes it to its result file.
struct SubscriberResult {
  int64_t messages = 0;          // md.* except heartbeats
  int64_t first_receive_ns = 0;  // monotonic
  int64_t last_receive_ns = 0;
  std::vector<int64_t> latencies_ns;  // envelope publish time -> received (wall clock)
};

struct SubscriberArgs {
  std::string endpoint;
  std::string ready_file;    // created at the first heartbeat: the subscription is live
  std::string result_file;   // SubscriberResult
  std::string capture_file;  // optional: every data message's frames (the baseline's input)
};

// Receives md.* until one second passes without data after the first data
// message. Exit code 0, or non-zero with a message on stderr.
int RunSubscriber(const SubscriberArgs& args);

struct RawPublisherArgs {
  std::string endpoint;
  std::string capture_file;  // what a subscriber captured from the service
  std::string start_file;    // publishes heartbeats until it exists
  // At the captured messages' own pace (their publish times' offsets), not
  // as fast as possible.
  bool paced = false;
};

// Publishes heartbeats until released, then the captured messages (each
// re-stamped with its publish time) as fast as possible or paced, then
// heartbeats until killed.
int RunRawPublisher(const RawPublisherArgs& args);

bool WriteResult(const std::string& path, const SubscriberResult& result);
bool ReadResult(const std::string& path, SubscriberResult* result);

}  // namespace tradeplane::bench

#endif  // TRADEPLANE_BENCH_MARKET_DATA_SERVICE_FANOUT_ROLES_H_
