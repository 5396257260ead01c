// Subscriber: the SUB side of bus streams. Connects to one or more publishers.
//
// Checks every message before any handler sees it: frame count, size limit,
// envelope and schema version, topic, sequence. Refused messages are counted
// (SocketStats, by reason) and logged at most once a second per socket; they
// never reach a handler and never stop the loop. Sequences are tracked per
// (source service, instance, topic): a jump is a gap (handler + counters,
// then delivery continues from the new sequence); a repeat or step back is
// dropped; a new incarnation of the source starts over. Not thread-safe.
#ifndef TRADEPLANE_BUS_SUBSCRIBER_H_
#define TRADEPLANE_BUS_SUBSCRIBER_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <google/protobuf/message.h>

#include "tradeplane/bus/context.h"
#include "tradeplane/bus/socket_stats.h"
#include "tradeplane/bus/v1/envelope.pb.h"
#include "tradeplane/telemetry/trace_context.h"

#include "absl/status/statusor.h"

namespace tradeplane::bus {

struct Delivery {
  std::string_view topic;
  const v1::Header& header;
  telemetry::SpanContext trace;  // the publisher's, invalid when absent
};

struct Gap {
  std::string_view topic;
  std::string_view source_service;
  uint32_t source_instance;
  uint64_t expected;  // the sequence that should have come
  uint64_t received;  // the one that came
};

class Subscriber {
 public:
  using Handler = std::function<void(const google::protobuf::Message&, const Delivery&)>;
  using RawHandler =
      std::function<void(std::string_view topic, std::string_view envelope, const Delivery&)>;

  static absl::StatusOr<std::unique_ptr<Subscriber>> Create(BusContext& context,
                                                            std::string_view name);
  ~Subscriber();

  // More than one publisher may be connected; each connection may use CURVE.
  absl::Status Connect(const config::v1::SocketConfig& config);
  // Every topic starting with `prefix` ("" = everything).
  absl::Status SubscribePrefix(std::string_view prefix);
  // Exactly this topic (ZeroMQ's prefix match is narrowed here).
  absl::Status SubscribeExact(std::string_view topic);

  // Typed handler for one message type; the message object is reused between
  // calls, so a handler that keeps data copies it.
  template <typename M>
  void On(std::function<void(const M&, const Delivery&)> handler) {
    AddHandler(std::make_unique<M>(),
               [h = std::move(handler)](const google::protobuf::Message& m, const Delivery& d) {
                 h(static_cast<const M&>(m), d);
               });
  }
  void AddHandler(std::unique_ptr<google::protobuf::Message> prototype, Handler handler);
  // Sees every well-formed message (after the sequence check), whatever its
  // type, as raw bytes; with one set, types without a typed handler are not
  // counted as unknown.
  void OnRaw(RawHandler handler);
  void OnGap(std::function<void(const Gap&)> handler);

  // Handles up to `max_messages` waiting messages without blocking; returns
  // how many frames sets were read (refused ones included).
  int Poll(int max_messages = 1024);
  // Blocks until a message is waiting or the timeout passes.
  bool WaitReadable(std::chrono::milliseconds timeout);
  const SocketStats& stats() const;

  class Impl;
  Impl& impl() { return *impl_; }

 private:
  explicit Subscriber(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tradeplane::bus

#endif  // TRADEPLANE_BUS_SUBSCRIBER_H_
