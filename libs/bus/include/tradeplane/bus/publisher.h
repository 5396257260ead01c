// Publisher: the PUB side of a bus stream. Binds its endpoint.
//
// Each message is [topic][envelope]. Sequence numbers are kept per topic and
// start at 1 for this incarnation. Publish never blocks: ZeroMQ drops
// messages for a subscriber whose queue is at its high-water mark, and that
// subscriber sees the gap in the sequence (and counts it). Not thread-safe:
// one publisher per thread.
#ifndef TRADEPLANE_BUS_PUBLISHER_H_
#define TRADEPLANE_BUS_PUBLISHER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <google/protobuf/message.h>

#include "tradeplane/bus/context.h"
#include "tradeplane/bus/socket_stats.h"
#include "tradeplane/telemetry/trace_context.h"

#include "absl/status/statusor.h"

namespace tradeplane::bus {

struct PublishOptions {
  // When the event happened (e.g. the exchange timestamp); 0 = now.
  int64_t event_time_ns = 0;
  // Parent for the receiver's spans; invalid (the default): the thread's
  // current span (CurrentSpanContext), if any.
  telemetry::SpanContext trace;
  std::string_view correlation_id;
};

class Publisher {
 public:
  static absl::StatusOr<std::unique_ptr<Publisher>> Create(BusContext& context,
                                                           const config::v1::SocketConfig& config,
                                                           std::string_view name);
  ~Publisher();

  absl::Status Publish(std::string_view topic, const google::protobuf::Message& message,
                       const PublishOptions& options = {});

  // The last sequence published on `topic` (0 = none yet).
  uint64_t LastSequence(std::string_view topic) const;
  // The bound endpoint, with the port resolved when the config asked for 0 or *.
  const std::string& endpoint() const;
  const SocketStats& stats() const;

  class Impl;

 private:
  explicit Publisher(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tradeplane::bus

#endif  // TRADEPLANE_BUS_PUBLISHER_H_
