// RequestClient: the REQ side of request/reply, as the "lazy pirate": each
// attempt waits `timeout_ms`; on silence the socket is closed and reopened
// (so a restarted server is found) and the same request, with the same
// request id, is sent again, up to `retries` more times. Replies to earlier
// attempts that arrive late are recognised by request id and discarded.
//
// On the wire it is a DEALER that writes REQ's empty delimiter frame, so it
// talks to any REP or ROUTER server. Not thread-safe: one per thread.
#ifndef TRADEPLANE_BUS_REQUEST_CLIENT_H_
#define TRADEPLANE_BUS_REQUEST_CLIENT_H_

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

struct CallOptions {
  // Reused by retries; empty = a new UUIDv7. Callers that must survive their
  // own restart (an intent sent again after a crash) pass a stable id.
  std::string request_id;
  // Invalid (the default): the thread's current span (CurrentSpanContext), if any.
  telemetry::SpanContext trace;
  std::string_view correlation_id;
  int64_t event_time_ns = 0;
  int timeout_ms = -1;  // -1 = the client's config
  int retries = -1;
};

class RequestClient {
 public:
  static absl::StatusOr<std::unique_ptr<RequestClient>> Create(
      BusContext& context, const config::v1::ClientConfig& config, std::string_view name);
  ~RequestClient();

  // Sends `request` and parses the reply into `reply`. Errors: the server's
  // own error (its reply_status), DeadlineExceeded when no attempt got a
  // reply, DataLoss when the reply does not parse or is of the wrong type.
  absl::Status Call(const google::protobuf::Message& request, google::protobuf::Message* reply,
                    const CallOptions& options = {});
  // The header of the last reply received.
  const v1::Header& last_reply_header() const;
  const std::string& endpoint() const;
  const SocketStats& stats() const;

  class Impl;

 private:
  explicit RequestClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tradeplane::bus

#endif  // TRADEPLANE_BUS_REQUEST_CLIENT_H_
