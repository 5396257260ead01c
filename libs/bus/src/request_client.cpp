#include "tradeplane/bus/request_client.h"

#include <vector>

#include "tradeplane/bus/envelope.h"
#include "tradeplane/core/ids.h"
#include "tradeplane/core/str_cat.h"
#include "tradeplane/telemetry/log.h"

#include "context_impl.h"

namespace tradeplane::bus {

class RequestClient::Impl {
 public:
  Impl(BusContext& context, const config::v1::ClientConfig& config, std::string_view name)
      : context_(context),
        config_(config),
        name_(name),
        stats_(context.metrics(), name),
        ids_(context.clock(), random_) {
    if (config_.timeout_ms() == 0) config_.set_timeout_ms(kDefaultRequestTimeoutMs);
    const BusIdentity& id = context.identity();
    header_.set_schema_version(kEnvelopeSchemaVersion);
    header_.set_source_service(id.service);
    header_.set_source_instance(id.instance);
    header_.set_incarnation(id.incarnation);
  }

  // Opens a fresh socket: at creation and after every silent attempt.
  absl::Status Open() {
    socket_.reset();
    auto s = std::make_unique<zmq::socket_t>(context_.impl().zmq(), zmq::socket_type::dealer);
    absl::Status configured =
        context_.impl().Configure(*s, config_.socket(), SocketSide::kClient, name_);
    if (!configured.ok()) return configured;
    try {
      s->set(zmq::sockopt::linger, 0);
      s->connect(config_.socket().endpoint());
    } catch (const zmq::error_t& e) {
      return absl::InvalidArgumentError(StrCat("request client '", name_, "': cannot connect to '",
                                               config_.socket().endpoint(), "': ", e.what()));
    }
    socket_ = std::move(s);
    return absl::OkStatus();
  }

  absl::Status Call(const google::protobuf::Message& request, google::protobuf::Message* reply,
                    const CallOptions& options) {
    std::string request_id = options.request_id.empty() ? ids_.Next() : options.request_id;
    int64_t now = context_.clock().Now().nanos();
    header_.set_message_type(request.GetDescriptor()->full_name());
    header_.set_request_id(request_id);
    header_.set_event_time_ns(options.event_time_ns != 0 ? options.event_time_ns : now);
    header_.set_publish_time_ns(now);
    header_.set_correlation_id(options.correlation_id.data(), options.correlation_id.size());
    // Without an explicit trace the request joins the thread's current span,
    // so a call made while handling a traced message stays in its trace.
    const telemetry::SpanContext& trace =
        options.trace.valid() ? options.trace : telemetry::CurrentSpanContext();
    if (trace.valid()) {
      trace.ToProto(header_.mutable_trace());
    } else {
      header_.clear_trace();
    }
    EncodeEnvelope(header_, request, &buffer_);
    int timeout_ms =
        options.timeout_ms >= 0 ? options.timeout_ms : static_cast<int>(config_.timeout_ms());
    int retries = options.retries >= 0 ? options.retries : static_cast<int>(config_.retries());
    int64_t start = MonotonicNanos();
    for (int attempt = 0; attempt <= retries; ++attempt) {
      if (attempt > 0) {
        stats_.CountRetry();
        // Lazy pirate: a socket that got no answer may be talking to a dead
        // peer; a new one reconnects (and drops any late reply).
        absl::Status reopened = Open();
        if (!reopened.ok()) return reopened;
        telemetry::LogDebug("request retried",
                            {{"socket", name_}, {"request_id", request_id}, {"attempt", attempt}});
      }
      if (socket_ == nullptr) {
        absl::Status opened = Open();
        if (!opened.ok()) return opened;
      }
      try {
        socket_->send(zmq::const_buffer("", 0),
                      zmq::send_flags::sndmore | zmq::send_flags::dontwait);
        socket_->send(zmq::const_buffer(buffer_.data(), buffer_.size()), zmq::send_flags::dontwait);
        stats_.CountSent(buffer_.size());
      } catch (const zmq::error_t& e) {
        return absl::UnavailableError(StrCat("request on '", name_, "': ", e.what()));
      }
      absl::StatusOr<bool> answered = AwaitReply(request_id, timeout_ms, reply);
      if (!answered.ok()) return answered.status();
      if (*answered) {
        stats_.ObserveRequestSeconds(static_cast<double>(MonotonicNanos() - start) * 1e-9);
        return absl::OkStatus();
      }
    }
    stats_.CountTimeout();
    return absl::DeadlineExceededError(StrCat("no reply from '", config_.socket().endpoint(), "' (",
                                              name_, ") after ", retries + 1, " attempt(s) of ",
                                              timeout_ms, " ms"));
  }

  const v1::Header& last_reply_header() const { return reply_header_; }
  const std::string& endpoint() const { return config_.socket().endpoint(); }
  const SocketStats& stats() const { return stats_; }

 private:
  // True with the reply parsed; false on timeout; an error for a reply that
  // came but cannot be used.
  absl::StatusOr<bool> AwaitReply(const std::string& request_id, int timeout_ms,
                                  google::protobuf::Message* reply) {
    int64_t deadline = MonotonicNanos() + static_cast<int64_t>(timeout_ms) * 1'000'000;
    while (true) {
      int64_t left_ms = (deadline - MonotonicNanos()) / 1'000'000;
      if (left_ms < 0) return false;
      zmq::pollitem_t item{socket_->handle(), 0, ZMQ_POLLIN, 0};
      try {
        zmq::poll(&item, 1, std::chrono::milliseconds(left_ms));
      } catch (const zmq::error_t&) {
        continue;  // EINTR: the deadline still holds
      }
      if ((item.revents & ZMQ_POLLIN) == 0) continue;
      size_t count = ReceiveFrames(*socket_, frames_, 3);
      if (count == 0) continue;
      std::string_view envelope = count >= 1 ? View(frames_.back()) : std::string_view();
      if (count > 2 || (count == 2 && frames_[0].size() != 0)) {
        stats_.CountMalformed(MalformedReason::kFrames);
        continue;
      }
      std::string_view payload;
      absl::Status decoded = DecodeEnvelope(envelope, &reply_header_, &payload);
      if (!decoded.ok()) {
        stats_.CountMalformed(decoded.code() == absl::StatusCode::kFailedPrecondition
                                  ? MalformedReason::kSchemaVersion
                                  : MalformedReason::kEnvelope);
        continue;
      }
      if (reply_header_.request_id() != request_id) continue;  // a late reply to an earlier call
      stats_.CountReceived(envelope.size());
      if (reply_header_.has_reply_status() && reply_header_.reply_status().code() != 0) {
        return absl::Status(static_cast<absl::StatusCode>(reply_header_.reply_status().code()),
                            StrCat(name_, ": ", reply_header_.reply_status().message()));
      }
      if (reply_header_.message_type() != reply->GetDescriptor()->full_name()) {
        stats_.CountMalformed(MalformedReason::kUnknownType);
        return absl::DataLossError(StrCat(name_, ": reply is a ", reply_header_.message_type(),
                                          ", expected ", reply->GetDescriptor()->full_name()));
      }
      reply->Clear();
      if (!reply->ParseFromArray(payload.data(), static_cast<int>(payload.size()))) {
        stats_.CountMalformed(MalformedReason::kPayload);
        return absl::DataLossError(
            StrCat(name_, ": reply does not parse as ", reply->GetDescriptor()->full_name()));
      }
      return true;
    }
  }

  BusContext& context_;
  config::v1::ClientConfig config_;
  std::string name_;
  SocketStats stats_;
  SystemRandom random_;
  UuidV7Generator ids_;
  std::unique_ptr<zmq::socket_t> socket_;
  v1::Header header_;
  v1::Header reply_header_;
  std::string buffer_;
  std::vector<zmq::message_t> frames_;
};

absl::StatusOr<std::unique_ptr<RequestClient>> RequestClient::Create(
    BusContext& context, const config::v1::ClientConfig& config, std::string_view name) {
  auto impl = std::make_unique<Impl>(context, config, name);
  absl::Status s = impl->Open();
  if (!s.ok()) return s;
  return std::unique_ptr<RequestClient>(new RequestClient(std::move(impl)));
}

RequestClient::RequestClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RequestClient::~RequestClient() = default;

absl::Status RequestClient::Call(const google::protobuf::Message& request,
                                 google::protobuf::Message* reply, const CallOptions& options) {
  return impl_->Call(request, reply, options);
}
const v1::Header& RequestClient::last_reply_header() const { return impl_->last_reply_header(); }
const std::string& RequestClient::endpoint() const { return impl_->endpoint(); }
const SocketStats& RequestClient::stats() const { return impl_->stats(); }

}  // namespace tradeplane::bus
