// ReplyServer: the REP side of request/reply. Binds its endpoint.
//
// A request is [envelope] after the REQ delimiter (ZeroMQ REQ, or a DEALER
// that sends the empty delimiter frame itself). Each request type has one
// handler. A handler that returns OK has its reply remembered by request id:
// a retry of the same request gets the same reply bytes back without the
// handler running again (counted as a duplicate). A handler that returns an
// error gets an error reply (reply_status) and is not remembered, so a retry
// after a transient failure runs again. Unknown types and malformed requests
// get an error reply and are counted. Not thread-safe.
#ifndef TRADEPLANE_BUS_REPLY_SERVER_H_
#define TRADEPLANE_BUS_REPLY_SERVER_H_

#include <chrono>
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

struct RequestContext {
  std::string_view request_id;
  // The client's name from the CURVE allow-list; empty without CURVE.
  std::string_view authenticated_caller;
  // What the client says it is (header.source_service): not proof.
  std::string_view claimed_service;
  const v1::Header& header;
  telemetry::SpanContext trace;
};

class ReplyServer {
 public:
  using Handler =
      std::function<absl::Status(const google::protobuf::Message& request,
                                 const RequestContext& context, google::protobuf::Message* reply)>;

  static absl::StatusOr<std::unique_ptr<ReplyServer>> Create(BusContext& context,
                                                             const config::v1::SocketConfig& config,
                                                             std::string_view name);
  ~ReplyServer();

  template <typename Request, typename Reply>
  void Handle(std::function<absl::Status(const Request&, const RequestContext&, Reply*)> handler) {
    AddHandler(std::make_unique<Request>(), std::make_unique<Reply>(),
               [h = std::move(handler)](const google::protobuf::Message& req,
                                        const RequestContext& ctx, google::protobuf::Message* rep) {
                 return h(static_cast<const Request&>(req), ctx, static_cast<Reply*>(rep));
               });
  }
  void AddHandler(std::unique_ptr<google::protobuf::Message> request_prototype,
                  std::unique_ptr<google::protobuf::Message> reply_prototype, Handler handler);

  // Answers up to `max_requests` waiting requests without blocking.
  int Poll(int max_requests = 256);
  bool WaitReadable(std::chrono::milliseconds timeout);
  const std::string& endpoint() const;
  const SocketStats& stats() const;

  class Impl;
  Impl& impl() { return *impl_; }

 private:
  explicit ReplyServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tradeplane::bus

#endif  // TRADEPLANE_BUS_REPLY_SERVER_H_
