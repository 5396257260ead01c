// Counters of one bus socket, exported as tradeplane_bus_* metrics with a
// `socket` label (the name the socket was created with).
#ifndef TRADEPLANE_BUS_SOCKET_STATS_H_
#define TRADEPLANE_BUS_SOCKET_STATS_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "tradeplane/telemetry/metrics.h"

namespace tradeplane::bus {

// Why a received message was refused; each is a `reason` label value.
enum class MalformedReason {
  kFrames,         // wrong number of frames
  kEnvelope,       // the envelope does not parse
  kSchemaVersion,  // an envelope version this build does not read
  kUnknownType,    // no handler for the message type
  kPayload,        // the payload does not parse as its declared type
  kOversized,      // larger than bus.max_message_bytes
  kTopic,          // the topic frame disagrees with the header, or is invalid
};
inline constexpr int kMalformedReasonCount = 7;
std::string_view MalformedReasonName(MalformedReason reason);

class SocketStats {
 public:
  SocketStats(telemetry::MetricsRegistry& registry, std::string_view socket);

  uint64_t sent() const { return Value(sent_); }
  uint64_t received() const { return Value(received_); }
  uint64_t gaps() const { return Value(gaps_); }
  uint64_t lost() const { return Value(lost_); }
  uint64_t out_of_order() const { return Value(out_of_order_); }
  uint64_t dropped() const { return Value(dropped_); }
  uint64_t duplicate_requests() const { return Value(duplicate_requests_); }
  uint64_t retries() const { return Value(retries_); }
  uint64_t timeouts() const { return Value(timeouts_); }
  uint64_t malformed(MalformedReason reason) const {
    return Value(malformed_[static_cast<int>(reason)]);
  }
  uint64_t malformed_total() const;

  // For the bus itself.
  void CountSent(size_t bytes) {
    sent_->Increment();
    sent_bytes_->Increment(static_cast<double>(bytes));
  }
  void CountReceived(size_t bytes) {
    received_->Increment();
    received_bytes_->Increment(static_cast<double>(bytes));
  }
  void CountGap(uint64_t missing) {
    gaps_->Increment();
    lost_->Increment(static_cast<double>(missing));
  }
  void CountOutOfOrder() { out_of_order_->Increment(); }
  void CountDropped() { dropped_->Increment(); }
  void CountDuplicateRequest() { duplicate_requests_->Increment(); }
  void CountRetry() { retries_->Increment(); }
  void CountTimeout() { timeouts_->Increment(); }
  void CountMalformed(MalformedReason reason) { malformed_[static_cast<int>(reason)]->Increment(); }
  void ObserveRequestSeconds(double seconds) { request_seconds_->Observe(seconds); }

 private:
  static uint64_t Value(const telemetry::Counter* c) { return static_cast<uint64_t>(c->Value()); }

  telemetry::Counter* sent_;
  telemetry::Counter* sent_bytes_;
  telemetry::Counter* received_;
  telemetry::Counter* received_bytes_;
  telemetry::Counter* gaps_;
  telemetry::Counter* lost_;
  telemetry::Counter* out_of_order_;
  telemetry::Counter* dropped_;
  telemetry::Counter* duplicate_requests_;
  telemetry::Counter* retries_;
  telemetry::Counter* timeouts_;
  telemetry::Counter* malformed_[kMalformedReasonCount];
  telemetry::Histogram* request_seconds_;
};

}  // namespace tradeplane::bus

#endif  // TRADEPLANE_BUS_SOCKET_STATS_H_
