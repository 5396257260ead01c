#include "tradeplane/bench/echo_baselines.h"

#include <utility>

#include "tradeplane/bench/interrupt.h"
#include "tradeplane/bench/nanos_since.h"
#include "tradeplane/bench/status_context.h"

namespace tradeplane::bench {

absl::StatusOr<std::unique_ptr<EchoBaselines>> EchoBaselines::Start(bus::BusContext& context,
                                                                    const EchoPeerOptions& options,
                                                                    const Messages& messages,
                                                                    size_t capacity) {
  absl::StatusOr<std::unique_ptr<EchoPeer>> peer = EchoPeer::Start(context, options);
  if (!peer.ok()) return Context("echo peer", peer.status());
  return std::unique_ptr<EchoBaselines>(new EchoBaselines(std::move(*peer), messages, capacity));
}

EchoBaselines::EchoBaselines(std::unique_ptr<EchoPeer> peer, const Messages& messages,
                             size_t capacity)
    : peer_(std::move(peer)),
      request_(messages.request->New()),
      reply_(messages.reply->New()),
      request_bytes_(messages.request_bytes),
      reply_bytes_(messages.reply_bytes),
      raw_(capacity),
      bus_echo_(capacity) {
  request_->CopyFrom(*messages.request);
}

absl::Status EchoBaselines::WarmUp(int count) {
  for (int k = 0; k < count; ++k) {
    if (absl::Status s = CheckInterrupted(); !s.ok()) return s;
    if (absl::Status s = peer_->RawRoundTrip(request_bytes_, reply_bytes_); !s.ok()) return s;
    if (absl::Status s = BusEcho(); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status EchoBaselines::MeasureBlock(int count) {
  for (int k = 0; k < count; ++k) {
    BenchClock::time_point start = BenchClock::now();
    if (absl::Status s = peer_->RawRoundTrip(request_bytes_, reply_bytes_); !s.ok()) return s;
    raw_.Record(NanosSince(start));
  }
  for (int k = 0; k < count; ++k) {
    BenchClock::time_point start = BenchClock::now();
    if (absl::Status s = BusEcho(); !s.ok()) return s;
    bus_echo_.Record(NanosSince(start));
  }
  return absl::OkStatus();
}

absl::Status EchoBaselines::BusEcho() {
  absl::Status s = peer_->bus_client().Call(*request_, reply_.get());
  return s.ok() ? s : Context("bus echo", s);
}

}  // namespace tradeplane::bench
