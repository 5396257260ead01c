#include "tradeplane/bus/reply_server.h"

#include <deque>
#include <functional>
#include <vector>

#include "tradeplane/bus/envelope.h"
#include "tradeplane/core/str_cat.h"

#include "context_impl.h"
#include "malformed_log.h"
#include "socket_handles.h"
#include "string_map.h"

namespace tradeplane::bus {
namespace {

struct Route {
  const std::vector<zmq::message_t>* frames;
  size_t route_frames;  // frames before the envelope (identity and delimiter)
};

struct CachedReply {
  size_t request_hash;
  std::string reply;
};

struct RequestHandler {
  std::unique_ptr<google::protobuf::Message> request;
  std::unique_ptr<google::protobuf::Message> reply;
  ReplyServer::Handler handler;
};

}  // namespace

class ReplyServer::Impl {
 public:
  Impl(BusContext& context, std::string_view name)
      : context_(context),
        name_(name),
        socket_(context.impl().zmq(), zmq::socket_type::router),
        stats_(context.metrics(), name),
        log_(name) {
    const BusIdentity& id = context.identity();
    reply_header_.set_schema_version(kEnvelopeSchemaVersion);
    reply_header_.set_source_service(id.service);
    reply_header_.set_source_instance(id.instance);
    reply_header_.set_incarnation(id.incarnation);
  }

  absl::Status Bind(const config::v1::SocketConfig& config) {
    absl::Status s = context_.impl().Configure(socket_, config, SocketSide::kServer, name_);
    if (!s.ok()) return s;
    curve_ = config.curve().enabled();
    try {
      socket_.set(zmq::sockopt::linger, 100);
      // A reply to a client that has gone away is dropped, not an error.
      socket_.set(zmq::sockopt::router_mandatory, false);
      socket_.bind(config.endpoint());
      endpoint_ = socket_.get(zmq::sockopt::last_endpoint);
    } catch (const zmq::error_t& e) {
      return absl::UnavailableError(
          StrCat("reply server '", name_, "': cannot bind '", config.endpoint(), "': ", e.what()));
    }
    return absl::OkStatus();
  }

  void AddHandler(std::unique_ptr<google::protobuf::Message> request,
                  std::unique_ptr<google::protobuf::Message> reply, Handler handler) {
    std::string type = request->GetDescriptor()->full_name();
    handlers_[type] = RequestHandler{std::move(request), std::move(reply), std::move(handler)};
  }

  int Poll(int max_requests) {
    int n = 0;
    for (; n < max_requests; ++n) {
      size_t count;
      try {
        count = ReceiveFrames(socket_, frames_, 8);
      } catch (const zmq::error_t& e) {
        log_.Refuse(stats_, MalformedReason::kFrames, e.what());
        break;
      }
      if (count == 0) break;
      HandleFrames(count);
    }
    return n;
  }

  bool WaitReadable(std::chrono::milliseconds timeout) {
    zmq::pollitem_t item{socket_.handle(), 0, ZMQ_POLLIN, 0};
    try {
      zmq::poll(&item, 1, timeout);
    } catch (const zmq::error_t&) {
      return false;
    }
    return (item.revents & ZMQ_POLLIN) != 0;
  }

  void* handle() { return socket_.handle(); }
  const std::string& endpoint() const { return endpoint_; }
  const SocketStats& stats() const { return stats_; }

 private:
  void HandleFrames(size_t count) {
    // [identity][empty][envelope] from REQ (or a DEALER writing the
    // delimiter); [identity][envelope] from a DEALER that does not.
    if (count > 8 || frames_.size() < 2) {
      log_.Refuse(stats_, MalformedReason::kFrames, StrCat(count, " frames"));
      return;
    }
    size_t env_index = frames_.size() - 1;
    Route route{&frames_, env_index};
    if (env_index >= 2 && frames_[env_index - 1].size() != 0) {
      log_.Refuse(stats_, MalformedReason::kFrames, "no empty delimiter before the envelope");
      return;
    }
    std::string_view envelope = View(frames_[env_index]);
    if (envelope.size() > context_.config().max_message_bytes()) {
      log_.Refuse(stats_, MalformedReason::kOversized, StrCat(envelope.size(), " bytes"));
      SendError(route, "",
                absl::ResourceExhaustedError(StrCat("request of ", envelope.size(),
                                                    " bytes exceeds the limit of ",
                                                    context_.config().max_message_bytes())));
      return;
    }
    absl::Status decoded = DecodeEnvelope(envelope, &request_header_, &payload_);
    if (!decoded.ok()) {
      bool version = decoded.code() == absl::StatusCode::kFailedPrecondition;
      log_.Refuse(stats_, version ? MalformedReason::kSchemaVersion : MalformedReason::kEnvelope,
                  ToStd(decoded.message()));
      SendError(route, request_header_.request_id(), decoded);
      return;
    }
    stats_.CountReceived(envelope.size());
    const std::string& request_id = request_header_.request_id();
    size_t request_hash = std::hash<std::string_view>{}(payload_) ^
                          std::hash<std::string_view>{}(request_header_.message_type());
    if (!request_id.empty()) {
      auto cached = cache_.find(std::string_view(request_id));
      if (cached != cache_.end()) {
        if (cached->second.request_hash != request_hash) {
          SendError(route, request_id,
                    absl::AlreadyExistsError(StrCat("request id '", request_id,
                                                    "' was already used for a different request")));
          return;
        }
        stats_.CountDuplicateRequest();
        Send(route, cached->second.reply);
        return;
      }
    }
    auto it = handlers_.find(std::string_view(request_header_.message_type()));
    if (it == handlers_.end()) {
      log_.Refuse(stats_, MalformedReason::kUnknownType,
                  StrCat("request type '", request_header_.message_type().substr(0, 120), "'"));
      SendError(route, request_id,
                absl::UnimplementedError(StrCat("no handler for '",
                                                request_header_.message_type().substr(0, 120),
                                                "' on '", name_, "'")));
      return;
    }
    RequestHandler& h = it->second;
    h.request->Clear();
    if (!h.request->ParseFromArray(payload_.data(), static_cast<int>(payload_.size()))) {
      log_.Refuse(stats_, MalformedReason::kPayload,
                  StrCat(request_header_.message_type(), " does not parse"));
      SendError(route, request_id,
                absl::InvalidArgumentError(
                    StrCat("payload does not parse as ", request_header_.message_type())));
      return;
    }
    std::string caller;
    if (curve_) {
      try {
        const char* user = frames_[env_index].gets("User-Id");
        if (user != nullptr) caller = user;
      } catch (const zmq::error_t&) {
      }
    }
    telemetry::SpanContext trace = telemetry::SpanContext::FromProto(request_header_.trace());
    RequestContext ctx{request_id, caller, request_header_.source_service(), request_header_,
                       trace};
    h.reply->Clear();
    absl::Status result;
    {
      telemetry::ScopedTraceContext scope(trace);
      result = h.handler(*h.request, ctx, h.reply.get());
    }
    if (!result.ok()) {
      SendError(route, request_id, result);
      return;
    }
    FillReplyHeader(request_id, h.reply->GetDescriptor()->full_name());
    EncodeEnvelope(reply_header_, *h.reply, &reply_buffer_);
    Send(route, reply_buffer_);
    if (!request_id.empty() && context_.config().reply_cache_size() > 0) {
      Remember(request_id, request_hash);
    }
  }

  void Remember(const std::string& request_id, size_t request_hash) {
    cache_.emplace(request_id, CachedReply{request_hash, reply_buffer_});
    order_.push_back(request_id);
    while (order_.size() > context_.config().reply_cache_size()) {
      cache_.erase(order_.front());
      order_.pop_front();
    }
  }

  void FillReplyHeader(std::string_view request_id, std::string_view type) {
    int64_t now = context_.clock().Now().nanos();
    reply_header_.set_message_type(type.data(), type.size());
    reply_header_.set_request_id(request_id.data(), request_id.size());
    reply_header_.set_publish_time_ns(now);
    reply_header_.set_event_time_ns(now);
    reply_header_.set_correlation_id(request_header_.correlation_id());
    if (request_header_.has_trace()) {
      *reply_header_.mutable_trace() = request_header_.trace();
    } else {
      reply_header_.clear_trace();
    }
    reply_header_.clear_reply_status();
  }

  void SendError(const Route& route, std::string_view request_id, const absl::Status& status) {
    FillReplyHeader(request_id, "tradeplane.bus.v1.ReplyStatus");
    reply_header_.mutable_reply_status()->set_code(static_cast<int>(status.code()));
    reply_header_.mutable_reply_status()->set_message(std::string(ToStd(status.message())));
    EncodeEnvelopeBytes(reply_header_, "", &reply_buffer_);
    Send(route, reply_buffer_);
  }

  void Send(const Route& route, const std::string& envelope) {
    try {
      for (size_t i = 0; i < route.route_frames; ++i) {
        const zmq::message_t& f = (*route.frames)[i];
        socket_.send(zmq::const_buffer(f.data(), f.size()),
                     zmq::send_flags::sndmore | zmq::send_flags::dontwait);
      }
      if (!socket_.send(zmq::const_buffer(envelope.data(), envelope.size()),
                        zmq::send_flags::dontwait)) {
        stats_.CountDropped();
        return;
      }
      stats_.CountSent(envelope.size());
    } catch (const zmq::error_t&) {
      stats_.CountDropped();
    }
  }

  BusContext& context_;
  std::string name_;
  zmq::socket_t socket_;
  SocketStats stats_;
  MalformedLog log_;
  std::string endpoint_;
  bool curve_ = false;
  std::vector<zmq::message_t> frames_;
  v1::Header request_header_;
  v1::Header reply_header_;
  std::string_view payload_;
  std::string reply_buffer_;
  StringMap<RequestHandler> handlers_;
  StringMap<CachedReply> cache_;
  std::deque<std::string> order_;
};

absl::StatusOr<std::unique_ptr<ReplyServer>> ReplyServer::Create(
    BusContext& context, const config::v1::SocketConfig& config, std::string_view name) {
  auto impl = std::make_unique<Impl>(context, name);
  absl::Status s = impl->Bind(config);
  if (!s.ok()) return s;
  return std::unique_ptr<ReplyServer>(new ReplyServer(std::move(impl)));
}

ReplyServer::ReplyServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ReplyServer::~ReplyServer() = default;

void ReplyServer::AddHandler(std::unique_ptr<google::protobuf::Message> request_prototype,
                             std::unique_ptr<google::protobuf::Message> reply_prototype,
                             Handler handler) {
  impl_->AddHandler(std::move(request_prototype), std::move(reply_prototype), std::move(handler));
}
int ReplyServer::Poll(int max_requests) { return impl_->Poll(max_requests); }
bool ReplyServer::WaitReadable(std::chrono::milliseconds timeout) {
  return impl_->WaitReadable(timeout);
}
const std::string& ReplyServer::endpoint() const { return impl_->endpoint(); }
const SocketStats& ReplyServer::stats() const { return impl_->stats(); }

void* ReplyServerHandle(ReplyServer& s) { return s.impl().handle(); }

}  // namespace tradeplane::bus
