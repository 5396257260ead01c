#include "tradeplane/bus/socket_stats.h"

namespace tradeplane::bus {

std::string_view MalformedReasonName(MalformedReason reason) {
  switch (reason) {
    case MalformedReason::kFrames:
      return "frames";
    case MalformedReason::kEnvelope:
      return "envelope";
    case MalformedReason::kSchemaVersion:
      return "schema_version";
    case MalformedReason::kUnknownType:
      return "unknown_type";
    case MalformedReason::kPayload:
      return "payload";
    case MalformedReason::kOversized:
      return "oversized";
    case MalformedReason::kTopic:
      return "topic";
  }
  return "unknown";
}

SocketStats::SocketStats(telemetry::MetricsRegistry& r, std::string_view socket) {
  telemetry::Labels l = {{"socket", std::string(socket)}};
  sent_ = &r.GetCounter("tradeplane_bus_sent_messages_total", "Messages sent by a bus socket.", l);
  sent_bytes_ = &r.GetCounter("tradeplane_bus_sent_bytes_total", "Bytes sent by a bus socket.", l);
  received_ = &r.GetCounter("tradeplane_bus_received_messages_total",
                            "Well-formed messages received by a bus socket.", l);
  received_bytes_ =
      &r.GetCounter("tradeplane_bus_received_bytes_total", "Bytes received by a bus socket.", l);
  gaps_ = &r.GetCounter("tradeplane_bus_sequence_gaps_total",
                        "Sequence gaps seen by a subscriber (messages lost in between).", l);
  lost_ = &r.GetCounter("tradeplane_bus_lost_messages_total",
                        "Messages missing from sequence gaps (dropped at a high-water mark "
                        "or lost in a reconnect).",
                        l);
  out_of_order_ =
      &r.GetCounter("tradeplane_bus_out_of_order_messages_total",
                    "Messages with a sequence at or below one already seen; dropped.", l);
  dropped_ = &r.GetCounter("tradeplane_bus_dropped_messages_total",
                           "Messages this process could not send (queue full or no peer).", l);
  duplicate_requests_ = &r.GetCounter("tradeplane_bus_duplicate_requests_total",
                                      "Requests answered from the reply cache.", l);
  retries_ = &r.GetCounter("tradeplane_bus_request_retries_total",
                           "Requests sent again after a timeout, with the same request id.", l);
  timeouts_ = &r.GetCounter("tradeplane_bus_request_timeouts_total",
                            "Requests that got no reply within all their attempts.", l);
  for (int i = 0; i < kMalformedReasonCount; ++i) {
    telemetry::Labels lr = l;
    lr["reason"] = std::string(MalformedReasonName(static_cast<MalformedReason>(i)));
    malformed_[i] = &r.GetCounter("tradeplane_bus_malformed_messages_total",
                                  "Received messages refused as malformed, by reason.", lr);
  }
  request_seconds_ = &r.GetHistogram("tradeplane_bus_request_duration_seconds",
                                     "Request/reply round trip as the client sees it.",
                                     telemetry::LatencyBucketsSeconds(), l);
}

uint64_t SocketStats::malformed_total() const {
  uint64_t total = 0;
  for (const telemetry::Counter* c : malformed_) total += Value(c);
  return total;
}

}  // namespace tradeplane::bus
