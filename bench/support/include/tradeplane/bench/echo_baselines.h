// The two transport baselines of the request/reply benchmarks (signer,
// execution), measured against an EchoPeer in another process with the
// service's message sizes:
//
//   raw       bare ZeroMQ REQ/REP round trips, `request_bytes` out and
//             `reply_bytes` back
//   bus echo  the bus library's RequestClient/ReplyServer sending `request`
//             and getting the peer's canned reply
#ifndef TRADEPLANE_BENCH_ECHO_BASELINES_H_
#define TRADEPLANE_BENCH_ECHO_BASELINES_H_

#include <cstddef>
#include <memory>

#include "tradeplane/bench/echo_peer.h"
#include "tradeplane/bench/latency_samples.h"
#include "tradeplane/bus/context.h"

#include "absl/status/statusor.h"
#include "google/protobuf/message.h"

namespace tradeplane::bench {

class EchoBaselines {
 public:
  struct Messages {
    const google::protobuf::Message* request;  // sent by the bus series
    const google::protobuf::Message* reply;    // of the type the peer answers with
    size_t request_bytes = 0;                  // the raw series' sizes
    size_t reply_bytes = 0;
  };

  // Starts the peer (`context` makes its bus client and must outlive it);
  // `capacity` samples per series are reserved.
  static absl::StatusOr<std::unique_ptr<EchoBaselines>> Start(bus::BusContext& context,
                                                              const EchoPeerOptions& options,
                                                              const Messages& messages,
                                                              size_t capacity);

  // `count` raw and bus round trips in turn, not recorded; stops early with
  // CANCELLED on Ctrl-C.
  absl::Status WarmUp(int count);
  // `count` raw round trips, then `count` bus ones, each recorded: a block of
  // each series, so load from elsewhere falls on both alike.
  absl::Status MeasureBlock(int count);

  LatencySamples& raw() { return raw_; }
  LatencySamples& bus_echo() { return bus_echo_; }
  size_t request_bytes() const { return request_bytes_; }
  size_t reply_bytes() const { return reply_bytes_; }

 private:
  EchoBaselines(std::unique_ptr<EchoPeer> peer, const Messages& messages, size_t capacity);
  absl::Status BusEcho();

  std::unique_ptr<EchoPeer> peer_;
  std::unique_ptr<google::protobuf::Message> request_;
  std::unique_ptr<google::protobuf::Message> reply_;  // reused: no allocation per round trip
  size_t request_bytes_;
  size_t reply_bytes_;
  LatencySamples raw_;
  LatencySamples bus_echo_;
};

}  // namespace tradeplane::bench

#endif  // TRADEPLANE_BENCH_ECHO_BASELINES_H_
